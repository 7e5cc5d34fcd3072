"""Make's custom-app best practices hold on every generated app, and each check catches its break."""

from __future__ import annotations

import json

import pytest

from connector_core.conformance import connector_names, document_text
from connector_core.document import runtime_document
from connector_core.spec.models import Operation, Resource
from make_blueprints import generate
from make_blueprints.conventions import problems, sentence_case
from make_blueprints.labels import module_label
from tests.make.conftest import load, put

MANIFEST = "makecomapp.json"


@pytest.fixture(scope="module")
def document(hellotracks):
    return runtime_document(hellotracks)


def test_every_generated_app_keeps_the_conventions(document, kickserv):
    documents = [document, runtime_document(kickserv)] + [json.loads(document_text(name)) for name in connector_names()]
    for each in documents:
        assert problems(each, generate(each)) == [], each["name"]


def _edit_module(name, code, change):
    def tamper(files):
        path = load(files, MANIFEST)["components"]["module"][name]["codeFiles"][code]
        data = load(files, path)
        change(data)
        put(files, path, data)
    return tamper


def _edit_manifest(change):
    def tamper(files):
        manifest = load(files, MANIFEST)
        change(manifest["components"])
        put(files, MANIFEST, manifest)
    return tamper


def _drop_url_pattern(params):
    params[0].pop("validate")


def _connection_params(files, change):
    path = "connections/hellotracks/hellotracks.params.iml.json"
    params = load(files, path)
    change(params)
    put(files, path, params)


@pytest.mark.parametrize("tamper, expected", [
    (_edit_manifest(lambda c: c["module"]["createJob"].update(label="Create Job")), "not in sentence case"),
    (_edit_manifest(lambda c: c["module"]["archiveJob"].pop("actionCrud")), "an action without actionCrud"),
    (_edit_manifest(lambda c: c["module"]["makeApiCall"].update(moduleType="action", actionCrud="read")),
     "not exactly one 'makeApiCall'"),
    (_edit_module("makeApiCall", "mappableParams", _drop_url_pattern), "could leave the API's host"),
    (_edit_module("makeApiCall", "communication", lambda c: c.update(url="{{parameters.url}}")),
     "its url does not start with `/`"),
    (_edit_module("findJob", "communication", lambda c: c["response"].update(limit=3200)), "reads no Limit parameter"),
    (_edit_module("newJob", "staticParams", lambda p: p.clear()), "reads no Limit parameter"),
    (_edit_manifest(lambda c: c["module"]["newJob"]["codeFiles"].pop("epoch")), "without an epoch"),
    (_edit_module("getJob", "interface", lambda i: next(f for f in i if f["name"] == "createdAtIso").update(type="text")),
     "createdAtIso is not a date"),
    (_edit_module("getJob", "communication", lambda c: c["response"].update(output="{{item}}")),
     "does not write the derived timestamp createdAtIso"),
    (lambda files: _connection_params(files, lambda p: p[1].update(type="text")), "not a select of exactly its choices"),
    (lambda files: _connection_params(files, lambda p: p[0].update(help="Your key.")), "does not link to"),
    (_edit_manifest(lambda c: c["module"]["deleteJob"].update(description="Deletes a job.")), "does not warn"),
    (_edit_module("deleteJob", "mappableParams", lambda p: p.pop(0)), "does not open with its warning"),
    (_edit_module("updateJob", "mappableParams", lambda p: p.reverse()), "not in the shared layout"),
    (_edit_module("createJob", "mappableParams", lambda p: next(x for x in p if x["name"] == "contact").pop("advanced")),
     "input contact is not advanced"),
])
def test_each_convention_check_catches_its_break(document, files, tamper, expected):
    tamper(files)
    found = problems(document, files)
    assert any(expected in problem for problem in found), found


def test_a_typed_base_url_must_carry_the_https_rule():
    """Kickserv's host is fixed in its template, so no field starts the base URL; basicco's does."""
    document = json.loads(document_text("basicco"))
    files = generate(document)
    path = next(p for p in files if p.endswith(".params.iml.json") and p.startswith("connections/"))
    params = json.loads(files[path])
    next(p for p in params if p["name"] == "baseUrl").pop("validate")
    files[path] = json.dumps(params)
    assert any("a typed base URL without the https rule" in problem for problem in problems(document, files))


@pytest.mark.parametrize("label, resource, kind, many, expected", [
    ("Create Order", ("Order", "Orders"), "action", False, "Create an order"),
    ("Find Work Order by ID", ("Work Order", "Work Orders"), "search", False, "Find a work order by ID"),
    ("Find Work Order", ("Work Order", "Work Orders"), "search", True, "Search work orders"),
    ("List Work Orders of a Customer", ("Work Order", "Work Orders"), "list", True, "List work orders of a customer"),
    ("New Paid Invoice", ("Invoice", "Invoices"), "trigger", True, "Watch new paid invoices"),
    ("Send a Reminder", ("Reminder", "Reminders"), "action", False, "Send a reminder"),
    ("Sync", ("Order", "Orders"), "action", False, "Sync"),
    ("Jobs by Assignee", ("Job", "Jobs"), "search", True, "Search jobs by assignee"),
])
def test_labels_are_derived_from_the_spec_label_and_the_resource(label, resource, kind, many, expected):
    operation = Operation.model_construct(key="x", kind=kind, label=label)
    assert module_label(operation, Resource(label=resource[0], plural=resource[1]), many) == expected
    assert sentence_case(expected)


def test_the_icon_is_the_logo_as_a_512_pixel_png(document, hellotracks, files):
    from connector_core.icons import png

    assert files["assets/icon.png"] == png(hellotracks.logo.svg, 512)
    files["assets/icon.png"] = png(hellotracks.logo.svg, 256)
    assert problems(document, files) == ["assets/icon.png: 256x256 pixels, not 512x512"]
    files["assets/icon.png"] = hellotracks.logo.svg.encode()
    assert problems(document, files) == ["assets/icon.png: not a PNG"]
