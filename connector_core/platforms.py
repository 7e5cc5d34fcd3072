"""The one interface between the core and a platform (Zapier, Make, n8n, ...), and discovery.

A platform is a small object registered under the Python entry-point group
`connectors.platforms` (see pyproject.toml). The core never imports a platform package: `build`,
`check` and `verify` find them here. A platform generates its artifact from the connector's
runtime document (a pure function: same document, same bytes), checks a generated artifact with
its own validators, runs recorded cases through its artifact against the replay server, and
judges each case's outcome. A platform that can host a polling trigger live also implements
`Polling.poller` (optional: the trigger simulation skips a platform without it, and says so);
`Declining.declined`, `Expecting.expected` and `Preview.form` are optional too (operations it leaves
out, verify's field diffs, the report's forms).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from connector_core.cassettes.cases import Outcome, RecordedCase
from connector_core.cassettes.replay import CaseReport, ReplayServer
from connector_core.simulation.poller import Poller
from connector_core.spec.models import Connector

ENTRY_POINT_GROUP = "connectors.platforms"


@runtime_checkable
class Platform(Protocol):
    name: str    # the column in `connectors verify` and the folder under dist/
    order: int   # columns and builds run in ascending order
    note: str    # how this platform checks, appended to each verify cell ("" when it executes)

    def generate(self, document: dict[str, Any]) -> dict[str, str | bytes]:
        """The artifact's files (relative path -> text, or bytes for an icon) for one runtime document."""

    def directory(self, document: dict[str, Any]) -> str:
        """The folder under `dist/<platform>/` that holds this connector's artifact."""

    def check(self, document: dict[str, Any], folder: Path) -> list[str]:
        """Every problem the platform's own validators find in the artifact written to `folder`."""

    def run(self, connector: Connector, cases: list[RecordedCase], replay: ReplayServer) -> dict[str, Outcome]:
        """Run every case through this platform's artifact against `replay`; outcome by case name."""

    def judge(self, case: RecordedCase, outcome: Outcome | None, report: CaseReport) -> list[str]:
        """What is wrong with this case's run; an empty list when it passes."""


@runtime_checkable
class Polling(Protocol):
    """The optional part of a platform: host one trigger live, for the trigger simulation.

    Kept apart from `Platform` so a platform without it is still a platform; the simulation checks
    `isinstance(platform, Polling)` and skips (with a note) a platform that cannot host a trigger.
    """

    def poller(self, document: dict[str, Any], trigger: str, base_url: str, connection: dict[str, str],
               workdir: Path) -> Poller:
        """The trigger `trigger` of `document` switched off in this platform's host, polling `base_url`.

        connection: the connection's field values (e.g. {"api_key": ...}); workdir: a scratch folder the
        simulation owns, for built artifacts. Node hosts run one long-lived child process per poller
        whose `Date.now` is the `now_ms` each call is given.
        """


@runtime_checkable
class Declining(Protocol):
    """Optional: the operations this platform's artifact leaves out, and why.

    A platform whose own rules cannot keep an operation's promise (a trigger its host would run with
    events lost or repeated) leaves it out rather than approximate it, and says why in its artifact.
    `connectors verify` shows such a cell as not offered, with the reason; the trigger simulation
    does not host it (the poller raises `NotOffered`).
    """

    def declined(self, document: dict[str, Any]) -> dict[str, str]:
        """Operation key -> why the artifact of `document` does not offer it (the platform's words)."""


class NotOffered(Exception):
    """A platform asked to host an operation it declines (`Declining`); the message says why."""


def declined_by(column: object, document: dict[str, Any]) -> dict[str, str]:
    """What `column` declines of `document`: nothing for a platform that declines nothing."""
    return column.declined(document) if isinstance(column, Declining) else {}


@runtime_checkable
class Expecting(Protocol):
    """Optional: the outcome this platform must produce for a case, in its own shape.

    A platform that shapes results its own way (Zapier's search answers a one-item list, n8n's
    "nothing new" is null) says what it expected, so a failing case's field diff compares like
    with like. Without it, verify diffs against the recorded outcome.
    """

    def expected(self, case: RecordedCase) -> Outcome | None:
        """The outcome `case` must have on this platform (after `run`); None when it is not run here."""


@dataclass(frozen=True)
class FormField:
    """One field a user fills in, as a platform's editor shows it (read from the generated artifact).

    kind: the platform's own field type; choices: a fixed dropdown's labels; source: where a
    dynamic dropdown, search or resource locator gets its values, in the platform's own words.
    """

    key: str
    label: str
    required: bool
    help: str = ""
    kind: str = ""
    choices: tuple[str, ...] = ()
    source: str = ""


@runtime_checkable
class Preview(Protocol):
    """Optional: the form of an operation on this platform, in its order, for `connectors report`."""

    def form(self, document: dict[str, Any], operation_key: str) -> list[FormField] | None:
        """The fields of `operation_key` as the generated artifact presents them (for the connection's
        test, the connection's fields); None when this platform does not offer the operation."""


@runtime_checkable
class Tooled(Protocol):
    """The optional part of a platform whose validators need tools outside Python (a Node toolchain,
    a third party's schemas). `connectors check` asks every platform first, so a missing tool is one
    line saying how to install it before anything runs, and a remembered pass names the tools it saw.
    """

    def check_tools(self) -> list[Path]:
        """The files and folders `check` reads besides the artifact (a lock file, a schema folder);
        raises connector_core.toolchains.ToolchainMissing, saying how to install them, when missing."""


class UnknownPlatform(KeyError):
    """A platform name that no installed package registers."""


@functools.lru_cache(maxsize=1)
def _registered() -> tuple[tuple[str, Any], ...]:
    found = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        platform = entry.load()()
        if platform.name != entry.name:
            raise RuntimeError(f"entry point {entry.name!r} loads a platform named {platform.name!r}")
        found.append((entry.name, platform))
    return tuple(sorted(found, key=lambda item: (item[1].order, item[0])))


def platforms() -> dict[str, Platform]:
    """Every registered platform by name, in column order (fresh objects are not needed: they are stateless
    apart from what `run` remembers for `judge`, so each verify asks `platform()` for its own)."""
    return dict(_registered())


def platform_names() -> list[str]:
    return [name for name, _ in _registered()]


def platform(name: str) -> Platform:
    """A new instance of the named platform (a judge may remember state from its run)."""
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name == name:
            return entry.load()()
    raise UnknownPlatform(f"no platform named {name!r} (registered: {', '.join(platform_names()) or 'none'})")
