"""The bounded simulation: every scenario x trigger x hosting platform, 0 lost, 0 duplicated, 0 unexpected."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from connector_core.platforms import platforms
from connector_core.simulation.run import Outcome, PollerFactory, run
from connector_core.simulation.scenarios import SCENARIOS, scenario

from .conftest import hosting_platforms, trigger_keys
from .known_limits import KNOWN_LIMITS

QUIET = ("quiet_180d", "quiet_7d")
STATEFUL = ("python", "n8n", "make")
Simulate = Callable[[str, str, str], Outcome]


def cells() -> list[object]:
    """Every scenario x trigger x platform; a cell a host's own rules cannot keep is a strict xfail."""
    return [pytest.param(name, trigger, platform, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_LIMITS[key])]
                         if (key := (name, trigger, platform)) in KNOWN_LIMITS else [])
            for name in [s.name for s in SCENARIOS] for trigger in trigger_keys() for platform in platforms()]


@pytest.mark.parametrize(("name", "trigger", "platform"), cells())
def test_every_event_exactly_once(name: str, trigger: str, platform: str, factories: dict[str, PollerFactory],
                                  simulate: Simulate) -> None:
    if platform not in factories:
        pytest.skip(f"{platform}: its plugin has no `poller` (connector_core.platforms.Polling): not simulated")
    tally = simulate(name, trigger, platform).tally
    assert (tally.lost, tally.duplicated, tally.unexpected) == (0, 0, 0), tally.problems


@pytest.mark.parametrize("platform", [name for name in hosting_platforms() if name in STATEFUL])
@pytest.mark.parametrize("trigger", trigger_keys())
@pytest.mark.parametrize("name", QUIET)
def test_quiet_poll_is_one_small_request(name: str, trigger: str, platform: str, simulate: Simulate) -> None:
    quiet = simulate(name, trigger, platform).costs(quiet=True)
    assert quiet, "the scenario has quiet polls"
    assert max(poll.requests for poll in quiet) == 1
    assert max(poll.bytes for poll in quiet) < 1024


@pytest.mark.skipif("zapier" not in hosting_platforms(), reason="no zapier platform with a poller installed")
@pytest.mark.parametrize("trigger", trigger_keys())
@pytest.mark.parametrize("name", QUIET)
def test_zapier_quiet_poll_reads_25_times_fewer_bytes_than_peers(name: str, trigger: str, simulate: Simulate) -> None:
    ours = simulate(name, trigger, "zapier").costs(quiet=True)
    peers = simulate(name, trigger, "peers").costs(quiet=True)
    assert ours and peers
    assert 25 * max(poll.bytes for poll in ours) <= min(poll.bytes for poll in peers)



@pytest.mark.skipif("python" not in hosting_platforms(), reason="the python platform hosts no trigger")
@pytest.mark.parametrize("trigger", trigger_keys())
def test_page_number_paging_end_to_end(trigger: str, document: dict[str, Any], factories: dict[str, PollerFactory]) -> None:
    """The same capped burst through an API that pages by page number instead of offset."""
    paged = copy.deepcopy(document)
    for operation in paged["operations"].values():
        if operation.get("kind") == "trigger":
            operation["polling"]["pagination"] = {"style": "page", "page_param": "page", "size_param": "size",
                                                  "page_size": 100, "first_page": 1}
    tally = run(scenario("burst_cap"), paged, trigger, "python", factories["python"]).tally
    assert tally.expected > 0
    assert (tally.lost, tally.duplicated, tally.unexpected) == (0, 0, 0), tally.problems
