'use strict';

/*
 * One poll of a trigger: ask only for what changed (the cursor minus the lookback, or the
 * initial window at first), page until a short page or max_pages, emit each event once (the
 * seen keys, pruned past the lookback horizon), newest first with ties in the API's order.
 */

const { isObject, dig, own, setOwn } = require('./values');
const { requestFor } = require('./request');
const { interpret, keep } = require('./response');
const { send } = require('./retry');

/** A host's stored state as {cursor, seen}; anything unreadable starts afresh. */
const readState = (state) => {
  const given = isObject(state) ? state : {};
  const cursor = typeof given.cursor === 'number' && Number.isFinite(given.cursor) ? given.cursor : null;
  const seen = {};
  const stored = isObject(given.seen) ? given.seen : {};
  for (const key of Object.keys(stored)) {
    if (typeof stored[key] === 'number' && Number.isFinite(stored[key])) setOwn(seen, key, stored[key]);
  }
  return { cursor, seen };
};

/** Where this poll starts: a bounded recent window at first, then the cursor minus the lookback. */
const sinceFor = (polling, state, nowMs) =>
  state.cursor === null ? nowMs - polling.initial_window_ms : Math.max(0, state.cursor - polling.lookback_ms);

/** The query the cursor and the paging add after the operation's own params. */
const pageQuery = (polling, since, page) => {
  const paging = polling.pagination;
  const query = [[polling.cursor.param, since]];
  if (paging.style === 'offset')
    query.push([paging.limit_param, paging.page_size], [paging.offset_param, page * paging.page_size]);
  else query.push([paging.size_param, paging.page_size], [paging.page_param, paging.first_page + page]);
  return query;
};

/** A record's cursor value as an integer (0 when it has none). */
const positionOf = (record, field) => {
  const number = Number(dig(record, field));
  return Number.isFinite(number) ? Math.trunc(number) : 0;
};

const eventKey = (record, fields) => JSON.stringify(fields.map((field) => dig(record, field)));

/** New events, newest first, and the state the next poll starts from. */
const advance = (operation, state, value, records) => {
  const polling = operation.polling;
  const field = polling.cursor.field;
  const seen = state.seen; // readState's own copy: the host's state is never changed
  const events = [];
  for (const record of keep(records, operation.response, value)) {
    const key = eventKey(record, polling.dedupe_key);
    if (own(seen, key) === undefined) {
      setOwn(seen, key, positionOf(record, field));
      events.push(record);
    }
  }
  const positions = records.map((record) => positionOf(record, field));
  const cursor =
    positions.length || state.cursor !== null
      ? positions.reduce((most, at) => Math.max(most, at), state.cursor || 0)
      : null;
  const kept = {};
  for (const key of Object.keys(seen)) {
    if (cursor === null || seen[key] >= cursor - polling.lookback_ms) setOwn(kept, key, seen[key]);
  }
  events.sort((a, b) => positionOf(b, field) - positionOf(a, field));
  return { events, state: { cursor, seen: kept } };
};

/** Generator: returns {ok, events, state, requests} or {ok: false, error}. */
function* poll(doc, operation, value, connection, state, options) {
  const polling = operation.polling;
  const current = readState(state);
  const since = sinceFor(polling, current, Number(options.nowMs) || 0);
  let records = [];
  let requests = 0;
  for (let page = 0; page < polling.max_pages; page += 1) {
    const request = requestFor(operation.request, value, connection, pageQuery(polling, since, page));
    const sent = yield* send(doc, connection, request, options);
    requests += 1;
    if (!sent.ok) return sent;
    const answer = interpret(doc, operation, value, sent.response, connection, {
      nowMs: options.nowMs,
      applyFilters: false,
    });
    if (!answer.ok) return answer;
    records = records.concat(answer.result);
    if (answer.result.length < polling.pagination.page_size) break;
  }
  return Object.assign({ ok: true, requests }, advance(operation, current, value, records));
}

module.exports = { poll };
