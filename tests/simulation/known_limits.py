"""Cells of the bounded simulation that a host's own documented rules cannot keep at 0 lost / 0 duplicated.

Keyed by (connector, scenario, trigger, platform); each reason must be a constant of that platform's
own registry of limits, which docs/platforms.md repeats word for word. None today:

- Make (make_blueprints/approximations.py, MAKE_TRIGGER_LIMITS) does not offer a trigger its one
  stored item cannot keep (`remember_ms`, `fingerprint`: make_blueprints/offer.py), so those cells
  skip with that reason; its cap of 3,200 records a run is beyond the bounded sizes (the long run
  and tests/make/test_simulation.py show it).
- Zapier (zapier_schema/trigger_limits.py, ZAPIER_TRIGGER_LIMITS): a poll keeps no walk, so it reads
  its whole window (without a cursor: the whole list) up to ten times `max_pages`; a window or list
  longer than that, or slower than Zapier's 30 seconds, is beyond the bounded sizes.

Each listed cell is a strict xfail: the day it passes, the test says so and it leaves this list.
"""

from __future__ import annotations

KNOWN_LIMITS: dict[tuple[str, str, str, str], str] = {}
