"""The runtime's own CPU cost, with httpx's mock transport in place of the network.

- `Client.run("get_job")` against bare httpx plus `json.loads` of the same response;
- one poll page of 99 new jobs against GET plus `json.loads` of that page;
- polls over 1, 10 and up to one poll's page budget (`max_pages`) of full pages, to show the cost
  grows linearly with what is read.

Each poll starts from a state whose cursor is ten minutes back, so every record read is a new
event (a poll without a state would only set a baseline).
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
SINCE_MS = NOW_MS - 600_000
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


def poll(runtime: Client) -> object:
    return runtime.poll("new_job", PollState(cursor=SINCE_MS), now_ms=NOW_MS)


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
    subject = lambda: poll(runtime)  # noqa: E731
    baseline = lambda: json.loads(bare.get(f"{BASE_URL}/jobs", params={"skip": 0, "limit": 100}).content)  # noqa: E731
    mine, theirs = interleaved(subject, baseline, rounds)
    return Figure("one poll page of 99 jobs, mock transport (CPU only)",
                  f"{seconds(mine)} ({seconds(mine / 99)} per record)",
                  f"GET + `json.loads` of the page: {seconds(theirs)}", mine / theirs, "at most 3x",
                  mine / theirs <= 3, "python bench/runtime_cpu.py")


def poll_growth_figure(rounds: int) -> Figure:
    """Seconds per poll over 1, 10 and `max_pages` - 1 full pages (plus a short last one), and the
    cost per record read: constant when the cost grows linearly with what is read."""
    budget = load_connector(CONNECTOR).operation("new_job").polling.max_pages
    per_record = []
    for pages in (1, 10, budget - 1):
        records = pages * 100 + 1
        runtime = client(jobs_transport(records))
        one, _ = interleaved(lambda: poll(runtime), lambda: None, max(5, rounds // pages), warmup=1)
        per_record.append((pages + 1, one, one / records))
    growth = ", ".join(f"{pages} pages: {seconds(value)}" for pages, value, _ in per_record)
    first, last = per_record[0][2], per_record[-1][2]
    return Figure(f"poll over 2, 11, {budget} pages of up to 100 jobs (mock transport)", growth,
                  f"cost per record at 2 pages: {seconds(first)}; at {budget}: {seconds(last)}", last / first,
                  "linear: cost per record constant (ratio near 1)", last / first <= 1.5,
                  "python bench/runtime_cpu.py")


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    emit([get_job_figure(rounds), poll_page_figure(max(10, rounds // 10)), poll_growth_figure(max(4, rounds // 20))])
