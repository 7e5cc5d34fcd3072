"""Every connector with a trigger has a timeline personality that plays every scripted change:
a new API cannot silently skip the simulation."""

from __future__ import annotations

import importlib.util

import pytest

from connector_core.simulation.script import CHANGES
from connector_core.simulation.shape import ApiShape, personality_module, simulated_connectors
from connector_core.simulation.timeline import Timeline

from .conftest import bounded

T = 1_767_571_200_000


@pytest.mark.parametrize("connector", simulated_connectors())
def test_a_connector_with_a_trigger_has_a_timeline_personality(connector: str) -> None:
    assert importlib.util.find_spec(personality_module(connector)) is not None, (
        f"{connector} has a trigger but no connector_core/apis/{connector}/timeline.py: the simulation cannot play it")


@pytest.mark.parametrize("connector", simulated_connectors())
@pytest.mark.parametrize("change", CHANGES)
def test_every_change_makes_a_new_version(connector: str, change: str) -> None:
    """Each scripted change is a write the API shows (or hides): a new version with different content."""
    timeline = Timeline(ApiShape.of(bounded(connector)), T)
    first = timeline.create()
    timeline.now += 1000
    changed = timeline.change(first.record, change)
    assert changed.content != first.content
    assert changed.content[timeline.shape.key_field] == first.content[timeline.shape.key_field]
