"""The runtime's own CPU cost, with httpx's mock transport in place of the network.

- `Client.run("get_job")` against bare httpx plus `json.loads` of the same response;
- one poll page of 100 jobs against GET plus `json.loads` of that page;
- polls over 1, 10 and 100 full pages, to show the cost grows linearly with what is read.
"""

from __future__ import annotations

import json
import sys

import httpx

from common import Figure, emit, interleaved, seconds
from connector_core.runtime import Client
from connector_core.runtime.polling import PollState
from connector_core.spec import load_connector

CONNECTOR = "hellotracks"
NOW_MS = 1777600000000
BASE_URL = "http://api.test/v1"


def job(number: int) -> dict:
    """A job like the spec's sample, with its own id and creation time."""
    sample = dict(load_connector(CONNECTOR).operation("get_job").sample)
    return {**sample, "id": f"{number:024x}", "externalId": f"SRP-{number}", "createdAt": NOW_MS - 1000 - number,
            "updatedAt": NOW_MS - 1000 - number}


def jobs_transport(total: int) -> httpx.MockTransport:
    """Answers GET /jobs with pages of up to 100 jobs out of `total`, by `skip`/`limit`."""
    body_by_skip: dict[int, bytes] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        skip = int(request.url.params.get("skip", 0))
        if skip not in body_by_skip:
            items = [job(number) for number in range(skip, min(skip + 100, total))]
            body_by_skip[skip] = json.dumps({"data": {"items": items}}).encode()
        return httpx.Response(200, content=body_by_skip[skip], headers={"content-type": "application/json"})
    return httpx.MockTransport(handler)


def client(transport: httpx.MockTransport) -> Client:
    return Client(CONNECTOR, connection={"api_key": "bench-key"}, base_url=BASE_URL, transport=transport)


def get_job_figure(rounds: int) -> Figure:
    transport = jobs_transport(1)
    runtime, bare = client(transport), httpx.Client(transport=transport)
    wanted = {"id": f"{0:024x}"}
    subject = lambda: runtime.run("get_job", wanted)  # noqa: E731
    baseline = lambda: json.loads(bare.get(f"{BASE_URL}/jobs/{wanted['id']}",  # noqa: E731
                                           headers={"API-Key": "bench-key"}).content)
    mine, theirs = interleaved(subject, baseline, rounds)
    return Figure("`Client.run(\"get_job\")`, mock transport (CPU only)", seconds(mine),
                  f"bare httpx GET + `json.loads`: {seconds(theirs)}", mine / theirs, "at most 1.5x",
                  mine / theirs <= 1.5, "python bench/runtime_cpu.py")


def poll_page_figure(rounds: int) -> Figure:
    transport = jobs_transport(99)  # one short page: the poll stops after it
    runtime, bare = client(transport), httpx.Client(transport=transport)
    subject = lambda: runtime.poll("new_job", PollState(), now_ms=NOW_MS)  # noqa: E731
    baseline = lambda: json.loads(bare.get(f"{BASE_URL}/jobs", params={"skip": 0, "limit": 100}).content)  # noqa: E731
    mine, theirs = interleaved(subject, baseline, rounds)
    return Figure("one poll page of 99 jobs, mock transport (CPU only)",
                  f"{seconds(mine)} ({seconds(mine / 99)} per record)",
                  f"GET + `json.loads` of the page: {seconds(theirs)}", mine / theirs, "at most 3x",
                  mine / theirs <= 3, "python bench/runtime_cpu.py")


def poll_growth_figure(rounds: int) -> Figure:
    """Seconds per poll over 1, 10 and 100 full pages (plus the short last one)."""
    per_page = []
    for pages in (1, 10, 100):
        runtime = client(jobs_transport(pages * 100 + 1))
        one, _ = interleaved(lambda: runtime.poll("new_job", PollState(), now_ms=NOW_MS), lambda: None,
                             max(1, rounds // pages), warmup=1)
        per_page.append((pages, one))
    first = per_page[0][1] / 2  # 1 full page plus one short page
    growth = ", ".join(f"{pages} page(s): {seconds(value)}" for pages, value in per_page)
    last = per_page[-1][1] / 101
    return Figure("poll over 1, 10, 100 pages of 100 jobs (mock transport)", growth,
                  "cost per page at 1 page", last / first, "linear: per-page cost constant (ratio near 1)",
                  last / first <= 1.5, "python bench/runtime_cpu.py")


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    emit([get_job_figure(rounds), poll_page_figure(max(10, rounds // 10)), poll_growth_figure(max(4, rounds // 20))])
