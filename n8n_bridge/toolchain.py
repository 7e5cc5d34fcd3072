"""The pinned n8n toolchain (toolchains/n8n) and a built copy of the generated package."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from connector_core.spec.models import Connector
from connector_core.toolchains import Toolchain
from n8n_bridge import generate, package_directory

N8N = Toolchain(
    "n8n",
    # n8n reads its settings from a user folder: a scratch one, with telemetry off.
    environment={"N8N_USER_FOLDER": "{home}", "N8N_ENCRYPTION_KEY": "connectors-verify-only",
                 "N8N_DIAGNOSTICS_ENABLED": "false", "CI": "1"},
)
HARNESS = Path(__file__).resolve().parent / "harness"


@contextmanager
def built_package(connector: Connector) -> Iterator[Path]:
    """A scratch copy of the generated package after `n8n-node build`; raises when the build fails."""
    N8N.require()
    with tempfile.TemporaryDirectory(prefix="n8n-package-") as scratch:
        folder = N8N.write_package(generate(connector), Path(scratch) / package_directory(connector))
        result = N8N.run([str(N8N.bin / "n8n-node"), "build"], folder)
        if result.returncode != 0:
            raise RuntimeError(f"n8n-node build failed:\n{result.stdout}\n{result.stderr}")
        yield folder
