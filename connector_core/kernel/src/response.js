'use strict';

/*
 * A response turned into the operation's result: only 2xx is success, the body is JSON (or
 * empty), the mapping extracts an object, a list or its first record, filters and the exact
 * match keep what the spec asks for, and every record is held to the output schema.
 */

const { isObject, dig, jsonEqual } = require('./values');
const { check } = require('./schema');
const { failure, responseError, errorFor, parseJson } = require('./errors');

/** A host's response as the kernel reads it: {status, headers, body}. */
const normalise = (response) => {
  const given = isObject(response) ? response : {};
  return {
    status: typeof given.status === 'number' ? given.status : 0,
    headers: isObject(given.headers) ? given.headers : {},
    body: typeof given.body === 'string' ? given.body : '',
  };
};

const isSuccess = (response) => typeof response.status === 'number' && response.status >= 200 && response.status < 300;

/** The JSON body of a 2xx answer (an empty body is null), or ResponseError. */
const jsonBody = (response) => {
  const text = typeof response.body === 'string' ? response.body : '';
  if (!text) return { ok: true, value: null };
  const parsed = parseJson(text);
  return parsed.ok
    ? parsed
    : { ok: false, error: responseError(`the API answered HTTP ${response.status} with a body that is not JSON`) };
};

/** The list at a mapping's path (a missing list is an empty one), or ResponseError. */
const listAt = (body, path) => {
  const items = dig(body, path);
  if (items === null) return { ok: true, value: [] };
  return Array.isArray(items)
    ? { ok: true, value: items }
    : { ok: false, error: responseError(`expected a list at ${path || 'the body'}`) };
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

/** The first record that breaks the output schema, as a ResponseError; null when all hold. */
const checkOutput = (operation, records, where) => {
  for (let index = 0; index < records.length; index += 1) {
    const problems = check(operation.output, records[index], '(root)');
    if (problems.length) {
      return responseError(`${where(index)} breaks the output schema: ${problems[0].field}: ${problems[0].message}`);
    }
  }
  return null;
};

/**
 * The result the mapping points at. Every record the API sent is held to the output schema
 * before filters and the match pick from them: drift shows whichever record carries it.
 */
const extract = (operation, value, body, applyFilters) => {
  const mapping = operation.response;
  const path = mapping.path || '';
  if (mapping.extract === 'object') {
    const found = dig(body, path);
    if (!isObject(found)) return { ok: false, error: responseError(`expected an object at ${path || 'the body'}`) };
    const broken = checkOutput(operation, [found], () => 'the result');
    return broken ? { ok: false, error: broken } : { ok: true, value: found };
  }
  const listed = listAt(body, path);
  if (!listed.ok) return listed;
  const broken = checkOutput(operation, listed.value, (index) => `item ${index}`);
  if (broken) return { ok: false, error: broken };
  const items = applyFilters ? keep(listed.value, mapping, value) : listed.value;
  if (mapping.extract === 'items') return { ok: true, value: items };
  if (items.length) return { ok: true, value: items[0] };
  if (mapping.empty === 'input') return { ok: true, value };
  return { ok: false, error: failure('NotFoundError', `the API returned no item at ${path || 'the body'}`, 404) };
};

/** {ok, result} from a response to `operation` for the prepared `value`, or {ok: false, error}. */
const interpret = (doc, operation, value, response, connection, options) => {
  const settings = isObject(options) ? options : {};
  if (!isSuccess(response)) return { ok: false, error: errorFor(doc, response, connection, settings.nowMs) };
  const body = jsonBody(response);
  if (!body.ok) return body;
  const extracted = extract(operation, value, body.value, settings.applyFilters !== false);
  return extracted.ok ? { ok: true, result: extracted.value } : extracted;
};

module.exports = { interpret, normalise, isSuccess, jsonBody, listAt, keep };
