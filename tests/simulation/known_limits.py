"""Cells of the bounded simulation that a host's own documented rules cannot keep at 0 lost / 0 duplicated.

Only Make is here: a Make trigger remembers one item (its date and id), not a cursor and a set of
keys, so it cannot express `remember_ms` (a completed job edited later is a new item to Make), and
an item stamped before the stored one is never output (a fast server node, a client clock ahead at
"From now on"). The reasons are Make's own registry (make_blueprints/approximations.py), which the
docs repeat. Each cell is a strict xfail: the day it passes, the test says so and it leaves this list.
"""

from __future__ import annotations

from make_blueprints.approximations import CLOCK_SKEW, LATE_COMMITS, REMEMBERED_IDS

KNOWN_LIMITS: dict[tuple[str, str, str], str] = {
    **{(scenario, "completed_job", "make"): REMEMBERED_IDS
       for scenario in ("deletes_archives", "clock_ahead", "clock_behind", "fast_node", "steady")},
    ("clock_ahead", "new_job", "make"): CLOCK_SKEW,
    ("clock_ahead", "updated_job", "make"): CLOCK_SKEW,
    ("fast_node", "new_job", "make"): LATE_COMMITS,
    ("fast_node", "updated_job", "make"): LATE_COMMITS,
}
