"""Sandbox behaviour around the API: faults, determinism, persistence, concurrency, lifecycle."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from connector_core.sandbox import DEFAULT_API_KEY, Sandbox

HEADERS = {"API-Key": DEFAULT_API_KEY}
REPO_ROOT = Path(__file__).resolve().parents[2]


def all_jobs(client: httpx.Client) -> list[dict]:
    response = client.get("/jobs", params={"includeArchived": "true", "limit": 500})
    assert response.status_code == 200, response.text
    return response.json()["data"]["items"]


# ---------------------------------------------------------------------- faults


def test_fault_429_with_retry_after_then_recovery(client: httpx.Client, sandbox: Sandbox) -> None:
    posted = httpx.post(
        sandbox.root_url + "/_sandbox/faults",
        json={"status": 429, "count": 2, "retryAfter": 2, "message": "Rate limit reached."},
    )
    assert posted.status_code == 200
    assert posted.json() == {"data": {"status": 429, "count": 2, "message": "Rate limit reached.", "retryAfter": 2}}

    # An unauthenticated request is rejected before it can consume a fault.
    assert httpx.get(sandbox.base_url + "/jobs").status_code == 401
    for _ in range(2):
        response = client.post("/jobs", json={"title": "not created"})
        assert response.status_code == 429
        assert response.headers["retry-after"] == "2"
        assert response.headers["content-type"] == "application/json"
        assert response.json() == {"error": {"message": "Rate limit reached."}}
    recovered = client.get("/jobs")
    assert recovered.status_code == 200 and "retry-after" not in recovered.headers
    assert recovered.json() == {"data": {"items": []}}  # faulted requests had no effect


def test_faults_queue_in_order_and_clear(client: httpx.Client, sandbox: Sandbox) -> None:
    control = sandbox.root_url + "/_sandbox/faults"
    httpx.post(control, json={"status": 500})
    httpx.post(control, json={"status": 403, "count": 3})
    first = client.get("/auth/whoami")
    assert first.status_code == 500
    assert first.json()["error"]["message"] == "Hellotracks API is temporarily unavailable."
    assert "retry-after" not in first.headers
    assert client.get("/auth/whoami").status_code == 403
    assert httpx.get(control).json()["data"]["items"] == [
        {"status": 403, "count": 2, "message": "API key does not have access to the requested resource."}
    ]
    assert httpx.delete(control).status_code == 200
    assert client.get("/auth/whoami").status_code == 200


@pytest.mark.parametrize(
    "body", [{"status": 200}, {"status": "429"}, {"status": 429, "count": 0}, {"status": 429, "retryAfter": -1}, {"x": 1}]
)
def test_invalid_fault_is_400(sandbox: Sandbox, body: dict) -> None:
    response = httpx.post(sandbox.root_url + "/_sandbox/faults", json=body)
    assert response.status_code == 400
    assert "fault." in response.json()["error"]["message"]


# ---------------------------------------------------------------------- determinism, reset, progress


def _script(sandbox: Sandbox) -> list[tuple[int, str]]:
    """A fixed request sequence; returns every (status, body)."""
    out: list[tuple[int, str]] = []
    with httpx.Client(base_url=sandbox.base_url, headers=HEADERS, timeout=5) as c:
        for request in (
            lambda: c.post("/jobs", json={"title": "A", "externalId": "X1", "assigneeUsername": "worker@example.com"}),
            lambda: c.post("/jobs", json={"title": "B"}),
            lambda: c.get("/jobs"),
            lambda: c.post("/jobs", json={"title": "A2", "externalId": "X1"}),
            lambda: c.patch("/jobs", json={"id": f"{2:024x}", "notes": "n"}),
            lambda: c.post(f"/jobs/{1:024x}/archive"),
            lambda: c.delete(f"/jobs/{2:024x}"),
            lambda: c.get("/jobs", params={"includeArchived": "true"}),
            lambda: c.get("/members", params={"query": "worker"}),
        ):
            response = request()
            out.append((response.status_code, response.text))
            out.append((0, response.headers["date"]))
    return out


def test_two_fresh_deterministic_sandboxes_answer_identically() -> None:
    with Sandbox("hellotracks", deterministic=True) as one, Sandbox("hellotracks", deterministic=True) as two:
        first, second = _script(one), _script(two)
    assert first == second
    jobs = httpx.Response(200, text=first[14][1]).json()["data"]["items"]
    assert [j["id"] for j in jobs] == ["000000000000000000000001", "000000000000000000000002"]
    # Writes: create, create, upsert, patch, archive, delete -> six ticks of 1000 ms.
    assert [(j["createdAt"], j["updatedAt"]) for j in jobs] == [
        (1777540000000, 1777540004000),
        (1777540001000, 1777540005000),
    ]


def test_reads_do_not_advance_the_deterministic_clock(client: httpx.Client) -> None:
    client.post("/jobs", json={"title": "A"})
    for _ in range(3):
        client.get("/jobs")
        client.post("/jobs", json={})  # rejected writes do not tick either
    job = client.post("/jobs", json={"title": "B"}).json()["data"]["items"][0]
    assert job["createdAt"] == 1777540001000
    assert job["id"] == "000000000000000000000002"


def test_reset_wipes_jobs_and_restarts_clock(client: httpx.Client, sandbox: Sandbox) -> None:
    client.post("/jobs", json={"title": "A"})
    client.post("/jobs", json={"title": "B"})
    httpx.post(sandbox.root_url + "/_sandbox/faults", json={"status": 500, "count": 5})
    assert httpx.post(sandbox.root_url + "/_sandbox/reset").json() == {"data": {}}
    assert all_jobs(client) == []  # also proves the pending fault was dropped
    job = client.post("/jobs", json={"title": "C"}).json()["data"]["items"][0]
    assert (job["id"], job["createdAt"]) == ("000000000000000000000001", 1777540000000)
    assert len(client.get("/members").json()["data"]["items"]) >= 4  # members survive a reset


def test_progress_control_endpoint(client: httpx.Client, sandbox: Sandbox) -> None:
    job = client.post("/jobs", json={"title": "A"}).json()["data"]["items"][0]
    url = f"{sandbox.root_url}/_sandbox/jobs/{job['id']}/progress"
    done = httpx.post(url, json={"progress": "success"}).json()["data"]["items"][0]
    assert done["progress"] == "success" and done["updatedAt"] > job["updatedAt"]
    assert httpx.post(url, json={"progress": "done"}).status_code == 400
    assert httpx.post(f"{sandbox.root_url}/_sandbox/jobs/nope/progress", json={"progress": "failed"}).status_code == 404


def test_random_mode_ids_and_strictly_increasing_times() -> None:
    with Sandbox("hellotracks") as sb, httpx.Client(base_url=sb.base_url, headers=HEADERS, timeout=5) as c:
        before = int(time.time() * 1000)
        jobs = [c.post("/jobs", json={"title": str(i)}).json()["data"]["items"][0] for i in range(20)]
    ids = [j["id"] for j in jobs]
    assert len(set(ids)) == 20
    assert all(len(i) == 24 and int(i, 16) >= 0 and i == i.lower() for i in ids)
    times = [j["createdAt"] for j in jobs]
    assert times == sorted(times) and len(set(times)) == 20 and times[0] >= before


# ---------------------------------------------------------------------- persistence


def test_file_backed_db_persists_across_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.sqlite3")
    with Sandbox("hellotracks", db_path=db, deterministic=True) as sb:
        with httpx.Client(base_url=sb.base_url, headers=HEADERS, timeout=5) as c:
            kept = c.post("/jobs", json={"title": "Kept", "externalId": "K"}).json()["data"]["items"][0]
            gone = c.post("/jobs", json={"title": "Gone"}).json()["data"]["items"][0]
            c.delete(f"/jobs/{gone['id']}")
    with Sandbox("hellotracks", db_path=db, deterministic=True) as sb:
        with httpx.Client(base_url=sb.base_url, headers=HEADERS, timeout=5) as c:
            assert c.get(f"/jobs/{kept['id']}").json()["data"]["items"][0] == kept
            assert c.get(f"/jobs/{gone['id']}").status_code == 404
            # The id counter and clock resume instead of colliding with stored jobs.
            new = c.post("/jobs", json={"title": "New"}).json()["data"]["items"][0]
            assert new["id"] == "000000000000000000000003"
            assert new["createdAt"] == 1777540003000
            assert c.post("/jobs", json={"title": "Kept 2", "externalId": "K"}).json()["data"]["items"][0]["id"] == kept["id"]


# ---------------------------------------------------------------------- concurrency


def test_concurrent_creates_lose_nothing() -> None:
    with Sandbox("hellotracks") as sb:

        def worker(n: int) -> list[str]:
            with httpx.Client(base_url=sb.base_url, headers=HEADERS, timeout=10) as c:
                out = []
                for i in range(25):
                    response = c.post("/jobs", json={"title": f"t{n}-{i}"})
                    assert response.status_code == 200, response.text
                    out.append(response.json()["data"]["items"][0]["id"])
                return out

        with ThreadPoolExecutor(16) as pool:
            created = [job_id for ids in pool.map(worker, range(16)) for job_id in ids]
        with httpx.Client(base_url=sb.base_url, headers=HEADERS, timeout=5) as c:
            listed = all_jobs(c)
    assert len(created) == len(set(created)) == 400
    assert sorted(j["id"] for j in listed) == sorted(created)
    assert len({j["createdAt"] for j in listed}) == 400  # strictly increasing clock, even under load


def test_concurrent_upserts_on_one_external_id_yield_one_job() -> None:
    with Sandbox("hellotracks", deterministic=True) as sb:
        barrier = threading.Barrier(16)

        def worker(n: int) -> str:
            with httpx.Client(base_url=sb.base_url, headers=HEADERS, timeout=10) as c:
                c.get("/auth/whoami")  # open the connection before the race starts
                barrier.wait()
                response = c.post("/jobs", json={"title": f"from {n}", "externalId": "SAME"})
                assert response.status_code == 200, response.text
                return response.json()["data"]["items"][0]["id"]

        with ThreadPoolExecutor(16) as pool:
            returned = set(pool.map(worker, range(16)))
        with httpx.Client(base_url=sb.base_url, headers=HEADERS, timeout=5) as c:
            listed = all_jobs(c)
    assert len(listed) == 1 and returned == {listed[0]["id"]}
    assert listed[0]["updatedAt"] == 1777540000000 + 15 * 1000


# ---------------------------------------------------------------------- lifecycle


def test_base_url_and_stop_are_safe() -> None:
    sb = Sandbox("hellotracks")
    with pytest.raises(RuntimeError):
        _ = sb.base_url
    sb.start()
    assert sb.base_url.startswith("http://127.0.0.1:") and sb.base_url.endswith("/v1")
    url = sb.base_url + "/auth/whoami"
    with httpx.Client(headers=HEADERS) as c:  # a keep-alive connection is open during stop()
        assert c.get(url).status_code == 200
        sb.stop()
        sb.stop()
        with pytest.raises(httpx.TransportError):
            c.get(url)
    with pytest.raises(RuntimeError):
        _ = sb.base_url
    with sb:  # a stopped sandbox can start again
        assert httpx.get(sb.base_url + "/auth/whoami", headers=HEADERS).status_code == 200


def test_serve_forever_stops_from_another_thread() -> None:
    port = _free_port()
    sb = Sandbox("hellotracks", port=port)
    thread = threading.Thread(target=sb.serve_forever)
    thread.start()
    _wait_for_port(port)
    assert httpx.get(f"http://127.0.0.1:{port}/v1/auth/whoami", headers=HEADERS).status_code == 200
    sb.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_serve_forever_exits_cleanly_on_ctrl_c() -> None:
    port = _free_port()
    # A shell that runs us in the background ignores SIGINT for its children, and Python then installs
    # no KeyboardInterrupt handler; restore it, as a terminal session (a user pressing Ctrl-C) has it.
    code = ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
            f"from connector_core.sandbox import Sandbox; Sandbox('hellotracks', port={port}).serve_forever(); print('stopped')")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_port(port)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert out.strip() == "stopped" and err == ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    raise AssertionError(f"nothing listening on {port}")
