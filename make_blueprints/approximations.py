"""The one registry of conformance cases the Make app cannot express, and why.

A case listed here is approximated or unsupported on Make: tests/make/test_corpus.py requires
it to still differ (a listed case that passes is a stale entry), and every case not listed
must pass. docs/platforms.md states the same differences per spec-language feature.
"""

from __future__ import annotations

# Why, one sentence per Make limit (docs/platforms.md words them the same way).
RETRIES = ("Make sends one request and leaves retries to the scenario (its error handlers): it surfaces "
           "the first RateLimitError or ConnectionError instead of backing off")
RETRY_AFTER = "Make's RateLimitError carries no delay, so Retry-After is not surfaced"
TRIGGER_STATE = ("Make keeps a polling trigger's state itself (last date and id); only a first poll, "
                 "state null, renders from the generated templates")
TIE_ORDER = "Make orders a trigger's items by date and id itself; equal dates do not keep the API's order"
ENVIRONMENT = "Make has no environment variables: every connection value is entered in the connection"
DECLARED_FIELDS = ("Make offers only the parameters a module declares: an unknown field, or an input that "
                   "is not an object, cannot be given, so there is nothing to refuse")
OUTPUT_SCHEMA = "Make does not hold records to the output schema; it outputs what the API sent"
RESPONSE_SHAPE = ("Make does not check the response's shape: a missing, non-JSON or wrongly typed body "
                  "gives no bundle (or the value as it is) instead of a ResponseError")
NOTHING_FOUND = ("a single-record search whose filters or exact match keep nothing outputs no bundle, "
                 "Make's way of saying nothing was found, instead of a NotFoundError")
QUERY_SPACE = ("Make serialises `qs` with RFC 3986 percent-encoding, so a space is %20 where the decision "
               "says +; servers decode both the same")
STRIP_EMPTY_OFF = ("Make leaves empty values (null, '') out of a module's parameters, so strip_empty: false "
                   "cannot send them")
EMPTY_VALUES = "Make treats an empty array and an empty array item as no value and leaves them out"
NUMBER_TEXT = ("Make's number coercion is JavaScript's Number(): it trims every whitespace (U+00A0 too) and "
               "reads 1e400 as Infinity")
DOT_ESCAPES = ("the dot-segment pattern refuses `.`/`..` literally or as %2e with `%` encoded any number of "
               "times; other mixed escapes such as `%2%65` are sent percent-encoded (`%252%2565`), which no "
               "URL parser reads as a dot segment: safe, but not refused")
MESSAGE_TYPE = "IML has no type test: a non-text error message is shown as text instead of 'no error message'"

