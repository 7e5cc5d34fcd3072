"""Zapier's own verdict on a written app, for `connectors check`.

First zapier-platform-schema on the definition, as a whole and per operation (harness/validate.js:
a missing sample is caught only per operation), and the publishing checklist rules that can be
decided offline (checklist.py); when they find nothing, `zapier-platform validate --without-style`
on a scratch copy with the toolchain linked in, as `zapier push` would run it: the same structural
checks, and the app loaded the way Zapier loads it (index.js and what it requires). Zapier's own
style checks need its servers, so they are not run (docs/platform-notes.md).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from connector_core.build import read_folder
from connector_core.document import connector_from_document
from zapier_schema.checklist import checklist_problems, logo_problems
from zapier_schema.execution import validate_definition
from zapier_schema.project import LOGO_FILE
from zapier_schema.toolchain import ZAPIER

TAIL = 4000  # enough of the CLI's output to act on
PASSED = "No structural errors found"


def app_problems(document: dict[str, Any], folder: Path) -> list[str]:
    """Every problem Zapier's schema, the checklist and the CLI find in the app written to `folder`."""
    definition_file = folder / "definition.json"
    if not definition_file.is_file():
        return [f"{folder}: no definition.json (run `connectors build`)"]
    report = validate_definition(definition_file)
    problems = [f"{part}: {problem}" for part, problems in report.items() for problem in problems]
    definition = json.loads(definition_file.read_text(encoding="utf-8"))
    problems += checklist_problems(connector_from_document(document), definition)
    logo = folder / LOGO_FILE
    problems += logo_problems(logo.read_bytes() if logo.is_file() else None)
    return problems or cli_problems(folder)


def cli_problems(folder: Path) -> list[str]:
    files = read_folder(folder, skip=("node_modules",))
    with tempfile.TemporaryDirectory(prefix="zapier-check-") as scratch:
        app = ZAPIER.write_package(files, Path(scratch) / folder.name)
        done = ZAPIER.run([str(ZAPIER.bin / "zapier-platform"), "validate", "--without-style"], cwd=app)
    if done.returncode == 0 and PASSED in done.stdout:
        return []
    return [f"zapier-platform validate --without-style failed:\n{(done.stdout + done.stderr).strip()[-TAIL:]}"]
