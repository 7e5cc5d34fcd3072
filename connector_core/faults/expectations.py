"""What a correct client does with each fault kind (docs/conformance.md: retries by idempotency).

Each kind's first bad answer falls in one retry class: `always` (the API refused before acting: a
rate limit; or nothing was sent: connect, TLS), `if_safe` (the API may have acted: a temporary
status, a read timeout, a reset) or `never`. A plan that retries stops at the first good answer
(`bad_answers` of them come before it) or after `max_attempts`; a host that retries on its own runs
the plan with retries off, so the plan sends once. A write that is not safe to re-send is never sent
twice after an `if_safe` answer, and its error says it may have been carried out. An operation
whose answer may lack its item (`response.empty: input`, a delete) takes an answer with nothing at
its path as done.
"""

from __future__ import annotations

from dataclasses import dataclass

from connector_core.faults.kinds import FaultKind
from connector_core.spec.models import RetryPolicy

DEFAULT_ATTEMPTS = RetryPolicy().max_attempts


@dataclass(frozen=True)
class Expectation:
    outcome: str                 # "ok" or the error's kind, e.g. "TemporaryError", "TransportError"
    failure: str | None          # the transport failure kind of a TransportError
    max_requests: int            # how many requests a correct client may send
    may_have_succeeded: bool     # the error must say the write may have been carried out


@dataclass(frozen=True)
class _Rule:
    outcome: str
    retry: str = "never"             # "always" | "if_safe" | "never"
    failure: str | None = None
    bad_answers: int | None = None   # bad answers before a 200; None: every answer is bad
    at_once: bool = False            # asks for a wait longer than any retry may: raised at once
    no_item: bool = False            # the answer holds nothing at the operation's path


def _temporary(bad_answers: int | None = None, *, at_once: bool = False) -> _Rule:
    return _Rule("TemporaryError", "if_safe", bad_answers=bad_answers, at_once=at_once)


def _rate_limit(bad_answers: int | None = None, *, at_once: bool = False) -> _Rule:
    return _Rule("RateLimitError", "always", bad_answers=bad_answers, at_once=at_once)


def _transport(failure: str, retry: str, bad_answers: int | None = None) -> _Rule:
    return _Rule("TransportError", retry, failure, bad_answers)


_REDIRECT = _Rule("ApiError")
_MALFORMED = _Rule("ResponseError")

RULES: dict[str, _Rule] = {
    "status_504_504_504_200": _temporary(3),
    "status_500": _temporary(),
    "status_502": _temporary(),
    "status_502_html_then_200": _temporary(1),
    "status_503_retry_after_2_then_200": _temporary(1),
    "status_503_retry_after_3600": _temporary(at_once=True),
    "status_429": _rate_limit(),
    "status_429_retry_after_1_5_then_200": _rate_limit(1),
    "status_429_retry_after_negative_then_200": _rate_limit(1),
    "status_429_retry_after_date_then_200": _rate_limit(1),
    "status_429_retry_after_text_then_200": _rate_limit(1),
    "status_429_retry_after_3600": _rate_limit(at_once=True),
    "status_400": _Rule("ApiError"),
    "status_401": _Rule("AuthError"),
    "connect_refused": _transport("connect", "always"),
    "tls_handshake_fails": _transport("tls", "always"),
    "reset_before_answer": _transport("reset", "if_safe"),
    "reset_then_200": _transport("reset", "if_safe", 1),
    "close_before_answer": _transport("reset", "if_safe"),
    "drop_mid_body": _transport("reset", "if_safe"),
    "drop_mid_body_then_200": _transport("reset", "if_safe", 1),
    "stall": _transport("timeout", "if_safe"),
    "stall_then_200": _transport("timeout", "if_safe", 1),
    "stall_mid_body": _transport("timeout", "if_safe"),
    "drip_past_deadline": _transport("timeout", "if_safe"),
    "body_40mb": _transport("too_large", "never"),
    "body_40mb_chunked": _transport("too_large", "never"),
    "not_json_200": _MALFORMED,
    "truncated_json_200": _MALFORMED,
    "wrong_content_type_200": _Rule("ok"),
    "error_body_200": _Rule("ApiError"),
    "no_list_200": _Rule("ResponseError", no_item=True),
    "wrong_type_200": _MALFORMED,
    "null_body_200": _Rule("ResponseError", no_item=True),
    "deeply_nested_json_200": _MALFORMED,
    "redirect_301_other_origin": _REDIRECT,
    "redirect_302_other_origin": _REDIRECT,
    "redirect_307_other_origin": _REDIRECT,
    "redirect_308_other_origin": _REDIRECT,
    "echo_header_401": _Rule("AuthError"),
    "echo_body_raw_400": _Rule("ApiError"),
    "echo_body_urlencoded_400": _Rule("ApiError"),
    "echo_body_base64_400": _Rule("ApiError"),
    "echo_body_raw_503": _temporary(),
    "echo_error_body_200": _Rule("ApiError"),
}


def expected(kind: FaultKind, *, safe_to_resend: bool, host_retries: bool,
             max_attempts: int = DEFAULT_ATTEMPTS, item_optional: bool = False) -> Expectation:
    """What a correct client must do with `kind`: for a request that is (or is not) safe to re-send,
    in a plan that retries (or a host that retries whole runs on its own), with the connector's
    `retry.max_attempts` (the spec's default unless given), for an operation whose answer may lack
    its item (`item_optional`: its `response.empty` is `input`) or not."""
    rule = RULES[kind.name]
    if rule.no_item and item_optional:
        return Expectation("ok", None, 1, False)
    may_have_succeeded = rule.retry == "if_safe" and not safe_to_resend
    retried = (not host_retries and not rule.at_once
               and (rule.retry == "always" or (rule.retry == "if_safe" and safe_to_resend)))
    if not retried:
        return Expectation(rule.outcome, rule.failure, 1, may_have_succeeded)
    if rule.bad_answers is not None and rule.bad_answers < max_attempts:
        return Expectation("ok", None, rule.bad_answers + 1, False)
    return Expectation(rule.outcome, rule.failure, max_attempts, False)
