'use strict';

/*
 * What the kernel's interface promises beyond the corpus: hosts that retry themselves, the
 * async driver, one-line error texts, byte-exact Basic auth, redaction of every secret, host
 * values never changed (lists and merged objects too), option sources reading the form's values,
 * and a base URL override standing in for the fields it replaces.
 */

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const kernel = require('../src/index.js');

const CONNECTORS = path.join(__dirname, '..', '..', 'conformance', 'connectors');
const load = (name) => JSON.parse(fs.readFileSync(path.join(CONNECTORS, `${name}.runtime.json`), 'utf8'));
const acme = load('acme');
const basicco = load('basicco');

const connect = (doc, given) => {
  const resolved = kernel.resolveConnection(doc, given, { env: {} });
  assert.ok(resolved.ok, JSON.stringify(resolved));
  return resolved.connection;
};

const unavailable = { status: 503, headers: {}, body: JSON.stringify({ error: { message: 'Down' } }) };

test('with host retries off, the first retryable failure is returned at once', () => {
  const plan = kernel.runPlan(acme, 'get_item', { id: 'i1' }, connect(acme, { api_key: 'k' }), { retries: false });
  assert.equal(plan.next().value.type, 'send');
  const done = plan.next(unavailable);
  assert.equal(done.done, true);
  assert.deepEqual(done.value, {
    ok: false,
    error: { kind: 'TemporaryError', status: 503, message: 'Down', retryAfter: null },
  });
});

test('with retries on, the same failure is slept on and sent again', () => {
  const plan = kernel.runPlan(acme, 'get_item', { id: 'i1' }, connect(acme, { api_key: 'k' }), { retries: true });
  plan.next();
  assert.deepEqual(plan.next(unavailable).value, { type: 'sleep', seconds: 0.5 });
  assert.equal(plan.next().value.type, 'send');
});

test('drive runs a plan with async host callbacks', async () => {
  const sent = [];
  const slept = [];
  const answers = [
    unavailable,
    { status: 200, headers: {}, body: JSON.stringify({ data: { id: 'i1', name: 'Bolt' } }) },
  ];
  const outcome = await kernel.drive(
    kernel.runPlan(acme, 'get_item', { id: 'i 1' }, connect(acme, { api_key: 'k' }), {}),
    async (request) => {
      sent.push(request.url);
      return answers.shift();
    },
    async (seconds) => {
      slept.push(seconds);
    },
  );
  assert.deepEqual(outcome, { ok: true, result: { id: 'i1', name: 'Bolt' } });
  assert.deepEqual(sent, ['https://api.acme.test/v2/items/i%201', 'https://api.acme.test/v2/items/i%201']);
  assert.deepEqual(slept, [0.5]);
});

test('each request a plan yields carries its timeout and size cap, the timeout never past the deadline', () => {
  let now = 1000;
  const plan = kernel.runPlan(acme, 'get_item', { id: 'i1' }, connect(acme, { api_key: 'k' }), {
    clock: () => now,
  });
  const first = plan.next().value.request;
  assert.equal(first.timeoutMs, acme.limits.timeout * 1000);
  assert.equal(first.maxBytes, acme.limits.max_response_bytes);
  now += (acme.limits.deadline - 3) * 1000;
  assert.deepEqual(plan.next({ failure: 'reset', detail: '' }).value, { type: 'sleep', seconds: 0.5 });
  now += 500;
  assert.equal(plan.next().value.request.timeoutMs, 2500);
});

test('without a host clock no deadline passes; without a host random no jitter', () => {
  const plan = kernel.runPlan(acme, 'get_item', { id: 'i1' }, connect(acme, { api_key: 'k' }), { nowMs: 5 });
  plan.next();
  assert.deepEqual(plan.next(unavailable).value, { type: 'sleep', seconds: 0.5 });
  assert.equal(plan.next().value.request.timeoutMs, acme.limits.timeout * 1000);
});

test('a host random outside [0, 1) counts as no jitter', () => {
  for (const random of [() => -1, () => 1, () => NaN, () => 'x']) {
    const plan = kernel.runPlan(acme, 'get_item', { id: 'i1' }, connect(acme, { api_key: 'k' }), { random });
    plan.next();
    assert.deepEqual(plan.next(unavailable).value, { type: 'sleep', seconds: 0.5 });
  }
});

