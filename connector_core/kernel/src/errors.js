'use strict';

/*
 * Typed error descriptions {kind, status, message, retryAfter, problems?}: plain objects a
 * platform adapter turns into its host's error types. Every message is one line with every
 * secret connection value replaced by `***`.
 */

const { isObject, own, dig, oneLine, jsonEqual, show } = require('./values');
const { redact } = require('./secrets');

const API_KINDS = ['AuthError', 'RateLimitError', 'TemporaryError', 'NotFoundError', 'ApiError'];
const NO_MESSAGE = 'no error message from the API';

const failure = (kind, message, status = null, retryAfter = null) => ({ kind, status, message, retryAfter });

const inputError = (problems) => ({
  kind: 'InputValidationError',
  status: null,
  message: problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
  retryAfter: null,
  problems,
});

const responseError = (message) => failure('ResponseError', message);

/** What an answer held where the spec expects something else, in words (JSON's types). */
const what = (value) => {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return value.length ? 'a list' : 'an empty list';
  if (isObject(value)) return 'an object';
  return typeof value === 'string' ? 'a string' : typeof value === 'boolean' ? 'a boolean' : 'a number';
};

/** A search or list past its page cap: nothing is returned partially (the user narrows the search). */
const tooManyResults = (message) => failure('TooManyResultsError', message);

const connectionError = (message) => failure('ConnectionSettingsError', message);

/** One line, as the Python runtime's str(error). */
const errorText = (operationKey, error) => {
  if (!isObject(error)) return String(error);
  if (error.kind === 'InputValidationError') return `invalid input for ${operationKey}: ${error.message}`;
  if (API_KINDS.includes(error.kind)) return `${operationKey}: HTTP ${error.status}: ${error.message}`;
  if (['ResponseError', 'TransportError', 'TooManyResultsError'].includes(error.kind))
    return `${operationKey}: ${error.message}`;
  return String(error.message);
};

/** Arrays and objects an answer may nest: deeper is not JSON (the Python runtime's stack ends soon after). */
const MAX_DEPTH = 512;

/** Within MAX_DEPTH, and every number finite (JSON.parse reads a number past a double's range as Infinity). */
const readable = (value) => {
  const stack = [[value, 1]];
  while (stack.length) {
    const [item, depth] = stack.pop();
    if (item !== null && typeof item === 'object') {
      if (depth > MAX_DEPTH) return false;
      for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
    } else if (typeof item === 'number' && !Number.isFinite(item)) {
      return false;
    }
  }
  return true;
};

/** A body read as JSON the way both runtimes read it, or {ok: false}. */
const parseJson = (text) => {
  try {
    const value = JSON.parse(text);
    return readable(value) ? { ok: true, value } : { ok: false };
  } catch (error) {
    return { ok: false };
  }
};

/** Lists and objects in an error message deeper than this say nothing. */
const MESSAGE_DEPTH = 32;

/**
 * An API's message as text: a string as it is; a list as its items' texts joined by "; " (", "
 * inside another value); an object as "<key>: <its value's text>" joined by "; ", in its key order
 * (`{"errors": {"starts_at": ["can't be blank"]}}` -> "starts_at: can't be blank"). Anything else,
 * an entry whose text is empty, and a list or object nested more than MESSAGE_DEPTH levels (no
 * message is, and a hostile answer must not exhaust the stack) say nothing.
 */
const rendered = (value, depth) => {
  if (typeof value === 'string') return value;
  if (depth > MESSAGE_DEPTH) return '';
  if (Array.isArray(value))
    return value
      .map((item) => rendered(item, depth + 1))
      .filter(Boolean)
      .join(depth === 0 ? '; ' : ', ');
  if (!isObject(value)) return '';
  return Object.keys(value)
    .map((key) => [key, rendered(value[key], depth + 1)])
    .filter((entry) => entry[1])
    .map(([key, text]) => `${key}: ${text}`)
    .join('; ');
};

/** A non-JSON error body at most this long (in characters, on one line) is the message. */
const PLAIN_TEXT_LIMIT = 300;

/** A short plain-text error body as the message: `text/plain` or no content type. */
const plainText = (response, body) => {
  const media = (header(response, 'content-type') || 'text/plain').split(';')[0].trim().toLowerCase();
  const text = oneLine(body);
  const length = Array.from(text).length;
  return media === 'text/plain' && length > 0 && length <= PLAIN_TEXT_LIMIT ? text : null;
};

/** The paths of the API's message, first present first (`errors.message`: one path or a list). */
const messagePaths = (errors) => {
  if (Array.isArray(errors.message)) return errors.message;
  return [typeof errors.message === 'string' && errors.message ? errors.message : 'error.message'];
};

/**
 * The API's own message: the text at the first of the spec's paths that holds any (`rendered`);
 * for a body that is not JSON, the body itself when it is short plain text.
 */
