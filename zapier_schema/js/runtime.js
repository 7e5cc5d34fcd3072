'use strict';

/*
 * The connector runtime of this Zapier app, shared by the small `{source}` functions of
 * definition.json (they load it with `z.require('./lib/runtime.js')`).
 *
 * It interprets lib/connector.json, the part of the connector spec that decides what is sent
 * and what is returned, exactly as the project's Python runtime does: the same input cleaning
 * and validation (nothing is sent when a field breaks a rule), the same path encoding, query
 * text and nested JSON body, the same extraction, filters, exact matches and polling window.
 * Two things are Zapier's own: Zapier retries rate limits and outages itself (so a 429 raises
 * ThrottledError with the Retry-After delay at once), and Zapier remembers which trigger
 * events it has seen (so every poll looks back over the spec's initial window).
 */

const { STATUS_CODES } = require('http');

const spec = require('./connector.json');

const FLAT_SEPARATOR = '__';
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})T/;
const FORMAT_NAMES = { date: 'a date in YYYY-MM-DD format', email: 'an email address' };
const MISSING = Symbol('missing');

// --- Values ------------------------------------------------------------------------------

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The value at a dotted path, or null where any part is missing; '' is the whole value. */
const dig = (data, dotted) => {
  if (!dotted) return data;
  let item = data;
  for (const part of dotted.split('.')) {
    if (!isObject(item)) return null;
    item = item[part] === undefined ? null : item[part];
  }
  return item;
};

/** Python's repr() of JSON values, so messages read exactly as the Python runtime's. */
const pyRepr = (value) => {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const escaped = value
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t')
      .split(quote)
      .join(`\\${quote}`);
    return `${quote}${escaped}${quote}`;
  }
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
};

/** Python's str(): how a value is written into a URL. */
const pyStr = (value) => (typeof value === 'string' ? value : pyRepr(value));

const show = (value) => {
  const text = pyRepr(value);
  return text.length <= 60 ? text : `${text.slice(0, 57)}...`;
};

const sameValue = (left, right) => JSON.stringify(left) === JSON.stringify(right);

const oneLine = (text) => text.split(/\s+/).filter(Boolean).join(' ');

// --- Connection ----------------------------------------------------------------------------

/** The connection values: what the user entered, else each field's default. */
const connectionValues = (bundle) => {
  const given = (bundle && bundle.authData) || {};
  const values = {};
  for (const field of spec.connection.fields) {
    const value = given[field.key];
    if (value !== undefined && value !== null && value !== '') values[field.key] = String(value);
    else if (field.default !== undefined) values[field.key] = field.default;
  }
  return values;
};

const render = (template, values) =>
  template.replace(/\{([^{}]+)\}/g, (_, name) => (values[name] === undefined ? '' : values[name]));

const baseUrl = (values) => render(spec.connection.base_url, values).replace(/\/+$/, '');

/** Secret values never appear in a message: they become `***`. */
const redact = (text, values) =>
  spec.connection.fields
    .filter((field) => field.secret && values[field.key])
    .reduce((result, field) => result.split(values[field.key]).join('***'), text);

// --- Errors --------------------------------------------------------------------------------

/** A Zapier error whose code names the kind (as the Python runtime's error classes do). */
const failure = (z, code, message, status = null) => new z.errors.Error(message, code, status);

const apiMessage = (response) => {
  try {
    const message = dig(JSON.parse(response.content), spec.errors.message);
    return typeof message === 'string' && message ? message : null;
  } catch (error) {
    return null;
  }
};

/** Retry-After as whole seconds: delta-seconds or an HTTP date. */
const retryAfterSeconds = (response) => {
  const raw = response.headers.get(spec.errors.retry_after_header);
  if (raw === null || raw === undefined) return null;
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const when = Date.parse(text);
  return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - Date.now()) / 1000));
};

