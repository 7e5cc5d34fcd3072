"""`Client.run("get_job")` against a bare httpx GET of the same request, over loopback.

Both talk to the same local sandbox over kept-alive connections; the difference is what the
runtime adds per call (input checks, the request plan, the output schema, the typed result).
"""

from __future__ import annotations

import json
import sys

import httpx

from common import Figure, emit, interleaved, seconds
from connector_core.runtime import Client
from connector_core.sandbox import Sandbox

KEY = "bench-key"


def figure(rounds: int) -> Figure:
    with Sandbox("hellotracks", api_key=KEY) as sandbox, \
            Client("hellotracks", connection={"api_key": KEY}, base_url=sandbox.base_url) as runtime, \
            httpx.Client() as bare:
        created = runtime.run("create_job", {"title": "Bench", "externalId": "BENCH-1"})
        wanted = {"id": created["id"]}
        url = f"{sandbox.base_url}/jobs/{wanted['id']}"
        headers = {"API-Key": KEY, "Accept": "application/json"}

        def baseline() -> object:
            return json.loads(bare.get(url, headers=headers).raise_for_status().content)
        mine, theirs = interleaved(lambda: runtime.run("get_job", wanted), baseline, rounds)
    ratio = mine / theirs
    return Figure("`Client.run(\"get_job\")`, loopback sandbox", seconds(mine),
                  f"bare httpx GET + `json.loads`: {seconds(theirs)}", ratio, "at most 1.10x", ratio <= 1.10,
                  "python bench/client_loopback.py")


if __name__ == "__main__":
    emit([figure(int(sys.argv[1]) if len(sys.argv) > 1 else 300)])
