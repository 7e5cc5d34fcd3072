"""Every malformed or hostile request body is a 400 (413 when too large) in the API's shape, never a 500.

Real HTTP over loopback to a real sandbox. Each refused request must also leave the store as it
was: the number of jobs (archived ones included) does not change.
"""

from __future__ import annotations

import json
import random
import socket
from collections.abc import Iterator

import httpx
import pytest

from connector_core.sandbox import DEFAULT_API_KEY, Sandbox
from connector_core.sandbox.body import MAX_DEPTH, MAX_NUMBER_CHARS
from connector_core.sandbox.server import MAX_BODY_BYTES

JSON = "application/json"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("hellotracks", deterministic=True) as sb:
        yield sb


@pytest.fixture(scope="module")
def client(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, headers={"API-Key": DEFAULT_API_KEY}, timeout=10) as c:
        yield c


@pytest.fixture(scope="module")
def job_id(client: httpx.Client) -> str:
    return client.post("/jobs", json={"title": "Existing"}).json()["data"]["items"][0]["id"]


def job_count(client: httpx.Client) -> int:
    response = client.get("/jobs", params={"includeArchived": "true", "limit": "500"})
    return len(response.json()["data"]["items"])


def refused(response: httpx.Response, status: int = 400) -> str:
    """The message of an error answered with `status`, in Hellotracks' error shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == JSON
    body = response.json()
    assert list(body) == ["error"] and list(body["error"]) == ["message"], body
    assert isinstance(body["error"]["message"], str)
    return body["error"]["message"]


def nested(depth: int) -> bytes:
    return b'{"title":"t","notes":' + b"[" * depth + b"]" * depth + b"}"


BODIES = {
    "nested 100,000 deep": (nested(100_000), f"nested deeper than {MAX_DEPTH} levels"),
    "nested one past the bound": (nested(MAX_DEPTH), f"nested deeper than {MAX_DEPTH} levels"),
    "5,000-digit integer": (b'{"title":"t","priority":' + b"7" * 5000 + b"}", "number literal is longer"),
    "long float": (b'{"title":"t","priority":0.' + b"1" * MAX_NUMBER_CHARS + b"}", "number literal is longer"),
    "float overflow": (b'{"title":"t","priority":1e999}', "out of range for a double"),
    "NaN": (b'{"title":"t","priority":NaN}', "NaN is not a JSON value"),
    "Infinity": (b'{"title":"t","priority":Infinity}', "Infinity is not a JSON value"),
    "-Infinity": (b'{"title":"t","priority":-Infinity}', "-Infinity is not a JSON value"),
    "invalid UTF-8": (b'{"title":"\xc3\x28"}', "not UTF-8"),
    "UTF-16": ('{"title":"t"}'.encode("utf-16"), "not UTF-8"),
    "byte order mark": (b'\xef\xbb\xbf{"title":"t"}', "Invalid JSON body"),
    "lone surrogate in a value": (b'{"title":"\\ud800"}', "lone surrogate"),
    "lone surrogate in a key": (b'{"title":"t","\\udfff":1}', "lone surrogate"),
    "duplicate key": (b'{"title":"first","title":"second"}', 'duplicate key "title"'),
    "duplicate nested key": (b'{"title":"t","contact":{"name":"a","name":"b"}}', 'duplicate key "name"'),
    "an array": (b'[{"title":"t"}]', "expected a JSON object"),
    "a string": (b'"title"', "expected a JSON object"),
    "a number": (b"7", "expected a JSON object"),
    "null": (b"null", "expected a JSON object"),
    "truncated": (b'{"title":"t"', "Invalid JSON body"),
    "trailing data": (b'{"title":"t"} {}', "Extra data"),
    "white space only": (b"  \r\n ", "Invalid JSON body"),
}


@pytest.mark.parametrize("method", ["POST", "PATCH"])
@pytest.mark.parametrize("body, message", BODIES.values(), ids=BODIES.keys())
def test_a_hostile_json_body_is_a_400_and_writes_nothing(client: httpx.Client, job_id: str, method: str,
                                                         body: bytes, message: str) -> None:
    before = job_count(client)
    text = refused(client.request(method, "/jobs", content=body, headers={"Content-Type": JSON}))
    assert text.startswith("Invalid JSON body") and message in text, text
    assert job_count(client) == before


CONTENT_TYPES = {
    "missing": (None, "Missing Content-Type header"),
    "text/plain": ("text/plain", "Invalid Content-Type header"),
    "a form": ("application/x-www-form-urlencoded", "Invalid Content-Type header"),
    "a JSON look-alike": ("application/jsonp", "Invalid Content-Type header"),
    "Latin-1": ("application/json; charset=iso-8859-1", "Invalid Content-Type header: the charset"),
}


@pytest.mark.parametrize("content_type, message", CONTENT_TYPES.values(), ids=CONTENT_TYPES.keys())
def test_a_body_not_declared_json_is_a_400_and_writes_nothing(client: httpx.Client, content_type: str | None,
                                                              message: str) -> None:
    before = job_count(client)
    headers = {} if content_type is None else {"Content-Type": content_type}
    text = refused(client.post("/jobs", content=b'{"title":"t"}', headers=headers))
    assert text.startswith(message), text
    assert job_count(client) == before


@pytest.mark.parametrize("content_type", ["application/json", "Application/JSON; charset=UTF-8",
                                          'application/json;charset="utf8"'])
def test_json_in_utf_8_with_any_spelling_is_accepted(client: httpx.Client, content_type: str) -> None:
    before = job_count(client)
    response = client.post("/jobs", content='{"title":"Café"}'.encode(), headers={"Content-Type": content_type})
    assert response.status_code == 200, response.text
    assert job_count(client) == before + 1


def test_a_body_nested_to_the_bound_is_accepted_by_the_engine(client: httpx.Client) -> None:
    """MAX_DEPTH levels pass the engine; the personality then judges the value (notes is no array)."""
    text = refused(client.post("/jobs", content=nested(MAX_DEPTH - 1), headers={"Content-Type": JSON}))
    assert text == "Invalid value for job.notes: expected a string."


def test_a_body_the_endpoint_ignores_is_still_checked(client: httpx.Client, job_id: str) -> None:
    before = client.get(f"/jobs/{job_id}").json()
    refused(client.post(f"/jobs/{job_id}/archive", content=b"[" * 5000, headers={"Content-Type": JSON}))
    refused(client.request("DELETE", f"/jobs/{job_id}", content=b'{"a":1}', headers={"Content-Type": "text/plain"}))
    assert client.get(f"/jobs/{job_id}").json() == before


def test_the_control_plane_checks_bodies_too(sandbox: Sandbox) -> None:
    faults = sandbox.root_url + "/_sandbox/faults"
    for body, headers in [(b'{"status":' + b"5" * 5000 + b"}", {"Content-Type": JSON}),
                          (b'{"status":503,"status":429}', {"Content-Type": JSON}),
                          (b'{"status":503}', {"Content-Type": "text/plain"})]:
        refused(httpx.post(faults, content=body, headers=headers))
    assert httpx.get(faults).json() == {"data": {"items": []}}


# --- bodies the HTTP reader refuses before anything is parsed: sent on a raw socket --------------------


def raw_exchange(sandbox: Sandbox, head: str, body: bytes = b"") -> tuple[int, dict]:
    """Send a hand-written request; return the status and JSON body of the answer (read to close)."""
    host, port = sandbox.root_url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(head.encode("latin-1") + b"\r\n\r\n" + body)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), json.loads(rest.partition(b"\r\n\r\n")[2])


def post_head(sandbox: Sandbox, *headers: str) -> str:
    return "\r\n".join([f"POST {sandbox.base_path}/jobs HTTP/1.1", "Host: sandbox", f"API-Key: {DEFAULT_API_KEY}",
                        "Content-Type: application/json", *headers])


@pytest.mark.parametrize("headers, status, message", [
    ((f"Content-Length: {MAX_BODY_BYTES + 1}",), 413, f"Request body too large: at most {MAX_BODY_BYTES} bytes."),
    (("Content-Length: " + "9" * 5000,), 413, f"Request body too large: at most {MAX_BODY_BYTES} bytes."),
    (("Transfer-Encoding: chunked",), 413, f"Request body too large: at most {MAX_BODY_BYTES} bytes."),
    (("Content-Length: \u00b2",), 400, "Invalid Content-Length header: expected a non-negative decimal integer."),
    (("Content-Length: -1",), 400, "Invalid Content-Length header: expected a non-negative decimal integer."),
])
def test_a_body_over_the_size_bound_is_refused_unread(sandbox: Sandbox, client: httpx.Client,
                                                      headers: tuple[str, ...], status: int, message: str) -> None:
    """413 in the API's shape, answered before the body is read (the connection then closes)."""
    before = job_count(client)
    chunked = headers == ("Transfer-Encoding: chunked",)
    body = f"{MAX_BODY_BYTES + 1:x}\r\n".encode() if chunked else b""
    assert raw_exchange(sandbox, post_head(sandbox, *headers), body) == (status, {"error": {"message": message}})
    assert job_count(client) == before


