"""Make custom-app generator: one connector spec -> a Make app in the VS Code extension's
local-development layout, with example scenario blueprints, and the checks that prove it
(schema validation, cross-references, rendering against the recorded cassettes)."""

from make_blueprints.app import generate

__all__ = ["generate"]