/** afterResponse: a non-2xx answer becomes an error carrying the API's own message. */
const afterResponse = (response, z, bundle) => {
  const status = response.status;
  if (status >= 200 && status < 300) return response;
  const values = connectionValues(bundle);
  const message = redact(oneLine(apiMessage(response) || STATUS_CODES[status] || 'error'), values);
  const { errors } = spec;
  if (errors.auth.includes(status)) {
    throw failure(z, 'AuthError',
      `${message} (HTTP ${status}: the API key is wrong or lacks access to this; check it in the connection settings.)`,
      status);
  }
  if (errors.rate_limit.includes(status)) {
    throw new z.errors.ThrottledError(`${message} (HTTP ${status}: Zapier retries after the delay the API asks for.)`,
      retryAfterSeconds(response));
  }
  if (errors.temporary.includes(status) || status >= 500) {
    throw failure(z, 'TemporaryError',
      `${message} (HTTP ${status}: the API is temporarily unavailable; try again later.)`, status);
  }
  if (status === 404) throw failure(z, 'NotFoundError', `${message} (HTTP 404)`, status);
  throw failure(z, 'ApiError', `${message} (HTTP ${status})`, status);
};

// --- Inputs --------------------------------------------------------------------------------

/** Zapier's flat keys (`contact__email`) back into the nested value the API expects. */
const unflatten = (inputData) => {
  const value = {};
  for (const [key, item] of Object.entries(inputData || {})) {
    const parts = key.split(FLAT_SEPARATOR);
    let target = value;
    for (const part of parts.slice(0, -1)) {
      if (!isObject(target[part])) target[part] = {};
      target = target[part];
    }
    target[parts[parts.length - 1]] = item;
  }
  return value;
};

const isEmpty = (value) =>
  value === null || value === undefined || value === '' || (isObject(value) && !Object.keys(value).length);

/** Drop nulls, empty strings and objects left empty, at every depth. */
const stripEmpty = (value) => {
  if (!isObject(value)) return value;
  const cleaned = {};
  for (const [key, item] of Object.entries(value)) {
    const kept = stripEmpty(item);
    if (!isEmpty(kept)) cleaned[key] = kept;
  }
  return cleaned;
};

/**
 * Text into the schema's integer, number or boolean where that loses nothing. A date field is
 * a Zapier datetime field, which Zapier sends as an ISO date-time: its date part is the date.
 */
const coerce = (schema, value) => {
  if (isObject(value) && schema.type === 'object') {
    const properties = schema.properties || {};
    const result = {};
    for (const [key, item] of Object.entries(value)) result[key] = coerce(properties[key] || {}, item);
    return result;
  }
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (schema.type === 'integer' && /^[+-]?\d+$/.test(text)) return Number(text);
  if (schema.type === 'number' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  if (schema.type === 'boolean' && ['true', 'false'].includes(text.toLowerCase())) return text.toLowerCase() === 'true';
  const datetime = schema.format === 'date' && ISO_DATETIME.exec(text);
  return datetime ? datetime[1] : value;
};

// --- Validation (the JSON Schema keywords the generator allows) ----------------------------

const TYPE_CHECKS = {
  string: (v) => typeof v === 'string',
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  object: isObject,
  array: Array.isArray,
  null: (v) => v === null,
};

const isDate = (text) => {
  if (!DATE_PATTERN.test(text)) return false;
  const [year, month, day] = text.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

const FORMAT_CHECKS = { date: isDate, email: (text) => EMAIL_PATTERN.test(text) };

const join = (path, name) => (path ? `${path}.${name}` : name);

const patternMessage = (schema, got) => {
  if (FORMAT_NAMES[schema.format]) return `must be ${FORMAT_NAMES[schema.format]}, got ${got}`;
  const hint = schema.examples && schema.examples.length ? ` (for example ${pyRepr(schema.examples[0])})` : '';
  return `must match the pattern ${schema.pattern}${hint}, got ${got}`;
};

/** Every (field, rule, message) the value breaks, like jsonschema's iter_errors. */
const violations = (schema, value, path, found) => {
  const field = path || '(input)';
  const got = show(value);
  const add = (rule, message, where = field) => found.push({ field: where, rule, message });
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => TYPE_CHECKS[type](value))) {
      add('type', `must be of type ${typeof schema.type === 'string' ? schema.type : pyRepr(schema.type)}, got ${got}`);
    }
  }
  if (schema.enum !== undefined && !schema.enum.some((option) => sameValue(option, value))) {
    add('enum', `must be one of ${pyRepr(schema.enum)}, got ${got}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) add('minimum', `must be at least ${schema.minimum}, got ${got}`);
    if (schema.maximum !== undefined && value > schema.maximum) add('maximum', `must be at most ${schema.maximum}, got ${got}`);
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) {
      add('minLength', schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters long`);
    }
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      add('maxLength', `must be at most ${schema.maxLength} characters long`);
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) add('pattern', patternMessage(schema, got));
    if (schema.format !== undefined && FORMAT_CHECKS[schema.format] && !FORMAT_CHECKS[schema.format](value)) {
      add('format', `must be ${FORMAT_NAMES[schema.format]}, got ${got}`);
    }
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, index) => violations(schema.items, item, join(path, String(index)), found));
  }
  if (isObject(value)) {
    const properties = schema.properties || {};
    for (const [name, sub] of Object.entries(properties)) {
      if (name in value) violations(sub, value[name], join(path, name), found);
    }
    for (const name of schema.required || []) {
      if (!(name in value)) add('required', 'is required', join(path, name));
    }
    if (schema.additionalProperties === false) {
      const extras = Object.keys(value).filter((name) => !(name in properties)).sort();
      if (extras.length === 1) add('additionalProperties', 'is not a known field', join(path, extras[0]));
      else if (extras.length) add('additionalProperties', `unknown fields ${pyRepr(extras)}`);
    }
  }
  return found;
};

