"""The fault server itself: each kind is played as its description says, over real HTTP."""

from __future__ import annotations

import base64
import json
import socket
import time
import tracemalloc
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import httpx
import pytest

from connector_core.faults import FaultServer, success_body
from connector_core.faults.answers import DRIP_INTERVAL, DRIP_SECONDS, HUGE_BYTES, dripped
from tests.faults.conftest import API_KEY

HEADERS = {"API-Key": API_KEY, "Accept": "application/json"}


@pytest.fixture(scope="module")
def good(document) -> bytes:
    return success_body(document, "find_job")


def answers(kind: str, good: bytes, count: int, timeout: float = 2.0) -> tuple[list[object], FaultServer]:
    """`count` GETs through a plain httpx client: each response, or the exception's class name."""
    seen: list[object] = []
    with FaultServer(kind, success=good, secrets=[API_KEY]) as server:
        with httpx.Client(timeout=timeout, verify=False) as client:
            for _ in range(count):
                try:
                    seen.append(client.get(server.base_url + "/jobs?externalId=E1", headers=HEADERS))
                except httpx.HTTPError as error:
                    seen.append(type(error).__name__)
    return seen, server


def test_success_body_places_the_sample_at_the_response_path(document):
    found = json.loads(success_body(document, "find_job"))
    assert found == {"data": {"items": [document["operations"]["find_job"]["sample"]]}}
    whoami = json.loads(success_body(document, "test_connection"))
    assert whoami == {"data": document["operations"]["test_connection"]["sample"]}


@pytest.mark.parametrize(("kind", "statuses", "retry_after"), [
    ("status_504_504_504_200", [504, 504, 504, 200, 200], None),
    ("status_500", [500, 500], None),
    ("status_502", [502, 502], None),
    ("status_502_html_then_200", [502, 200], None),
    ("status_503_retry_after_2_then_200", [503, 200], "2"),
    ("status_503_retry_after_3600", [503, 503], "3600"),
    ("status_429", [429, 429], None),
    ("status_429_retry_after_1_5_then_200", [429, 200], "1.5"),
    ("status_429_retry_after_negative_then_200", [429, 200], "-5"),
    ("status_429_retry_after_text_then_200", [429, 200], "soon"),
    ("status_429_retry_after_3600", [429, 429], "3600"),
    ("status_400", [400], None),
    ("status_401", [401], None),
])
def test_status_sequences(kind, statuses, retry_after, good):
    seen, server = answers(kind, good, len(statuses))
    assert [response.status_code for response in seen] == statuses
    assert seen[0].headers.get("Retry-After") == retry_after
    assert all(response.content == good for response in seen if response.status_code == 200)
    assert len(server.received) == len(statuses)


def test_retry_after_as_a_date_is_a_moment_just_ahead(good):
    (response, _), _ = answers("status_429_retry_after_date_then_200", good, 2)
    ahead = response.headers["Retry-After"]
    assert ahead.endswith(" GMT") and 0 <= parsedate_to_datetime(ahead).timestamp() - time.time() <= 1.5


@pytest.mark.parametrize(("kind", "first", "then"), [
    ("reset_before_answer", "ReadError", "ReadError"),
    ("reset_then_200", "ReadError", 200),
    ("close_before_answer", "RemoteProtocolError", "RemoteProtocolError"),
    ("drop_mid_body", "RemoteProtocolError", "RemoteProtocolError"),
    ("drop_mid_body_then_200", "RemoteProtocolError", 200),
    ("stall", "ReadTimeout", "ReadTimeout"),
    ("stall_then_200", "ReadTimeout", 200),
    ("stall_mid_body", "ReadTimeout", "ReadTimeout"),
])
def test_broken_connections(kind, first, then, good):
    seen, server = answers(kind, good, 2, timeout=0.3 if kind.startswith("stall") else 2.0)
    assert [item if isinstance(item, str) else item.status_code for item in seen] == [first, then]
    assert len(server.received) == 2


def test_nothing_listens_for_connect_refused(good):
    seen, server = answers("connect_refused", good, 1)
    assert seen == ["ConnectError"] and server.received == []


def test_the_tls_kind_answers_a_handshake_with_plain_http(good):
    seen, server = answers("tls_handshake_fails", good, 1)
    assert server.base_url.startswith("https://127.0.0.1:")
    assert seen == ["ConnectError"] and server.received == []


def test_drip_sends_each_byte_within_a_read_timeout_and_the_whole_past_it(good):
    with FaultServer("drip_past_deadline", success=good) as server:
        started = time.monotonic()
        with httpx.Client(timeout=0.5, verify=False) as client, client.stream("GET", server.base_url + "/jobs") as response:
            got = b""
            for chunk in response.iter_raw():
                got += chunk
                if len(got) >= 5:
                    break
    whole = dripped(good)
    assert response.headers["Content-Length"] == str(len(whole)) and whole.endswith(good)
    assert len(whole) * DRIP_INTERVAL >= DRIP_SECONDS > 120   # past the default deadline
    assert got == whole[:len(got)] and 0.4 <= time.monotonic() - started < 2   # bytes keep coming, slowly


