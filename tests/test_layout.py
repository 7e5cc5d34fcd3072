"""The core names no platform and no API: platforms come from the registry, APIs from their folders."""

from __future__ import annotations

import ast
import json
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any, ClassVar

import pytest

import connector_core.platforms as registry
from connector_core.build import build
from connector_core.cassettes.cases import Outcome, RecordedCase, load_index
from connector_core.cassettes.replay import CaseReport, ReplayServer
from connector_core.cassettes.verify import verify
from connector_core.platforms import ENTRY_POINT_GROUP, Platform, platform_names, platforms
from connector_core.spec import Connector, bundled_connectors
from tests.conftest import CASSETTES, ROOT

CORE = ROOT / "connector_core"
APIS = CORE / "apis"


def platform_packages() -> set[str]:
    """The top-level packages that register platforms, apart from the core itself."""
    return {entry.value.split(".")[0] for entry in entry_points(group=ENTRY_POINT_GROUP)} - {"connector_core"}


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_core_imports_no_platform_package() -> None:
    packages = platform_packages()
    assert {"zapier_schema", "make_blueprints", "n8n_bridge"} <= packages  # the check has something to find
    offenders = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in CORE.rglob("*.py") for module in imported_modules(path)
        if module.split(".")[0] in packages
    }
    assert offenders == set()


def engine_files() -> list[Path]:
    """Every file of the core outside the API folders (generated and installed files aside)."""
    skipped = {"__pycache__", "node_modules"}
    return [path for path in CORE.rglob("*")
            if path.is_file() and APIS not in path.parents and not skipped & set(path.parts)]


def test_no_file_outside_the_api_folders_names_a_bundled_api() -> None:
    names = bundled_connectors()
    assert names and all((APIS / name / "spec.yaml").is_file() for name in names)
    files = engine_files()
    assert any(path.name == "api.py" for path in files)  # the sandbox engine is scanned
    offenders = [f"{path.relative_to(ROOT)}: {name}" for path in files
                 for name in names if name.lower() in path.read_text(encoding="utf-8", errors="replace").lower()]
    assert offenders == []


def test_every_registered_platform_follows_the_interface_python_first() -> None:
    registered = {entry.name for entry in entry_points(group=ENTRY_POINT_GROUP)}
    assert set(platform_names()) == registered and platform_names()[0] == "python"
    orders = [platform.order for platform in platforms().values()]
    assert orders == sorted(orders)
    for name, platform in platforms().items():
        assert isinstance(platform, Platform), name
        assert platform.name == name and isinstance(platform.note, str)


# --- build and verify take their platforms from the registry ------------------------------------


class ProbePlatform:
    """A platform only these tests register: it writes one file and passes a case when it is asked to."""

    name = "probe"
    order = 15
    note = " (probe)"
    ran: ClassVar[list[str]] = []

    def generate(self, document: dict[str, Any]) -> dict[str, str]:
        return {"operations.json": json.dumps(sorted(document["operations"])) + "\n"}

    def directory(self, document: dict[str, Any]) -> str:
        return f"{document['name']}-probe"

    def check(self, document: dict[str, Any], folder: Path) -> list[str]:
        return [] if (folder / "operations.json").is_file() else ["operations.json missing"]

    def run(self, connector: Connector, cases: list[RecordedCase], replay: ReplayServer) -> dict[str, Outcome]:
        self.ran.extend(case.name for case in cases)
        return {case.name: case.outcome for case in cases}

    def judge(self, case: RecordedCase, outcome: Outcome | None, report: CaseReport) -> list[str]:
        return [] if outcome == case.outcome else [f"{case.name}: not the recorded outcome"]


@pytest.fixture
def probe_registry(monkeypatch: pytest.MonkeyPatch):
    """The registry as entry points would give it if only python and the probe were installed."""
    entries = [EntryPoint("probe", f"{__name__}:ProbePlatform", ENTRY_POINT_GROUP),
               EntryPoint("python", "connector_core.cassettes.verify:PythonPlatform", ENTRY_POINT_GROUP)]
    monkeypatch.setattr(registry, "entry_points", lambda group: [e for e in entries if e.group == group])
    registry._registered.cache_clear()
    ProbePlatform.ran.clear()
    yield
    registry._registered.cache_clear()


def test_build_writes_each_registered_platform_into_its_directory(probe_registry: None, tmp_path: Path,
                                                                   hellotracks: Connector) -> None:
    written = {path.relative_to(tmp_path).as_posix() for path in build(tmp_path)}
    folder = tmp_path / "probe" / "hellotracks-probe"
    assert json.loads((folder / "operations.json").read_text()) == sorted(hellotracks.operations)
    assert ProbePlatform().check({}, folder) == []
    assert {path.split("/")[0] for path in written} == {"spec", "probe"}  # python runs from the spec itself
    assert not (tmp_path / "python").exists()


def test_verify_has_a_column_per_registered_platform_in_order(probe_registry: None) -> None:
    cells = verify(CASSETTES)
    assert list(dict.fromkeys(cell.platform for cell in cells)) == ["python", "probe"]
    probe = [cell for cell in cells if cell.platform == "probe"]
    assert probe and all(cell.status == "pass" and cell.detail.endswith(" (probe)") for cell in probe)
    assert sorted(ProbePlatform.ran) == sorted(case.name for case in load_index(CASSETTES).cases)
