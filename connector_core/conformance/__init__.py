"""The conformance corpus: the spec language's rules stated once, as cases both runtimes pass.

See docs/conformance.md. This package reads the corpus (connectors and cases), keeps the
connectors' runtime documents fresh, and runs a case on the Python runtime (`runner`).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from connector_core.document import connector_from_document, dump_document, runtime_document
from connector_core.spec.models import Connector

CORPUS_DIR = Path(__file__).resolve().parent
CONNECTORS_DIR = CORPUS_DIR / "connectors"
CASES_DIR = CORPUS_DIR / "cases"


def connector_names() -> list[str]:
    return sorted(path.stem for path in CONNECTORS_DIR.glob("*.json") if not path.stem.endswith(".runtime"))


def load_connector(name: str) -> Connector:
    """A corpus connector, validated by the spec models."""
    return Connector.model_validate(json.loads((CONNECTORS_DIR / f"{name}.json").read_text(encoding="utf-8")))


def document_text(name: str) -> str:
    """The runtime document a corpus connector should have on disk."""
    return dump_document(runtime_document(load_connector(name)))


def document_path(name: str) -> Path:
    return CONNECTORS_DIR / f"{name}.runtime.json"


def refresh_documents() -> list[Path]:
    """Rewrite every runtime document from its connector; returns the files that changed."""
    changed = []
    for name in connector_names():
        text, path = document_text(name), document_path(name)
        connector_from_document(json.loads(text))  # the document reads back as the same spec
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


@functools.lru_cache(maxsize=None)
def load_document(name: str) -> Connector:
    """A corpus connector read back from its runtime document, as the kernel reads it."""
    return connector_from_document(json.loads(document_path(name).read_text(encoding="utf-8")))


def case_files() -> list[Path]:
    return sorted(CASES_DIR.glob("*.json"))


def load_cases() -> list[dict[str, Any]]:
    """Every case of the corpus, each with its file's `connector` unless it names its own."""
    cases = []
    for path in case_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            cases.append({"connector": data["connector"], "file": path.name, **case})
    return cases
