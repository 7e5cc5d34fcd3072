'use strict';

/*
 * The three ways a host polls a trigger (docs/polling.md), as the Python runtime's
 * runtime/polling: `poll` keeps a cursor and the seen keys, sets a baseline on its first run and
 * moves the cursor only when a walk provably read all of Q(since); `window` reads the last polling
 * interval for a host that keeps no state and dedupes on its own; `latest` finds the newest record
 * for a manual test. A trigger without a cursor walks its whole list instead (`census`). A walk
 * reads Q(since) page by page until a short page; the server's clock is the first answer's `date`
 * header (the start of that second), the host's `nowMs` without one.
 */

const { isObject } = require('./values');
const { requestFor } = require('./request');
const { jsonBody, records } = require('./response');
const { stamped } = require('./timestamps');
const { header, httpDateMs } = require('./errors');
const { send, resendNote } = require('./retry');
const budget = require('./budget');
const { placeOf, pageParams, withParams } = require('./paging');
const { readState, stateJson, position, identityKey, itemKey, eventKey } = require('./pollstate');

const HOUR_MS = 3600000;
const DAY_MS = 86400000;
/** The Date header counts whole seconds: a client clock less than this ahead of it agrees with it. */
const DATE_RESOLUTION_MS = 1000;
const WINDOW_BUDGET = 10; // a window poll may read this many times max_pages: it cannot resume, only stop runaways

/**
 * The params the cursor (when the trigger has one) and the paging add after the operation's own,
 * each in its place (query or body): [in, name, value].
 */
const pageQuery = (polling, since, skip) => {
  const cursor = isObject(polling.cursor) ? [[placeOf(polling.cursor.in), polling.cursor.param, since]] : [];
  return cursor.concat(pageParams(polling.pagination, skip));
};

/** The server's clock: the start of the second its `date` header names (never later than its true clock). */
const serverNow = (response) => httpDateMs(header(response, 'date') || '');

/**
 * Sends a trigger's page requests within one poll's page budget (`pageBudget` times max_pages);
 * its pages and their retries share one deadline.
 */
const pager = (doc, operation, value, connection, options, pageBudget = 1) => ({
  polling: operation.polling,
  budget: pageBudget * operation.polling.max_pages,
  time: budget.start(doc, options),
  unsafe: resendNote(operation, value),
  requests: 0,
  nowMs: Number(options.nowMs) || 0,
  /**
   * Generator: read `walk` on from its skip, each record to `take`. Returns {ok, total}: the size
   * of Q(since) when a short page ended it, null when the budget ran out first; or {ok: false, error}.
   */
  *walk(walk, take) {
    const size = this.polling.pagination.page_size;
    while (this.requests < this.budget) {
      const mapping = withParams(operation.request, pageQuery(this.polling, walk.since, walk.skip));
      const request = requestFor(mapping, value, connection);
      const sent = yield* send(doc, connection, request, options, this.time, this.unsafe);
      this.requests += 1;
      if (!sent.ok) return sent;
      const body = jsonBody(sent.response);
      if (!body.ok) return body;
      const found = records(operation, body.value);
      if (!found.ok) return found;
      if (walk.now === null) {
        const at = serverNow(sent.response);
        walk.now = at === null ? this.nowMs : at;
      }
      found.value.forEach(take);
      if (found.value.length < size) return { ok: true, total: walk.skip + found.value.length };
      walk.skip += size;
    }
    return { ok: true, total: null };
  },
});

/** A since value: epoch milliseconds, never before 0 (an API takes no negative time). */
const sinceAt = (at) => Math.max(0, at);

const newWalk = (since, now) => ({
  since: sinceAt(since),
  skip: 0,
  known: 0,
  ids: [],
  now: now === undefined ? null : now,
});

/**
 * The events a host receives: by position, newest first (records at one position keep the order
 * they were read in), derived timestamps set.
 */
