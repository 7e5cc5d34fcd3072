"""Zapier's own verdict on a written app, for `connectors check`.

First zapier-platform-schema on the definition, as a whole and per operation (harness/validate.js:
a missing sample is caught only per operation); when it finds nothing, `zapier-platform validate
--without-style` on a scratch copy with the toolchain linked in, as `zapier push` would run it: the
same structural checks, and the app loaded the way Zapier loads it (index.js and what it requires).
The style checks need Zapier's servers, so they are not run (docs/platform-notes.md).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from connector_core.build import read_folder
from zapier_schema.execution import validate_definition
from zapier_schema.toolchain import ZAPIER

TAIL = 4000  # enough of the CLI's output to act on
PASSED = "No structural errors found"


def app_problems(folder: Path) -> list[str]:
    """Every problem Zapier's schema and CLI find in the app written to `folder`."""
    if not (folder / "definition.json").is_file():
        return [f"{folder}: no definition.json (run `connectors build`)"]
    report = validate_definition(folder / "definition.json")
    problems = [f"{part}: {problem}" for part, problems in report.items() for problem in problems]
    return problems or cli_problems(folder)


def cli_problems(folder: Path) -> list[str]:
    files = read_folder(folder, skip=("node_modules",))
    with tempfile.TemporaryDirectory(prefix="zapier-check-") as scratch:
        app = ZAPIER.write_package(files, Path(scratch) / folder.name)
        done = ZAPIER.run([str(ZAPIER.bin / "zapier-platform"), "validate", "--without-style"], cwd=app)
    if done.returncode == 0 and PASSED in done.stdout:
        return []
    return [f"zapier-platform validate --without-style failed:\n{(done.stdout + done.stderr).strip()[-TAIL:]}"]
