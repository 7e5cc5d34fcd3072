"""The Kickserv sandbox's task contract over real HTTP, and the connector's spec run against it.

The first half talks raw HTTP (the personality under test: Basic auth, bare JSON, 200 on create,
Rails-style 422s, integer ids, an order that is not creation order, an exclusive `to`); the second
half runs the spec's operations and its option source with the Python runtime, so what the spec
sends is what this API takes.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from connector_core import Client, load_connector
from connector_core.cassettes.recording import record
from connector_core.runtime import InputValidationError, NotFoundError, TooManyResultsError
from connector_core.runtime.connection import ConnectionSettings
from connector_core.runtime.plan import drive, options_plan
from connector_core.sandbox import Sandbox
from tests.conftest import ROOT

TOKEN = "kickserv-test-token-7d1e"
JOB = 2200201  # seeded, active, customer 1300101
OTHER_JOB = 2200204  # seeded, active, customer 1300102


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("kickserv", api_key=TOKEN, deterministic=True) as running:
        yield running


@pytest.fixture
def http(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, auth=(TOKEN, TOKEN), timeout=5) as client:
        yield client


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Client]:
    with Client(load_connector("kickserv"), connection={"api_token": TOKEN}, base_url=sandbox.base_url,
                sleep=lambda seconds: None) as running:
        yield running


def create(http: httpx.Client, **task: Any) -> dict[str, Any]:
    response = http.post("/tasks.json", json={"task": {"job_id": JOB, "starts_at": "2026-05-10T09:00:00-05:00", **task}})
    assert response.status_code == 200, response.text  # a create answers 200, not 201
    return response.json()


def ids(response: httpx.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [task["id"] for task in response.json()]


# ---------------------------------------------------------------------- the API, raw


def test_the_api_lives_under_the_account_slug_behind_basic_auth(sandbox: Sandbox, http: httpx.Client) -> None:
    assert httpx.URL(sandbox.base_url).path == "/demo-plumbing"
    assert ids(http.get("/tasks.json")) == [3300303, 3300301, 3300302]
    for auth in [(TOKEN, "other"), ("other", TOKEN), None]:  # the token must be both parts
        refused = httpx.get(sandbox.base_url + "/tasks.json", auth=auth)
        assert (refused.status_code, refused.text) == (401, "HTTP Basic: Access denied.\n")
        assert refused.headers["content-type"].startswith("text/plain")
        assert refused.headers["www-authenticate"] == 'Basic realm="Application"'
        assert TOKEN not in refused.text + str(refused.headers)


def test_the_list_is_ordered_by_start_not_by_creation_and_paged(http: httpx.Client) -> None:
    early = create(http, starts_at="2026-04-01T08:00:00-05:00")["id"]
    late = create(http, starts_at="2026-06-01T08:00:00-05:00")["id"]
    assert early < late
    assert ids(http.get("/tasks.json")) == [early, 3300303, 3300301, 3300302, late]
    assert ids(http.get("/tasks.json", params={"page": 2, "per_page": 2})) == [3300301, 3300302]
    assert ids(http.get("/tasks.json", params={"page": 4, "per_page": 2})) == []
    for _ in range(25):
        create(http)
    assert len(ids(http.get("/tasks.json"))) == 25  # per_page defaults to 25
    too_many = http.get("/tasks.json", params={"per_page": 101})
    assert too_many.status_code == 400 and "per_page" in too_many.text
    assert http.get("/tasks.json", params={"since": "1"}).status_code == 400  # unknown filters are refused


def test_the_upper_date_bound_is_exclusive_and_days_are_the_accounts(http: httpx.Client) -> None:
    late = create(http, starts_at="2026-05-11T23:30:00-05:00")["id"]
    utc_next_day = create(http, starts_at="2026-05-12T03:00:00Z")["id"]  # 22:00 on the 11th in the account's zone
    next_day = create(http, starts_at="2026-05-12T00:00:00-05:00")["id"]
    assert ids(http.get("/tasks.json", params={"from": "2026-05-11", "to": "2026-05-12"})) == [utc_next_day, late]
    assert next_day in ids(http.get("/tasks.json", params={"from": "2026-05-12", "to": "2026-05-13"}))
    assert http.get("/tasks.json", params={"to": "2026-5-1"}).status_code == 400


def test_the_employee_filter_is_the_map_view(http: httpx.Client) -> None:
    assert ids(http.get("/tasks.json", params={"employee_number": 7, "mapping": "true"})) == [3300302]
    assert ids(http.get("/tasks.json", params={"employee_number": 4, "mapping": "true"})) == [3300301, 3300302]
    assert len(ids(http.get("/tasks.json", params={"employee_number": 7}))) == 3  # without mapping: ignored


def test_a_task_renders_in_the_accounts_zone_with_its_glue_records(http: httpx.Client) -> None:
    made = create(http, description="Flush the tank", starts_at="2026-05-10T14:00:00Z",
                  ends_at="2026-05-10T16:30:00+00:00", employee_ids=[410003, 410002])
    assert made == {
        "id": 3300304, "job_id": JOB, "description": "Flush the tank",
        "starts_at": "2026-05-10T09:00:00.000-05:00", "ends_at": "2026-05-10T11:30:00.000-05:00", "all_day": False,
        "created_at": "2026-04-30T04:06:40.000-05:00", "updated_at": "2026-04-30T04:06:40.000-05:00",
        "job": {"id": JOB, "job_number": 1001, "name": "Job #1001: Water heater replacement", "status": "scheduled"},
        "customer": {"id": 1300101, "customer_number": 501, "name": "Olivia Martinez"},
        "employees": [{"id": 410002, "employee_number": 4, "name": "Lee Fieldworker"},
                      {"id": 410003, "employee_number": 7, "name": "Sam Apprentice"}],
    }
    assert http.get("/tasks/3300304.json").json() == made


def test_invalid_writes_are_rails_422s_with_every_problem(http: httpx.Client) -> None:
    def problems(method: str, path: str, body: Any) -> Any:
        response = http.request(method, path, json=body)
        assert response.status_code == 422, response.text
        return response.json()

    assert problems("POST", "/tasks.json", {"task": {"job_id": 999, "description": "x"}}) == {
        "errors": {"job": ["must exist"], "starts_at": ["can't be blank"]}}
    assert problems("POST", "/tasks.json", {"task": {"job_id": JOB, "starts_at": "2026-05-10T09:00:00Z",
                                                     "ends_at": "2026-05-10T08:00:00Z"}}) == {
        "errors": {"ends_at": ["must be after the start time"]}}
    assert problems("POST", "/tasks.json", {"task": {"job_id": JOB, "starts_at": "soon", "colour": "red"}}) == {
        "errors": {"base": ["unknown attribute 'colour' for Task."], "starts_at": ["is invalid"]}}
    assert problems("PUT", "/tasks/3300301.json", {"task": {"ends_at": "2026-05-04T07:00:00-05:00"}}) == {
        "errors": {"ends_at": ["must be after the start time"]}}
    assert problems("PUT", "/tasks/3300301.json", {"task": {"employee_ids": [1]}}) == {
        "errors": {"employees": ["is invalid"]}}
    missing = http.post("/tasks.json", json={"job_id": JOB})
    assert missing.status_code == 400 and "param is missing or the value is empty: task" in missing.text
    assert ids(http.get("/tasks.json")) == [3300303, 3300301, 3300302]  # nothing was written


def test_update_delete_and_their_404s(http: httpx.Client) -> None:
    made = create(http, description="Old")
    changed = http.put(f"/tasks/{made['id']}.json", json={"task": {"description": "New"}}).json()
    assert (changed["description"], changed["starts_at"]) == ("New", made["starts_at"])
    assert changed["updated_at"] > made["updated_at"]
    deleted = http.delete(f"/tasks/{made['id']}.json")
    assert deleted.json() == changed  # the deleted task comes back
    for method, path in [("GET", f"/tasks/{made['id']}.json"), ("DELETE", f"/tasks/{made['id']}.json"),
                         ("GET", "/tasks/abc.json"), ("GET", "/tasks/3300301"), ("POST", "/tasks/999/notify.json")]:
        response = http.request(method, path)
        assert (response.status_code, response.json()) == (404, {"status": 404, "error": "Not Found"}), path
    assert create(http)["id"] == made["id"] + 1  # ids are never reused


def test_notify_takes_an_optional_type(http: httpx.Client) -> None:
    assert http.post("/tasks/3300301/notify.json").json()["id"] == 3300301  # its employee is notified
    assert http.post("/tasks/3300301/notify.json", json={"notification_type": "on_the_way"}).status_code == 200
    bad = http.post("/tasks/3300301/notify.json", json={"notification_type": "sms"})
    assert (bad.status_code, bad.json()) == (422, {"errors": ["Notification type is not included in the list"]})
    nobody = create(http)["id"]
    alone = http.post(f"/tasks/{nobody}/notify.json")
    assert (alone.status_code, alone.json()) == (422, {"errors": ["No employee is assigned to this task"]})
    assert http.post(f"/tasks/{nobody}/notify.json", json={"notification_type": "details"}).status_code == 200


def test_job_list_is_the_customers_active_jobs(http: httpx.Client) -> None:
    jobs = http.get("/tasks/job_list.json", params={"customer_id": 1300101})
    assert jobs.json() == [{"id": 2200201, "name": "Job #1001: Water heater replacement", "status": "scheduled"},
                           {"id": 2200202, "name": "Opportunity #24601: Bathroom remodel", "status": "new"}]
    assert http.get("/tasks/job_list.json", params={"customer_id": 1300103}).json() == []
    assert http.get("/tasks/job_list.json", params={"customer_id": 42}).status_code == 404
    assert http.get("/tasks/job_list.json").status_code == 400


def test_a_deterministic_sandbox_repeats_and_a_reset_starts_over(sandbox: Sandbox, http: httpx.Client) -> None:
    first = create(http, description="Once")
    httpx.post(sandbox.root_url + "/_sandbox/reset").raise_for_status()
    assert ids(http.get("/tasks.json")) == [3300303, 3300301, 3300302]
    assert create(http, description="Once") == first
    with Sandbox("kickserv", api_key=TOKEN, deterministic=True) as other:
        again = httpx.post(other.base_url + "/tasks.json", auth=(TOKEN, TOKEN),
                           json={"task": {"job_id": JOB, "starts_at": "2026-05-10T09:00:00-05:00", "description": "Once"}})
        assert again.content == http.get(f"/tasks/{first['id']}.json").content


def test_injected_faults_answer_before_the_api(sandbox: Sandbox, http: httpx.Client) -> None:
    httpx.post(sandbox.root_url + "/_sandbox/faults", json={"status": 503, "count": 1}).raise_for_status()
    assert http.get("/tasks.json").status_code == 503
    assert http.get("/tasks.json").status_code == 200


# ---------------------------------------------------------------------- the spec against it


def test_create_task_sends_the_envelope_and_merges_additional_fields(client: Client) -> None:
    task = client.run("create_task", {
        "customer_id": 1300101, "job_id": str(JOB), "description": "Install", "starts_at": "2026-05-10T09:00:00-05:00",
        "additional_fields": {"employee_ids": [410002], "all_day": False}})
    assert (task["job_id"], task["description"], [e["employee_number"] for e in task["employees"]]) == (JOB, "Install", [4])
    with pytest.raises(InputValidationError) as covered:
        client.run("create_task", {"job_id": JOB, "additional_fields": {"starts_at": "2026-05-10T09:00:00-05:00"}})
    assert "additional_fields.starts_at" in str(covered.value)
    with pytest.raises(InputValidationError) as local:
        client.run("create_task", {"job_id": JOB, "starts_at": "2026-05-10T09:00:00"})
    assert "starts_at" in str(local.value)


def test_find_tasks_counts_the_to_day_and_pages(client: Client, http: httpx.Client) -> None:
    late = create(http, starts_at="2026-05-11T23:30:00-05:00")["id"]
    create(http, starts_at="2026-05-12T08:00:00-05:00")
    assert [t["id"] for t in client.run("find_tasks", {"from": "2026-05-11", "to": "2026-05-11"})] == [late]
    for _ in range(101):
        create(http, job_id=OTHER_JOB)
    assert len(client.run("find_tasks", {"job_id": OTHER_JOB})) == 102  # the seeded one and 101 new: two pages
    assert [t["id"] for t in client.run("find_tasks", {"employee_number": 7})] == [3300302]


def test_get_task_finds_nothing_and_an_action_fails_on_a_missing_task(client: Client) -> None:
    assert client.run("get_task", {"id": 3300301})["description"] == "Remove the old water heater"
    assert client.run("get_task", {"id": 999999}) is None
    with pytest.raises(NotFoundError):
        client.run("delete_task", {"id": 999999})
    for bad in ("abc", "../tasks", "1?x=1"):
        with pytest.raises(InputValidationError):
            client.run("get_task", {"id": bad})


def test_the_jobs_dropdown_reads_the_customer(sandbox: Sandbox) -> None:
    connector = load_connector("kickserv")
    settings = ConnectionSettings(connector, {"api_token": TOKEN}, base_url=sandbox.base_url, env={})
    with httpx.Client() as http:
        def send(request: httpx.Request) -> httpx.Response:
            return http.send(request)

        choices = drive(options_plan(connector, "jobs", settings, {"customer_id": "1300101"}), send, lambda seconds: None)
        assert choices == [{"value": 2200201, "label": "Job #1001: Water heater replacement"},
                           {"value": 2200202, "label": "Opportunity #24601: Bathroom remodel"}]
        with pytest.raises(InputValidationError):  # the customer is required: nothing is sent without it
            drive(options_plan(connector, "jobs", settings, {}), send, lambda seconds: None)


def test_the_committed_cassettes_are_a_fresh_recording_and_hold_no_token(tmp_path: Path) -> None:
    """Re-recording repeats byte for byte, whatever the token; neither token shows, in any encoding."""
    record("kickserv", tmp_path, api_key=TOKEN)
    committed = ROOT / "tests" / "cassettes" / "kickserv"
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(path.name for path in committed.iterdir())
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (committed / path.name).read_bytes(), path.name
    everything = "".join(path.read_text(encoding="utf-8") for path in tmp_path.iterdir())
    for token in (TOKEN, "wrong-token-for-recording"):
        pair = base64.b64encode(f"{token}:{token}".encode()).decode()
        assert token not in everything and pair not in everything


def test_a_search_reads_at_most_ten_pages_and_then_asks_to_narrow(client: Client, http: httpx.Client) -> None:
    for _ in range(1000 - 3):  # with the three seeded tasks: ten full pages
        create(http)
    with pytest.raises(TooManyResultsError) as too_many:
        client.run("find_tasks", {})
    assert "more than 1000 records" in str(too_many.value)
    assert len(client.run("find_tasks", {"job_id": OTHER_JOB})) == 1  # a narrower search is answered
