"""Platform icons rendered from the connector's one SVG logo, so no platform ships a hand-made copy.

resvg (pinned) renders without system fonts or network and gives the same bytes on every machine,
which keeps generated artifacts byte-identical between builds.
"""

from __future__ import annotations

import resvg_py


def png(svg: str, size: int) -> bytes:
    """The logo as a square PNG of `size` x `size` pixels (each platform asks for its own size)."""
    if size < 1:
        raise ValueError(f"icon size must be a positive number of pixels, got {size}")
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, width=size, height=size, skip_system_fonts=True))
