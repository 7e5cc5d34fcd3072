'use strict';

/*
 * Sending, and sending again by the rule of idempotency (docs/conformance.md). A rate limit and a
 * failure before anything was sent (connect, tls) are always retried; a temporary status, a
 * timeout or a reset only when the request is safe to re-send, else the error says so at once
 * (`maybeSucceeded`); a search, list, test or poll only reads, so it is safe whatever its method.
 * A rate-limit or temporary status code in a 2xx body (`errors.body_status`) is retried for any
 * request: the API says it did nothing. The delay before attempt n+1 is base_delay * 2^(n-1),
 * capped at max_delay, shrunk by the jitter, and at least the Retry-After a retried status asks
 * for. A Retry-After above max_delay, or a sleep past the operation's deadline, returns the error
 * instead.
 */

const { isObject, dig } = require('./values');
const { errorFor, retryAfterSeconds, isIn } = require('./errors');
const { answered, answers, isSuccess, reply: readReply } = require('./response');
const { NOT_SENT, MAYBE_ACTED, failureError, deadlineError } = require('./transport');

/** Methods that mean the same when sent twice (RFC 9110, 9.2.2). */
const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'];
const NOT_SENT_AGAIN = '; not sent again: the API may have carried it out';

/** The title a user knows a field by, else its name. */
const fieldTitle = (schema, dotted) => {
  let at = schema;
  for (const name of String(dotted).split('.'))
    at = isObject(at) && isObject(at.properties) ? at.properties[name] : null;
  return isObject(at) && typeof at.title === 'string' && at.title ? at.title : String(dotted);
};

/**
 * null when the request is safe to send again (its method, or a value for a field of
 * `idempotent_with`); else what the error adds when the request is not sent again.
 */
const unsafeNote = (inputSchema, mapping, value) => {
  const fields = Array.isArray(mapping.idempotent_with) ? mapping.idempotent_with : [];
  if (SAFE_METHODS.includes(mapping.method) || fields.some((field) => dig(value, field) !== null)) return null;
  if (!fields.length) return NOT_SENT_AGAIN;
  const titles = fields.map((field) => fieldTitle(inputSchema, field)).join(' or ');
  return `${NOT_SENT_AGAIN} (give ${titles} to make a retry safe)`;
};

/** The kinds whose requests only read: sending one again changes nothing. */
const READERS = ['search', 'list', 'test', 'trigger'];

/**
 * null when the operation's request is safe to send again: a search, list, test or a trigger's
 * poll only reads, whatever its method (an API may take every call as a POST); an action by `unsafeNote`.
 */
const resendNote = (operation, value) =>
  READERS.includes(operation.kind) ? null : unsafeNote(operation.input, operation.request, value);

/**
 * Generator: yields send/sleep steps; returns {ok, response} or {ok: false, error}. The response
 * is returned when it is the answer: `answered`, or, for a search or list `operation`, nothing
 * found (`answers`).
 */
function* send(doc, connection, request, options, budget, unsafe, operation) {
  const errors = isObject(doc.errors) ? doc.errors : {};
  const policy = isObject(doc.retry) ? doc.retry : {};
  const maxAttempts = options.retries === false ? 1 : Number(policy.max_attempts) || 1;
  const jitter = Number(policy.jitter) || 0;
  for (let attempt = 1; ; attempt += 1) {
    const left = budget.remaining();
    if (!(left > 0)) return { ok: false, error: deadlineError(budget.deadline) };
    const timeout = Math.min(budget.timeout, left);
    const stamped = Object.assign({}, request, { timeoutMs: timeout * 1000, maxBytes: budget.maxBytes });
    const reply = readReply(yield { type: 'send', request: stamped });
    let error;
    let always;
    let ifSafe;
    let asked = null;
    if (reply.failure !== undefined) {
      error = failureError(reply, request.url, timeout, budget.maxBytes);
      always = NOT_SENT.includes(error.failure);
      ifSafe = MAYBE_ACTED.includes(error.failure);
    } else if (operation ? answers(doc, operation, reply) : answered(doc, reply)) {
      return { ok: true, response: reply };
    } else {
      error = errorFor(doc, reply, connection, budget.now());
      if (isSuccess(reply)) {
        // a status in the body: the API says it did nothing, so any request may retry
        always = error.kind === 'RateLimitError' || error.kind === 'TemporaryError';
        ifSafe = false;
      } else {
        always = isIn(errors.rate_limit, reply.status);
        ifSafe = isIn(errors.temporary, reply.status);
        const named = errors.retry_after_header || 'Retry-After';
        if (always || ifSafe) asked = retryAfterSeconds(reply, named, budget.now());
      }
    }
    if (ifSafe && !always && unsafe !== null)
      return { ok: false, error: Object.assign({}, error, { message: error.message + unsafe, maybeSucceeded: true }) };
    if (!(always || ifSafe) || attempt >= maxAttempts) return { ok: false, error };
    if (asked !== null && asked > policy.max_delay)
      return { ok: false, error: Object.assign({}, error, { retryAfter: asked }) };
    const backoff = Math.min(policy.base_delay * 2 ** (attempt - 1), policy.max_delay) * (1 - jitter * budget.random());
    const delay = Math.max(backoff, asked || 0);
    if (!budget.fits(delay)) return { ok: false, error };
    yield { type: 'sleep', seconds: delay };
  }
}

module.exports = { send, unsafeNote, resendNote };
