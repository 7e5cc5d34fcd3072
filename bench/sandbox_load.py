"""The sandbox under 8 and 50 concurrent clients: requests per second, p99 latency, lost writes.

The sandbox runs in its own process (`connectors sandbox`), so the clients do not share its
interpreter. Each client is a thread with its own kept-alive `http.client` connection (httpx
would load the CA bundle once per client, which alone swamps a short round), looping: create a
job, read it back. The two loads alternate in short rounds (8, 50, 8, 50, ...) against one
sandbox. Afterwards every job a create reported is read again: a write is lost when a create
answered 200 and its job is missing.
"""

from __future__ import annotations

import http.client
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from itertools import count

from common import CONNECTORS, ENVIRONMENT, ROOT, Figure, emit, seconds

KEY = "bench-load-key"
HEADERS = {"API-Key": KEY, "Content-Type": "application/json"}
LOADS = (8, 50)


@dataclass
class Tally:
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    failures: int = 0  # answers other than 200
    lost: int = 0  # creates answered 200 whose job is missing afterwards
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def p99(self) -> float:
        return statistics.quantiles(self.latencies, n=100)[98]


def call(connection: http.client.HTTPConnection, method: str, path: str, body: dict | None = None) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    connection.request(method, path, body=None if body is None else json.dumps(body), headers=HEADERS)
    answer = connection.getresponse()
    return answer.status, answer.read(), time.perf_counter() - started


def one_client(port: int, base_path: str, serial: count, stop_at: float, tally: Tally) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        while time.perf_counter() < stop_at:
            number = next(serial)
            status, body, created_in = call(connection, "POST", f"{base_path}/jobs",
                                            {"title": f"Load {number}", "externalId": f"LOAD-{number}"})
            if status != 200:
                with tally.lock:
                    tally.failures += 1
                continue
            job_id = json.loads(body)["data"]["items"][0]["id"]
            status, _, read_in = call(connection, "GET", f"{base_path}/jobs/{job_id}")
            with tally.lock:
                tally.created.append(job_id)
                tally.failures += status != 200
                tally.latencies += [created_in, read_in]
                tally.requests += 2
    finally:
        connection.close()


def load(port: int, base_path: str, clients: int, duration: float, serial: count, tally: Tally) -> None:
    stop_at = time.perf_counter() + duration
    threads = [threading.Thread(target=one_client, args=(port, base_path, serial, stop_at, tally))
               for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.seconds += time.perf_counter() - started


def missing(port: int, base_path: str, job_ids: list[str]) -> int:
    """How many created jobs the sandbox no longer has."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    gone = 0
    try:
        for job_id in job_ids:
            status, _, _ = call(connection, "GET", f"{base_path}/jobs/{job_id}")
            if status not in (200, 404):
                raise RuntimeError(f"the read-back answered {status}: cannot count lost writes")
            gone += status == 404
    finally:
        connection.close()
    return gone


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(port: int, base_path: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the sandbox exited before serving")
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            call(probe, "GET", f"{base_path}/auth/whoami")
            return
        except OSError:
            time.sleep(0.1)
        finally:
            probe.close()
    raise RuntimeError("the sandbox did not start within 20 s")


def measure(rounds: int, duration: float) -> dict[int, Tally]:
    port, base_path = free_port(), "/v1"
    process = subprocess.Popen([*CONNECTORS, "sandbox", "--port", str(port), "--api-key", KEY], cwd=ROOT,
                               stdout=subprocess.DEVNULL, env=ENVIRONMENT)
    try:
        wait_until_up(port, base_path, process)
        tallies = {clients: Tally() for clients in LOADS}
        serial = count()
        for _ in range(rounds):
            for clients in LOADS:
                load(port, base_path, clients, duration, serial, tallies[clients])
        for tally in tallies.values():
            tally.lost = missing(port, base_path, tally.created)
        return tallies
    finally:
        process.terminate()
        process.wait(timeout=10)


def figures(rounds: int, duration: float) -> list[Figure]:
    tallies = measure(rounds, duration)
    few, many = (tallies[clients] for clients in LOADS)
    growth = many.per_second / few.per_second
    where = "python bench/sandbox_load.py"
    return [
        Figure(f"sandbox, {LOADS[1]} concurrent clients (create + read back)",
               f"{many.per_second:,.0f} req/s, p99 {seconds(many.p99)}",
               f"{LOADS[0]} clients: {few.per_second:,.0f} req/s, p99 {seconds(few.p99)}", growth,
               "throughput grows with clients up to the cores; report p99", None, where),
        Figure("sandbox under load: lost writes (failed requests)",
               f"{few.lost + many.lost} ({few.failures + many.failures})",
               f"{len(few.created) + len(many.created):,} creates", None, "0 lost, 0 failed",
               few.lost + many.lost + few.failures + many.failures == 0, where),
    ]


if __name__ == "__main__":
    emit(figures(int(sys.argv[1]) if len(sys.argv) > 1 else 3, float(sys.argv[2]) if len(sys.argv) > 2 else 2.0))