test('drive takes a failure from the host and errorText names the operation', async () => {
  const outcome = await kernel.drive(
    kernel.runPlan(acme, 'create_item', { name: 'Bolt' }, connect(acme, { api_key: 'sk-acme-123' }), {}),
    async () => ({ failure: 'timeout', detail: 'socket timeout' }),
    async () => {
      throw new Error('a create that timed out must not be slept on and sent again');
    },
  );
  assert.equal(outcome.ok, false);
  assert.equal(outcome.error.kind, 'TransportError');
  assert.equal(outcome.error.failure, 'timeout');
  assert.equal(outcome.error.maybeSucceeded, true);
  assert.equal(
    kernel.errorText('create_item', outcome.error),
    'create_item: no answer from https://api.acme.test within 10 s (read timeout); not sent again: ' +
      'the API may have carried it out (give Code to make a retry safe)',
  );
});

test('errorText renders each kind as the Python runtime does', () => {
  const cases = [
    [
      { kind: 'NotFoundError', status: 404, message: 'No such item', retryAfter: null },
      'get_item: HTTP 404: No such item',
    ],
    [{ kind: 'RateLimitError', status: 429, message: 'Slow', retryAfter: 2 }, 'get_item: HTTP 429: Slow'],
    [
      { kind: 'ResponseError', status: null, message: 'expected an object at data', retryAfter: null },
      'get_item: expected an object at data',
    ],
    [
      {
        kind: 'ConnectionSettingsError',
        status: null,
        message: 'connection field "api_key" is required',
        retryAfter: null,
      },
      'connection field "api_key" is required',
    ],
  ];
  for (const [error, text] of cases) assert.equal(kernel.errorText('get_item', error), text);
  const invalid = kernel.prepareInput(acme, 'create_item', { count: 'many' });
  assert.equal(
    kernel.errorText('create_item', invalid.error),
    'invalid input for create_item: count: must be of type integer, got "many"; name: is required',
  );
});

test('Basic auth is base64 of the UTF-8 pair, byte for byte', () => {
  const triples = [
    ['ada', 'northwind', 'tok-9'],
    ['zoë', 'café', 'pässwörd😀'],
    ['a', 'b', 'c'],
    ['ab', 'c', 'de'],
  ];
  for (const [user, account, token] of triples) {
    const expected = Buffer.from(`${user}@${account}:${token}`, 'utf8').toString('base64');
    assert.equal(connect(basicco, { user, account, token }).headers.Authorization, `Basic ${expected}`);
  }
});

test('redact replaces every secret, the longer first when one holds another', () => {
  const connection = { values: {}, baseUrl: '', headers: {}, secrets: ['abc', 'abcdef'] };
  assert.equal(kernel.redact(connection, 'key abcdef and abc'), 'key *** and ***');
});

test('extra query params follow the spec params, in their order', () => {
  const built = kernel.buildRequest(acme, 'find_item', { query: 'a b' }, connect(acme, { api_key: 'k' }), {
    page: 2,
    since: 0,
  });
  assert.equal(built.request.url, 'https://api.acme.test/v2/items?q=a+b&limit=10&page=2&since=0');
});

test('a poll of an operation that is not a trigger is refused', () => {
  const outcome = kernel
    .pollPlan(acme, 'get_item', { id: 'i1' }, connect(acme, { api_key: 'k' }), null, { nowMs: 0 })
    .next();
  assert.equal(outcome.done, true);
  assert.deepEqual(outcome.value.error.problems, [
    { field: '(trigger)', rule: 'trigger', message: 'no trigger named "get_item"' },
  ]);
});

const deepFreeze = (value) => {
  if (value && typeof value === 'object') Object.values(Object.freeze(value)).forEach(deepFreeze);
  return value;
};

