"""What a correct client does with each kind: the rules of docs/conformance.md, spelled per kind."""

from __future__ import annotations

import pytest

from connector_core.faults import FAULT_KINDS, Expectation, expected
from connector_core.faults.answers import SCRIPTS
from connector_core.faults.expectations import RULES
from connector_core.faults.kinds import CATEGORIES


def test_every_kind_has_a_script_and_a_rule_and_a_known_category():
    assert list(SCRIPTS) == list(FAULT_KINDS) == list(RULES)
    assert {kind.category for kind in FAULT_KINDS.values()} == set(CATEGORIES)
    assert 40 <= len(FAULT_KINDS)
    assert all(name == kind.name and kind.description for name, kind in FAULT_KINDS.items())


@pytest.mark.parametrize(("kind", "safe", "host_retries", "want"), [
    # a write that is not safe to re-send is sent once after an answer that may mean it was done
    ("status_504_504_504_200", False, False, Expectation("TemporaryError", None, 1, True)),
    ("status_504_504_504_200", True, False, Expectation("ok", None, 4, False)),
    ("stall_then_200", False, False, Expectation("TransportError", "timeout", 1, True)),
    ("stall_then_200", True, False, Expectation("ok", None, 2, False)),
    ("reset_before_answer", True, False, Expectation("TransportError", "reset", 4, False)),
    # a rate limit and a failed connection are retried whatever the method: nothing was done
    ("status_429_retry_after_1_5_then_200", False, False, Expectation("ok", None, 2, False)),
    ("connect_refused", False, False, Expectation("TransportError", "connect", 4, False)),
    # asked to wait longer than any back-off: raised at once
    ("status_503_retry_after_3600", True, False, Expectation("TemporaryError", None, 1, False)),
    # never retried
    ("body_40mb", True, False, Expectation("TransportError", "too_large", 1, False)),
    ("redirect_302_other_origin", True, False, Expectation("ApiError", None, 1, False)),
    ("no_list_200", True, False, Expectation("ResponseError", None, 1, False)),
    # a host that retries whole runs: the plan sends once, and still says when a write may be done
    ("status_504_504_504_200", True, True, Expectation("TemporaryError", None, 1, False)),
    ("status_504_504_504_200", False, True, Expectation("TemporaryError", None, 1, True)),
    ("status_429", False, True, Expectation("RateLimitError", None, 1, False)),
])
def test_expected(kind, safe, host_retries, want):
    assert expected(FAULT_KINDS[kind], safe_to_resend=safe, host_retries=host_retries) == want


def test_attempts_follow_the_connectors_policy():
    kind = FAULT_KINDS["status_504_504_504_200"]
    assert expected(kind, safe_to_resend=True, host_retries=False, max_attempts=3) == Expectation(
        "TemporaryError", None, 3, False)


def test_acted_marks_the_kinds_after_which_a_repeated_write_could_duplicate():
    may_repeat = {name for name, rule in RULES.items() if rule.retry == "if_safe"}
    assert may_repeat <= {name for name, kind in FAULT_KINDS.items() if kind.acted}
    assert not FAULT_KINDS["connect_refused"].acted and not FAULT_KINDS["status_429"].acted


@pytest.mark.parametrize("kind", ["no_list_200", "null_body_200"])
def test_an_answer_without_its_item_is_done_only_where_the_operation_allows_it(kind):
    fault = FAULT_KINDS[kind]
    assert expected(fault, safe_to_resend=True, host_retries=False, item_optional=True) == Expectation(
        "ok", None, 1, False)
    assert expected(fault, safe_to_resend=True, host_retries=False).outcome == "ResponseError"
    assert expected(FAULT_KINDS["wrong_type_200"], safe_to_resend=True, host_retries=False,
                    item_optional=True).outcome == "ResponseError"


def test_the_leak_check_finds_every_form_of_the_key():
    """The runtime tests' leak check can fail: each encoding planted in a text is found."""
    from connector_core.faults import secret_forms
    from tests.faults.shapes import API_KEY, leaks

    forms = secret_forms(API_KEY)
    assert len(set(forms.values())) == len(forms) == 9  # raw, 2 x url-, 2 x form-encoded, JSON, 3 x base64
    for name, form in forms.items():
        assert leaks(f"refused: {form}.") == [name], name
    assert leaks("refused: sk_fault%2fKey%2b7%3da%26b%25c%20d9%22q") and not leaks("refused: ***")
