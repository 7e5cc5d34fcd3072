'use strict';

/*
 * One operation's budget on the host's clock (`options.clock`, epoch ms; without one the constant
 * `nowMs`, so no deadline passes): its deadline, the timeout and size cap each request carries,
 * and the random draw of the back-off's jitter (`options.random`; without one 0, no jitter).
 * A poll's pages and every retry share one budget.
 */

const { isObject } = require('./values');

const positive = (value, fallback) => (typeof value === 'number' && value > 0 ? value : fallback);

const start = (doc, options) => {
  const limits = isObject(doc.limits) ? doc.limits : {};
  const hostClock = typeof options.clock === 'function' ? options.clock : () => options.nowMs;
  const hostRandom = typeof options.random === 'function' ? options.random : () => 0;
  const now = () => {
    const at = Number(hostClock());
    return Number.isFinite(at) ? at : 0;
  };
  const deadline = positive(limits.deadline, 120);
  const startedAt = now();
  const elapsedMs = () => now() - startedAt;
  return {
    timeout: positive(limits.timeout, 30),
    deadline,
    maxBytes: positive(limits.max_response_bytes, 16777216),
    now,
    /** Seconds left before the deadline. */
    remaining: () => deadline - elapsedMs() / 1000,
    /** Whether a sleep of `seconds` ends by the deadline. */
    fits: (seconds) => elapsedMs() + seconds * 1000 <= deadline * 1000,
    /** r in [0, 1) for the jitter; a host's value outside it counts as 0. */
    random: () => {
      const drawn = Number(hostRandom());
      return drawn >= 0 && drawn < 1 ? drawn : 0;
    },
  };
};

module.exports = { start };