# --- a bounded, seeded fuzz: whatever arrives, the answer is JSON and below 500 ---------------------------

HOSTILE_VALUES = [None, True, -1, 0, 7, 11, 2**63, -(2**63) - 1, 10**40, 1.5, 1e308, -0.0, "", "t", "x" * 10_000,
                  "\u0000", "\u202e", "😀", "2026-05-10", "09:00", "a@b.co", [], {}, [[[]]], {"a": {"b": {}}}]
FIELDS = ["title", "externalId", "address", "notes", "date", "assigneeUsername", "priority", "contact",
          "timeWindow", "id", "progress", "createdAt", "\u0000", ""]
TOKENS = [b"NaN", b"Infinity", b"-", b"1e999", b"9" * 400, b'"\\ud800"', b'"\\u0000"', b"\xff", b"\xc0\xaf",
          b"[" * 200, b"{" * 200, b"}", b"]", b",", b":", b'"', b"\\", b"\x00", b"/*", b"true", b"null"]


def random_body(rng: random.Random) -> bytes:
    """A Hellotracks-shaped object with hostile values, then perhaps mutated at the byte level."""
    obj = {rng.choice(FIELDS): rng.choice(HOSTILE_VALUES) for _ in range(rng.randint(0, 5))}
    if rng.random() < 0.7:
        obj.setdefault("title", "Fuzzed")
    data = bytearray(json.dumps(obj).encode())
    for _ in range(rng.choice([0, 0, 1, 2, 5])):
        at = rng.randint(0, len(data))
        if rng.random() < 0.5:
            data[at:at] = rng.choice(TOKENS)
        else:
            data[at:at + rng.randint(1, 4)] = b""
    return bytes(data)


def test_a_seeded_fuzz_of_hostile_bodies_never_gets_a_5xx(sandbox: Sandbox, client: httpx.Client, job_id: str) -> None:
    rng = random.Random(13)
    targets = [("POST", "/jobs"), ("PATCH", "/jobs"), ("POST", f"/jobs/{job_id}/archive"),
               ("POST", f"{sandbox.root_url}/_sandbox/jobs/{job_id}/progress")]
    content_types = [JSON, JSON, JSON, f"{JSON}; charset=utf-8", "text/plain", ""]
    statuses: dict[int, int] = {}
    for _ in range(400):
        method, target = rng.choice(targets)
        body = random_body(rng)
        response = client.request(method, target, content=body, headers={"Content-Type": rng.choice(content_types)})
        assert response.status_code < 500, (method, target, body[:200], response.text)
        assert set(response.json()) <= {"data", "error"}
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    assert statuses.get(400, 0) > 200  # the fuzz is hostile, not a stream of valid creates
