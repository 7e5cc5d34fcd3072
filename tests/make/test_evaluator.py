"""The IML evaluator implements the generated subset exactly, and refuses anything else."""

from __future__ import annotations

import random
from urllib.parse import quote

import pytest

from make_blueprints import iml
from make_blueprints.evaluator import ImlError, evaluate, render, template

SEGMENT = iml.wrap(iml.path_segment("parameters.id"))


def decided(value: object) -> str:
    """The corpus's decision: unreserved characters stay, everything else is %XX of UTF-8."""
    return quote(str(value), safe="")


@pytest.mark.parametrize("value, encoded", [("../members?x#y", "..%2Fmembers%3Fx%23y"), ("...", "..."),
                                            ("a b/c", "a%20b%2Fc"), ("!*()'~", "%21%2A%28%29%27~"),
                                            ("é€ x", "%C3%A9%E2%82%AC%20x"), ("%2E", "%252E"), (7, "7")])
def test_the_path_segment_template_encodes_one_segment(value, encoded):
    assert template(SEGMENT, {"parameters": {"id": value}}) == encoded


def test_the_path_segment_template_follows_the_decision_on_random_text():
    rng = random.Random(5)
    alphabet = [chr(code) for code in range(32, 127)] + ["é", "€", "\u00a0", "😀"]
    for _ in range(2000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8)))
        assert template(SEGMENT, {"parameters": {"id": value}}) == decided(value), value


def test_one_expression_keeps_its_type_and_mixed_text_is_text():
    variables = {"parameters": {"n": 7, "flag": True}, "item": {"a": {"b": None}}}
    assert template("{{parameters.n}}", variables) == 7
    assert template("n={{parameters.n}} {{parameters.flag}}", variables) == "n=7 true"
    assert template("{{parameters.missing.deeper}}", variables) is None
    assert render({"x": ["{{item.a}}", 3]}, variables) == {"x": [{"b": None}, 3]}


def test_operators_and_functions_of_the_subset():
    variables = {"item": {"p": "success", "n": "Ann"}, "parameters": {"q": "ANN"}, "body": {"list": [1, 2]}}
    assert evaluate("item.p = 'success' and (lower(item.n) = lower(parameters.q) or item.p != 'x')", variables)
    assert evaluate("length(body.list) >= 2", variables) and not evaluate("length(body.list) > 2", variables)
    assert evaluate("(2 - 1) * 100", variables) == 100
    assert evaluate("ifempty(parameters.none, 'fallback')", variables) == "fallback"
    assert evaluate("first(body.list)", variables) == 1
    assert evaluate("formatDate(addSeconds(parseDate(1000000, 'x'), -1), 'x')", variables) == "999000"
    assert evaluate("base64('tok:tok')", variables) == "dG9rOnRvaw=="
    assert evaluate("1 = true", variables) is False
    assert evaluate("if(item.p = 'success', 'yes', 'no')", variables) == "yes"
    assert evaluate("trim(replace(' a \n\t b ', /\\s+/g, ' '))", variables) == "a b"
    assert evaluate("replace('k1 and k1', parameters.q, '***')", {"parameters": {"q": "k1"}}) == "*** and ***"
    assert evaluate("replace('text', parameters.none, '***')", {"parameters": {}}) == "text"


def test_an_http_date_header_is_read_in_utc_to_the_second_and_anything_else_is_no_date():
    read = "formatDate(parseDate(headers.date, 'ddd, DD MMM YYYY HH:mm:ss [GMT]', 'UTC'), 'x')"
    assert evaluate(read, {"headers": {"date": "Thu, 30 Apr 2026 09:06:40 GMT"}}) == "1777540000000"
    for text in ("30 Apr 2026 09:06:40 GMT", "Thu, 30 Apr 2026 09:06:40 +0200", None, 1777540000000):
        assert evaluate("parseDate(headers.date, 'ddd, DD MMM YYYY HH:mm:ss [GMT]', 'UTC')",
                        {"headers": {"date": text}}) is None


