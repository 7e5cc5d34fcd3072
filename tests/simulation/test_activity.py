"""When a record counts as before, across or after an activation (EXPECTED.md), on each clock."""

from __future__ import annotations

from connector_core.simulation.expectations import Activity

ON, OFF, AGAIN = 1_000_000, 2_000_000, 3_000_000
SKEW = 60_000   # the host's clock a minute ahead of the server's


def test_on_the_server_s_clock_the_switch_on_instant_decides():
    activity = Activity(((ON, OFF), (AGAIN, None)), ())
    assert activity.state_at(ON, ON + 5) == "before"          # committed by then, however stamped
    assert activity.state_at(ON + 1, ON - 1) == "edge"        # stamped before, committed after: a late commit
    assert activity.state_at(ON + 1, ON + 1) == "active"
    assert activity.state_at(OFF + 1, OFF + 1) == "paused"
    assert activity.state_at(AGAIN + 1, AGAIN - 1) == "edge"


def test_a_host_dating_its_baseline_by_its_own_clock_straddles_by_that_date_at_the_first_switch_on_only():
    ahead = Activity(((ON, OFF), (AGAIN, None)), (), host_baseline=SKEW)
    assert ahead.state_at(ON + 1, ON + SKEW) == "edge"        # committed after, stamped before the host's date
    assert ahead.state_at(ON + 1, ON + SKEW + 1) == "active"
    assert ahead.state_at(AGAIN + 1, AGAIN + 1) == "active"   # switching on again resumes: no new date
    behind = Activity(((ON, None),), (), host_baseline=-SKEW)
    assert behind.state_at(ON, ON - SKEW + 1) == "edge"       # committed before, stamped after the host's date
    assert behind.state_at(ON, ON - SKEW) == "before"
    assert behind.state_at(ON + 1, ON - SKEW + 1) == "edge"   # and a late commit still straddles