@pytest.mark.parametrize("kind", ["body_40mb", "body_40mb_chunked"])
def test_forty_megabytes_are_streamed_not_held(kind, good):
    tracemalloc.start()
    try:
        with FaultServer(kind, success=good) as server:
            with httpx.Client(timeout=5, verify=False) as client, client.stream("GET", server.base_url + "/jobs") as response:
                size, last = 0, b""
                for chunk in response.iter_raw():
                    size, last = size + len(chunk), (last + chunk)[-len(good):]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert size == HUGE_BYTES + len(good) and last == good
    assert ("Content-Length" in response.headers) is (kind == "body_40mb")
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes: the body was held in memory"


@pytest.mark.parametrize(("kind", "judge"), [
    ("not_json_200", lambda response, good: response.headers["Content-Type"] == "text/html"
     and not response.text.startswith("{")),
    ("truncated_json_200", lambda response, good: good.startswith(response.content) and len(response.content) < len(good)),
    ("wrong_content_type_200", lambda response, good: response.content == good
     and response.headers["Content-Type"].startswith("text/html")),
    ("error_body_200", lambda response, good: "error" in response.json()),
    ("no_list_200", lambda response, good: response.json() == {"data": {}}),
    ("wrong_type_200", lambda response, good: response.json()["data"]["items"] == json.loads(good)["data"]["items"][0]),
    ("null_body_200", lambda response, good: response.content == b"null"),
    ("deeply_nested_json_200", lambda response, good: response.content.startswith(b"[" * 1000)
     and len(response.content) == 200_000),
])
def test_malformed_2xx_answers(kind, judge, good):
    (response,), _ = answers(kind, good, 1)
    assert response.status_code == 200 and judge(response, good)


@pytest.mark.parametrize("code", [301, 302, 307, 308])
def test_redirects_point_at_the_other_origin_which_records_what_reached_it(code, good):
    with FaultServer(f"redirect_{code}_other_origin", success=good, secrets=[API_KEY]) as server:
        with httpx.Client(follow_redirects=True, verify=False) as client:
            followed = client.post(server.base_url + "/jobs?x=1", headers=HEADERS, content=b"{}")
    assert followed.status_code == 200 and followed.content == good
    assert followed.history[0].status_code == code
    assert followed.history[0].headers["Location"] == server.other_origin + "/jobs?x=1"
    assert server.other_origin != server.base_url
    assert [request.target for request in server.other_received] == ["/jobs?x=1"]
    # a client that follows carries its own credential header along (httpx strips only Authorization)
    assert server.other_received[0].headers.get("api-key") == API_KEY


def test_every_request_is_recorded_with_method_target_headers_and_body(good):
    with FaultServer("status_400", success=good) as server:
        with httpx.Client(verify=False) as client:
            client.patch(server.base_url + "/jobs?a=1&b=2", headers=HEADERS, json={"id": "j1"})
            client.delete(server.base_url + "/jobs/j1", headers=HEADERS)
    first, second = server.received
    assert (first.method, first.target, first.path, first.query) == ("PATCH", "/jobs?a=1&b=2", "/jobs", "a=1&b=2")
    assert first.headers["api-key"] == API_KEY and json.loads(first.body) == {"id": "j1"}
    assert (second.method, second.body) == ("DELETE", b"")


@pytest.mark.parametrize(("kind", "form"), [
    ("echo_body_raw_400", API_KEY),
    ("echo_body_urlencoded_400", quote(API_KEY, safe="")),
    ("echo_body_base64_400", base64.b64encode(API_KEY.encode()).decode()),
    ("echo_body_raw_503", API_KEY),
    ("echo_error_body_200", API_KEY),
])
def test_echo_kinds_quote_the_credentials_received(kind, form, good):
    (response,), _ = answers(kind, good, 1)
    assert form in response.json()["error"]["message"]


def test_basic_auth_is_echoed_in_base64_as_its_header_carries_it(good):
    token = base64.b64encode(b"user:pa ss/word").decode()
    with FaultServer("echo_body_base64_400", success=good) as server:
        with httpx.Client(verify=False) as client:
            response = client.get(server.base_url + "/me", auth=("user", "pa ss/word"))
    assert f"authorization={token}" in response.json()["error"]["message"]


def test_echo_header_returns_the_credentials_raw_in_headers(good):
    (response,), _ = answers("echo_header_401", good, 1)
    assert response.status_code == 401 and response.headers["X-Echo-api-key"] == API_KEY
    assert API_KEY not in response.text


def test_a_stalled_answer_does_not_hold_the_server_past_its_exit(good):
    started = time.monotonic()
    with FaultServer("stall", success=good) as server:
        with socket.create_connection(("127.0.0.1", int(server.base_url.rsplit(":", 1)[1]))) as raw:
            raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            time.sleep(0.1)
    assert time.monotonic() - started < 2 and len(server.received) == 1


def test_an_unknown_kind_is_refused(good):
    with pytest.raises(ValueError, match="unknown fault kind"):
        FaultServer("status_999", success=good)
