"""The Hellotracks legacy sandbox behaves like the /api it stands in for.

Every call is a POST with {"data": {...}}; the answer is HTTP 200 with a status in the body, and the
API's format rules (integer days YYYYMMDD, HHMM windows, 0/1 flags) are enforced, so a connector
that sends the wrong shape fails while its cassettes are recorded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from connector_core.cassettes.cases import load_index
from connector_core.cassettes.recording import record
from connector_core.sandbox import DEFAULT_API_KEY, Sandbox
from connector_core.spec import load_connector
from tests.conftest import ROOT

CONNECTOR = "hellotracks_legacy"
CASSETTES = ROOT / "tests" / "cassettes" / CONNECTOR
KEY = {"API-Key": DEFAULT_API_KEY}
TODAY = 20260430  # the deterministic clock's day (UTC)


class Api:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.client = httpx.Client(base_url=sandbox.base_url, headers=KEY, timeout=10)

    def post(self, endpoint: str, data: Any = None, **body: Any) -> dict[str, Any]:
        response = self.client.post(f"/{endpoint}", json={"data": {} if data is None else data, **body})
        assert response.status_code == 200, response.text
        return response.json()

    def jobs(self, endpoint: str, data: Any) -> list[dict[str, Any]]:
        answer = self.post(endpoint, data)
        assert answer["status"] == 0, answer
        return answer["jobs"]

    def create(self, *jobs: dict[str, Any], **flags: Any) -> list[dict[str, Any]]:
        return self.jobs("createjobs", {"jobs": list(jobs), **flags})

    def find(self, **data: Any) -> list[str]:
        return [job["destinationName"] for job in self.jobs("getjobs", data)]

    def control(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return httpx.post(self.sandbox.root_url + "/_sandbox" + path, json=body)


@pytest.fixture
def api() -> Iterator[Api]:
    with Sandbox(CONNECTOR, deterministic=True) as sandbox:
        client = Api(sandbox)
        yield client
        client.client.close()


def test_getcompany_names_the_company_and_takes_no_parameters(api: Api) -> None:
    answer = api.post("getcompany")
    assert list(answer) == ["status", "company"] and answer["status"] == 0
    assert answer["company"]["name"] == "Sandbox Field Services"
    assert [team["id"] for team in answer["company"]["teams_config"]] == [1, 2]
    assert api.post("getcompany", ver=2)["status"] == 0
    assert api.post("getcompany", {"day": 1}) == {
        "status": -1, "message": "Format error: day is an unknown field: getcompany takes no parameters"}
    assert api.post("getcompany", ver=1)["status"] == -1
    no_data = api.client.post("/getcompany", json={})
    assert no_data.json() == {"status": -1, "message": 'Format error: the body must carry the request in "data", an object'}


def test_every_endpoint_is_a_post_and_an_unknown_one_is_status_minus_99(api: Api) -> None:
    assert api.client.get("/getjobs").status_code == 405
    assert api.post("deletejobz") == {"status": -99, "message": "Unknown request: deletejobz"}
    wrong = httpx.post(api.sandbox.base_url + "/getcompany", json={"data": {}}, headers={"API-Key": "nope"})
    assert wrong.status_code == 200 and "nope" not in wrong.text
    assert wrong.json() == {"status": -8, "message": "Invalid, missing, or disabled API key."}


def test_createjobs_returns_whole_jobs_stamped_by_the_sandbox_clock(api: Api) -> None:
    first, second = api.create(
        {"destinationName": "Fix gate", "day": 20260510, "windowStart": 930, "windowEnd": 2400,
         "worker": "Worker@Example.com", "priority": 7, "destinationLat": 37.7749, "destinationLng": -122.4194},
        {"destinationName": "Undated"})
    assert first["id"] == "000000000000000000000001" and second["id"] == "000000000000000000000002"
    assert (first["tsCreated"], first["tsSaved"], first["tsAssigned"]) == (1777540000000,) * 3
    assert (first["worker"], first["workerName"], first["assigneeUsername"]) == (
        "worker@example.com", "Worker Name", "worker@example.com")
    assert (first["day"], first["windowStart"], first["windowEnd"], first["priority"]) == (20260510, 930, 2400, 7)
    assert (second["day"], second["worker"], second["tsAssigned"], second["windowEnd"]) == (0, "", 0, 2400)
    assert list(first) == list(second) and {"tsDoneSuccess", "uidSecondary", "customFields"} <= set(first)
    assert [job["number"] for job in (first, second)] == [1, 2]
    later = api.create({"destinationName": "Later"})[0]
    assert later["tsCreated"] == 1777540001000


def test_uid_secondary_updates_the_job_that_has_it(api: Api) -> None:
    made = api.create({"destinationName": "First", "uidSecondary": "SRP-1", "priority": 2})[0]
    again = api.create({"destinationName": "Second", "uidSecondary": "SRP-1"})[0]
    assert again["id"] == made["id"] and again["destinationName"] == "Second" and again["priority"] == 2
    assert again["tsCreated"] == made["tsCreated"] and again["tsSaved"] > made["tsSaved"]
    assert api.find(day=-1) == ["Second"]


def test_autoassign_picks_the_least_busy_worker_of_the_day(api: Api) -> None:
    jobs = api.create(*({"destinationName": f"Job {n}", "day": 20260510} for n in range(3)),
                      {"destinationName": "Taken", "day": 20260510, "worker": "lee.tech"}, autoassign=True)
    assert [job["worker"] for job in jobs] == ["worker@example.com", "worker2@example.com", "lee.tech", "lee.tech"]
    assert api.create({"destinationName": "Not assigned"}, autoassign=False)[0]["worker"] == ""


@pytest.mark.parametrize(("job", "message"), [
    ({"destinationName": "A", "day": "20260510"}, "jobs[0].day must be an integer YYYYMMDD naming a day, or 0"),
    ({"destinationName": "A", "day": 20260230}, "jobs[0].day must be an integer YYYYMMDD naming a day, or 0"),
    ({"destinationName": "A", "windowStart": "09:30"}, "jobs[0].windowStart must be an integer HHMM from 0 to 2359"),
    ({"destinationName": "A", "windowStart": 960}, "jobs[0].windowStart must be an integer HHMM from 0 to 2359"),
    ({"destinationName": "A", "windowStart": 2400}, "jobs[0].windowStart must be an integer HHMM from 0 to 2359"),
    ({"destinationName": "A", "windowEnd": 2401}, "jobs[0].windowEnd must be an integer HHMM from 0 to 2400"),
    ({"destinationName": "A", "priority": 11}, "jobs[0].priority must be an integer from 0 to 10"),
    ({"destinationName": "A", "priority": True}, "jobs[0].priority must be an integer from 0 to 10"),
    ({"destinationName": "A", "destinationLat": 91}, "jobs[0].destinationLat must be a number from -90 to 90"),
    ({"destinationName": "A", "destinationLng": "-122"}, "jobs[0].destinationLng must be a number from -180 to 180"),
    ({"destinationName": 5}, "jobs[0].destinationName must be a string"),
    ({"destinationName": "A", "title": "A"}, "jobs[0].title is an unknown field"),
    ({"destinationName": "A", "tsCreated": 1}, "jobs[0].tsCreated is a read-only field"),
    ({"destinationName": "A", "id": "x"}, "jobs[0].id is set by Hellotracks; do not send it"),
])
def test_createjobs_format_errors_name_the_field(api: Api, job: dict[str, Any], message: str) -> None:
    assert api.post("createjobs", {"jobs": [job]}) == {"status": -1, "message": "Format error: " + message}


@pytest.mark.parametrize(("data", "message"), [
    ({"jobs": []}, "jobs must be a list of 1 to 100 jobs"),
    ({"jobs": [{"destinationName": "A"}] * 101}, "jobs must be a list of 1 to 100 jobs"),
    ({"jobs": {"destinationName": "A"}}, "jobs must be a list of 1 to 100 jobs"),
    ({"jobs": ["A"]}, "jobs[0] must be a job object"),
    ({"jobs": [{}], "autoassign": 1}, "autoassign must be true or false"),
    ({"jobs": [{}], "notify": True}, "notify is an unknown field"),
])
def test_createjobs_request_format_errors(api: Api, data: dict[str, Any], message: str) -> None:
    assert api.post("createjobs", data) == {"status": -1, "message": "Format error: " + message}


def test_createjobs_is_all_or_nothing_with_data_and_user_errors(api: Api) -> None:
    good = {"destinationName": "Fine"}
    assert api.post("createjobs", {"jobs": [good, {"windowStart": 1700, "windowEnd": 900}]}) == {
        "status": -11, "message": "Data error: jobs[1].windowStart 1700 is after windowEnd 900"}
    assert api.post("createjobs", {"jobs": [good, {"teamId": 7}]}) == {
        "status": -11, "message": "Data error: jobs[1].teamId 7 is not a team of the company"}
    assert api.post("createjobs", {"jobs": [good, {"worker": "nobody@example.com"}]}) == {
        "status": -2, "message": "User unknown: jobs[1].worker nobody@example.com is not a member of the company"}
    assert api.find(day=-1) == []


def test_getjobs_day_worker_team_and_ids(api: Api) -> None:
    api.create({"destinationName": "Today", "day": TODAY, "worker": "lee.tech", "teamId": 1},
               {"destinationName": "Undated"},
               {"destinationName": "Tenth", "day": 20260510, "worker": "worker@example.com", "teamId": 2, "orderId": 7})
    assert api.find() == ["Today"]  # no day: today, by the sandbox clock
    assert api.find(day=0) == ["Undated"]
    assert api.find(day=-1) == ["Today", "Undated", "Tenth"]
    assert api.find(day=-1, worker="") == ["Undated"]
    assert api.find(day=-1, worker="Worker@example.com") == ["Tenth"]
    assert api.find(day=-1, worker="*", team=1) == ["Today"]
    assert api.find(id="000000000000000000000003") == ["Tenth"]  # an id needs no day
    assert api.find(ids=["000000000000000000000001", "000000000000000000000002"]) == ["Today", "Undated"]
    assert api.find(id="ffffffffffffffffffffffff") == []
    assert api.find(day=-1, orderId=7) == api.find(day=-1, orderIds=[7, 8]) == ["Tenth"]


def test_getjobs_progress_and_archived(api: Api) -> None:
    done, failed, _, archived = api.create(*({"destinationName": name} for name in ("Done", "Failed", "Open", "Gone")))
    assert api.control(f"/jobs/{done['id']}/progress", {"progress": "success"}).json()["data"]["tsDoneSuccess"] > 0
    api.control(f"/jobs/{failed['id']}/progress", {"progress": "failed"})
    api.control(f"/jobs/{archived['id']}/progress", {"progress": "archived"})
    assert api.find(day=-1) == ["Done", "Failed", "Open"]
    assert api.find(day=-1, includeArchived=1) == ["Done", "Failed", "Open", "Gone"]
    assert api.find(day=-1, progressSuccess=1) == ["Done"]
    assert api.find(day=-1, progressActive=1, includeArchived=1) == ["Open", "Gone"]
    assert api.find(day=-1, progressSuccess=0, progressActive=0, includeArchived=0) == ["Done", "Failed", "Open"]
    assert api.control("/jobs/nope/progress", {"progress": "success"}).status_code == 404
    assert api.control(f"/jobs/{done['id']}/progress", {"progress": "done"}).status_code == 400


def test_getjobs_sort_pages_and_filters_by_time(api: Api) -> None:
    for n in range(5):
        api.create({"destinationName": f"Job {n}", "priority": 5 - n})
    created = 1777540000000
    assert api.find(sort={"field": "tsCreated", "ascending": True, "limit": 2, "skip": 1}) == ["Job 1", "Job 2"]
    assert api.find(sort={"field": "tsCreated", "ascending": True, "from": created + 3000}) == ["Job 3", "Job 4"]
    assert api.find(sort={"field": "tsCreated", "from": created + 1000, "until": created + 3000}) == ["Job 1", "Job 2"]
    assert api.find(sort={"field": "tsCreated", "ascending": False, "limit": 2}) == ["Job 4", "Job 3"]
    assert api.find(sort={"field": "priority", "ascending": True}) == ["Job 4", "Job 3", "Job 2", "Job 1", "Job 0"]
    assert api.find(day=TODAY, sort={"field": "tsCreated"}) == []  # a day given with a sort still filters


@pytest.mark.parametrize(("data", "message"), [
    ({"day": "20260430"}, "day must be an integer YYYYMMDD, 0 (no date) or -1 (any day)"),
    ({"day": -2}, "day must be an integer YYYYMMDD, 0 (no date) or -1 (any day)"),
    ({"worker": None}, 'worker must be a username, "" (unassigned) or "*" (every worker)'),
    ({"includeArchived": True}, "includeArchived must be 0 or 1"),
    ({"progressSuccess": 2}, "progressSuccess must be 0 or 1"),
    ({"team": "1"}, "team must be an integer of at least 0"),
    ({"id": "a", "ids": ["b"]}, "send id or ids, not both"),
    ({"ids": []}, "ids must be a non-empty list of job ids"),
    ({"compact": True}, "compact is an unknown field"),
    ({"sort": {"field": "nope"}}, "sort.field must be a field of a job, such as tsCreated, priority or number"),
    ({"sort": {"limit": 0}}, "sort.limit must be an integer from 1 to 1000"),
    ({"sort": {"skip": -1}}, "sort.skip must be an integer of at least 0"),
    ({"sort": {"field": "priority", "from": 1}}, "sort.from and sort.until filter a timestamp: sort.field must be a ts field"),
    ({"sort": {"ascending": "yes"}}, "sort.ascending must be true or false"),
    ({"sort": {"page": 1}}, "sort.page is an unknown field"),
])
def test_getjobs_format_errors(api: Api, data: dict[str, Any], message: str) -> None:
    assert api.post("getjobs", data) == {"status": -1, "message": "Format error: " + message}


def test_injected_statuses_answer_in_order_instead_of_the_endpoint(api: Api) -> None:
    assert api.control("/statuses", {"status": -7, "count": 2}).json() == {"data": {"status": -7, "count": 2}}
    api.control("/statuses", {"status": -42})
    assert [api.post("createjobs", {"jobs": [{"destinationName": "Not yet"}]}) for _ in range(3)] == [
        {"status": -7, "message": "Not ready: retry later."}, {"status": -7, "message": "Not ready: retry later."},
        {"status": -42, "message": "Status -42."}]
    assert api.find(day=-1) == []  # an injected status does nothing else
    api.control("/statuses", {"status": -9})
    assert api.control("/reset").status_code == 200
    assert api.post("getcompany")["status"] == 0  # a reset drops pending statuses
    assert api.control("/statuses", {"status": 0}).status_code == 400
    assert api.control("/statuses", {"status": -7, "count": 0}).status_code == 400
    assert api.control("/statuses", {"status": -7, "times": 2}).status_code == 400


def test_http_faults_use_the_api_wording(api: Api) -> None:
    api.control("/faults", {"status": 504})
    timeout = api.client.post("/getjobs", json={"data": {}})
    assert (timeout.status_code, timeout.json()) == (504, {"message": "The request took too long: try reducing the data size."})
    api.control("/faults", {"status": 500})
    assert api.client.post("/getjobs", json={"data": {}}).status_code == 500
    assert api.post("getjobs")["status"] == 0


def test_deterministic_sandboxes_answer_byte_for_byte_alike() -> None:
    bodies = []
    for _ in range(2):
        with Sandbox(CONNECTOR, deterministic=True) as sandbox:
            answers = [httpx.post(sandbox.base_url + path, json={"data": data}, headers=KEY).content for path, data in (
                ("/createjobs", {"jobs": [{"destinationName": "A", "worker": "lee.tech"}], "autoassign": True}),
                ("/getjobs", {"day": -1}))]
            bodies.append(answers)
    assert bodies[0] == bodies[1]


# --- the recordings made against this sandbox ------------------------------------------------------


def test_recording_again_gives_the_committed_cassettes_and_no_key(tmp_path: Path) -> None:
    key = "legacy-recording-key-3f9a"
    record(CONNECTOR, tmp_path, api_key=key)
    committed = sorted(path.name for path in CASSETTES.iterdir())
    assert sorted(path.name for path in tmp_path.iterdir()) == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (CASSETTES / name).read_bytes(), name
        text = (tmp_path / name).read_text()
        assert key not in text and "wrong-key-for-recording" not in text and DEFAULT_API_KEY not in text, name


def test_the_cassettes_cover_every_operation_and_each_mapped_status() -> None:
    index = load_index(CASSETTES)
    for key in load_connector(CONNECTOR).operations:
        assert any(case.outcome.status == "ok" for case in index.for_operation(key)), key
    answers = [interaction["response"] for case in index.cases
               for interaction in yaml.safe_load((CASSETTES / case.cassette).read_text())["interactions"]]
    assert {200, 500, 504} <= {answer["status"]["code"] for answer in answers}
    statuses = {json.loads(answer["body"]["string"]).get("status") for answer in answers
                if answer["status"]["code"] == 200}
    assert {0, -1, -2, -5, -7, -8, -9, -11, -12, -99, -42} <= statuses
    errors = {case.outcome.error["type"] for case in index.cases if case.outcome.error}
    assert {"AuthError", "ApiError", "TemporaryError", "RateLimitError", "InputValidationError"} <= errors
    refused = [case for case in index.cases if case.outcome.error and case.outcome.error["type"] == "InputValidationError"]
    assert refused and all(case.interactions == 0 for case in refused)
