"""Cross-references of the generated app hold, and each kind of break is caught."""

from __future__ import annotations

import json

import pytest

from make_blueprints.references import problems
from tests.make.conftest import app_of, load, put

MANIFEST = "makecomapp.json"


def test_the_generated_apps_have_no_broken_reference(app_files, kickserv):
    assert problems(app_files) == []
    assert problems(app_of(kickserv)) == []


def _manifest(files, change):
    manifest = load(files, MANIFEST)
    change(manifest)
    put(files, MANIFEST, manifest)


def test_a_module_with_an_unknown_connection(files):
    _manifest(files, lambda m: m["components"]["module"]["createJob"].update(connection="other"))
    assert problems(files) == ["module createJob: connection 'other' is not a connection of the app"]


def test_an_unknown_rpc_target(files):
    path = "modules/create-job/create-job.mappable-params.iml.json"
    files[path] = files[path].replace("rpc://listMembers", "rpc://listPeople")
    assert problems(files) == [f"{path}: rpc://listPeople is not an RPC of the app"]


def test_groups_that_list_a_missing_module_or_miss_one(files):
    groups = load(files, "modules/groups.json")
    groups[0]["modules"][0] = "watchEverything"
    put(files, "modules/groups.json", groups)
    found = problems(files)
    assert "groups list 'watchEverything', which is not a module of the app" in found
    assert "module newJob is in 0 groups, not one" in found


def test_the_manifest_names_every_file_and_every_file_is_named(files):
    files["modules/stray/stray.samples.iml.json"] = "{}"
    del files["rpcs/list-members/list-members.params.iml.json"]
    assert problems(files) == ["the manifest names rpcs/list-members/list-members.params.iml.json, which is not generated",
                               "modules/stray/stray.samples.iml.json is generated but the manifest does not name it"]


def test_an_invalid_component_id(files):
    _manifest(files, lambda m: m["components"]["rpc"].update({"x_y": m["components"]["rpc"]["listMembers"]}))
    assert any("rpc id 'x_y'" in problem for problem in problems(files))


def _first_blueprint(files):
    return sorted(path for path in files if path.startswith("blueprints/"))[0]


@pytest.mark.parametrize("tamper, expected", [
    (lambda b: b["flow"][1].update(id=1), "module id 1 is used twice"),
    (lambda b: b["flow"][1].update(module="hellotracks:teleport"), "'hellotracks:teleport' is not a module"),
    (lambda b: b["flow"][1].update(module="otherapp:findMember"), "is not a module of app 'hellotracks'"),
    (lambda b: b["flow"][0]["mapper"].update(x="{{2.id}}"), "module 1 maps from module 2, which does not run before it"),
    (lambda b: b["flow"][1]["mapper"].update(x="{{1.nonsense}}"), "module 2 maps 1.nonsense, which module 1 does not output"),
])
def test_broken_blueprints_are_caught(files, tamper, expected):
    path = _first_blueprint(files)
    blueprint = json.loads(files[path])
    tamper(blueprint)
    put(files, path, blueprint)
    assert any(expected in problem for problem in problems(files)), problems(files)
