"""The Hellotracks sandbox's /v1 contract (engine and personality together), over real HTTP on loopback."""

from __future__ import annotations


import httpx
import pytest

from connector_core.sandbox import Sandbox

JOB = {
    "externalId": "SRP-4828",
    "title": "Emergency Exit Lighting Inspection",
    "address": "South Road, San Francisco, CA",
    "notes": "Inspect emergency lighting after reported outage.",
    "date": "2026-05-10",
    "assigneeUsername": "worker@example.com",
    "priority": 7,
    "contact": {"name": "Olivia Martinez", "phone": "+14155556789", "email": "olivia@example.com"},
    "timeWindow": {"start": "09:00", "end": "17:00"},
    "placeId": "p-1",
}


def create(client: httpx.Client, **fields: object) -> dict:
    response = client.post("/jobs", json=fields)
    assert response.status_code == 200, response.text
    return response.json()["data"]["items"][0]


def ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [job["id"] for job in response.json()["data"]["items"]]


# ---------------------------------------------------------------------- auth


def test_missing_key_is_401(sandbox: Sandbox) -> None:
    response = httpx.get(sandbox.base_url + "/auth/whoami")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": {"message": "Missing API-Key header."}}


def test_wrong_key_is_401_and_never_echoed(capfd: pytest.CaptureFixture[str]) -> None:
    secret = "real-secret-key-0123456789"
    wrong = "wrong-key-abcdefghijklmnop"
    with Sandbox("hellotracks", api_key=secret) as sb:
        for path in ("/auth/whoami", "/jobs", "/nope"):
            response = httpx.get(sb.base_url + path, headers={"API-Key": wrong})
            assert response.status_code == 401
            assert response.json() == {"error": {"message": "Invalid Hellotracks API key."}}
            raw = response.text + str(response.headers)
            assert wrong not in raw and secret not in raw
        ok = httpx.get(sb.base_url + "/auth/whoami", headers={"API-Key": secret})
        assert ok.status_code == 200
        assert secret not in ok.text + str(ok.headers)
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # request logging is silenced


def test_auth_is_checked_before_routing(sandbox: Sandbox) -> None:
    assert httpx.get(sandbox.base_url + "/no/such/route").status_code == 401


def test_whoami(client: httpx.Client) -> None:
    response = client.get("/auth/whoami")
    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "company": {"id": "5a9c0e7d", "name": "Sandbox Field Services"},
            "user": {"id": "ad00a1", "username": "admin@example.com", "email": "admin@example.com", "name": "Sandbox Admin"},
        }
    }


# ---------------------------------------------------------------------- jobs