@pytest.mark.parametrize("expression, message", [
    ("sum(1, 2)", "does not implement IML function 'sum'"),
    ("secrets.key", "does not know the IML variable 'secrets'"),
    ("replace(parameters.x, /[a-z]+/g, 'y')", "does not implement the regex"),
    ("replace(parameters.x, /a/g, '$&')", "plain replacement"),
    ("replace(parameters.x, 1, 'y')", "a /regex/ or text"),
    ("parseDate(item.d, 'YYYY')", "only for 'x', and 'YYYY-MM-DD' or an HTTP date in UTC"),
    ("parameters.a ? 1 : 2", "unsupported IML"),
    ("length(item.d)", "takes an array or text"),
])
def test_anything_outside_the_subset_fails_loudly(expression, message):
    with pytest.raises(ImlError, match=message):
        evaluate(expression, {"parameters": {"a": 1}, "item": {"d": 1}})


def test_a_variable_the_component_does_not_have_fails_loudly():
    with pytest.raises(ImlError, match="'item' is not available"):
        evaluate("item.id", {"parameters": {}})


def test_a_trigger_s_since_is_the_stored_date_less_the_lookback_and_never_below_zero():
    since = "{{max(0, parseNumber(formatDate(addSeconds(ifempty(data.lastDate, addSeconds(now, -900)), -300), 'x'), '.'))}}"
    now = evaluate("parseDate(1777540000000, 'x')", {})
    assert template(since, {"data": {"lastDate": evaluate("parseDate(1777500000000, 'x')", {})}, "now": now}) == 1777499700000
    assert template(since, {"data": {}, "now": now}) == 1777538800000
    assert template(since, {"data": {"lastDate": evaluate("parseDate(1000, 'x')", {})}, "now": now}) == 0


@pytest.mark.parametrize("expression", ["parseNumber('1,5', ',')", "parseNumber('1e3', '.')", "max(0, '5')"])
def test_number_functions_outside_the_generated_use_are_refused(expression):
    with pytest.raises(ImlError):
        evaluate(expression, {})


def test_the_merge_key_spreads_an_object_and_leaves_undefined_values_out():
    variables = {"item": {"id": "j1", "at": 5}}
    assert render({"{{...}}": "{{item}}", "extra": "{{item.missing}}", "id": "x"}, variables) == {"id": "x", "at": 5}


def test_and_or_stop_at_the_operand_that_decides_as_javascript_does():
    variables = {"item": {"text": "abc"}}
    assert template("{{item.text = 5 and item.text >= 1}}", variables) is False  # `>=` on text never evaluated
    assert template("{{item.text != 5 or item.text >= 1}}", variables) is True
    with pytest.raises(ImlError, match="expected a number"):
        template("{{item.text >= 1}}", variables)


@pytest.mark.parametrize("value, iso", [(1777507200000, "2026-04-30T00:00:00.000Z"), (-1, "1969-12-31T23:59:59.999Z"),
                                        (-62167219200000, "0000-01-01T00:00:00.000Z"), (7.0, "1970-01-01T00:00:00.007Z"),
                                        (7.5, None), ("7", None), (True, None), (None, None),
                                        (253402300800000, None)])
def test_the_derived_timestamp_template_is_the_runtimes_rule(value, iso):
    from make_blueprints.communication import timestamp
    from make_blueprints.evaluator import plain

    assert plain(template(iml.wrap(timestamp("item.at")), {"item": {"at": value}})) == iso


def test_array_helpers_of_the_subset():
    variables = {"parameters": {"h": [{"key": "A", "value": "1"}, {"key": "", "value": "x"}, {"key": "A", "value": "2"}]}}
    assert template("{{toCollection(parameters.h, 'key', 'value')}}", variables) == {"A": "2"}
    assert template("{{add(emptyarray, parameters.h)}}", variables) == [variables["parameters"]["h"]]
    assert template("{{if(false, 1)}}", variables) is None
