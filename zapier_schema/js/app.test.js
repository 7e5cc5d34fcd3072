'use strict';

/*
 * Offline checks of this app with Zapier's own packages (`npm test`, NODE_ENV=test so that
 * zapier-platform-core's result checks throw). A loopback server stands in for the API, so
 * nothing leaves this machine.
 */

const assert = require('node:assert/strict');
const http = require('node:http');
const { after, before, test } = require('node:test');

const zapier = require('zapier-platform-core');
const { validateAppDefinition } = require('zapier-platform-schema');
const TriggerSchema = require('zapier-platform-schema/lib/schemas/TriggerSchema');
const SearchSchema = require('zapier-platform-schema/lib/schemas/SearchSchema');
const CreateSchema = require('zapier-platform-schema/lib/schemas/CreateSchema');

const App = require('../index');
const connector = require('../lib/connector.json');

// The Lambda handler Zapier runs in production; the app tester only takes JS functions, and
// this app's functions are `{source}` text in definition.json.
const handler = zapier.createAppHandler(App);
const execute = (method, bundle) => handler({ command: 'execute', method, bundle }).then((done) => done.results);
const SECTIONS = { trigger: 'triggers', search: 'searches', list: 'searches', action: 'creates' };
const OPERATION_SCHEMAS = { triggers: TriggerSchema, searches: SearchSchema, creates: CreateSchema };

const seen = [];
let server;
let root;

before(async () => {
  server = http.createServer((request, response) => {
    seen.push(request.url);
    const body = {};
    const { message } = connector.errors; // a dotted path, or a list of them (the first is written)
    const parts = (Array.isArray(message) ? message[0] : message).split('.');
    parts.reduce((target, part, index) => (target[part] = index === parts.length - 1 ? 'No such record.' : {}), body);
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `http://127.0.0.1:${server.address().port}`;
});

after(() => server.close());

/**
 * Connection values pointing at the loopback server: the field that starts the base URL template
 * is the server's URL, any other field in it one path segment (`{base_url}/{account}`), a secret
 * the test key; other fields keep their defaults. A template that starts with literal text (a
 * fixed host) cannot point at the server: `local` says whether this one can.
 */
const leading = /^\{([A-Za-z0-9_]+)\}/.exec(connector.connection.base_url);
const local = leading !== null;
const authData = () => {
  const values = {};
  for (const field of connector.connection.fields) {
    if (field.secret) values[field.key] = 'offline-test-key';
    else if (local && field.key === leading[1]) values[field.key] = `${root}/api`;
    else if (connector.connection.base_url.includes(`{${field.key}}`)) values[field.key] = 'offline';
  }
  return values;
};

const methodOf = (key) => `${SECTIONS[connector.operations[key].kind]}.${key}.operation.perform`;
const visible = Object.keys(connector.operations).filter((key) => SECTIONS[connector.operations[key].kind]);

const rejection = async (key, inputData) => {
  seen.length = 0;
  const error = await execute(methodOf(key), { authData: authData(), inputData }).then(
    () => assert.fail(`${key} should have failed`), (failure) => failure);
  return { error: JSON.parse(error.message), requests: [...seen] };
};

test('the definition passes zapier-platform-schema, whole and per operation', () => {
  assert.deepEqual(validateAppDefinition(App).errors.map(String), []);
  for (const [section, schema] of Object.entries(OPERATION_SCHEMAS)) {
    for (const [key, entry] of Object.entries(App[section] || {})) {
      assert.deepEqual(schema.validate(entry).errors.map(String), [], `${section}.${key}`);
    }
  }
});

test('a missing required field is refused by name before anything is sent', async () => {
  for (const key of visible) {
    const required = connector.operations[key].input.required || [];
    if (!required.length) continue;
    const { error, requests } = await rejection(key, {});
    assert.equal(error.code, 'InputValidationError', key);
    for (const field of required) assert.match(error.message, new RegExp(`\\(${field}\\) is required`), key);
    assert.deepEqual(requests, [], key);
  }
});

/** What the app answers when the API says 404: a search or list finds nothing, an action fails. */
const outcome = async (key, inputData) => {
  seen.length = 0;
  const result = await execute(methodOf(key), { authData: authData(), inputData }).then(
    (results) => ({ results }), (failure) => ({ error: JSON.parse(failure.message) }));
  return { ...result, requests: [...seen] };
};

const FINDERS = ['search', 'list'];

/** A value for a path field that a URL parser would bend (a text ID), or a plain one (an integer ID). */
const ODD_TEXT = "a/b?c#d!'()*";
const pathValue = (schema) => (schema.type === 'string' ? ODD_TEXT : 424242);

test('path values stay one encoded segment; a 404 is nothing found for a search, the API message for an action', async (t) => {
  if (!local) {
    t.skip('the base URL template starts with literal text, so it cannot point at a local server');
    return;
  }
  let checked = 0;
  for (const key of visible) {
    const { request, input, kind } = connector.operations[key];
    const pathParams = request.params.filter((param) => param.in === 'path' && param.value === null);
    const required = input.required || [];
    if (pathParams.length !== 1 || required.length !== 1 || required[0] !== (pathParams[0].input || pathParams[0].name)) continue;
    const field = required[0];
    const value = pathValue(input.properties[field]);
    const sent = await outcome(key, { [field]: String(value) }); // Zapier sends text, whatever the field's type
    if (FINDERS.includes(kind)) {
      assert.deepEqual(sent.results, [], key);
    } else {
      assert.equal(sent.error.code, 'NotFoundError', key);
      assert.match(sent.error.message, /No such record\./, key);
    }
    assert.equal(sent.requests.length, 1, key);
    const segment = value === ODD_TEXT ? '/a%2Fb%3Fc%23d%21%27%28%29%2A' : `/${value}`;
    assert.ok(sent.requests[0].includes(segment), `${key}: ${sent.requests[0]}`);
    const odd = value === ODD_TEXT ? ['.', '..', '%2e%2E', '.%2E'] : ['.', '..', ODD_TEXT, '1?x=1'];
    for (const refusedValue of odd) {
      const refused = await rejection(key, { [field]: refusedValue });
      assert.equal(refused.error.code, 'InputValidationError', key);
      assert.deepEqual(refused.requests, [], key);
    }
    checked += 1;
  }
  if (!checked) t.skip('no operation takes a path value as its only required input');
});
