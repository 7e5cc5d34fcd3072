"""Every generated file validates against Make's own schemas; a broken file or a missing schema
directory fails loudly."""

from __future__ import annotations

import pytest

from connector_core.checks import check_document
from connector_core.document import runtime_document
from connector_core.platforms import platform
from connector_core.spec import bundled_connectors, load_connector
from make_blueprints.schemas import ENV_VAR, SchemasMissing, schema_for, schemas_dir, strip_comments, validate
from tests.make.conftest import load, put

COMMUNICATION = "modules/archive-job/archive-job.communication.iml.json"


@pytest.mark.parametrize("name", bundled_connectors())
def test_every_bundled_connector_passes_the_make_check(name):
    """`connectors check`'s Make check: Make's schemas, the references between files, a fresh generation."""
    assert check_document(platform("make"), runtime_document(load_connector(name))) == []


def test_every_generated_file_of_the_second_spec_validates_with_zero_errors(kickserv):
    assert check_document(platform("make"), runtime_document(kickserv)) == []


def test_every_app_file_is_checked_by_a_schema(app_files):
    checked = {path: schema_for(path) for path in app_files}
    unchecked = sorted(path for path, schema in checked.items() if schema is None)
    assert unchecked == ["README.md", "assets/icon.png"] + sorted(p for p in app_files if p.startswith("blueprints/"))
    assert {"api.json", "base.json", "parameters.json", "epoch.json", "samples.json", "groups.json",
            "common.json", "makecomapp.schema.json"} <= set(checked.values())
    with pytest.raises(ValueError, match="no Make schema"):
        schema_for("modules/x/x.unknown.iml.json")


@pytest.mark.parametrize("tamper, where", [
    (lambda c: c.pop("body"), COMMUNICATION),  # POST without a body key
    (lambda c: c.update(method="FETCH"), COMMUNICATION),
    (lambda c: c["response"].update(trigger={"id": "{{item.id}}", "type": "date", "order": "desc"}), COMMUNICATION),
])
def test_a_broken_communication_is_reported(files, tamper, where):
    communication = load(files, where)
    tamper(communication)
    put(files, where, communication)
    errors = validate(files)
    assert errors and all(error.path == where for error in errors)


def test_a_broken_parameter_and_manifest_are_reported(files):
    params = load(files, "modules/create-job/create-job.mappable-params.iml.json")
    params[0]["type"] = "string"  # not a Make type
    put(files, "modules/create-job/create-job.mappable-params.iml.json", params)
    manifest = load(files, "makecomapp.json")
    del manifest["components"]["endpoint"]
    put(files, "makecomapp.json", manifest)
    assert {error.path for error in validate(files)} == {"makecomapp.json",
                                                         "modules/create-job/create-job.mappable-params.iml.json"}


def test_a_missing_schema_directory_fails_loudly(app_files, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(SchemasMissing, match="make make-schemas"):
        validate(app_files)


def test_the_schema_directory_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    (tmp_path / "makecomapp.schema.json").write_text("{}")
    assert schemas_dir() == tmp_path


def test_comments_are_stripped_outside_strings():
    assert strip_comments('{"u": "http://x//y", /* c */ "a": 1 // end\n}') == '{"u": "http://x//y",  "a": 1 \n}'
