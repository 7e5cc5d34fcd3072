"""Cells of the bounded simulation that a host's own documented rules cannot keep at 0 lost / 0 duplicated.

Keyed by (connector, scenario, trigger, platform); each reason is a constant of that platform's own
registry of limits, which docs/platforms.md repeats word for word:

- Make (make_blueprints/approximations.py, MAKE_TRIGGER_LIMITS): a Make trigger remembers one item
  (its date and id), not a cursor and a set of keys, so it cannot express `remember_ms` (a
  completed job edited later is a new item to Make), and it never outputs an item dated before the
  stored one. The generated trigger outputs an item only once it has settled, which keeps every
  late commit of a trigger with one event per record; one whose every version is an event cannot
  wait without merging versions. (Make's cap of 3,200 records a run is beyond the bounded sizes:
  the long run shows it.)
- Zapier (zapier_schema/trigger_limits.py, ZAPIER_TRIGGER_LIMITS): none in the bounded sizes. A poll
  keeps no walk, so it reads its whole window (without a cursor: the whole list) up to ten times
  `max_pages`; a window or list longer than that, or slower than Zapier's 30 seconds, is beyond it.

Each cell is a strict xfail: the day it passes, the test says so and it leaves this list.
"""

from __future__ import annotations

from make_blueprints.approximations import LATE_COMMITS, REMEMBERED_IDS

KNOWN_LIMITS: dict[tuple[str, str, str, str], str] = {
    **{("hellotracks", scenario, "completed_job", "make"): REMEMBERED_IDS
       for scenario in ("deletes_archives", "clock_ahead", "clock_behind", "fast_node", "steady")},
    **{("hellotracks", scenario, "updated_job", "make"): LATE_COMMITS for scenario in ("fast_node", "late_commits")},
}
