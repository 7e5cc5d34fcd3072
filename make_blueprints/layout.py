"""Where each code file lives in the VS Code extension's local-development layout.

`<type>s/<kebab-id>/<kebab-id>.<code>.iml.json`, as the extension itself names the files it
creates; general files (base, common, groups, README) have fixed places. The app's icon has none in
that layout (the extension uploads an icon through its "Get/change icon" command, and Make's web
editor takes one too), so it lives beside the app as `assets/icon.png`, 512x512 as Make asks.
"""

from __future__ import annotations

from make_blueprints.names import kebab

GENERAL = {"base": "general/base.iml.json", "common": "general/common.json",
           "readme": "README.md", "groups": "modules/groups.json"}

CODE_FILES = {
    "communication": "communication.iml.json",
    "params": "params.iml.json",
    "staticParams": "static-params.iml.json",
    "mappableParams": "mappable-params.iml.json",
    "interface": "interface.iml.json",
    "samples": "samples.iml.json",
    "epoch": "epoch.iml.json",
}

BLUEPRINTS = "blueprints/"
ICON = "assets/icon.png"
ICON_SIZE = 512


def code_path(component_type: str, component: str, code: str) -> str:
    folder = kebab(component)
    return f"{component_type}s/{folder}/{folder}.{CODE_FILES[code]}"
