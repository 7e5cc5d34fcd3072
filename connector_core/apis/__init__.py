"""The bundled APIs: one folder per API, holding everything that is about that API and nothing else.

`apis/<name>/spec.yaml` is the connector spec, `cases.yaml` what `connectors record` records, and
the `sandbox` module (or package) the sandbox's personality: the API's endpoints, data and
wording, which the sandbox engine (`connector_core.sandbox`) serves. Cassettes live outside the
package, in `tests/cassettes/<name>/`. Adding an API is adding a folder; no engine code changes.
"""

from __future__ import annotations

from pathlib import Path

APIS_DIR = Path(__file__).resolve().parent
SPEC_FILE = "spec.yaml"
CASES_FILE = "cases.yaml"


def api_dir(name: str) -> Path:
    """The folder of one API (which may not exist: callers say what is missing)."""
    return APIS_DIR / name


def bundled_apis() -> list[str]:
    """Every API folder that holds a spec, by name."""
    return sorted(path.parent.name for path in APIS_DIR.glob(f"*/{SPEC_FILE}"))


def sandbox_module(name: str) -> str:
    """The import path of an API's sandbox personality, by convention its folder's `sandbox`."""
    return f"{__name__}.{name}.sandbox"