test("the host's input, state and responses are never changed", () => {
  const connection = connect(acme, { api_key: 'k' });
  const raw = deepFreeze({ kind: 'bolt', extra: '' });
  const walk = { since: 4000, skip: 2, known: 0, ids: ['["a"]', '["x"]'], now: 8500 };
  const stored = { cursor: 5000, seen: { '["a"]': 5200, '["old"]': 10 }, walk };
  const state = deepFreeze(JSON.parse(JSON.stringify(stored)));
  const page = deepFreeze({
    status: 200,
    headers: {},
    body: JSON.stringify({ data: { items: [{ id: 'b', createdAt: 8000 }] } }),
  });
  const plan = kernel.pollPlan(acme, 'new_item', raw, connection, state, { nowMs: 9000 });
  const sent = plan.next().value;
  assert.equal(sent.type, 'send');
  assert.match(sent.request.url, /createdSince=4000&limit=2&skip=2$/);
  const done = plan.next(page).value;
  assert.deepEqual(done, {
    ok: true,
    requests: 1,
    events: [{ id: 'b', createdAt: 8000 }],
    state: { cursor: 8500, seen: { '["b"]': 8000 }, walk: null },
  });
  assert.deepEqual(state, stored);
  assert.deepEqual(kernel.prepareInput(acme, 'create_item', deepFreeze({ name: ' x ', contact: { phone: '' } })), {
    ok: true,
    value: { name: ' x ' },
  });
});

test('Node error codes map to failure kinds; other codes are not the connection\'s', () => {
  assert.equal(kernel.systemFailure('ECONNREFUSED'), 'connect');
  assert.equal(kernel.systemFailure('ETIMEDOUT'), 'timeout');
  assert.equal(kernel.systemFailure('ECONNRESET'), 'reset');
  assert.equal(kernel.systemFailure('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls');
  assert.equal(kernel.systemFailure('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls');
  assert.equal(kernel.systemFailure('ERR_INVALID_ARG_TYPE'), null);
  assert.equal(kernel.systemFailure('toString'), null);
  assert.equal(kernel.systemFailure(undefined), null);
});

test('a list input and a merged object from the host are never changed, and __proto__ stays a plain key', () => {
  const connection = connect(acme, { api_key: 'k' });
  const visits = deepFreeze({ visits: [{ title: 'a', date: '', start: '07:05' }, { title: 'b' }] });
  const listed = kernel.prepareInput(acme, 'schedule_visits', visits);
  assert.deepEqual(listed, { ok: true, value: { visits: [{ title: 'a', start: '07:05' }, { title: 'b' }] } });
  const more = deepFreeze(JSON.parse('{"id": "7", "more": {"__proto__": {"polluted": true}, "color": "red"}}'));
  const prepared = kernel.prepareInput(acme, 'update_visit', more);
  assert.ok(prepared.ok, JSON.stringify(prepared));
  const built = kernel.buildRequest(acme, 'update_visit', prepared.value, connection);
  assert.equal(built.request.body, '{"visit":{"__proto__":{"polluted":true},"color":"red"}}');
  assert.equal({}.polluted, undefined);
});

test('an option source reads the form values the host passes, and sends nothing without them', () => {
  const connection = connect(acme, { api_key: 'k' });
  const asked = kernel.optionsPlan(acme, 'owner_visits', connection, {}, { owner: 'ada', title: 'x' }).next().value;
  assert.equal(asked.type, 'send');
  assert.equal(asked.request.url, 'https://api.acme.test/v2/owners/ada/visits?state=open');
  const refused = kernel.optionsPlan(acme, 'owner_visits', connection, {}).next();
  assert.equal(refused.done, true);
  assert.deepEqual(refused.value.error.problems, [{ field: 'owner', rule: 'required', message: 'is required' }]);
});

test('a base URL given whole stands in for the account field it replaces', () => {
  const slugco = load('slugco');
  const override = { env: {}, baseUrl: 'http://127.0.0.1:9/acme/' };
  const replaced = kernel.resolveConnection(slugco, { api_token: 't' }, override);
  assert.deepEqual([replaced.ok, replaced.connection.baseUrl], [true, 'http://127.0.0.1:9/acme']);
  const missing = kernel.resolveConnection(slugco, { api_token: 't' }, { env: {} });
  assert.equal(missing.error.message, 'connection field "account" is required (or set SLUGCO_ACCOUNT)');
});
