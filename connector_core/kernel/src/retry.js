'use strict';

/*
 * Sending with bounded exponential back-off on rate limits and temporary failures: the delay
 * before attempt n+1 is base_delay * 2^(n-1), capped at max_delay, and at least the Retry-After
 * a rate limit asks for. A Retry-After above max_delay is not waited out: the error is returned
 * at once, carrying the delay, so the host can schedule the retry.
 */

const { isObject } = require('./values');
const { errorFor, retryAfterSeconds, isIn } = require('./errors');
const { isSuccess, normalise } = require('./response');

/** Generator: yields send/sleep steps; returns {ok, response} or {ok: false, error}. */
function* send(doc, connection, request, options) {
  const errors = isObject(doc.errors) ? doc.errors : {};
  const policy = isObject(doc.retry) ? doc.retry : {};
  const maxAttempts = options.retries === false ? 1 : Number(policy.max_attempts) || 1;
  for (let attempt = 1; ; attempt += 1) {
    const response = normalise(yield { type: 'send', request });
    if (isSuccess(response)) return { ok: true, response };
    const status = response.status;
    const rateLimited = isIn(errors.rate_limit, status);
    const retryable = rateLimited || isIn(errors.temporary, status);
    if (!retryable || attempt >= maxAttempts)
      return { ok: false, error: errorFor(doc, response, connection, options.nowMs) };
    let delay = Math.min(policy.base_delay * 2 ** (attempt - 1), policy.max_delay);
    if (rateLimited) {
      const asked = retryAfterSeconds(response, errors.retry_after_header || 'Retry-After', options.nowMs);
      if (asked !== null && asked > policy.max_delay)
        return { ok: false, error: errorFor(doc, response, connection, options.nowMs) };
      delay = Math.max(delay, asked || 0);
    }
    yield { type: 'sleep', seconds: delay };
  }
}

module.exports = { send };