APPROXIMATED: dict[str, str] = {
    # retries and Retry-After
    "temporary_failures_are_retried_with_backoff": RETRIES,
    "attempts_run_out": RETRIES,
    "retry_after_is_waited_when_longer_than_the_backoff": RETRIES,
    "retry_after_with_decimals_is_waited": RETRIES,
    "a_short_retry_after_does_not_shorten_the_backoff": RETRIES,
    "retry_after_text_falls_back_to_the_backoff": RETRIES,
    "retry_after_an_http_date_is_waited": RETRIES,
    "rate_limits_run_out": RETRIES,
    "the_backoff_is_capped_at_max_delay": RETRIES,
    "an_option_source_retries_and_redacts": RETRIES,
    "retry_after_above_max_delay_is_not_waited": RETRY_AFTER,
    "retry_after_in_a_custom_header_above_max_delay": RETRY_AFTER,
    "a_custom_rate_limit_status_and_header": RETRY_AFTER,
    "without_host_retries_a_rate_limit_carries_its_retry_after": RETRY_AFTER,
    "rate_limited_with_retry_after_seconds": RETRY_AFTER,
    "retry_after_with_decimals": RETRY_AFTER,
    "retry_after_an_http_date": RETRY_AFTER,
    "retry_after_a_past_http_date_is_zero": RETRY_AFTER,
    # polling
    "without_lookback_the_next_poll_starts_at_the_cursor": TRIGGER_STATE,
    "the_next_poll_reads_from_the_cursor_minus_lookback_and_skips_seen_events": TRIGGER_STATE,
    "seen_keys_past_the_horizon_are_forgotten": TRIGGER_STATE,
    "the_window_never_starts_before_zero": TRIGGER_STATE,
    "trigger_input_params_are_sent_on_every_page_up_to_max_pages": TRIGGER_STATE,
    "events_with_the_same_cursor_keep_the_api_order": TRIGGER_STATE,
    "a_record_on_two_pages_is_one_event": TRIGGER_STATE,
    "an_error_on_a_later_page_fails_the_poll": TRIGGER_STATE,
    "a_poll_retries_a_temporary_failure": TRIGGER_STATE,
    "a_polled_record_that_breaks_the_output_schema": TRIGGER_STATE,
    "a_dedupe_key_over_two_fields_sees_a_change_as_new": TRIGGER_STATE,
    "page_numbers_from_zero_with_a_path_input_on_every_page": TIE_ORDER,
    # connection
    "a_template_field_from_the_environment": ENVIRONMENT,
    "a_value_from_the_environment": ENVIRONMENT,
    "an_empty_value_falls_back_to_the_environment": ENVIRONMENT,
    "an_unknown_connection_field": DECLARED_FIELDS,
    # inputs
    "an_unknown_field_is_refused": DECLARED_FIELDS,
    "each_unknown_field_is_named_on_its_own": DECLARED_FIELDS,
    "a_nested_unknown_field_has_a_dotted_name": DECLARED_FIELDS,
    "input_that_is_not_an_object_is_refused": DECLARED_FIELDS,
    "strip_empty_false_sends_null_to_the_schema": STRIP_EMPTY_OFF,
    "a_patch_sends_empty_text_when_strip_empty_is_off": STRIP_EMPTY_OFF,
    "an_empty_item_breaks_min_length": EMPTY_VALUES,
    "too_few_items": EMPTY_VALUES,
    "dot_hidden_in_a_broken_escape_is_refused": DOT_ESCAPES,
    "a_no_break_space_is_not_trimmed": NUMBER_TEXT,
    "number_text_that_overflows_is_refused": NUMBER_TEXT,
    # requests
    "query_params_in_spec_order_with_constants": QUERY_SPACE,
    "query_text_is_form_encoded": QUERY_SPACE,
    "search_query_with_a_constant_limit": QUERY_SPACE,
    # responses
    "an_output_schema_break_is_a_response_error": OUTPUT_SCHEMA,
    "a_missing_required_output_field": OUTPUT_SCHEMA,
    "an_item_that_breaks_the_output_schema_is_named_by_index": OUTPUT_SCHEMA,
    "records_a_filter_drops_are_checked_too": OUTPUT_SCHEMA,
    "a_later_record_is_checked_when_first_is_kept": OUTPUT_SCHEMA,
    "a_secret_echoed_in_a_record_is_redacted": OUTPUT_SCHEMA,
    "a_type_list_names_every_type": OUTPUT_SCHEMA,
    "a_list_that_is_not_a_list": RESPONSE_SHAPE,
    "an_object_that_is_not_an_object": RESPONSE_SHAPE,
    "an_empty_body_has_no_object": RESPONSE_SHAPE,
    "a_body_that_is_not_json": RESPONSE_SHAPE,
    "an_object_where_a_bare_array_belongs": RESPONSE_SHAPE,
    "no_match_is_not_found": NOTHING_FOUND,
    "sharp_s_is_not_folded_to_ss": NOTHING_FOUND,
    "dotted_capital_i_does_not_match_a_plain_i": NOTHING_FOUND,
    "a_case_sensitive_exact_match_finds_nothing": NOTHING_FOUND,
    "a_message_that_is_not_text_is_no_message": MESSAGE_TYPE,
}