const delivered = (read, operation) =>
  read
    .map((record, index) => ({ record, index, at: position(record, operation.polling) }))
    .sort((a, b) => b.at - a.at || a.index - b.index)
    .map((entry) => stamped(operation.output, entry.record));

/** The clock a window should be measured on: the server's when the client's is ahead of it. */
const serverClock = (walk, nowMs) => (nowMs - walk.now >= DATE_RESOLUTION_MS ? walk.now : nowMs);

/** A new walk from the horizon; a created cursor skips the records it already knows. */
const startWalk = (polling, state, nowMs, probe) => {
  if (state.cursor === null) return newWalk(nowMs - polling.lookback_ms);
  const since = sinceAt(state.cursor - polling.lookback_ms);
  if (!probe || polling.cursor.kind !== 'created') return newWalk(since);
  let known = 0;
  for (const at of state.seen.values()) if (at >= since) known += 1;
  const size = polling.pagination.page_size;
  const skip = polling.pagination.style === 'offset' ? known : Math.floor(known / size) * size;
  return { since, skip, known, ids: [], now: null };
};

/** Drop seen keys no later poll can read again: `remember_ms` behind the horizon. */
const forget = (polling, state) => {
  if (state.cursor === null) return;
  const oldest = state.cursor - polling.lookback_ms - (Number(polling.remember_ms) || 0);
  for (const [key, at] of state.seen) if (at < oldest) state.seen.delete(key);
};

/** Generator: one poll from `stored` (null or unreadable: a baseline); {ok, events, state, requests}. */
function* poll(doc, operation, value, connection, stored, options) {
  const polling = operation.polling;
  const pages = pager(doc, operation, value, connection, options);
  const state = readState(stored) || { cursor: null, seen: new Map(), walk: null };
  if (!isObject(polling.cursor)) return yield* census(pages, operation, state);
  const events = [];
  let probe = true;
  let clockMs = pages.nowMs; // becomes the server's clock when the client's is ahead of it (a baseline's window)
  while (pages.requests < pages.budget) {
    const walk = state.walk || startWalk(polling, state, clockMs, probe);
    state.walk = walk;
    const counted = new Set(walk.ids);
    const known = new Set();
    if (walk.known) for (const [key, at] of state.seen) if (at >= walk.since && !counted.has(key)) known.add(key);
    const take = (record) => {
      const identity = identityKey(record, polling);
      if (!counted.has(identity) && !known.has(identity)) {
        counted.add(identity);
        walk.ids.push(identity);
      }
      const key = eventKey(record, polling);
      if (!state.seen.has(key)) {
        state.seen.set(key, position(record, polling));
        if (state.cursor !== null) events.push(record); // a baseline remembers, and emits nothing
      }
    };
    const read = yield* pages.walk(walk, take);
    if (!read.ok) return read;
    if (read.total === null) break; // capped: the walk resumes at its skip next time; the cursor stays
    state.walk = null;
    clockMs = serverClock(walk, pages.nowMs);
    // a baseline asked from a client clock ahead of the server's: ask again from the server's
    if (state.cursor === null && walk.since > sinceAt(clockMs - polling.lookback_ms)) continue;
    if (walk.known + walk.ids.length === read.total) {
      state.cursor = state.cursor === null ? walk.now : Math.max(state.cursor, walk.now);
      break;
    }
    probe = false; // a record moved behind the offset: read the whole set again
  }
  forget(polling, state);
  return { ok: true, events: delivered(events, operation), state: stateJson(state), requests: pages.requests };
}

/**
 * Generator: a poll without a cursor (an API with no since filter): walk the whole list from its
 * first page (resuming a walk capped at max_pages); an event is a record whose identity no walk
 * read before. `cursor` counts the complete walks (null until the baseline's completes: it emits
 * nothing), and each seen key holds the number of the last walk that read it, so a complete walk
 * forgets the keys that neither it nor the one before read: seen keys stay bounded by two walks.
 */
