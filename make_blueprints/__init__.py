"""Make custom-app generator: one connector's runtime document -> a Make app in the VS Code
extension's local-development layout, with example scenario blueprints, and the checks that prove
it (Make's schemas, cross-references, the conformance corpus and the recorded cassettes rendered
through the generated templates)."""

from make_blueprints.app import generate

__all__ = ["generate"]
