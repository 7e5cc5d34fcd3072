'use strict';

/*
 * Sans-I/O plans: generators that yield what they need done ({type: 'send', request} or
 * {type: 'sleep', seconds}) and return the outcome. The host performs the I/O (`drive` does it
 * with async callbacks); every decision stays here.
 */

const { isObject, dig } = require('./values');
const { requestFor } = require('./request');
const { interpret, jsonBody, listAt, keep } = require('./response');
const { send, unsafeNote } = require('./retry');
const budget = require('./budget');

/** Generator: one action, search, list or test: send the prepared value, interpret the answer. */
function* run(doc, operation, value, connection, options) {
  const request = requestFor(operation.request, value, connection);
  const unsafe = unsafeNote(operation.input, operation.request, value);
  const sent = yield* send(doc, connection, request, options, budget.start(doc, options), unsafe, operation);
  if (!sent.ok) return sent;
  return interpret(doc, operation, value, sent.response, connection, { nowMs: options.nowMs });
}

/** Generator: the choices of an option source (records its filters keep), as {value, label} pairs. */
function* choices(doc, source, connection, options) {
  const request = requestFor(source.request, {}, connection);
  const unsafe = unsafeNote({}, source.request, {});
  const sent = yield* send(doc, connection, request, options, budget.start(doc, options), unsafe);
  if (!sent.ok) return sent;
  const body = jsonBody(sent.response);
  if (!body.ok) return body;
  const mapping = isObject(source.response) ? source.response : {};
  const listed = listAt(body.value, mapping.path || '');
  if (!listed.ok) return listed;
  return {
    ok: true,
    choices: keep(listed.value, { filters: mapping.filters }, {}).map((record) => ({
      value: dig(record, source.value),
      label: dig(record, source.label_field),
    })),
  };
}

/** Run a plan with the host's callbacks: `send(request)` -> response or failure, `sleep(seconds)`. */
const drive = async (plan, sendRequest, sleep) => {
  let reply;
  for (;;) {
    const step = plan.next(reply);
    if (step.done) return step.value;
    if (step.value.type === 'sleep') {
      await sleep(step.value.seconds);
      reply = undefined;
    } else {
      reply = await sendRequest(step.value.request);
    }
  }
};

module.exports = { run, choices, drive };
