"""Hostile servers on loopback, to prove a runtime survives them (issue #13, docs/reliability.md).

`FAULT_KINDS` names every fault; `FaultServer` plays one over real HTTP; `expected` says what a
correct client does with it; `success_body` is an operation's good answer, which most faults
withhold, cut or bend; `secret_forms` and `leaked_forms` are the one leak oracle (every form a
secret can take, and which of them a text holds). Engine code: it names no API and no platform.
"""

from connector_core.faults.bodies import success_body
from connector_core.faults.expectations import Expectation, expected
from connector_core.faults.kinds import FAULT_KINDS, FaultKind
from connector_core.faults.leaks import leaked_forms, secret_forms
from connector_core.faults.server import FaultServer, Received

__all__ = ["FAULT_KINDS", "Expectation", "FaultKind", "FaultServer", "Received", "expected", "leaked_forms",
           "secret_forms", "success_body"]
