'use strict';

/*
 * The kernel never throws for any JSON a host hands it, never lets a secret into a message and
 * never pollutes a prototype: thousands of hostile inputs, responses and states, generated from
 * a fixed seed so a failure always reproduces.
 */

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const kernel = require('../src/index.js');

const CONNECTORS = path.join(__dirname, '..', '..', 'conformance', 'connectors');
const documents = fs
  .readdirSync(CONNECTORS)
  .filter((name) => name.endsWith('.runtime.json'))
  .map((name) => JSON.parse(fs.readFileSync(path.join(CONNECTORS, name), 'utf8')));

const KINDS = [
  'InputValidationError',
  'ConnectionSettingsError',
  'AuthError',
  'RateLimitError',
  'TemporaryError',
  'NotFoundError',
  'ApiError',
  'ResponseError',
  'TransportError',
];
const SECRET = 'sk-secret-42';
const TEXTS = [
  '',
  ' ',
  '..',
  '.',
  '%2e%2E',
  '%252e',
  'a/b?c#d',
  '\r\nX: y',
  '\u0000',
  '\ud800',
  'a\ud83d\ude00b',
  '__proto__',
  'constructor',
  'toString',
  '2026-05-10T09:30:00+02:00',
  '2026-02-30',
  '7',
  ' 7\n',
  '7.5',
  '\u0667',
  'true',
  'TRUE',
  'a@b.co',
  SECRET,
  `echo ${SECRET} back`,
  'Thu, 01 Jan 1970 00:00:10 GMT',
  '-1',
  '1.5',
  'x'.repeat(300),
];
const NUMBERS = [0, -1, 1, 7, 2.5, 1e21, -1e-7, 9007199254740993, 429, 503];
const KEYS = ['data', 'items', 'error', 'message', 'detail', '__proto__', 'constructor', 'cursor', 'seen'];
const STATUSES = [200, 201, 204, 301, 304, 400, 401, 403, 404, 420, 429, 500, 502, 503, 504, 0, -5, 1000];

/** A small deterministic generator (mulberry32), so every run sees the same cases. */
const generator = (seed) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** Every property name a document's schemas and records use, so hostile values hit real rules. */
const namesOf = (doc) => {
  const names = new Set(KEYS);
  const walk = (schema) => {
    for (const [name, sub] of Object.entries((schema && schema.properties) || {})) {
      names.add(name);
      walk(sub);
    }
  };
  for (const operation of Object.values(doc.operations)) {
    walk(operation.input);
    walk(operation.output);
  }
  return Array.from(names);
};

