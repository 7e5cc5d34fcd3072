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
TRANSPORT = ("Make's own HTTP client meets connect, TLS, timeout and reset failures, its time limit and answer size: "
             "a module sees only answers, so it neither retries them nor names them")
TRIGGER_STATE = ("Make keeps a polling trigger's state itself (last date and id); only a first poll, "
                 "state null, renders from the generated templates")
TIE_ORDER = "Make orders a trigger's items by date and id itself; equal dates do not keep the API's order"
ENVIRONMENT = "Make has no environment variables: every connection value is entered in the connection"
DECLARED_FIELDS = ("Make offers only the parameters a module declares: an unknown field, or an input that "
                   "is not an object, cannot be given, so there is nothing to refuse")
OUTPUT_SCHEMA = "Make does not hold records to the output schema; it outputs what the API sent"
RESPONSE_SHAPE = ("Make does not check the response's shape: a missing, non-JSON or wrongly typed body "
                  "gives no bundle (or the value as it is) instead of a ResponseError")
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
BASE_URL_CHECK = ("the connection's validation checks how a base URL starts (https, or http to a loopback host); Make "
                  "builds each request's URL from the connection's values and reports a base URL with credentials or "
                  "a query with its own error when the scenario runs, not as the runtimes refuse it")
JSON_LIMITS = ("Make reads an answer with its own JSON parser, which the runtimes' reading limits (512 levels, "
               "finite numbers) do not bind: what it makes of such a body is Make's, not the corpus's")
MESSAGE_TYPE = "IML has no type test: a non-text error message is shown as text instead of 'no error message'"
CONNECTION_TEXT = ("Make checks connection values with its own parameter validation: a value pasted with surrounding "
                   "white space is refused instead of trimmed, and one that no header carries (the base URL) is not "
                   "checked for control characters")
SECRET_ENCODINGS = ("Make's templates replace the key as entered; an echo of it percent-encoded, form-encoded, "
                    "JSON-escaped or as Basic auth's base64 is shown as the API sent it")
NUMBER_RANGE = ("Make's number parameters are checked by type alone: a number past a double's range is not refused "
                "as not finite, nor an integer past 2^53 - 1 as inexact")
URL_LENGTH = ("Make's parameter validation sees one value at a time: a value that makes the request URL longer than "
              "8000 characters is sent, and the API or a proxy refuses it")
BODY_ERROR = ("the Make templates judge an answer by its status alone: errors.body_error is not rendered into "
              "`valid`, so a 2xx answer carrying an error object is a success")
CHOICES = ("a connection field with choices is a Make select of exactly those values: another base URL (a "
           "sandbox's, a trailing slash) cannot be chosen, which the runtimes accept for tests")
NESTED_TIMESTAMP = ("Make's output directive adds a derived timestamp to the record's top level only: IML cannot "
                    "rebuild a nested object that the API may send as null, so a nested one is not output")
MESSAGE_SHAPE = ("IML has no type test and cannot write an object's keys into text: the first message path that "
                 "holds a value wins even when it is no text, a list there reads as JavaScript writes an array "
                 "(commas), an object as [object Object], and a plain-text error body is no message; the error's "
                 "type still says what failed")
STATUS_TEXT = ("Make writes a body status code into its message as text: a code sent as text is not quoted as "
               "JSON writes it")
EMPTY_OBJECTS = ("a Make body template has a fixed shape: an object (or list item) whose fields are all left out "
                 "is sent empty ({} or [{}]) where the runtimes leave it out, and an empty object given as a "
                 "free field's value is sent")
ITEM_FIELDS = ("IML cannot rename, transform or default the fields of each item of an array: an array sent as "
               "a list of objects asks for each item in the API's terms (its names, a date as YYYYMMDD, a time "
               "as HHMM, a default filled in each new item), so the item rules of the user's terms (coercing "
               "text, a date-time cut to its day, a field left out getting its default) are the user's to "
               "follow, and a field the API takes as another type is refused as that type")
TOO_MANY = ("a paged search that finds more than its pages hold fails on its last page's answer, so Make's "
            "error carries that answer's status")
DERIVED_NAME = ("a field the API sends under a derived timestamp's name stays when its source is no epoch-ms "
                "integer: Make's output can add a field to the record but not take one away")

# The polling rules of docs/polling.md that Make's own trigger semantics cannot keep, whatever the
# request asks (docs/platforms.md, "Make triggers"; make_blueprints/simulation.py runs by them).
LATE_COMMITS = ("Make outputs only items after the one it stored, so the generated trigger outputs an item once "
                "it has settled (the API's clock lookback_ms past its stamp): every late commit is kept, and each "
                "event arrives up to lookback_ms later than on the other platforms")