/** One problem per field and rule, in field order; `format` and `pattern` say it once. */
const check = (schema, value) => {
  const sorted = violations(schema, value, '', []).sort((a, b) =>
    a.field === b.field ? (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) : a.field < b.field ? -1 : 1);
  const firstPerField = new Map();
  for (const problem of sorted) {
    if (problem.rule === 'format' || problem.rule === 'pattern') {
      const key = `${problem.field}\0value`;
      if (!firstPerField.has(key)) firstPerField.set(key, problem);
    } else {
      firstPerField.set(`${problem.field}\0${problem.rule}`, problem);
    }
  }
  return [...firstPerField.values()];
};

/** How a Zapier user knows a field: its label, then its key in the Zap editor. */
const fieldName = (schema, dotted) => {
  if (dotted === '(input)') return 'the input';
  let sub = schema;
  for (const part of dotted.split('.')) sub = (sub && sub.properties && sub.properties[part]) || null;
  const key = dotted.split('.').join(FLAT_SEPARATOR);
  return sub && sub.title ? `${sub.title} (${key})` : `(${key})`;
};

const invalidInput = (z, schema, problems) =>
  failure(z, 'InputValidationError',
    `Invalid input, nothing was sent: ${problems.map((p) => `${fieldName(schema, p.field)} ${p.message}`).join('; ')}`);

/** The input ready to send, or an error naming every broken field rule. */
const validatedInput = (z, operation, bundle) => {
  let value = unflatten(bundle.inputData);
  if (operation.request.strip_empty) value = stripEmpty(value);
  value = coerce(operation.input, value);
  const problems = check(operation.input, value);
  if (problems.length) throw invalidInput(z, operation.input, problems);
  return value;
};

// --- Requests ------------------------------------------------------------------------------

const paramValue = (param, value) => {
  if (param.value !== undefined) return param.value;
  let item = value;
  for (const part of (param.input || param.name).split('.')) {
    if (!isObject(item) || !(part in item)) return MISSING;
    item = item[part];
  }
  return item;
};

/**
 * Percent-encode a value so it stays one path segment, as Python's quote(safe=""): that also
 * encodes !'()*, which encodeURIComponent keeps. URLs treat `.` and `..` (even as %2E) as
 * "this folder" and "up one", so such a value would reach another endpoint: it is refused.
 */
