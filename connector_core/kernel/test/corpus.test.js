'use strict';

/*
 * Runs every case of the conformance corpus (docs/conformance.md) on the kernel: one test per
 * case, named by the case, each step mapped onto the kernel's interface.
 */

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const kernel = require('../src/index.js');

const CORPUS = path.join(__dirname, '..', '..', 'conformance');
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

const documents = {};
for (const file of fs.readdirSync(path.join(CORPUS, 'connectors')).filter((name) => name.endsWith('.runtime.json'))) {
  documents[file.slice(0, -'.runtime.json'.length)] = readJson(path.join(CORPUS, 'connectors', file));
}

const caseFolder = path.join(CORPUS, 'cases');
const caseFiles = fs.existsSync(caseFolder)
  ? fs
      .readdirSync(caseFolder)
      .filter((name) => name.endsWith('.json'))
      .sort()
  : [];

/**
 * A kernel error as the corpus writes it: `failure` for a TransportError, `code` for a status in a
 * 2xx body, `may_have_succeeded` only when true.
 */
const caseError = (error) => {
  if (error.kind === 'InputValidationError') return { kind: error.kind, problems: error.problems };
  const shaped = { kind: error.kind, status: error.status, message: error.message, retry_after: error.retryAfter };
  if (error.kind === 'TransportError') shaped.failure = error.failure;
  if (error.code !== undefined && error.code !== null) shaped.code = error.code;
  if (error.maybeSucceeded) shaped.may_have_succeeded = true;
  return shaped;
};

const lowerCaseNames = (headers) => {
  const lowered = {};
  for (const name of Object.keys(headers)) lowered[name.toLowerCase()] = headers[name];
  return lowered;
};

/** A kernel request as the corpus writes it: lower-case header names, the body as JSON. */
const caseRequest = (request) => ({
  method: request.method,
  url: request.url,
  headers: lowerCaseNames(request.headers),
  body: request.body === null ? null : JSON.parse(request.body),
});

/** A corpus response as a host hands it to the kernel: the body as text, or a transport failure. */
const hostResponse = (response) =>
  response.failure !== undefined
    ? { failure: response.failure, detail: response.detail || '' }
    : {
        status: response.status,
        headers: response.headers || {},
        body: response.json !== undefined ? JSON.stringify(response.json) : response.body,
      };

/** The case's time: `now_ms`, moved on by each sleep and by `latency_ms` per request; `random` for the jitter. */
const virtualClock = (spec) => {
  let now = spec.now_ms === undefined ? 0 : spec.now_ms;
  return {
    clock: () => now,
    random: () => (spec.random === undefined ? 0 : spec.random),
    slept: (seconds) => {
      now += seconds * 1000;
    },
    sent: () => {
      now += spec.latency_ms || 0;
    },
  };
};

const NO_SECRETS = { values: {}, baseUrl: '', secrets: [], headers: {} };

const connect = (doc, given, baseUrl, env) =>
  kernel.resolveConnection(doc, given || {}, { baseUrl: baseUrl || undefined, env: env || {} });

/** Run a plan against the case's scripted responses, collecting what it sent and slept. */
const script = (plan, responses, time) => {
  const requests = [];
  const sleeps = [];
  const queue = (responses || []).slice();
  let reply;
  for (;;) {
    const step = plan.next(reply);
    if (step.done) return { requests, sleeps, outcome: step.value };
    if (step.value.type === 'sleep') {
      sleeps.push(step.value.seconds);
      time.slept(step.value.seconds);
      reply = undefined;
    } else {
      requests.push(caseRequest(step.value.request));
      time.sent();
      assert.ok(
        queue.length,
        `the plan sent request ${requests.length}, but the case scripts only ${responses.length} response(s)`,
      );
      reply = hostResponse(queue.shift());
    }
  }
};

/** Drive a plan, or report the connection error with nothing sent. */
const scripted = (doc, spec, makePlan) => {
  const resolved = connect(doc, spec.connection, spec.base_url, spec.env);
  if (!resolved.ok) return { requests: [], sleeps: [], outcome: resolved };
  const time = virtualClock(spec);
  return script(makePlan(resolved.connection, time), spec.responses, time);
};