def test_create_returns_full_job_and_get_matches(client: httpx.Client) -> None:
    job = create(client, **JOB)
    assert len(job["id"]) == 24 and all(c in "0123456789abcdef" for c in job["id"])
    assert job["progress"] == "scheduled"
    assert job["createdAt"] == job["updatedAt"] == 1777540000000
    assert job["assignee"] == {
        "id": "ce2fg4",
        "username": "worker@example.com",
        "email": "worker@example.com",
        "name": "Worker Name",
    }
    for key, value in JOB.items():
        assert job[key] == value
    fetched = client.get(f"/jobs/{job['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == {"data": {"items": [job]}}


def test_unset_fields_are_omitted(client: httpx.Client) -> None:
    job = create(client, title="Bare")
    assert set(job) == {"id", "title", "progress", "createdAt", "updatedAt"}
    assert None not in job.values()


def test_assignee_username_is_case_insensitive_and_canonicalised(client: httpx.Client) -> None:
    job = create(client, title="T", assigneeUsername="WORKER2@Example.com")
    assert job["assigneeUsername"] == "worker2@example.com"
    assert job["assignee"]["name"] == "Second Worker"


def test_patch_changes_only_given_fields_and_merges_nested(client: httpx.Client) -> None:
    job = create(client, **JOB)
    response = client.patch(
        "/jobs",
        json={"id": job["id"], "notes": "Bring a battery.", "contact": {"phone": "+1000"}, "timeWindow": {"end": "18:30"}},
    )
    assert response.status_code == 200, response.text
    patched = response.json()["data"]["items"][0]
    assert patched["notes"] == "Bring a battery."
    assert patched["contact"] == {"name": "Olivia Martinez", "phone": "+1000", "email": "olivia@example.com"}
    assert patched["timeWindow"] == {"start": "09:00", "end": "18:30"}
    assert patched["title"] == JOB["title"] and patched["priority"] == 7
    assert patched["createdAt"] == job["createdAt"]
    assert patched["updatedAt"] > job["updatedAt"]
    assert client.get(f"/jobs/{job['id']}").json()["data"]["items"][0] == patched


def test_patch_null_clears_a_field(client: httpx.Client) -> None:
    job = create(client, **JOB)
    response = client.patch("/jobs", json={"id": job["id"], "assigneeUsername": None, "contact": {"email": None}})
    patched = response.json()["data"]["items"][0]
    assert "assigneeUsername" not in patched and "assignee" not in patched
    assert patched["contact"] == {"name": "Olivia Martinez", "phone": "+14155556789"}


def test_patch_unknown_id_is_404(client: httpx.Client) -> None:
    response = client.patch("/jobs", json={"id": "ffffffffffffffffffffffff", "title": "x"})
    assert response.status_code == 404
    assert response.json() == {"error": {"message": "Job not found: ffffffffffffffffffffffff"}}


def test_patch_cannot_steal_another_jobs_external_id(client: httpx.Client) -> None:
    create(client, title="A", externalId="A")
    b = create(client, title="B", externalId="B")
    response = client.patch("/jobs", json={"id": b["id"], "externalId": "A"})
    assert response.status_code == 400
    assert "job.externalId" in response.json()["error"]["message"]


def test_upsert_on_external_id_updates_the_existing_job(client: httpx.Client) -> None:
    first = create(client, title="First", externalId="EXT-1", notes="n1")
    second = create(client, title="Second", externalId="EXT-1", priority=2)
    assert second["id"] == first["id"]
    assert second["title"] == "Second" and second["notes"] == "n1" and second["priority"] == 2
    assert second["createdAt"] == first["createdAt"] and second["updatedAt"] > first["updatedAt"]
    assert ids(client.get("/jobs", params={"externalId": "EXT-1", "includeArchived": "true"})) == [first["id"]]


def test_upsert_after_delete_creates_a_new_job(client: httpx.Client) -> None:
    first = create(client, title="One", externalId="EXT-2")
    assert client.delete(f"/jobs/{first['id']}").status_code == 200
    second = create(client, title="Two", externalId="EXT-2")
    assert second["id"] != first["id"]


def test_archive(client: httpx.Client) -> None:
    job = create(client, title="A")
    response = client.post(f"/jobs/{job['id']}/archive")
    assert response.status_code == 200
    archived = response.json()["data"]["items"][0]
    assert archived["progress"] == "archived" and archived["updatedAt"] > job["updatedAt"]
    assert client.get(f"/jobs/{job['id']}").json()["data"]["items"][0]["progress"] == "archived"
    assert client.post("/jobs/ffffffffffffffffffffffff/archive").status_code == 404


def test_delete_is_soft_and_hides_the_job(client: httpx.Client) -> None:
    job = create(client, title="D")
    response = client.delete(f"/jobs/{job['id']}")
    assert response.status_code == 200
    assert response.json() == {"data": {}}
    assert client.get(f"/jobs/{job['id']}").status_code == 404
    assert client.delete(f"/jobs/{job['id']}").status_code == 404
    assert client.post(f"/jobs/{job['id']}/archive").status_code == 404
    assert client.patch("/jobs", json={"id": job["id"], "title": "x"}).status_code == 404
    assert ids(client.get("/jobs")) == []
    assert ids(client.get("/jobs", params={"includeArchived": "true"})) == [job["id"]]


def test_get_unknown_job_is_404(client: httpx.Client) -> None:
    response = client.get("/jobs/000000000000000000000abc")
    assert response.status_code == 404
    assert response.json() == {"error": {"message": "Job not found: 000000000000000000000abc"}}


# ---------------------------------------------------------------------- GET /jobs filters


@pytest.fixture
def five_jobs(client: httpx.Client, sandbox: Sandbox) -> list[dict]:
    """Five jobs at t0..t0+4s; #1 archived (t0+5s), #2 deleted (t0+6s), #3 completed (t0+7s)."""
    jobs = [
        create(client, title=f"Job {i}", externalId=f"E{i}", assigneeUsername="worker@example.com" if i % 2 else "lee.tech")
        for i in range(5)
    ]
    client.post(f"/jobs/{jobs[1]['id']}/archive")
    client.delete(f"/jobs/{jobs[2]['id']}")
    httpx.post(f"{sandbox.root_url}/_sandbox/jobs/{jobs[3]['id']}/progress", json={"progress": "success"})
    return jobs


def test_list_default_excludes_archived_and_deleted(client: httpx.Client, five_jobs: list[dict]) -> None:
    assert ids(client.get("/jobs")) == [five_jobs[i]["id"] for i in (0, 3, 4)]
    assert ids(client.get("/jobs", params={"includeArchived": "false"})) == [five_jobs[i]["id"] for i in (0, 3, 4)]
    assert ids(client.get("/jobs", params={"includeArchived": "true"})) == [j["id"] for j in five_jobs]


def test_list_created_since(client: httpx.Client, five_jobs: list[dict]) -> None:
    since = five_jobs[2]["createdAt"]
    got = ids(client.get("/jobs", params={"createdSince": since, "includeArchived": "true"}))
    assert got == [five_jobs[i]["id"] for i in (2, 3, 4)]
    assert ids(client.get("/jobs", params={"createdSince": 0, "includeArchived": "true", "limit": 100})) == [
        j["id"] for j in five_jobs
    ]


def test_list_updated_since(client: httpx.Client, five_jobs: list[dict]) -> None:
    since = five_jobs[4]["updatedAt"] + 1
    got = ids(client.get("/jobs", params={"updatedSince": since, "includeArchived": "true"}))
    assert sorted(got) == sorted(five_jobs[i]["id"] for i in (1, 2, 3))


def test_list_progress(client: httpx.Client, five_jobs: list[dict]) -> None:
    assert ids(client.get("/jobs", params={"progress": "success", "includeArchived": "true"})) == [five_jobs[3]["id"]]
    assert ids(client.get("/jobs", params={"progress": "archived", "includeArchived": "true"})) == [five_jobs[1]["id"]]
    assert ids(client.get("/jobs", params={"progress": "scheduled"})) == [five_jobs[0]["id"], five_jobs[4]["id"]]


def test_list_external_id_and_assignee(client: httpx.Client, five_jobs: list[dict]) -> None:
    assert ids(client.get("/jobs", params={"externalId": "E4", "includeArchived": "true", "limit": 1})) == [
        five_jobs[4]["id"]
    ]
    assert ids(client.get("/jobs", params={"externalId": "nope"})) == []
    got = ids(client.get("/jobs", params={"assigneeUsername": "Worker@Example.com", "includeArchived": "true"}))
    assert got == [five_jobs[1]["id"], five_jobs[3]["id"]]


def test_list_pagination(client: httpx.Client) -> None:
    made = [create(client, title=f"P{i}")["id"] for i in range(7)]
    pages = [ids(client.get("/jobs", params={"limit": 3, "skip": skip})) for skip in (0, 3, 6, 9)]
    assert pages == [made[0:3], made[3:6], made[6:7], []]
    assert ids(client.get("/jobs")) == made  # default limit 100, ascending by createdAt


# ---------------------------------------------------------------------- members


def test_members_fuzzy_search(client: httpx.Client) -> None:
    def usernames(**params: object) -> list[str]:
        response = client.get("/members", params=params)
        assert response.status_code == 200, response.text
        return [m["username"] for m in response.json()["data"]["items"]]

    assert usernames(query="worker", max=50) == ["worker@example.com", "worker2@example.com", "lee.tech"]
    assert usernames(query="WORKER@example.com") == ["worker@example.com"]
    assert usernames(query="ce2fg") == ["worker@example.com", "worker2@example.com"]  # by id
    assert usernames(query="desk") == ["dispatcher@example.com"]  # by name
    assert len(usernames()) == len(usernames(query="")) >= 4
    assert usernames(query="worker", max=1) == ["worker@example.com"]
    assert usernames(query="zzz") == []
    item = client.get("/members", params={"query": "lee@example.com"}).json()["data"]["items"][0]
    assert item == {"id": "f1e1d7", "username": "lee.tech", "email": "lee@example.com", "name": "Lee Fieldworker"}


# ---------------------------------------------------------------------- routing


def test_unknown_route_is_404_and_wrong_method_405(client: httpx.Client) -> None:
    response = client.get("/nope")
    assert response.status_code == 404
    assert response.json() == {"error": {"message": "Not found: GET /v1/nope"}}
    response = client.put("/jobs", json={})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST, PATCH"
    assert response.headers["content-type"] == "application/json"
    assert client.post("/jobs/abc").status_code == 405
    assert client.get("/jobs/").status_code == 404


def test_every_response_is_json(client: httpx.Client, sandbox: Sandbox) -> None:
    responses = [
        client.get("/auth/whoami"),
        client.get("/nope"),
        client.post("/jobs", content=b"not json"),
        httpx.get(sandbox.root_url + "/"),
        httpx.request("BREW", sandbox.base_url + "/jobs"),
    ]
    for response in responses:
        assert response.headers["content-type"] == "application/json"
        assert set(response.json()) <= {"data", "error"}
