'use strict';

/*
 * Transport failures: answers a host could not get. A host's `send` resolves to a response or to
 * {failure: KIND, detail}; the plan judges a failure as it judges a status (retry.js). Messages
 * name the request's origin, never its path or query, so ids stay home.
 */

const { oneLine } = require('./values');

/** Nothing was sent: trying again cannot repeat a write. */
const NOT_SENT = ['connect', 'tls'];
/** The request may have reached the API: only a request safe to re-send is sent again. */
const MAYBE_ACTED = ['timeout', 'reset'];
const FAILURE_KINDS = NOT_SENT.concat(MAYBE_ACTED, ['too_large']);

const ORIGIN = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)(?:[^/?#@]*@)?([^/?#]*)/;

/** Node's system error codes (errno names and its TLS codes) as failure kinds: every host runs on Node. */
const SYSTEM_FAILURES = {
  ECONNREFUSED: 'connect',
  ENOTFOUND: 'connect',
  EAI_AGAIN: 'connect',
  EHOSTUNREACH: 'connect',
  ENETUNREACH: 'connect',
  ENETDOWN: 'connect',
  ETIMEDOUT: 'timeout', // the system's: on a connection in use too, so the API may have acted
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ERR_STREAM_PREMATURE_CLOSE: 'reset',
};
const TLS_CODE = /^(EPROTO|ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|ERR_OSSL_)/;

/** The failure kind of a Node error code, or null for a code that is not the connection's. */
const systemFailure = (code) => {
  if (typeof code !== 'string') return null;
  if (Object.prototype.hasOwnProperty.call(SYSTEM_FAILURES, code)) return SYSTEM_FAILURES[code];
  return TLS_CODE.test(code) ? 'tls' : null;
};

/** A kind the rules know; anything else may have reached the API, so it counts as `reset`. */
const knownKind = (kind) => (FAILURE_KINDS.includes(kind) ? kind : 'reset');

/** scheme://host[:port] of a URL, without credentials, path or query. */
const origin = (url) => {
  const found = ORIGIN.exec(String(url));
  return found ? `${found[1]}${found[2]}` : 'the API';
};

const transportError = (message, failure) => ({
  kind: 'TransportError',
  status: null,
  message,
  retryAfter: null,
  failure,
});

/** The TransportError of a failure reply {failure, detail}, worded as the Python runtime words it. */
const failureError = (reply, url, timeout, maxBytes) => {
  const kind = knownKind(reply.failure);
  const where = origin(url);
  const text = oneLine(reply.detail);
  const detail = text ? `: ${text}` : '';
  const messages = {
    connect: () => `cannot connect to ${where}${detail}`,
    tls: () => `TLS handshake with ${where} failed${detail}`,
    timeout: () => `no answer from ${where} within ${timeout} s (read timeout)`,
    reset: () => `the connection to ${where} was closed before a complete answer`,
    too_large: () => `the answer from ${where} is larger than ${maxBytes} bytes, the connector's limit`,
  };
  return transportError(messages[kind](), kind);
};

/** Raised by the plan itself when the operation's deadline leaves no time for a request. */
const deadlineError = (deadline) =>
  transportError(`gave up after ${deadline} s (the operation's deadline)`, 'deadline');

module.exports = { NOT_SENT, MAYBE_ACTED, FAILURE_KINDS, origin, failureError, deadlineError, systemFailure };
