"""How the fault server plays each kind: a script of answers, one per request, the last repeating.

An answer is a function of one `Exchange` (the request just read and the socket to answer on), so
a script reads like the kind's description: `(status(504),) * 3 + (success,)`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from email.utils import formatdate
from typing import Protocol

from connector_core.faults import bodies
from connector_core.faults.echo import echo_message

STALL_SECONDS = 60.0          # how long a stalled answer keeps silent (a correct client gave up long before)
DRIP_INTERVAL = 0.1           # seconds between the bytes of a drip
DRIP_SECONDS = 150.0          # how long a whole drip lasts: past the default deadline (120 s)
HUGE_BYTES = 40 * 1024 * 1024
CHUNK = 64 * 1024
NESTING = 100_000
REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 307: "Temporary Redirect", 308: "Permanent Redirect",
           400: "Bad Request", 401: "Unauthorized", 429: "Too Many Requests", 500: "Internal Server Error",
           502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
HTML_502 = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


class Exchange(Protocol):
    """One request read by the server, and what can be done with its connection."""

    success: bytes                       # the operation's good answer
    target: str                          # the request's path and query
    other_origin: str                    # the redirect target's origin
    credentials: list[tuple[str, str]]   # the credential headers received

    def send(self, data: bytes) -> None: ...        # raises OSError once the client has gone
    def wait(self, seconds: float) -> bool: ...     # True when the server is stopping
    def reset(self) -> None: ...                    # close with RST
    def hang_up(self) -> None: ...                  # close with FIN


Answer = Callable[[Exchange], None]


def head(status: int, length: int | None, content_type: str = "application/json",
         extra: tuple[tuple[str, str], ...] = ()) -> bytes:
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}", f"Content-Type: {content_type}"]
    lines.append(f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked")
    lines += [f"{name}: {value}" for name, value in extra]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def respond(exchange: Exchange, status: int, body: bytes, content_type: str = "application/json",
            extra: tuple[tuple[str, str], ...] = ()) -> None:
    exchange.send(head(status, len(body), content_type, extra) + body)


def success(exchange: Exchange) -> None:
    respond(exchange, 200, exchange.success)


def status(code: int, *, retry_after: str | Callable[[], str] | None = None) -> Answer:
    """An error status with the usual error body, and Retry-After when given (a callable is
    evaluated per answer, for a date)."""
    def answer(exchange: Exchange) -> None:
        extra = ()
        if retry_after is not None:
            extra = (("Retry-After", retry_after() if callable(retry_after) else retry_after),)
        respond(exchange, code, bodies.error_object(f"{REASONS.get(code, 'error')} (fault server)"), extra=extra)
    return answer


def ok_with(make: Callable[[bytes], bytes], status_code: int = 200, content_type: str = "application/json") -> Answer:
    """A 2xx whose body is made from the good answer."""
    def answer(exchange: Exchange) -> None:
        respond(exchange, status_code, make(exchange.success), content_type)
    return answer


def html_502(exchange: Exchange) -> None:
    respond(exchange, 502, HTML_502, "text/html")


def reset(exchange: Exchange) -> None:
    exchange.reset()


def hang_up(exchange: Exchange) -> None:
    exchange.hang_up()


def stall(exchange: Exchange) -> None:
    exchange.wait(STALL_SECONDS)
    exchange.hang_up()


def drop_mid_body(exchange: Exchange) -> None:
    body = exchange.success
    exchange.send(head(200, len(body) * 2) + body[: len(body) // 2])
    exchange.hang_up()


def stall_mid_body(exchange: Exchange) -> None:
    body = exchange.success
    exchange.send(head(200, len(body)) + body[: len(body) // 2])
    stall(exchange)


def drip(exchange: Exchange) -> None:
    """The good answer (after JSON white space) one byte at a time, each within any read timeout,
    the whole past any deadline."""
    body = dripped(exchange.success)
    exchange.send(head(200, len(body)))
    for index in range(len(body)):
        if exchange.wait(DRIP_INTERVAL):
            break
        exchange.send(body[index:index + 1])
    exchange.hang_up()


def dripped(good: bytes) -> bytes:
    return b" " * max(0, int(DRIP_SECONDS / DRIP_INTERVAL) - len(good)) + good


def huge(*, chunked: bool) -> Answer:
    """40 MB of JSON white space before the good answer: valid JSON, written as it goes."""
    def answer(exchange: Exchange) -> None:
        tail = exchange.success
        exchange.send(head(200, None if chunked else HUGE_BYTES + len(tail)))
        block = b" " * CHUNK
        for _ in range(HUGE_BYTES // CHUNK):
            exchange.send(b"%x\r\n%s\r\n" % (CHUNK, block) if chunked else block)
        exchange.send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(tail), tail) if chunked else tail)
    return answer


def redirect(code: int) -> Answer:
    def answer(exchange: Exchange) -> None:
        respond(exchange, code, b"", extra=(("Location", exchange.other_origin + exchange.target),))
    return answer


def echo_headers(exchange: Exchange) -> None:
    """401 with every credential received in a response header of its own, raw."""
    extra = tuple((f"X-Echo-{name}", value) for name, value in exchange.credentials)
    respond(exchange, 401, bodies.error_object("credentials refused"), extra=extra)


def echo_body(code: int, encoding: str) -> Answer:
    def answer(exchange: Exchange) -> None:
        respond(exchange, code, bodies.error_object(echo_message(exchange.credentials, encoding)))
    return answer


def _in_a_second() -> str:
    return formatdate(time.time() + 1, usegmt=True)


SCRIPTS: dict[str, tuple[Answer, ...]] = {
    "status_504_504_504_200": (status(504),) * 3 + (success,),
    "status_500": (status(500),),
    "status_502": (status(502),),
    "status_502_html_then_200": (html_502, success),
    "status_503_retry_after_2_then_200": (status(503, retry_after="2"), success),
    "status_503_retry_after_3600": (status(503, retry_after="3600"),),
    "status_429": (status(429),),
    "status_429_retry_after_1_5_then_200": (status(429, retry_after="1.5"), success),
    "status_429_retry_after_negative_then_200": (status(429, retry_after="-5"), success),
    "status_429_retry_after_date_then_200": (status(429, retry_after=_in_a_second), success),
    "status_429_retry_after_text_then_200": (status(429, retry_after="soon"), success),
    "status_429_retry_after_3600": (status(429, retry_after="3600"),),
    "status_400": (status(400),),
    "status_401": (status(401),),
    "connect_refused": (),          # nothing listens: no request arrives
    "tls_handshake_fails": (),      # the listener is not HTTP: no request is read
    "reset_before_answer": (reset,),
    "reset_then_200": (reset, success),
    "close_before_answer": (hang_up,),
    "drop_mid_body": (drop_mid_body,),
    "drop_mid_body_then_200": (drop_mid_body, success),
    "stall": (stall,),
    "stall_then_200": (stall, success),
    "stall_mid_body": (stall_mid_body,),
    "drip_past_deadline": (drip,),
    "body_40mb": (huge(chunked=False),),
    "body_40mb_chunked": (huge(chunked=True),),
    "not_json_200": (ok_with(lambda good: b"<html><body>OK</body></html>", content_type="text/html"),),
    "truncated_json_200": (ok_with(lambda good: good[: len(good) // 2]),),
    "wrong_content_type_200": (ok_with(lambda good: good, content_type="text/html; charset=utf-8"),),
    "error_body_200": (ok_with(lambda good: bodies.error_object("the request could not be carried out")),),
    "no_list_200": (ok_with(bodies.hollow),),
    "wrong_type_200": (ok_with(bodies.mistyped),),
    "null_body_200": (ok_with(lambda good: b"null"),),
    "deeply_nested_json_200": (ok_with(lambda good: bodies.deeply_nested(NESTING)),),
    "redirect_301_other_origin": (redirect(301),),
    "redirect_302_other_origin": (redirect(302),),
    "redirect_307_other_origin": (redirect(307),),
    "redirect_308_other_origin": (redirect(308),),
    "echo_header_401": (echo_headers,),
    "echo_body_raw_400": (echo_body(400, "raw"),),
    "echo_body_urlencoded_400": (echo_body(400, "urlencoded"),),
    "echo_body_base64_400": (echo_body(400, "base64"),),
    "echo_body_raw_503": (echo_body(503, "raw"),),
    "echo_error_body_200": (echo_body(200, "raw"),),
}
