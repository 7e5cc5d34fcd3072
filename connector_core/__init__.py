"""connector_core: the spec language, the runtime, the sandbox, cassettes and the CLI."""

from connector_core.runtime import AsyncClient, Client, PollState
from connector_core.spec import Connector, SpecError, load_connector, load_spec

__all__ = ["AsyncClient", "Client", "Connector", "PollState", "SpecError", "load_connector", "load_spec"]
