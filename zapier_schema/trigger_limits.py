"""The one registry of the polling rules Zapier's own trigger semantics cannot keep, and why.

Zapier runs a trigger without state and dedupes on the primary keys (zapier_schema/simulation.py
runs it so); docs/platforms.md, "Zapier triggers", words each limit exactly as here, and the
trigger simulation's known limits (tests/simulation/known_limits.py) cite these constants.
"""

from __future__ import annotations

FINGERPRINT = ("not expressible: an item is its primary keys, so a change that keeps them is one item to Zapier; "
               "two changes of one job in the same millisecond (same `id` and `updatedAt`) fire once")
REMEMBERED_KEYS = ("not expressible: Zapier remembers every key while the Zap is on, so a job completed again after "
                   "30 days does not fire again; after the Zap is switched off and on, a job completed before and "
                   "edited after fires again")
CRASH = ("a poll that fails or dies fires nothing and stores nothing; the next poll's window reaches two intervals "
         "back, so it fires what one failed poll missed, not what two failed polls in a row missed")
PAGE_BUDGET = ("a window poll cannot resume, so it reads its whole window (without a cursor: the whole list), "
               "which must fit in ten times `max_pages` pages and in Zapier's 30 seconds per poll")

ZAPIER_TRIGGER_LIMITS: dict[str, str] = {
    "fingerprint (rule 4)": FINGERPRINT,
    "remember_ms (rule 4)": REMEMBERED_KEYS,
    "crash safety (rule 9)": CRASH,
    "a poll's page budget (rules 2 and 5)": PAGE_BUDGET,
}
