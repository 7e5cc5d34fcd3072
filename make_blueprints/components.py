"""A generated Make app, parsed: each component's code at hand for rendering."""

from __future__ import annotations

import json
from typing import Any

from make_blueprints.render import Component
from make_blueprints.schemas import strip_comments


class GeneratedApp:
    """The generated files, parsed, with each component's code at hand."""

    def __init__(self, files: dict[str, str | bytes]) -> None:
        self.files = files
        self.manifest = json.loads(files["makecomapp.json"])
        self.modules: dict[str, Any] = self.manifest["components"]["module"]
        self.base = self._load(self.manifest["generalCodeFiles"]["base"])

    def _load(self, path: str) -> Any:
        return json.loads(strip_comments(str(self.files[path])))

    def code(self, kind: str, name: str, code: str) -> Any:
        """A component's code file, parsed; None when the component has no such file."""
        path = self.manifest["components"][kind][name]["codeFiles"].get(code)
        return self._load(path) if path else None

    def form(self, name: str) -> list[dict[str, Any]]:
        """A module's parameters: static ones for a trigger, mappable ones otherwise."""
        params = "staticParams" if self.modules[name]["moduleType"] == "trigger" else "mappableParams"
        return self.code("module", name, params) or []

    def module(self, name: str) -> Component:
        return Component(self.code("module", name, "communication"), self.base, self.form(name))

    def rpc(self, name: str) -> Component:
        return Component(self.code("rpc", name, "communication"), self.base, self.code("rpc", name, "params") or [])

    def connection(self, name: str) -> Component:
        return Component(self.code("connection", name, "communication"), {}, self.code("connection", name, "params"))
