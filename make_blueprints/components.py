"""A generated Make app, parsed: each component's code at hand for rendering."""

from __future__ import annotations

import json
from typing import Any

from make_blueprints.render import Component
from make_blueprints.schemas import strip_comments


class GeneratedApp:
    """The generated files, parsed, with each component's code at hand."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = files
        self.manifest = json.loads(files["makecomapp.json"])
        self.base = self._load(self.manifest["generalCodeFiles"]["base"])

    def _load(self, path: str) -> Any:
        return json.loads(strip_comments(self.files[path]))

    def _code(self, kind: str, name: str, code: str) -> Any:
        return self._load(self.manifest["components"][kind][name]["codeFiles"][code])

    def module(self, name: str) -> Component:
        metadata = self.manifest["components"]["module"][name]
        params = "staticParams" if metadata["moduleType"] == "trigger" else "mappableParams"
        return Component(self._code("module", name, "communication"), self.base, self._code("module", name, params))

    def rpc(self, name: str) -> Component:
        return Component(self._code("rpc", name, "communication"), self.base)

    def connection(self, name: str) -> Component:
        return Component(self._code("connection", name, "communication"), {}, self._code("connection", name, "params"))