/** The case's clock (0 when it states none, as the Python runner's) and host retries. */
const nowOf = (spec) => (spec.now_ms === undefined ? 0 : spec.now_ms);
const options = (spec, time) => ({
  nowMs: nowOf(spec),
  retries: spec.retries !== false,
  clock: time.clock,
  random: time.random,
});

const STEPS = {
  prepare: (doc, spec) => {
    const prepared = kernel.prepareInput(doc, spec.operation, spec.input);
    return prepared.ok ? { value: prepared.value } : { error: caseError(prepared.error) };
  },
  request: (doc, spec) => {
    const resolved = connect(doc, spec.connection, spec.base_url, spec.env);
    if (!resolved.ok) return { error: caseError(resolved.error) };
    const built = kernel.buildRequest(doc, spec.operation, spec.value, resolved.connection);
    return built.ok ? { request: caseRequest(built.request) } : { error: caseError(built.error) };
  },
  response: (doc, spec) => {
    let connection = NO_SECRETS;
    if (spec.connection) {
      const resolved = connect(doc, spec.connection, spec.base_url, spec.env);
      if (!resolved.ok) return { error: caseError(resolved.error) };
      connection = resolved.connection;
    }
    const answer = kernel.interpretResponse(doc, spec.operation, spec.value, hostResponse(spec.response), connection, {
      nowMs: nowOf(spec),
    });
    return answer.ok ? { result: answer.result } : { error: caseError(answer.error) };
  },
  run: (doc, spec) => {
    const { requests, sleeps, outcome } = scripted(doc, spec, (connection, time) =>
      kernel.runPlan(doc, spec.operation, spec.input, connection, options(spec, time)),
    );
    return outcome.ok
      ? { requests, sleeps, result: outcome.result }
      : { requests, sleeps, error: caseError(outcome.error) };
  },
  poll: (doc, spec) => {
    const mode = spec.mode || 'poll';
    const { requests, sleeps, outcome } = scripted(doc, spec, (connection, time) => {
      if (mode === 'window')
        return kernel.windowPlan(doc, spec.operation, spec.input, connection, {
          ...options(spec, time),
          windowMs: spec.window_ms,
        });
      if (mode === 'latest') return kernel.latestPlan(doc, spec.operation, spec.input, connection, options(spec, time));
      return kernel.pollPlan(doc, spec.operation, spec.input, connection, spec.state, options(spec, time));
    });
    if (!outcome.ok) return { requests, sleeps, error: caseError(outcome.error) };
    return mode === 'poll'
      ? { requests, sleeps, events: outcome.events, state: outcome.state }
      : { requests, sleeps, events: outcome.events };
  },
  options: (doc, spec) => {
    const { requests, sleeps, outcome } = scripted(doc, spec, (connection, time) =>
      kernel.optionsPlan(doc, spec.source, connection, options(spec, time), spec.input),
    );
    return outcome.ok
      ? { requests, sleeps, choices: outcome.choices }
      : { requests, sleeps, error: caseError(outcome.error) };
  },
  connection: (doc, spec) => {
    const resolved = connect(doc, spec.connection, spec.base_url, spec.env);
    return resolved.ok
      ? { base_url: resolved.connection.baseUrl, headers: lowerCaseNames(resolved.connection.headers) }
      : { error: caseError(resolved.error) };
  },
};

test('the corpus has cases to run', () => {
  assert.ok(caseFiles.length, `no case files in ${caseFolder}`);
});

for (const file of caseFiles) {
  const { connector, cases } = readJson(path.join(caseFolder, file));
  for (const spec of cases) {
    test(spec.name, () => {
      const name = spec.connector || connector; // a case may name its own connector, as in the Python runner
      const doc = documents[name];
      assert.ok(doc, `${file}: no runtime document for connector ${name}`);
      assert.ok(Object.prototype.hasOwnProperty.call(STEPS, spec.step), `${file}: unknown step ${spec.step}`);
      assert.deepEqual(STEPS[spec.step](doc, spec), spec.expect);
    });
  }
}
