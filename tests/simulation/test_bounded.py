"""The bounded simulation: every connector x scenario x trigger x hosting platform, 0 lost, 0 duplicated,
0 unexpected; the connectors and triggers come from the specs."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from connector_core.platforms import platforms
from connector_core.runtime.polling.plans import WINDOW_BUDGET
from connector_core.simulation.run import PollerFactory, run
from connector_core.simulation.scenarios import SCENARIOS, scenario

from .conftest import Simulate, bounded, connector_triggers, has_cursor, hosting_platforms
from .known_limits import KNOWN_LIMITS

QUIET = ("quiet_180d", "quiet_7d")
STATEFUL = ("python", "n8n", "make")
# Hosts that hold a poll to `max_pages` and resume the walk at the next poll. Make's run reads every page
# up to the 3200 records one run reads (docs/platforms.md, `max_pages`), and Zapier's stateless poll, which
# cannot resume, reads its whole window (the list) up to WINDOW_BUDGET x max_pages.
PAGE_CAPPED = ("python", "n8n")
WITH_CURSOR = [pair for pair in connector_triggers() if has_cursor(*pair)]
WITHOUT_CURSOR = [pair for pair in connector_triggers() if not has_cursor(*pair)]


def cells() -> list[object]:
    """Every connector x scenario x trigger x platform; a cell a host's own rules cannot keep is a strict xfail."""
    return [pytest.param(connector, name, trigger, platform, id=f"{connector}-{name}-{trigger}-{platform}",
                         marks=[pytest.mark.xfail(strict=True, reason=KNOWN_LIMITS[key])]
                         if (key := (connector, name, trigger, platform)) in KNOWN_LIMITS else [])
            for connector, trigger in connector_triggers() for name in [s.name for s in SCENARIOS]
            for platform in platforms()]


def test_every_known_limit_is_a_cell() -> None:
    """A known limit that names no cell (a renamed scenario or trigger) would silently stop being checked."""
    keys = {(connector, name, trigger, platform) for connector, trigger in connector_triggers()
            for name in [s.name for s in SCENARIOS] for platform in platforms()}
    assert set(KNOWN_LIMITS) <= keys


@pytest.mark.parametrize(("connector", "name", "trigger", "platform"), cells())
def test_every_event_exactly_once(connector: str, name: str, trigger: str, platform: str,
                                  factories: dict[str, PollerFactory], simulate: Simulate) -> None:
    if platform not in factories:
        pytest.skip(f"{platform}: its plugin has no `poller` (connector_core.platforms.Polling): not simulated")
    tally = simulate(connector, name, trigger, platform).tally
    assert (tally.lost, tally.duplicated, tally.unexpected) == (0, 0, 0), tally.problems


@pytest.mark.parametrize("platform", [name for name in hosting_platforms() if name in STATEFUL])
@pytest.mark.parametrize(("connector", "trigger"), WITH_CURSOR)
@pytest.mark.parametrize("name", QUIET)
def test_quiet_poll_is_one_small_request(name: str, connector: str, trigger: str, platform: str,
                                         simulate: Simulate) -> None:
    quiet = simulate(connector, name, trigger, platform).costs(quiet=True)
    assert quiet, "the scenario has quiet polls"
    assert max(poll.requests for poll in quiet) == 1
    assert max(poll.bytes for poll in quiet) < 1024


@pytest.mark.parametrize("platform", [name for name in hosting_platforms() if name in PAGE_CAPPED])
@pytest.mark.parametrize(("connector", "trigger"), WITHOUT_CURSOR)
@pytest.mark.parametrize("name", QUIET)
def test_a_quiet_poll_without_a_cursor_costs_at_most_its_page_cap(name: str, connector: str, trigger: str,
                                                                   platform: str, simulate: Simulate) -> None:
    """docs/polling.md "Without a cursor": every poll pays for the list, at most `max_pages` requests."""
    quiet = simulate(connector, name, trigger, platform).costs(quiet=True)
    assert quiet, "the scenario has quiet polls"
    assert max(poll.requests for poll in quiet) <= bounded(connector)["operations"][trigger]["polling"]["max_pages"]


@pytest.mark.skipif("zapier" not in hosting_platforms(), reason="no zapier platform with a poller installed")
@pytest.mark.parametrize(("connector", "trigger"), WITHOUT_CURSOR)
@pytest.mark.parametrize("name", QUIET)
def test_a_stateless_quiet_poll_without_a_cursor_reads_the_list_within_the_window_budget(
        name: str, connector: str, trigger: str, simulate: Simulate) -> None:
    """docs/polling.md rule 5: a stateless poll cannot resume, so its window is the whole list, read to a
    short page; only WINDOW_BUDGET x max_pages stops it (the quiet scenarios list more than that)."""
    quiet = simulate(connector, name, trigger, "zapier").costs(quiet=True)
    assert quiet, "the scenario has quiet polls"
    cap = bounded(connector)["operations"][trigger]["polling"]["max_pages"]
    assert max(poll.requests for poll in quiet) == WINDOW_BUDGET * cap


@pytest.mark.skipif("zapier" not in hosting_platforms(), reason="no zapier platform with a poller installed")
@pytest.mark.parametrize(("connector", "trigger"), WITH_CURSOR)
@pytest.mark.parametrize("name", QUIET)
def test_zapier_quiet_poll_reads_25_times_fewer_bytes_than_peers(name: str, connector: str, trigger: str,
                                                                 simulate: Simulate) -> None:
    ours = simulate(connector, name, trigger, "zapier").costs(quiet=True)
    peers = simulate(connector, name, trigger, "peers").costs(quiet=True)
    assert ours and peers
    assert 25 * max(poll.bytes for poll in ours) <= min(poll.bytes for poll in peers)


def other_paging(paging: dict[str, Any]) -> dict[str, Any]:
    """The same page size in the same place, by the other style (offset <-> page number)."""
    place = {"page_size": paging["page_size"], "in": paging.get("in", "query")}
    if paging["style"] == "offset":
        return {"style": "page", "page_param": "page", "size_param": "size", "first_page": 1, **place}
    return {"style": "offset", "offset_param": "skip", "limit_param": "limit", **place}


@pytest.mark.skipif("python" not in hosting_platforms(), reason="the python platform hosts no trigger")
@pytest.mark.parametrize(("connector", "trigger"), connector_triggers())
def test_the_other_paging_style_end_to_end(connector: str, trigger: str, factories: dict[str, PollerFactory]) -> None:
    """The same capped burst through an API that pages by the other style (page number <-> offset)."""
    paged = copy.deepcopy(bounded(connector))
    for operation in paged["operations"].values():
        if operation.get("kind") == "trigger":
            operation["polling"]["pagination"] = other_paging(operation["polling"]["pagination"])
    tally = run(scenario("burst_cap"), paged, trigger, "python", factories["python"]).tally
    assert tally.expected > 0
    assert (tally.lost, tally.duplicated, tally.unexpected) == (0, 0, 0), tally.problems
