"""The spec language and its loader."""

from connector_core.spec.loader import SpecError, bundled_connectors, default_connector, load_connector, load_spec
from connector_core.spec.models import Connector, Operation

__all__ = ["Connector", "Operation", "SpecError", "bundled_connectors", "default_connector", "load_connector",
           "load_spec"]
