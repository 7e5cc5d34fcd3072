"""Which spec operations the Make app leaves out, and why.

Make runs a polling trigger on one stored item, its date and id. A trigger whose promise needs more
than that state (a set of remembered ids, or every version of a record as an event) would lose or
repeat events in Make, which no template can avoid (docs/platforms.md, "Make triggers"). The app
leaves such a trigger out and its README says why, in the words of `MAKE_TRIGGER_LIMITS`: a trigger
users cannot trust is not offered in place of one they can. Every other operation is a module.
"""

from __future__ import annotations

from connector_core.spec.models import Connector, Operation
from make_blueprints.approximations import FINGERPRINT, NOT_OFFERED, REMEMBERED_IDS


def declined(operation: Operation) -> str | None:
    """Why Make does not offer `operation`; None when it does."""
    polling = operation.polling
    if polling is None:
        return None
    if polling.fingerprint:
        return FINGERPRINT
    if polling.remember_ms:
        return REMEMBERED_IDS
    return None


def declined_operations(connector: Connector) -> dict[str, str]:
    """Operation key -> why Make does not offer it (after the registry's "not offered: "), in spec order."""
    return {key: why.removeprefix(NOT_OFFERED) for key, operation in connector.operations.items()
            if (why := declined(operation)) is not None}
