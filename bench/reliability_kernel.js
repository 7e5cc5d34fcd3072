'use strict';

/*
 * Hostile inputs through the JS kernel, many in this one Node process (bench/reliability_inputs.py).
 *
 * stdin: {kernel, document, connection: {field: value}, runs: [{operation, input, answer}]}
 * stdout: one JSON array, per run {outcome: 'ok' | 'error' | 'threw', kind, message, requests}
 * Every request a plan asks for is kept as it would go out ({method, url, headers, body}) and
 * answered with the run's `answer` (a 200); sleeps are skipped. A throw is the kernel breaking its
 * promise (it never throws for any JSON input), counted as an unhandled exception.
 */

const fs = require('fs');

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const kernel = require(input.kernel);
const doc = input.document;

const planFor = (operation, raw, connection) => {
  const options = { nowMs: 1777540000000, retries: true, clock: () => 1777540000000, random: () => 0 };
  return doc.operations[operation].kind === 'trigger'
    ? kernel.windowPlan(doc, operation, raw, connection, options)
    : kernel.runPlan(doc, operation, raw, connection, options);
};

const runOne = (run) => {
  const requests = [];
  try {
    const resolved = kernel.resolveConnection(doc, input.connection, {});
    if (!resolved.ok) return { outcome: 'error', kind: resolved.error.kind, message: resolved.error.message, requests };
    const plan = planFor(run.operation, run.input, resolved.connection);
    let step = plan.next();
    while (!step.done) {
      let reply;
      if (step.value.type === 'send') {
        requests.push(step.value.request);
        reply = { status: 200, headers: { 'content-type': 'application/json' }, body: run.answer };
      }
      step = plan.next(reply);
    }
    const done = step.value;
    return done.ok
      ? { outcome: 'ok', kind: null, message: null, requests }
      : { outcome: 'error', kind: done.error.kind, message: done.error.message, requests };
  } catch (error) {
    return { outcome: 'threw', kind: String(error && error.name), message: String(error && error.message), requests };
  }
};

process.stdout.write(JSON.stringify(input.runs.map(runOne)));
