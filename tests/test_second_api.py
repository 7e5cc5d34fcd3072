"""A second API is one folder: the sandbox serves it, the recorder records it, replay and verify check it.

The folder (tests/fixtures/apis/widgets) has its own auth header with a `Token {token}` value,
its own error shape (`fault.detail`), base path and wording; nothing in the engine knows any of
them. For these tests it is bundled next to the real APIs.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

import connector_core.apis
from connector_core.cassettes.recording import record
from connector_core.cassettes.replay import MISMATCH_STATUS, ReplayServer
from connector_core.cassettes.verify import verify
from connector_core.cli import main
from connector_core.sandbox import DEFAULT_API_KEY, NoSandbox, Sandbox
from connector_core.spec import bundled_connectors, load_connector
from tests.conftest import FIXTURES

TOKEN = {"X-Widget-Token": f"Token {DEFAULT_API_KEY}"}


@pytest.fixture
def apis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The bundled APIs plus the test API, as one folder of API folders."""
    folder = tmp_path / "apis"
    shutil.copytree(FIXTURES / "apis", folder)
    for name in bundled_connectors():
        (folder / name).symlink_to(connector_core.apis.APIS_DIR / name, target_is_directory=True)
    monkeypatch.setattr(connector_core.apis, "APIS_DIR", folder)
    monkeypatch.setattr(connector_core.apis, "__path__", [str(folder)])
    load_connector.cache_clear()
    yield folder
    load_connector.cache_clear()
    for module in [name for name in sys.modules if name.startswith("connector_core.apis.widgets")]:
        del sys.modules[module]
    vars(connector_core.apis).pop("widgets", None)


def test_the_sandbox_serves_the_second_api_in_its_own_words(apis: Path) -> None:
    assert "widgets" in bundled_connectors()
    with Sandbox("widgets", deterministic=True) as sandbox, httpx.Client(base_url=sandbox.base_url) as client:
        assert sandbox.base_url.endswith("/api/v2")
        whoami = client.get("/me", headers=TOKEN)
        assert (whoami.status_code, whoami.json()) == (200, {"shop": "Widget Works"})
        assert whoami.headers["server"] == "WidgetSandbox/1.0"
        assert client.get("/me", headers={"X-Widget-Token": DEFAULT_API_KEY}).json() == {
            "fault": {"detail": "That token opens no widget shop."}}  # the value template's "Token " is required
        assert client.get("/me", headers={"API-Key": DEFAULT_API_KEY}).json() == {
            "fault": {"detail": "Missing X-Widget-Token header."}}
        assert client.get("/widgets/nope", headers=TOKEN).json() == {"fault": {"detail": "No widget nope."}}
        assert client.get("/gadgets", headers=TOKEN).json() == {"fault": {"detail": "Not found: GET /api/v2/gadgets"}}
        made = client.post("/widgets", json={"name": "Cog"}, headers=TOKEN).json()["widget"]
        assert made == {"id": "000000000000000000000001", "name": "Cog", "madeAt": 1777540000000}
        httpx.post(sandbox.root_url + "/_sandbox/faults", json={"status": 503})
        assert client.get("/me", headers=TOKEN).json() == {"fault": {"detail": "Widgets are resting."}}
        assert httpx.post(sandbox.root_url + "/_sandbox/reset").json() == {"data": {}}
        assert client.get(f"/widgets/{made['id']}", headers=TOKEN).status_code == 404
        assert client.get("/me", headers=TOKEN).json() == {"shop": "Widget Works"}  # the seed row is back


def test_record_replay_and_verify_the_second_api(apis: Path, tmp_path: Path) -> None:
    out = tmp_path / "cassettes"
    index = record("widgets", out, api_key="widget-secret-93c1")
    assert [case.name for case in index.cases] == ["whoami", "whoami_bad_token", "create_widget", "get_widget",
                                                   "get_widget_missing", "get_widget_unavailable"]
    everything = "".join(path.read_text() for path in out.iterdir())
    assert "widget-secret-93c1" not in everything and "wrong-widget-token" not in everything
    headers = yaml.safe_load((out / "whoami.yaml").read_text())["interactions"][0]["request"]["headers"]
    assert headers["X-Widget-Token"] == ["REDACTED"]
    outcomes = {case.name: case.outcome for case in index.cases}
    assert outcomes["whoami"].output == {"shop": "Widget Works"}
    missing = outcomes["get_widget_missing"]
    assert (missing.status, missing.output, missing.error) == ("ok", None, None)  # a search's 404: nothing found
    assert outcomes["get_widget_unavailable"].error["message"] == "Widgets are resting."
    assert outcomes["whoami_bad_token"].error["message"] == "That token opens no widget shop."

    cells = verify(out, ["python"])
    assert {cell.operation: cell.status for cell in cells} == {
        "whoami": "pass", "create_widget": "pass", "get_widget": "pass"}, [cell.detail for cell in cells]

    with ReplayServer(out) as replay:
        url = replay.base_url("whoami") + "/me"
        assert url.endswith("/whoami/api/v2/me")
        refused = httpx.get(url, headers={"API-Key": replay.api_key})
        assert refused.status_code == MISMATCH_STATUS and "cassette replay" in refused.json()["fault"]["detail"]
        assert "X-Widget-Token missing" in replay.report("whoami").mismatches[0]
        assert httpx.get(url, headers={"X-Widget-Token": f"Token {replay.api_key}"}).json() == {"shop": "Widget Works"}


def test_with_several_apis_bundled_the_connector_must_be_named(apis: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match="name the one"):
        Sandbox()
    with pytest.raises(SystemExit) as exited:
        main(["record"])
    assert exited.value.code == 2 and "--connector" in capsys.readouterr().err


def test_an_api_without_a_sandbox_cannot_be_served(apis: Path, capsys: pytest.CaptureFixture[str]) -> None:
    quiet = apis / "quiet"
    quiet.mkdir()
    (quiet / "spec.yaml").write_text((apis / "widgets" / "spec.yaml").read_text().replace("name: widgets", "name: quiet"))
    with pytest.raises(NoSandbox, match="quiet"):
        Sandbox("quiet")
    assert main(["sandbox", "--connector", "quiet"]) == 2
    assert "has no sandbox personality" in capsys.readouterr().err
