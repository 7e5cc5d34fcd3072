'use strict';

/*
 * Sans-I/O plans: generators that yield what they need done ({type: 'send', request} or
 * {type: 'sleep', seconds}) and return the outcome. The host performs the I/O (`drive` does it
 * with async callbacks); every decision stays here.
 */

const { isObject, dig } = require('./values');
const { requestFor } = require('./request');
const { interpret, findsNothing, jsonBody, listAt, keep, records, resultOf } = require('./response');
const { tooManyResults } = require('./errors');
const { pageParams, withParams } = require('./paging');
const { send, unsafeNote, resendNote } = require('./retry');
const budget = require('./budget');

/**
 * Generator: one action, search, list or test: send the prepared value (page after page with
 * `request.pagination`, until a short page), interpret the answer.
 */
function* run(doc, operation, value, connection, options) {
  const unsafe = resendNote(operation, value);
  const time = budget.start(doc, options);
  const sendFor = (mapping) =>
    send(doc, connection, requestFor(mapping, value, connection), options, time, unsafe, operation);
  const paging = operation.request.pagination;
  if (!isObject(paging)) {
    const sent = yield* sendFor(operation.request);
    if (!sent.ok) return sent;
    return interpret(doc, operation, value, sent.response, connection, { nowMs: options.nowMs });
  }
  const found = [];
  for (let page = 0; page < paging.max_pages; page += 1) {
    const sent = yield* sendFor(withParams(operation.request, pageParams(paging, page * paging.page_size)));
    if (!sent.ok) return sent;
    // nothing found on the first page; the end of the list on a later one
    if (findsNothing(doc, operation, sent.response)) return resultOf(operation, value, found);
    const body = jsonBody(sent.response);
    if (!body.ok) return body;
    const onPage = records(operation, body.value);
    if (!onPage.ok) return onPage;
    found.push(...onPage.value);
    if (onPage.value.length < paging.page_size) return resultOf(operation, value, found);
  }
  const most = paging.max_pages * paging.page_size;
  return { ok: false, error: tooManyResults(`more than ${most} records: narrow the search`) };
}

/**
 * Generator: the choices of an option source (records its filters keep), as {value, label} pairs;
 * its params read `value`, the source's input already prepared (the other fields of the form).
 */
function* choices(doc, source, connection, options, value) {
  const given = isObject(value) ? value : {};
  const request = requestFor(source.request, given, connection);
  const unsafe = unsafeNote(source.input, source.request, given);
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