NOT_OFFERED = "not offered: "  # how the reason for a trigger the Make app leaves out begins (make_blueprints.offer)
FINGERPRINT = (NOT_OFFERED + "every change is an event (fingerprint), which the one item Make stores cannot keep: a "
               "change output at once stores a date that a change committed late, or stamped by a server node whose "
               "clock is fast, falls behind and is lost; a change that waits to settle merges with the changes made "
               "meanwhile")
REMEMBERED_IDS = (NOT_OFFERED + "it fires once per record entering its set (remember_ms), which needs a set of ids "
                  "Make does not keep: with its one stored item it would fire again whenever such a record is edited")
WALKS = ("a walk that did not read everything is not restarted: a record that moved between pages, or lies beyond "
         "the 3200 records one run reads, is lost once a newer item is stored")
CLOCK_SKEW = ("From now on is Make's own clock: with the API's clock ahead of it, records written just before the "
              "scenario was switched on are output; behind it, records written just after are lost")
MANUAL_TEST = ("Make has no manual test of the newest record and no stateless poll: Run once starts from the epoch "
               "chosen, so latest and window polls are not rendered")
MAKE_TRIGGER_LIMITS: dict[str, str] = {
    "late commits (rule 3)": LATE_COMMITS,
    "fingerprint (rule 4)": FINGERPRINT,
    "remember_ms (rule 4)": REMEMBERED_IDS,
    "complete walks (rules 1, 2)": WALKS,
    "first activation (rule 6)": CLOCK_SKEW,
    "manual test (rule 7)": MANUAL_TEST,
}

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
    "a_create_with_its_idempotency_field_is_retried": RETRIES,
    "a_rate_limited_create_is_retried": RETRIES,
    "retry_after_on_a_503_is_honoured": RETRIES,
    "jitter_shrinks_each_delay_by_the_random_draw": RETRIES,
    "jitter_never_shortens_a_retry_after": RETRIES,
    "a_retry_that_would_pass_the_deadline_is_not_slept": RETRIES,
    "a_503_retry_after_above_max_delay_is_not_waited": RETRY_AFTER,
    # transport failures, the deadline and the size cap
    "a_read_timeout_on_a_get_is_retried": TRANSPORT,
    "a_reset_on_a_get_is_retried": TRANSPORT,
    "a_timeout_on_a_create_is_not_sent_again": TRANSPORT,
    "a_reset_on_a_create_with_its_idempotency_field_is_retried": TRANSPORT,
    "a_connect_failure_is_retried_even_for_a_create": TRANSPORT,
    "connect_failures_run_out_naming_the_origin_only": TRANSPORT,
    "a_tls_failure_is_named": TRANSPORT,
    "a_reset_that_persists_is_named": TRANSPORT,
    "an_answer_too_large_is_never_retried": TRANSPORT,
    "an_unknown_failure_counts_as_a_reset": TRANSPORT,
    "a_secret_in_a_host_failure_detail_is_redacted": TRANSPORT,
    "no_time_left_for_a_request_is_the_deadline": TRANSPORT,
    "the_request_timeout_never_reaches_past_the_deadline": TRANSPORT,
    "a_poll_retries_a_reset": TRANSPORT,
    # polling: a later poll's state is Make's own (the last item), never the runtime's
    "a_state_that_cannot_be_read_sets_a_baseline": TRIGGER_STATE,
    "a_state_with_integral_floats_is_read_as_integers": TRIGGER_STATE,
    "a_fractional_cursor_is_no_state": TRIGGER_STATE,
    "a_quiet_poll_is_one_probe": TRIGGER_STATE,
    "a_probe_in_append_order_reads_only_the_new": TRIGGER_STATE,
    "the_probe_counts_only_records_at_or_after_since": TRIGGER_STATE,
    "a_probe_that_meets_a_known_record_walks_again": WALKS,
    "a_capped_poll_keeps_its_walk_and_the_cursor": WALKS,
    "the_next_poll_resumes_where_the_capped_one_stopped": WALKS,
    "without_lookback_the_next_poll_starts_at_the_cursor": TRIGGER_STATE,
    "a_poll_retries_a_temporary_failure": TRIGGER_STATE,
    "page_numbers_from_zero_with_a_path_input_on_every_page": TIE_ORDER,
    "latest_returns_the_sample_when_the_account_has_none": MANUAL_TEST,
    "a_window_poll_defaults_to_fifteen_minutes": MANUAL_TEST,
    "a_baseline_from_a_client_clock_ahead_asks_again_on_the_server_clock": CLOCK_SKEW,
    # connection
    "a_template_field_from_the_environment": ENVIRONMENT,
    "a_value_from_the_environment": ENVIRONMENT,
    "an_empty_value_falls_back_to_the_environment": ENVIRONMENT,
    "an_unknown_connection_field": DECLARED_FIELDS,
    "a_value_from_the_environment_is_trimmed": ENVIRONMENT,
    "a_blank_value_falls_back_to_the_environment": ENVIRONMENT,
    "a_key_pasted_with_a_line_break_is_trimmed": CONNECTION_TEXT,
    "a_trimmed_key_echoed_with_its_line_break_is_redacted": CONNECTION_TEXT,
    # secrets
    "an_echo_of_the_key_percent_encoded_is_redacted": SECRET_ENCODINGS,
    "an_echo_of_the_key_form_encoded_is_redacted": SECRET_ENCODINGS,
    "an_echo_of_the_key_partly_encoded_is_redacted": SECRET_ENCODINGS,
    "an_echo_of_the_key_json_escaped_is_redacted": SECRET_ENCODINGS,
    "an_echo_of_the_basic_token_is_redacted": SECRET_ENCODINGS,
    "a_key_with_a_run_of_backslashes_is_matched_without_backtracking": SECRET_ENCODINGS,
    "an_encoded_key_in_a_record_is_redacted": OUTPUT_SCHEMA,
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
    "an_integer_beyond_any_number_is_refused": NUMBER_RANGE,
    "an_integer_beyond_the_exact_range_is_held_as_javascript_holds_it": NUMBER_RANGE,
    "an_integral_number_past_the_exact_range_for_an_integer_is_refused": NUMBER_RANGE,
    "an_integer_past_the_exact_range_for_an_integer_is_refused": NUMBER_RANGE,
    "a_path_value_that_makes_the_url_too_long_is_refused": URL_LENGTH,
    "a_query_value_that_makes_the_url_too_long_is_refused": URL_LENGTH,
    "a_field_name_with_a_lone_surrogate_is_refused": DECLARED_FIELDS,
    "an_input_nested_32_levels_is_judged_by_the_schema": DECLARED_FIELDS,
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
    "a_base_url_with_credentials_is_refused_and_redacted": BASE_URL_CHECK,
    "a_base_url_with_a_query_is_refused": BASE_URL_CHECK,
    "an_answer_nested_512_levels_deep_is_json": JSON_LIMITS,
    "an_answer_nested_deeper_than_512_levels_is_not_json": JSON_LIMITS,
    "nan_in_an_answer_is_not_json": JSON_LIMITS,
    "a_number_past_a_doubles_range_is_not_json": JSON_LIMITS,
    "an_integer_past_a_doubles_range_is_not_json": JSON_LIMITS,
    "an_object_where_a_bare_array_belongs": RESPONSE_SHAPE,
    "an_empty_body_is_no_list": RESPONSE_SHAPE,
    "a_missing_list_is_drift": RESPONSE_SHAPE,
    "a_null_list_is_drift": RESPONSE_SHAPE,
    "text_where_the_list_belongs_is_drift": RESPONSE_SHAPE,
    "an_action_answer_without_its_item_is_drift_not_a_404": RESPONSE_SHAPE,
    "an_action_answer_without_its_list_is_drift": RESPONSE_SHAPE,
    "a_search_answer_without_its_list_is_drift_not_nothing_found": RESPONSE_SHAPE,
    "a_200_with_an_error_body_is_an_api_error": BODY_ERROR,
    "an_error_body_without_a_message_says_so": BODY_ERROR,
    "an_error_body_keeps_its_status_and_is_not_retried": BODY_ERROR,
    "an_error_body_fails_an_option_source": BODY_ERROR,
    "a_message_that_is_not_text_is_no_message": MESSAGE_TYPE,
    "a_list_answer_without_its_list_is_drift": RESPONSE_SHAPE,
    "a_list_is_held_to_its_output_schema": OUTPUT_SCHEMA,
    # connection choices
    "a_given_base_url_loses_its_trailing_slash": CHOICES,
    "http_to_localhost_is_accepted": CHOICES,
    "http_to_any_127_address_is_accepted": CHOICES,
    "http_to_the_ipv6_loopback_is_accepted": CHOICES,
    # derived timestamps
    "a_derived_timestamp_sits_beside_its_source_at_any_depth": NESTED_TIMESTAMP,
    "the_first_and_last_instants_of_four_digit_years": NESTED_TIMESTAMP,
    "before_1970_and_on_a_leap_day": NESTED_TIMESTAMP,
    "the_runtime_writes_the_derived_property_not_the_api": DERIVED_NAME,
    "null_has_no_timestamp": NESTED_TIMESTAMP,
    # body status codes
    "a_rate_limit_code_is_retried_with_backoff": RETRIES,
    "a_rate_limit_code_after_every_attempt_is_a_rate_limit_error": RETRIES,
    "a_temporary_code_retries_even_a_create": RETRIES,
    "a_temporary_code_after_every_attempt_is_a_temporary_error": RETRIES,
    "text_zero_is_not_zero": STATUS_TEXT,
    "an_answer_without_its_status_is_drift": RESPONSE_SHAPE,
    "an_answer_that_is_not_an_object_has_no_status_to_read": RESPONSE_SHAPE,
    "a_status_code_fails_a_poll": TRIGGER_STATE,
    "a_status_that_is_an_object_is_drift": RESPONSE_SHAPE,
    # error messages
    "rails_style_errors_are_shown_field_by_field": MESSAGE_SHAPE,
    "a_list_of_errors_is_joined_by_semicolons": MESSAGE_SHAPE,
    "the_first_path_that_holds_a_message_wins": MESSAGE_SHAPE,
    "nested_errors_name_their_path_and_skip_what_is_not_text": MESSAGE_SHAPE,
    "index_like_keys_come_first_as_javascript_reads_them": MESSAGE_SHAPE,
    "a_rendered_message_is_one_line": MESSAGE_SHAPE,
    "a_short_plain_text_body_is_the_message": MESSAGE_SHAPE,
    "a_text_plain_body_with_a_charset_is_the_message": MESSAGE_SHAPE,
    "a_plain_text_body_of_300_characters_is_the_message": MESSAGE_SHAPE,
    "a_status_in_temporary_is_retried_without_advice": RETRIES,
    "a_message_part_nested_past_32_levels_says_nothing": MESSAGE_SHAPE,
    "a_message_part_32_levels_deep_is_shown": MESSAGE_SHAPE,
    # connection patterns
    "a_pasted_account_is_trimmed_before_its_pattern": CONNECTION_TEXT,
    # body shapes, list inputs and free fields
    "a_date_time_with_an_offset_is_sent_unchanged": EMPTY_OBJECTS,
    "item_params_without_an_input_send_a_list_of_one": EMPTY_OBJECTS,
    "a_missing_value_sends_the_default_untransformed": EMPTY_OBJECTS,
    "a_map_selects_what_is_sent": EMPTY_OBJECTS,
    "a_value_the_map_does_not_list_sends_nothing": EMPTY_OBJECTS,
    "free_fields_are_placed_beside_the_named_ones": EMPTY_OBJECTS,
    "only_free_fields_make_the_object": EMPTY_OBJECTS,
    "item_text_is_coerced_item_by_item": ITEM_FIELDS,
    "unfilled_item_fields_are_left_out": ITEM_FIELDS,
    "a_missing_required_field_names_the_item": ITEM_FIELDS,
    # paged searches
    "every_page_full_up_to_the_cap_is_too_many_results": TOO_MANY,
    "two_full_pages_of_an_envelope_are_too_many_results": TOO_MANY,
    "a_failing_page_fails_the_whole_list": RETRIES,
    "a_post_search_is_sent_again_after_a_temporary_status": RETRIES,
    # polling in the body and without a cursor: later polls are Make's own state
    "a_created_cursor_probes_past_what_it_knows_in_the_body": TRIGGER_STATE,
    "a_capped_walk_in_the_body_resumes_at_its_skip": TRIGGER_STATE,
    "query_cursor_and_paging_stay_in_the_query": TRIGGER_STATE,
    "a_post_poll_is_sent_again_after_a_temporary_status": TRIGGER_STATE,
    "without_a_cursor_a_record_never_seen_is_an_event": TRIGGER_STATE,
    "a_key_neither_of_the_last_two_walks_read_is_forgotten": TRIGGER_STATE,
    "a_record_one_walk_missed_is_not_an_event_again": TRIGGER_STATE,
    "without_a_cursor_a_capped_walk_stops_at_max_pages": TRIGGER_STATE,
    "without_a_cursor_a_capped_walk_resumes_at_its_page": TRIGGER_STATE,
    "a_resumed_baseline_completes_without_events": TRIGGER_STATE,
    "a_capped_baseline_still_emits_nothing": WALKS,
    "a_stateless_poll_without_a_cursor_reads_the_whole_list_past_max_pages": MANUAL_TEST,
    "a_stateless_poll_without_a_cursor_stops_at_a_short_page": MANUAL_TEST,
    "the_manual_test_without_a_cursor_takes_the_first_record": MANUAL_TEST,
    "the_manual_test_without_a_cursor_falls_back_to_the_sample": MANUAL_TEST,
}
