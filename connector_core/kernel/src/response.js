'use strict';

/*
 * A response turned into the operation's result: only 2xx is success (and, for a search or a
 * list, a status in `errors.not_found`, which finds nothing), the body is JSON (or empty), the
 * mapping extracts an object, a list or its first record, filters and the exact match keep what
 * the spec asks for, every record is held to the output schema, and what is returned carries its
 * derived timestamps.
 */

const { isObject, dig, jsonEqual } = require('./values');
const { check } = require('./schema');
const { responseError, errorFor, parseJson, isIn, notFound, what } = require('./errors');
const { stamped } = require('./timestamps');

/** The kinds that find records: for them a status in `errors.not_found` is an answer, nothing found. */
const FINDERS = ['search', 'list'];

/** A host's response as the kernel reads it: {status, headers, body}. */
const normalise = (response) => {
  const given = isObject(response) ? response : {};
  return {
    status: typeof given.status === 'number' ? given.status : 0,
    headers: isObject(given.headers) ? given.headers : {},
    body: typeof given.body === 'string' ? given.body : '',
  };
};

/** What a host's `send` resolved to: a transport failure {failure, detail}, or a response. */
const reply = (given) =>
  isObject(given) && typeof given.failure === 'string'
    ? { failure: given.failure, detail: typeof given.detail === 'string' ? given.detail : '' }
    : normalise(given);

const isSuccess = (response) => typeof response.status === 'number' && response.status >= 200 && response.status < 300;

/**
 * Whether a response is the operation's answer: 2xx, and nothing in its body saying otherwise (an
 * error object at `errors.body_error`, a status at `errors.body_status` outside `ok`): an API that
 * reports some failures with 200 would otherwise pass them off as success.
 */
const answered = (doc, response) => {
  if (!isSuccess(response)) return false;
  const errors = isObject(doc) && isObject(doc.errors) ? doc.errors : {};
  const bodyError = typeof errors.body_error === 'string' && errors.body_error ? errors.body_error : null;
  const bodyStatus = isObject(errors.body_status) ? errors.body_status : null;
  if (bodyError === null && bodyStatus === null) return true;
  const parsed = parseJson(typeof response.body === 'string' ? response.body : '');
  if (!parsed.ok) return true; // not JSON: no error object or status; extraction reports the body
  if (bodyError !== null) return dig(parsed.value, bodyError) === null;
  const status = dig(parsed.value, String(bodyStatus.field));
  const ok = Array.isArray(bodyStatus.ok) ? bodyStatus.ok : [0];
  return !isObject(parsed.value) || ok.some((value) => jsonEqual(status, value));
};

/**
 * Whether a search or list was answered "nothing found" (a status in `errors.not_found`, such as a
 * 404 for an ID the API does not know): its result, not an error. An action's 404 stays an error.
 */
const findsNothing = (doc, operation, response) =>
  FINDERS.includes(operation.kind) && isIn(notFound(isObject(doc.errors) ? doc.errors : {}), response.status);

/** Whether a response is the operation's result to read (`answered`, or nothing found), not an error. */
const answers = (doc, operation, response) => answered(doc, response) || findsNothing(doc, operation, response);

/** What a search or list returns when nothing is found: no records (`items`), else no record. */
const nothingFound = (operation) => (operation.response.extract === 'items' ? [] : null);

const where = (path) => path || 'the body';

/** The JSON body of a 2xx answer (an empty body is null), or ResponseError. */
const jsonBody = (response) => {
  const text = typeof response.body === 'string' ? response.body : '';
  if (!text) return { ok: true, value: null };
  const parsed = parseJson(text);
  return parsed.ok
    ? parsed
    : { ok: false, error: responseError(`the API answered HTTP ${response.status} with a body that is not JSON`) };
};

/**
 * The list at a mapping's path, or ResponseError: an answer without it is drift, never an empty
 * result (a search that read [] from {"data": {}} would let search-or-create create a duplicate).
 */
const listAt = (body, path) => {
  const items = dig(body, path);
  return Array.isArray(items)
    ? { ok: true, value: items }
    : { ok: false, error: responseError(`the answer has no list at ${where(path)} (got ${what(items)})`) };
};

const fold = (item, caseInsensitive) => (typeof item === 'string' && caseInsensitive ? item.toLowerCase() : item);