const apiMessage = (response, errors) => {
  const body = typeof response.body === 'string' ? response.body : '';
  const parsed = parseJson(body);
  if (!parsed.ok) return plainText(response, body);
  for (const path of messagePaths(errors)) {
    const text = rendered(dig(parsed.value, String(path)), 0);
    if (oneLine(text)) return text;
  }
  return null;
};

const header = (response, name) => {
  const headers = isObject(response.headers) ? response.headers : {};
  const wanted = String(name).toLowerCase();
  const found = Object.keys(headers).find((key) => key.toLowerCase() === wanted);
  return found === undefined || typeof headers[found] !== 'string' ? null : headers[found];
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HTTP_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) GMT$/;

/** Milliseconds of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), or null; fields count on as in timegm. */
const httpDateMs = (text) => {
  const parts = HTTP_DATE.exec(text);
  if (!parts) return null;
  const [day, year, hour, minute, second] = [parts[1], parts[3], parts[4], parts[5], parts[6]].map(Number);
  const utc = new Date(0);
  utc.setUTCFullYear(year, MONTHS.indexOf(parts[2]), day);
  utc.setUTCHours(hour, minute, second, 0);
  return utc.getTime();
};

/** Retry-After in seconds: delta seconds (decimals allowed) or an HTTP date; else null. */
const retryAfterSeconds = (response, headerName, nowMs) => {
  const raw = header(response, headerName);
  if (raw === null) return null;
  const text = raw.trim();
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) return Number(text);
  const when = httpDateMs(text);
  if (when === null || typeof nowMs !== 'number') return null;
  return Math.max(0, (when - nowMs) / 1000);
};

/** Whether a status is in one of the spec's status lists (`auth`, `rate_limit`, `temporary`, `not_found`). */
const isIn = (list, status) => Array.isArray(list) && list.includes(status);

/** The statuses that mean nothing found (`errors.not_found`, [404] in a document written without it). */
const notFound = (errors) => (Array.isArray(errors.not_found) ? errors.not_found : [404]);

/** The error a status code in a 2xx body makes, by the kind the spec gives the code. */
const BODY_STATUS_KINDS = {
  auth: 'AuthError',
  rate_limit: 'RateLimitError',
  temporary: 'TemporaryError',
  api: 'ApiError',
};

/**
 * The error of a 2xx JSON object whose status field is not `ok`: "<meaning> (status <code>)" for a
 * listed code, "status <code>" for any other; an answer without the field, or with a list or an
 * object there, is drift.
 */
const bodyStatusError = (body, mapping, status) => {
  const value = dig(body, String(mapping.field));
  if (value === null || typeof value === 'object') {
    return responseError(`the answer has no status at ${mapping.field} (got ${what(value)})`);
  }
  const shown = show(value);
  const codes = Array.isArray(mapping.codes) ? mapping.codes : [];
  const listed = codes.find((code) => isObject(code) && jsonEqual(code.code, value));
  const message = listed ? `${listed.message} (status ${shown})` : `status ${shown}`;
  const kind = (listed && own(BODY_STATUS_KINDS, listed.kind)) || 'ApiError';
  return Object.assign(failure(kind, message, status), { code: value });
};

/**
 * The typed error of an answer that is not the operation's (a non-2xx status, or a 2xx whose body
 * says otherwise), carrying the API's own message and the spec's advice for its status.
 */
const errorFor = (doc, response, connection, nowMs) => {
  const errors = isObject(doc.errors) ? doc.errors : {};
  const status = response.status;
  if (status >= 200 && status < 300 && isObject(errors.body_status)) {
    return bodyStatusError(parseJson(response.body).value, errors.body_status, status);
  }
  let message = oneLine(redact(connection, apiMessage(response, errors) || NO_MESSAGE)) || NO_MESSAGE;
  for (const advice of Array.isArray(errors.advice) ? errors.advice : []) {
    if (isObject(advice) && advice.status === status) message += `; ${advice.message}`;
  }
  if (isIn(errors.auth, status)) return failure('AuthError', message, status);
  if (isIn(errors.rate_limit, status)) {
    return failure(
      'RateLimitError',
      message,
      status,
      retryAfterSeconds(response, errors.retry_after_header || 'Retry-After', nowMs),
    );
  }
  if (isIn(errors.temporary, status) || status >= 500) return failure('TemporaryError', message, status);
  if (isIn(notFound(errors), status)) return failure('NotFoundError', message, status);
  return failure('ApiError', message, status);
};

module.exports = {
  header,
  httpDateMs,
  failure,
  inputError,
  responseError,
  what,
  tooManyResults,
  connectionError,
  errorText,
  errorFor,
  retryAfterSeconds,
  parseJson,
  isIn,
  notFound,
};
