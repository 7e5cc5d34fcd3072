'use strict';

/*
 * The kernel's interface: every function takes the runtime document first and returns
 * {ok: true, ...} or {ok: false, error}; none throws for any JSON input, none performs I/O.
 * Messages leaving here have every secret connection value replaced by `***`.
 */

const { isObject, own } = require('./values');
const { prepare } = require('./input');
const { requestFor } = require('./request');
const { interpret, normalise } = require('./response');
const { resolveConnection } = require('./connection');
const { redact } = require('./secrets');
const { inputError, errorText } = require('./errors');
const { run, choices, drive } = require('./plans');
const { poll, pollWindow, pollLatest } = require('./polling');
const { systemFailure } = require('./transport');

const unknown = (what, name) => ({
  ok: false,
  error: inputError([{ field: `(${what})`, rule: what, message: `no ${what} named ${JSON.stringify(String(name))}` }]),
});

/** A trigger's polling as the plans read it: the parts they dig into are there. */
const pollable = (polling) =>
  isObject(polling) &&
  (polling.cursor === null || isObject(polling.cursor)) &&
  isObject(polling.pagination) &&
  Number(polling.pagination.page_size) >= 1 &&
  Array.isArray(polling.dedupe_key);

const operationOf = (doc, key) => {
  const operation = isObject(doc) ? own(doc.operations, key) : undefined;
  const usable =
    isObject(operation) &&
    isObject(operation.request) &&
    isObject(operation.response) &&
    (operation.kind !== 'trigger' || pollable(operation.polling));
  return usable ? operation : null;
};

/** A host's connection object as the kernel reads it. */
const connectionOf = (connection) => {
  const given = isObject(connection) ? connection : {};
  return {
    values: isObject(given.values) ? given.values : {},
    baseUrl: typeof given.baseUrl === 'string' ? given.baseUrl : '',
    secrets: Array.isArray(given.secrets) ? given.secrets : [],
    headers: isObject(given.headers) ? given.headers : {},
  };
};

/** The outcome with every secret removed from its messages. */
const sealed = (connection, outcome) => {
  if (outcome.ok) return outcome;
  const error = Object.assign({}, outcome.error, { message: redact(connection, outcome.error.message) });
  if (Array.isArray(error.problems)) {
    error.problems = error.problems.map((problem) =>
      Object.assign({}, problem, { message: redact(connection, problem.message) }),
    );
  }
  return Object.assign({}, outcome, { error });
};

const prepareInput = (doc, operationKey, raw) => {
  const operation = operationOf(doc, operationKey);
  if (!operation) return unknown('operation', operationKey);
  const prepared = prepare(operation, raw);
  return prepared.problems.length
    ? { ok: false, error: inputError(prepared.problems) }
    : { ok: true, value: prepared.value };
};

const buildRequest = (doc, operationKey, value, connection, extraQuery) => {
  const operation = operationOf(doc, operationKey);
  if (!operation) return unknown('operation', operationKey);
  return {
    ok: true,
    request: requestFor(operation.request, isObject(value) ? value : {}, connectionOf(connection), extraQuery),
  };
};

const interpretResponse = (doc, operationKey, value, response, connection, options) => {
  const operation = operationOf(doc, operationKey);
  if (!operation) return unknown('operation', operationKey);
  const resolved = connectionOf(connection);
  const settings = isObject(options) ? options : {};
  return sealed(resolved, interpret(doc, operation, value, normalise(response), resolved, settings));
};

/** Generator: validate the input, send the operation's request, interpret the answer. */
function* runPlan(doc, operationKey, raw, connection, options) {
  const prepared = prepareInput(doc, operationKey, raw);
  const resolved = connectionOf(connection);
  if (!prepared.ok) return sealed(resolved, prepared);
  const operation = operationOf(doc, operationKey);
  return sealed(resolved, yield* run(doc, operation, prepared.value, resolved, isObject(options) ? options : {}));
}

/** Generator: run `plan(operation, value, connection, options)` for a trigger, after checking its input. */
function* triggerPlan(doc, operationKey, raw, connection, options, plan) {
  const operation = operationOf(doc, operationKey);
  const resolved = connectionOf(connection);
  if (operation && operation.kind !== 'trigger') return unknown('trigger', operationKey);
  const prepared = prepareInput(doc, operationKey, raw);
  if (!prepared.ok) return sealed(resolved, prepared);
  return sealed(resolved, yield* plan(operation, prepared.value, resolved, isObject(options) ? options : {}));
}

/** Generator: one poll from `state` (null or unreadable: the first, which sets a baseline). */
function* pollPlan(doc, operationKey, raw, connection, state, options) {
  return yield* triggerPlan(doc, operationKey, raw, connection, options, (operation, value, resolved, settings) =>
    poll(doc, operation, value, resolved, state, settings),
  );
}

/** Generator: a stateless poll of the last `windowMs` (default polling.window_ms), newest first. */
function* windowPlan(doc, operationKey, raw, connection, options) {
  return yield* triggerPlan(doc, operationKey, raw, connection, options, (operation, value, resolved, settings) =>
    pollWindow(doc, operation, value, resolved, settings),
  );
}

/** Generator: the manual test: `events` is [the newest record] or [] (the host then shows the sample). */
function* latestPlan(doc, operationKey, raw, connection, options) {
  return yield* triggerPlan(doc, operationKey, raw, connection, options, (operation, value, resolved, settings) =>
    pollLatest(doc, operation, value, resolved, settings),
  );
}

/**
 * Generator: the {value, label} choices of an option source; one with an `input` reads `raw` (the
 * other fields of the form), held to that input's schema first: nothing is sent while a rule is broken.
 */
function* optionsPlan(doc, sourceName, connection, options, raw) {
  const source = isObject(doc) ? own(doc.option_sources, sourceName) : undefined;
  if (!isObject(source) || !isObject(source.request)) return unknown('option source', sourceName);
  const resolved = connectionOf(connection);
  const prepared = prepare(source, raw);
  if (prepared.problems.length) return sealed(resolved, { ok: false, error: inputError(prepared.problems) });
  return sealed(resolved, yield* choices(doc, source, resolved, isObject(options) ? options : {}, prepared.value));
}

module.exports = {
  resolveConnection,
  prepareInput,
  buildRequest,
  interpretResponse,
  runPlan,
  pollPlan,
  windowPlan,
  latestPlan,
  optionsPlan,
  redact,
  errorText,
  drive,
  systemFailure,
};
