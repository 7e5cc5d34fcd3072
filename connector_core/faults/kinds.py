"""The fault kinds: every hostile way a server can answer, named once, in a stable order.

A kind only names and describes a fault; how the fault server plays it is in `answers`, and what a
correct client must do about it is in `expectations`. `acted` says whether the server may have
carried out a write it then answered badly (a 504, a dropped connection, a malformed 200), which is
why re-sending a write that is not safe to re-send could duplicate it.
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = ("status", "transport", "answer", "redirect", "echo")


@dataclass(frozen=True)
class FaultKind:
    name: str
    description: str
    category: str
    acted: bool


def _kinds(*rows: tuple[str, str, str, bool]) -> dict[str, FaultKind]:
    return {name: FaultKind(name, description, category, acted) for name, category, description, acted in rows}


FAULT_KINDS: dict[str, FaultKind] = _kinds(
    # status answers, in sequence: the last one repeats
    ("status_504_504_504_200", "status", "504 three times, then 200", True),
    ("status_500", "status", "500 on every request", True),
    ("status_502", "status", "502 on every request", True),
    ("status_502_html_then_200", "status", "a proxy's HTML 502 page, then 200", True),
    ("status_503_retry_after_2_then_200", "status", "503 with Retry-After: 2, then 200", True),
    ("status_503_retry_after_3600", "status", "503 with Retry-After: 3600 (longer than any retry may wait)", True),
    ("status_429", "status", "429 without Retry-After on every request", False),
    ("status_429_retry_after_1_5_then_200", "status", "429 with Retry-After: 1.5, then 200", False),
    ("status_429_retry_after_negative_then_200", "status", "429 with Retry-After: -5 (not a delay), then 200", False),
    ("status_429_retry_after_date_then_200", "status", "429 with Retry-After as an HTTP date 1 s ahead, then 200",
     False),
    ("status_429_retry_after_text_then_200", "status", "429 with Retry-After: soon (not a delay), then 200", False),
    ("status_429_retry_after_3600", "status", "429 with Retry-After: 3600 (longer than any retry may wait)", False),
    ("status_400", "status", "400 with an error message", False),
    ("status_401", "status", "401: the key is refused", False),
    # transport failures
    ("connect_refused", "transport", "nothing listens at the base URL (connection refused)", False),
    ("tls_handshake_fails", "transport", "an https base URL whose server does not speak TLS", False),
    ("reset_before_answer", "transport", "the connection is reset (RST) after the request, on every request", True),
    ("reset_then_200", "transport", "the connection is reset after the first request, then 200", True),
    ("close_before_answer", "transport", "the connection is closed (FIN) with no answer, on every request", True),
    ("drop_mid_body", "transport", "Content-Length larger than what is sent, then the connection closes", True),
    ("drop_mid_body_then_200", "transport", "the first answer is cut mid-body, then 200", True),
    ("stall", "transport", "the request is read and never answered (read timeout)", True),
    ("stall_then_200", "transport", "the first request is never answered, then 200", True),
    ("stall_mid_body", "transport", "headers and part of the body, then silence", True),
    ("drip_past_deadline", "transport", "the answer arrives one byte at a time, past any deadline", True),
    ("body_40mb", "transport", "a 200 of 40 MB with its Content-Length (streamed)", True),
    ("body_40mb_chunked", "transport", "a 200 of 40 MB in chunks, without a Content-Length (streamed)", True),
    # 2xx answers of the wrong shape
    ("not_json_200", "answer", "200 with an HTML page instead of JSON", True),
    ("truncated_json_200", "answer", "200 whose JSON stops halfway (a consistent Content-Length)", True),
    ("wrong_content_type_200", "answer", "the right JSON body labelled text/html", True),
    ("error_body_200", "answer", "200 whose body is an error object", True),
    ("no_list_200", "answer", "200 whose envelope holds nothing (data without items)", True),
    ("wrong_type_200", "answer", "200 with an object where the list is (or a list where the object is)", True),
    ("null_body_200", "answer", "200 whose body is JSON null", True),
    ("deeply_nested_json_200", "answer", "200 with JSON nested 100,000 levels deep", True),
    # redirects to a second listener that records what reached it
    ("redirect_301_other_origin", "redirect", "301 to the same path on another origin", False),
    ("redirect_302_other_origin", "redirect", "302 to the same path on another origin", False),
    ("redirect_307_other_origin", "redirect", "307 to the same path on another origin", False),
    ("redirect_308_other_origin", "redirect", "308 to the same path on another origin", False),
    # the credentials it received, echoed back
    ("echo_header_401", "echo", "401 echoing the credential headers raw in response headers", False),
    ("echo_body_raw_400", "echo", "400 whose error message holds the credentials raw", False),
    ("echo_body_urlencoded_400", "echo", "400 whose error message holds the credentials URL-encoded", False),
    ("echo_body_base64_400", "echo", "400 whose error message holds the credentials in base64", False),
    ("echo_body_raw_503", "echo", "503 whose error message holds the credentials raw, on every request", True),
    ("echo_error_body_200", "echo", "200 with an error body whose message holds the credentials raw", True),
)
