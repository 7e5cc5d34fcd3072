'use strict';

/*
 * Typed error descriptions {kind, status, message, retryAfter, problems?}: plain objects a
 * platform adapter turns into its host's error types. Every message is one line with every
 * secret connection value replaced by `***`.
 */

const { isObject, dig, oneLine } = require('./values');
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

const connectionError = (message) => failure('ConnectionSettingsError', message);

/** One line, as the Python runtime's str(error). */
const errorText = (operationKey, error) => {
  if (!isObject(error)) return String(error);
  if (error.kind === 'InputValidationError') return `invalid input for ${operationKey}: ${error.message}`;
  if (API_KINDS.includes(error.kind)) return `${operationKey}: HTTP ${error.status}: ${error.message}`;
  if (error.kind === 'ResponseError' || error.kind === 'TransportError') return `${operationKey}: ${error.message}`;
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

/** The API's own message at the spec's dotted path, when the body is JSON and holds one. */
const apiMessage = (response, path) => {
  const parsed = parseJson(typeof response.body === 'string' ? response.body : '');
  const message = parsed.ok ? dig(parsed.value, path) : null;
  return typeof message === 'string' && message ? message : null;
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

/** The typed error of a non-2xx answer, carrying the API's own message. */
const errorFor = (doc, response, connection, nowMs) => {
  const errors = isObject(doc.errors) ? doc.errors : {};
  const status = response.status;
  const message =
    oneLine(redact(connection, apiMessage(response, errors.message || 'error.message') || NO_MESSAGE)) || NO_MESSAGE;
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
  connectionError,
  errorText,
  errorFor,
  retryAfterSeconds,
  parseJson,
  isIn,
  notFound,
};
