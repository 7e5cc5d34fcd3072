"""The JS kernel's files, as every platform that runs JS ships them: unchanged, byte for byte.

The kernel itself is JavaScript (`src/`, see README.md); Python only hands its files to the
generators, so that the Zapier app and the n8n package carry one and the same kernel.
"""

from __future__ import annotations

from pathlib import Path

KERNEL_SOURCES = Path(__file__).resolve().parent / "src"


def kernel_files(folder: str) -> dict[str, str]:
    """Every kernel file under `folder` in an artifact (bytes kept: no newline translation)."""
    return {f"{folder}/{path.relative_to(KERNEL_SOURCES).as_posix()}": path.read_bytes().decode("utf-8")
            for path in sorted(KERNEL_SOURCES.rglob("*")) if path.is_file()}
