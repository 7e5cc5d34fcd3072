"""`connectors report`: verify's matrix as one self-contained HTML page (inline CSS and JS, no network).

The page shows the operations × platforms matrix (a click on a cell opens its cases), each failing
case's field diff (recorded against what the platform produced), and per operation the form a user
fills in on each platform that offers a `Preview` (connector_core.platforms), read from that
platform's generated artifact. The same cells and artifacts give the same bytes: no timestamp.
"""

from __future__ import annotations

from pathlib import Path

from connector_core.cassettes.verify import Cell
from connector_core.document import runtime_document
from connector_core.report.forms import operation_forms
from connector_core.report.page import render_page
from connector_core.spec import load_connector

__all__ = ["render_report", "write_report"]


def render_report(cells: list[Cell]) -> str:
    """The page for verify's `cells` (one connector's)."""
    connectors = {cell.connector for cell in cells}
    if len(connectors) != 1:
        raise ValueError(f"a report is of one connector's cells, not of {sorted(connectors)}")
    document = runtime_document(load_connector(connectors.pop()))
    return render_page(document, cells, operation_forms(document))


def write_report(path: Path, cells: list[Cell]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(cells), encoding="utf-8")