const passes = (item, rule) => {
  const actual = dig(item, rule.field);
  if (rule.op === 'ne') return !jsonEqual(actual, rule.value);
  if (rule.op === 'in') return Array.isArray(rule.value) && rule.value.some((option) => jsonEqual(actual, option));
  return jsonEqual(actual, rule.value);
};

/** Records that pass every filter and, when declared, the exact match of an input value. */
const keep = (items, mapping, value) => {
  const filters = (Array.isArray(mapping.filters) ? mapping.filters : []).filter(isObject);
  let kept = items.filter((item) => filters.every((rule) => passes(item, rule)));
  const match = mapping.match;
  if (isObject(match) && Array.isArray(match.fields)) {
    const insensitive = match.case_insensitive !== false;
    const wanted = fold(dig(value, match.input), insensitive);
    kept = kept.filter((item) => match.fields.some((field) => jsonEqual(fold(dig(item, field), insensitive), wanted)));
  }
  return kept;
};

/**
 * The first record that breaks the output schema as the operation returns it (its derived
 * timestamps set: the API need not send them), as a ResponseError; null when all hold.
 */
const checkOutput = (operation, found, where) => {
  for (let index = 0; index < found.length; index += 1) {
    const problems = check(operation.output, stamped(operation.output, found[index]), '(root)');
    if (problems.length) {
      return responseError(`${where(index)} breaks the output schema: ${problems[0].field}: ${problems[0].message}`);
    }
  }
  return null;
};

/**
 * Every record the body holds for the operation, as the API sent it (a poll's dedupe keys and
 * fingerprints read these), each held to the output schema before filters and the match pick
 * from them: drift shows whichever record carries it.
 */
const records = (operation, body) => {
  const mapping = operation.response;
  const path = mapping.path || '';
  if (mapping.extract === 'object') {
    const found = dig(body, path);
    if (!isObject(found)) {
      return { ok: false, error: responseError(`the answer has no object at ${where(path)} (got ${what(found)})`) };
    }
    const broken = checkOutput(operation, [found], () => 'the result');
    return broken ? { ok: false, error: broken } : { ok: true, value: [found] };
  }
  const noItem = mapping.extract === 'first' && mapping.empty === 'input' && dig(body, path) === null;
  const listed = noItem ? { ok: true, value: [] } : listAt(body, path); // the answer `empty: input` declares
  if (!listed.ok) return listed;
  const broken = checkOutput(operation, listed.value, (index) => `item ${index}`);
  return broken ? { ok: false, error: broken } : listed;
};

/**
 * The operation's output from every record its answer (or its pages) held, derived timestamps
 * set: the object, the records the filters and the match keep, or the first of them. A search or
 * list may find nothing (`nothingFound`); an action's answer without its record is drift.
 */
const resultOf = (operation, value, found) => {
  const mapping = operation.response;
  const stamp = (record) => stamped(operation.output, record);
  if (mapping.extract === 'object') return { ok: true, result: stamp(found[0]) };
  const items = keep(found, mapping, value);
  if (mapping.extract === 'items') return { ok: true, result: items.map(stamp) };
  if (items.length) return { ok: true, result: stamp(items[0]) };
  if (mapping.empty === 'input') return { ok: true, result: value };
  if (FINDERS.includes(operation.kind)) return { ok: true, result: nothingFound(operation) };
  const left = found.length ? 'no record the filters keep' : 'an empty list';
  return { ok: false, error: responseError(`the answer has no item at ${where(mapping.path || '')} (got ${left})`) };
};

/** {ok, result} from a response to `operation` for the prepared `value`, or {ok: false, error}. */
const interpret = (doc, operation, value, response, connection, options) => {
  const settings = isObject(options) ? options : {};
  if (findsNothing(doc, operation, response)) return { ok: true, result: nothingFound(operation) };
  if (!answered(doc, response)) return { ok: false, error: errorFor(doc, response, connection, settings.nowMs) };
  const body = jsonBody(response);
  if (!body.ok) return body;
  const found = records(operation, body.value);
  return found.ok ? resultOf(operation, value, found.value) : found;
};

module.exports = {
  interpret,
  normalise,
  reply,
  isSuccess,
  answered,
  answers,
  findsNothing,
  jsonBody,
  listAt,
  keep,
  records,
  resultOf,
};
