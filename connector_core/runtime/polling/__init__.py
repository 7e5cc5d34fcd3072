"""Polling triggers: every event exactly once, one small request when nothing changed.

The rules are docs/polling.md's, stated by the corpus (cases/polling*.json) and shared with the
JS kernel (kernel/src/polling.js): `state` (the JSON state and the keys), `walk` (reading a set
page by page), `plans` (poll with state, the stateless window, the manual test's latest record).
"""

from connector_core.runtime.polling.plans import PollResult, latest_plan, poll_plan, window_plan
from connector_core.runtime.polling.state import (
    PollState,
    PollStateError,
    Walk,
    canonical_text,
    event_key,
    fingerprint,
    load_state,
    save_state,
)
from connector_core.runtime.polling.walk import page_query

__all__ = ["PollResult", "PollState", "PollStateError", "Walk", "canonical_text", "event_key", "fingerprint",
           "latest_plan", "load_state", "page_query", "poll_plan", "save_state", "window_plan"]
