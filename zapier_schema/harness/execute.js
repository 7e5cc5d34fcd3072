'use strict';

/*
 * One call of a generated Zapier app through zapier-platform-core's Lambda handler (what Zapier
 * runs in production; with NODE_ENV=test its result checks throw), with Date.now pinned to the
 * call's clock (a null clock keeps the real one: a deadline needs time to pass), and its outcome
 * as data. Shared by run_cases.js (many calls, one file) and poller.js (one long-lived process
 * per simulated trigger).
 *
 * call: {method, authData, inputData, meta, clock_ms, dump?}
 * outcome: {status: "ok", output} | {status: "error", error: {type, status, message, retry_after?}}
 */

const path = require('path');
const { inspect } = require('util');

const zapier = require('zapier-platform-core');

/** A Zapier error as data: AppError and ThrottledError carry JSON in their message. */
const describe = (error) => {
  let detail;
  try {
    detail = JSON.parse(error.message);
  } catch (notJson) {
    detail = null;
  }
  if (error.name === 'ThrottledError' && detail) {
    return { type: 'ThrottledError', status: null, message: detail.message, retry_after: detail.delay };
  }
  if (error.name === 'AppError' && detail) {
    return { type: detail.code || 'AppError', status: detail.status === undefined ? null : detail.status, message: detail.message };
  }
  return { type: error.name || 'Error', status: null, message: String(error.message) };
};

/** The handler of the app in the current folder (the generated project). */
const appHandler = () => zapier.createAppHandler(require(path.resolve('index.js')));

/** All an error holds, as text (for tests that look for a secret anywhere in it): every property,
 * hidden ones and causes included. */
const errorDump = (error) => inspect(error, {
  depth: 12, showHidden: true, breakLength: Infinity, maxArrayLength: null, maxStringLength: null,
});

/** Run one call; never throws (a failure is an outcome; with `dump`, the error's errorDump too). */
const execute = async (handler, call) => {
  const realNow = Date.now;
  if (call.clock_ms !== null) Date.now = () => call.clock_ms;
  try {
    const bundle = { authData: call.authData, inputData: call.inputData, meta: call.meta || {} };
    const done = await handler({ command: 'execute', method: call.method, bundle });
    return { status: 'ok', output: done.results };
  } catch (error) {
    const described = describe(error);
    return { status: 'error', error: call.dump ? { ...described, dump: errorDump(error) } : described };
  } finally {
    Date.now = realNow;
  }
};

module.exports = { appHandler, execute };