function* census(pages, operation, state) {
  const polling = operation.polling;
  const number = (state.cursor === null ? 0 : state.cursor) + 1; // the walk under way
  const walk = state.walk || newWalk(0);
  state.walk = walk;
  const events = [];
  const read = yield* pages.walk(walk, (record) => {
    const identity = identityKey(record, polling);
    if (!state.seen.has(identity) && state.cursor !== null) events.push(record); // a baseline emits nothing
    state.seen.set(identity, number);
  });
  if (!read.ok) return read;
  if (read.total !== null) {
    // complete: the next poll walks from the first page
    state.walk = null;
    state.cursor = number;
    for (const [key, last] of state.seen) if (last < number - 1) state.seen.delete(key);
  }
  return { ok: true, events: delivered(events, operation), state: stateJson(state), requests: pages.requests };
}

/**
 * Generator: everything changed in the last two polling intervals (`windowMs`) plus the lookback, on
 * the server's clock: the poll after a failed one still covers what the failed one missed.
 */
function* pollWindow(doc, operation, value, connection, options) {
  const polling = operation.polling;
  const pages = pager(doc, operation, value, connection, options, WINDOW_BUDGET);
  const asked = Number(options.windowMs);
  const span = 2 * (asked > 0 ? asked : polling.window_ms) + polling.lookback_ms;
  const items = new Map();
  if (!isObject(polling.cursor)) {
    // no window to ask for: the whole list is the window, in the order the API lists it
    const read = yield* pages.walk(newWalk(0), (record) => items.set(itemKey(record, polling), record));
    if (!read.ok) return read;
    return { ok: true, events: delivered(Array.from(items.values()), operation), requests: pages.requests };
  }
  let walk = newWalk(pages.nowMs - span);
  while (pages.requests < pages.budget) {
    const counted = new Set();
    const take = (record) => {
      counted.add(identityKey(record, polling));
      items.set(itemKey(record, polling), record); // the host knows an item by its dedupe key: the last read stands
    };
    const read = yield* pages.walk(walk, take);
    if (!read.ok) return read;
    const since = sinceAt(Math.min(walk.since, serverClock(walk, pages.nowMs) - span)); // a client clock ahead asked too late
    if (read.total === null || (counted.size === read.total && since === walk.since)) break;
    walk = newWalk(since, walk.now);
  }
  return { ok: true, events: delivered(Array.from(items.values()), operation), requests: pages.requests };
}

/** Generator: the newest record of the first non-empty window (1 hour, 1 day, initial_window_ms). */
function* pollLatest(doc, operation, value, connection, options) {
  const polling = operation.polling;
  const pages = pager(doc, operation, value, connection, options);
  if (!isObject(polling.cursor)) {
    // no position to compare: the record the API lists first
    pages.budget = 1;
    let first = null;
    const read = yield* pages.walk(newWalk(0), (record) => {
      if (first === null) first = record;
    });
    if (!read.ok) return read;
    const shown = first !== null ? first : operation.sample;
    return { ok: true, events: isObject(shown) ? delivered([shown], operation) : [], requests: pages.requests };
  }
  const spans = [HOUR_MS, DAY_MS]
    .filter((span) => span < polling.initial_window_ms)
    .concat([polling.initial_window_ms]);
  let now = null;
  for (const span of spans) {
    const walk = newWalk((now === null ? pages.nowMs : now) - span, now);
    let newest = null;
    const read = yield* pages.walk(walk, (record) => {
      if (newest === null || position(record, polling) > position(newest, polling)) newest = record;
    });
    if (!read.ok) return read;
    now = walk.now;
    if (newest !== null || pages.requests >= pages.budget)
      return { ok: true, events: newest === null ? [] : delivered([newest], operation), requests: pages.requests };
  }
  // none in any window: the spec's sample, which every host shows in its place
  const sample = isObject(operation.sample) ? delivered([operation.sample], operation) : [];
  return { ok: true, events: sample, requests: pages.requests };
}

module.exports = { poll, pollWindow, pollLatest };