const hostile = (random, doc) => {
  const keys = namesOf(doc);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const value = (depth) => {
    const roll = random();
    if (depth > 3 || roll < 0.35) return pick(TEXTS);
    if (roll < 0.5) return pick(NUMBERS);
    if (roll < 0.58) return pick([true, false, null]);
    if (roll < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    const object = {};
    for (let index = Math.floor(random() * 5); index > 0; index -= 1) {
      Object.defineProperty(object, pick(keys), {
        value: value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return object;
  };
  /** A value that mostly fits `schema`, with a hostile text or number now and then. */
  const plausible = (schema) => {
    if (random() < 0.15) return random() < 0.5 ? pick(TEXTS) : pick(NUMBERS);
    if (schema.enum) return pick(schema.enum);
    if (schema.type === 'object') {
      const object = {};
      for (const [name, sub] of Object.entries(schema.properties || {})) {
        if ((schema.required || []).includes(name) || random() < 0.5) object[name] = plausible(sub);
      }
      return object;
    }
    if (schema.type === 'array') return [plausible(schema.items || {})];
    if (schema.type === 'integer' || schema.type === 'number') return pick([1, 7, 1000, 2]);
    if (schema.type === 'boolean') return random() < 0.5;
    return pick(['i1', 'Bolt', 'a@b.co', '2026-05-10', 'AB-12', 'done', 'bolt', SECRET]);
  };
  const outputs = Object.values(doc.operations).map((operation) => operation.output);
  const records = () =>
    Array.from({ length: Math.floor(random() * 4) }, () => (random() < 0.7 ? plausible(pick(outputs)) : value(1)));
  const shaped = () =>
    pick([{ data: { items: records() } }, { data: value(1) }, records(), { error: { message: pick(TEXTS) } }]);
  const body = () => (random() < 0.8 ? JSON.stringify(random() < 0.6 ? shaped() : value(0)) : pick(TEXTS));
  const failure = () => ({
    failure: pick(['connect', 'tls', 'timeout', 'reset', 'too_large'].concat(TEXTS)),
    detail: pick(TEXTS),
  });
  const response = () =>
    random() < 0.1
      ? value(0)
      : random() < 0.1
      ? failure()
      : {
          status: pick(STATUSES),
          headers: random() < 0.5 ? { 'retry-after': pick(TEXTS), 'x-wait': pick(TEXTS) } : {},
          body: body(),
        };
  return { pick, value, response, plausible };
};

const assertOutcome = (outcome, where, redacted = true) => {
  assert.equal(typeof outcome.ok, 'boolean', `${where}: no ok`);
  if (outcome.ok) return;
  assert.ok(KINDS.includes(outcome.error.kind), `${where}: kind ${outcome.error.kind}`);
  assert.equal(typeof outcome.error.message, 'string', `${where}: message`);
  assert.ok(!/[\r\n]/.test(outcome.error.message), `${where}: the message is not one line`);
  if (!redacted) return;
  assert.ok(!outcome.error.message.includes(SECRET), `${where}: the secret is in ${outcome.error.message}`);
  for (const problem of outcome.error.problems || [])
    assert.ok(!problem.message.includes(SECRET), `${where}: secret in a problem`);
};

/** Run a plan to its end, answering each send with a hostile response. */
const finish = (plan, answer) => {
  let reply;
  for (let steps = 0; steps < 200; steps += 1) {
    const step = plan.next(reply);
    if (step.done) return step.value;
    assert.ok(['send', 'sleep'].includes(step.value.type));
    if (step.value.type === 'sleep') assert.ok(step.value.seconds >= 0 && Number.isFinite(step.value.seconds));
    reply = step.value.type === 'send' ? answer() : undefined;
  }
  throw new Error('the plan did not finish in 200 steps');
};

const connectionFor = (doc) => {
  const given = {};
  for (const field of doc.connection.fields) {
    given[field.key] = field.secret ? SECRET : field.key === 'base_url' ? 'https://api.test' : 'acct';
  }
  const resolved = kernel.resolveConnection(doc, given, { env: {} });
  assert.ok(resolved.ok, JSON.stringify(resolved));
  return resolved.connection;
};

for (const doc of documents) {
  test(`${doc.name}: hostile inputs, responses and states never throw and never leak the secret`, () => {
    const random = generator(20260510);
    const { pick, value, response, plausible } = hostile(random, doc);
    const connection = connectionFor(doc);
    const keys = Object.keys(doc.operations).concat(['nope', '__proto__', 'constructor']);
    for (let round = 0; round < 400; round += 1) {
      const key = pick(keys);
      const raw =
        random() < 0.3 || !Object.prototype.hasOwnProperty.call(doc.operations, key)
          ? value(0)
          : plausible(doc.operations[key].input);
      assertOutcome(kernel.prepareInput(doc, key, raw), `prepare ${key}`, false);
      const built = kernel.buildRequest(
        doc,
        key,
        raw,
        connection,
        random() < 0.5 ? { page: pick(NUMBERS) } : undefined,
      );
      assertOutcome(built, `build ${key}`);
      assertOutcome(
        kernel.interpretResponse(doc, key, raw, response(), connection, { nowMs: 10000 }),
        `interpret ${key}`,
      );
      const options = { nowMs: pick(NUMBERS), retries: random() < 0.5 };
      assertOutcome(finish(kernel.runPlan(doc, key, raw, connection, options), response), `run ${key}`);
      const walk = {
        since: pick(NUMBERS),
        skip: pick(NUMBERS),
        known: pick(NUMBERS),
        ids: [pick(TEXTS)],
        now: pick(NUMBERS),
      };
      const state =
        random() < 0.5
          ? value(0)
          : { cursor: pick(NUMBERS), seen: { [pick(TEXTS)]: pick(NUMBERS) }, walk: random() < 0.5 ? null : walk };
      assertOutcome(finish(kernel.pollPlan(doc, key, raw, connection, state, options), response), `poll ${key}`);
      const windowed = Object.assign({ windowMs: pick(NUMBERS) }, options);
      assertOutcome(finish(kernel.windowPlan(doc, key, raw, connection, windowed), response), `window ${key}`);
      assertOutcome(finish(kernel.latestPlan(doc, key, raw, connection, options), response), `latest ${key}`);
      const source = pick(Object.keys(doc.option_sources).concat(['nope']));
      assertOutcome(finish(kernel.optionsPlan(doc, source, connection, options), response), `options ${source}`);
      assertOutcome(
        kernel.resolveConnection(doc, value(0), { env: value(0), baseUrl: pick(TEXTS) }),
        'connection',
        false,
      );
    }
    assert.equal({}.polluted, undefined);
    assert.equal(Object.prototype.toString.call({}), '[object Object]');
  });
}

test('a non-document never throws either', () => {
  for (const doc of [null, 1, 'x', [], {}, { operations: { a: 1 } }, { connection: {} }]) {
    assert.equal(kernel.prepareInput(doc, 'a', {}).ok, false);
    assert.equal(kernel.buildRequest(doc, 'a', {}, {}).ok, false);
    assert.equal(kernel.interpretResponse(doc, 'a', {}, {}, {}).ok, false);
    assert.equal(finish(kernel.runPlan(doc, 'a', {}, {}), () => ({})).ok, false);
    assert.equal(finish(kernel.pollPlan(doc, 'a', {}, {}, null), () => ({})).ok, false);
    assert.equal(finish(kernel.windowPlan(doc, 'a', {}, {}), () => ({})).ok, false);
    assert.equal(finish(kernel.latestPlan(doc, 'a', {}, {}), () => ({})).ok, false);
    assert.equal(finish(kernel.optionsPlan(doc, 'a', {}), () => ({})).ok, false);
    assert.equal(typeof kernel.resolveConnection(doc, {}, {}).ok, 'boolean');
  }
});

test('a value nested 20000 deep is judged, not a stack overflow', () => {
  const acme = documents.find((doc) => doc.name === 'acme');
  const deep = `${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}`;
  const connection = { values: {}, baseUrl: '', secrets: [], headers: {} };
  const input = kernel.prepareInput(
    acme,
    'create_item',
    JSON.parse(`{"name":"x","contact":{"email":${deep}},"zz":${deep}}`),
  );
  assert.deepEqual(
    input.error.problems.map((problem) => [problem.field, problem.rule]),
    [
      ['contact', 'depth'],
      ['zz', 'depth'],
    ],
  );
  assert.equal(input.error.problems[0].message, 'is nested more than 32 levels deep');
  const answer = kernel.interpretResponse(
    acme,
    'get_item',
    { id: 'x' },
    { status: 200, headers: {}, body: `{"data":{"id":"x","name":${deep}}}` },
    connection,
    {},
  );
  assert.equal(answer.error.kind, 'ResponseError');
  const listed = kernel.interpretResponse(
    acme,
    'list_items',
    {},
    {
      status: 200,
      headers: {},
      body: `{"data":{"items":[{"id":"x","flag":${deep}},{"id":"y","flag":true,"tier":1}]}}`,
    },
    connection,
    {},
  );
  // deeper than an answer may nest (the Python runtime's stack could not read it): not JSON, in both
  assert.equal(listed.error.kind, 'ResponseError');
  assert.match(listed.error.message, /not JSON/);
});