const encodePathSegment = (z, schema, param, item) => {
  const text = encodeURIComponent(pyStr(item)).replace(/[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  if (text === '.' || text === '..') {
    throw invalidInput(z, schema, [{ field: param.input || param.name,
      message: `must not be ${pyRepr(text)}: as a URL path segment it would address another endpoint` }]);
  }
  return text;
};

const queryText = (item) => (typeof item === 'boolean' ? String(item) : pyStr(item));

/** Nest each body param at its dotted name; undefined when the operation sends no body. */
const buildBody = (params, value) => {
  if (!params.length) return undefined;
  const body = {};
  for (const param of params) {
    const item = paramValue(param, value);
    if (item === MISSING) continue;
    const parts = param.name.split('.');
    let target = body;
    for (const part of parts.slice(0, -1)) {
      if (!isObject(target[part])) target[part] = {};
      target = target[part];
    }
    target[parts[parts.length - 1]] = item;
  }
  return body;
};

const basicAuthHeader = (values) => {
  const { auth } = spec.connection;
  const pair = `${render(auth.username, values)}:${render(auth.password, values)}`;
  return { Authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
};

/** The request a mapping sends for a validated value (the API key header is Zapier's requestTemplate). */
const buildRequest = (z, mapping, value, schema, bundle, extraQuery = {}) => {
  const values = connectionValues(bundle);
  const located = (where) => mapping.params.filter((param) => param.in === where);
  let path = mapping.path;
  for (const param of located('path')) {
    path = path.split(`{${param.name}}`).join(encodePathSegment(z, schema, param, paramValue(param, value)));
  }
  const params = {};
  for (const param of located('query')) {
    const item = paramValue(param, value);
    if (item !== MISSING) params[param.name] = queryText(item);
  }
  for (const [name, item] of Object.entries(extraQuery)) params[name] = queryText(item);
  const headers = spec.connection.auth.type === 'basic' ? basicAuthHeader(values) : {};
  for (const param of located('header')) {
    const item = paramValue(param, value);
    if (item !== MISSING) headers[param.name] = queryText(item);
  }
  const request = { method: mapping.method, url: baseUrl(values) + path, params, headers };
  const body = buildBody(located('body'), value);
  if (body !== undefined) request.body = body;
  return request;
};

// --- Responses -----------------------------------------------------------------------------

const jsonBody = (z, response, name) => {
  if (!response.content) return {};
  try {
    return JSON.parse(response.content);
  } catch (error) {
    throw failure(z, 'ResponseError', `${name}: the API answered HTTP ${response.status} with a body that is not JSON`);
  }
};

const listAt = (z, body, path, name) => {
  const items = dig(body, path);
  if (items === null) return [];
  if (!Array.isArray(items)) throw failure(z, 'ResponseError', `${name}: expected a list at ${path}`);
  return items;
};

const fold = (item, caseInsensitive) => (typeof item === 'string' && caseInsensitive ? item.toLowerCase() : item);

const passes = (item, rule) => {
  const actual = dig(item, rule.field);
  if (rule.op === 'eq') return sameValue(actual, rule.value);
  if (rule.op === 'ne') return !sameValue(actual, rule.value);
  return rule.value.some((option) => sameValue(actual, option));
};

/** Records that pass every filter and, when declared, the exact match. */
const keep = (items, mapping, value) => {
  let kept = items.filter((item) => (mapping.filters || []).every((rule) => passes(item, rule)));
  if (mapping.match) {
    const { match } = mapping;
    const wanted = fold(dig(value, match.input), match.case_insensitive);
    kept = kept.filter((item) => match.fields.some((field) => sameValue(fold(dig(item, field), match.case_insensitive), wanted)));
  }
  return kept;
};

const extract = (z, operation, value, body, applyFilters) => {
  const mapping = operation.response;
  if (mapping.extract === 'object') {
    const found = dig(body, mapping.path);
    if (!isObject(found)) throw failure(z, 'ResponseError', `${operation.key}: expected an object at ${mapping.path || 'the body'}`);
    return found;
  }
  let items = listAt(z, body, mapping.path, operation.key);
  if (applyFilters) items = keep(items, mapping, value);
  if (mapping.extract === 'items') return items;
  if (items.length) return items[0];
  if (mapping.empty === 'input') return value;
  throw failure(z, 'NotFoundError', `the API returned no item at ${mapping.path}`, 404);
};

/** The operation's output from a 2xx response, held to its output schema. */
const interpret = (z, operation, value, response, applyFilters = true) => {
  const result = extract(z, operation, value, jsonBody(z, response, operation.key), applyFilters);
  const records = operation.response.extract === 'items' ? result : [result];
  records.forEach((record, index) => {
    const problems = check(operation.output, record);
    if (problems.length) {
      const where = operation.response.extract === 'items' ? `item ${index}` : 'the result';
      throw failure(z, 'ResponseError',
        `${operation.key}: ${where} breaks the output schema: ${problems[0].field}: ${problems[0].message}`);
    }
  });
  return result;
};

// --- Operations ----------------------------------------------------------------------------

const operation = (key) => spec.operations[key];

/** One action, search or connection test: validate, send, interpret. */
const run = async (z, bundle, key) => {
  const op = operation(key);
  const value = validatedInput(z, op, bundle);
  const response = await z.request(buildRequest(z, op.request, value, op.input, bundle));
  return interpret(z, op, value, response);
};

const pageQuery = (polling, since, page) => {
  const paging = polling.pagination;
  const query = { [polling.cursor.param]: since };
  if (paging.style === 'offset') {
    query[paging.limit_param] = paging.page_size;
    query[paging.offset_param] = page * paging.page_size;
  } else {
    query[paging.size_param] = paging.page_size;
    query[paging.page_param] = paging.first_page + page;
  }
  return query;
};

const cursorOf = (record, polling) => Number(dig(record, polling.cursor.field) || 0);

/**
 * One poll: everything changed in the initial window, paged until a short page (bounded by
 * max_pages), filtered, each event once, newest first by the cursor field. Zapier dedupes
 * across polls by the primary output fields (the spec's dedupe key).
 */
const poll = async (z, bundle, key) => {
  const op = operation(key);
  const { polling } = op;
  const value = validatedInput(z, op, bundle);
  const since = Date.now() - polling.initial_window_ms;
  const records = [];
  for (let page = 0; page < polling.max_pages; page += 1) {
    const request = buildRequest(z, op.request, value, op.input, bundle, pageQuery(polling, since, page));
    const items = interpret(z, op, value, await z.request(request), false);
    records.push(...items);
    if (items.length < polling.pagination.page_size) break;
  }
  const seen = new Set();
  const events = keep(records, op.response, value).filter((record) => {
    const eventKey = JSON.stringify(polling.dedupe_key.map((field) => dig(record, field)));
    if (seen.has(eventKey)) return false;
    seen.add(eventKey);
    return true;
  });
  return events.sort((a, b) => {
    const byCursor = cursorOf(b, polling) - cursorOf(a, polling);
    if (byCursor) return byCursor;
    const [left, right] = [String(a.id === undefined ? '' : a.id), String(b.id === undefined ? '' : b.id)];
    return left === right ? 0 : left < right ? 1 : -1;
  });
};

/** A hidden trigger feeding a dynamic dropdown: `id` is the value sent, `label` what users see. */
const options = async (z, bundle, name) => {
  const source = spec.option_sources[name];
  const response = await z.request(buildRequest(z, source.request, {}, { type: 'object' }, bundle));
  return listAt(z, jsonBody(z, response, name), source.response.path, name)
    .map((record) => ({ id: dig(record, source.value), label: dig(record, source.label_field) }));
};

module.exports = {
  afterResponse,
  test: (z, bundle) => run(z, bundle, spec.connection.test),
  create: (z, bundle, key) => run(z, bundle, key),
  search: async (z, bundle, key) => {
    const result = await run(z, bundle, key);
    return operation(key).response.extract === 'items' ? result : [result];
  },
  poll,
  options,
};
