"""The suite runs with the network blocked except loopback (pytest-socket), as `make test` promises."""

from __future__ import annotations


def test_only_loopback_hosts_are_allowed(pytestconfig):
    allowed = set(pytestconfig.getoption("allow_hosts").split(","))
    assert allowed == {"127.0.0.1", "::1", "localhost"}

