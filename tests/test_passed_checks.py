"""Loading an unchanged spec skips jsonschema, and a wrong one is still reported every time."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from connector_core.spec import SpecError, load_spec, passed_checks
from connector_core.spec.models import check_json_schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = {"type": "object", "properties": {"id": {"type": "string", "minLength": 1}}}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(passed_checks, "CACHE_DIR", tmp_path / "passed-checks")
    return tmp_path / "passed-checks"


def test_a_pass_is_remembered_by_content_and_jsonschema_version(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not passed_checks.passed("metaschema", SCHEMA)
    check_json_schema(SCHEMA)
    assert passed_checks.passed("metaschema", SCHEMA)
    assert passed_checks.passed("metaschema", dict(reversed(list(SCHEMA.items()))))  # key order is not content
    assert not passed_checks.passed("metaschema", {**SCHEMA, "required": ["id"]})
    assert not passed_checks.passed("sample", SCHEMA)
    monkeypatch.setattr(passed_checks, "jsonschema_version", lambda: "0.0.0")
    assert not passed_checks.passed("metaschema", SCHEMA)


def test_a_failure_is_never_remembered(cache: Path) -> None:
    broken = {"type": "object", "properties": {"id": {"type": "strin"}}}
    for _ in range(2):
        with pytest.raises(ValueError, match="not a valid JSON Schema at properties.id.type"):
            check_json_schema(broken)
    assert not cache.exists() or not any(cache.iterdir())


def test_content_that_is_not_plain_json_is_never_remembered(cache: Path) -> None:
    passed_checks.remember("sample", [SCHEMA, {"when": float("nan")}])
    passed_checks.remember("sample", [SCHEMA, {"when": object()}])
    assert not cache.exists()


def test_a_sample_that_breaks_its_schema_is_reported_after_a_good_one_passed(cache: Path, tmp_path: Path) -> None:
    folder = ROOT / "connector_core" / "apis" / "hellotracks"
    spec = (folder / "spec.yaml").read_text(encoding="utf-8")
    shutil.copy(folder / "logo.svg", tmp_path)  # the spec names its logo file beside it
    good = tmp_path / "good.yaml"
    good.write_text(spec, encoding="utf-8")
    load_spec(good)
    remembered = len(list(cache.iterdir()))
    assert remembered > 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(spec.replace("username: admin@example.com", "username: 42", 1), encoding="utf-8")
    assert bad.read_text(encoding="utf-8") != spec
    with pytest.raises(SpecError, match="sample does not match output schema"):
        load_spec(bad)


def test_a_second_load_does_not_import_jsonschema() -> None:
    code = ("import sys; from connector_core.spec import load_connector; load_connector('hellotracks'); "
            "print('jsonschema' in sys.modules)")
    answers = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip() for _ in range(2)]
    assert answers[1] == "False"
