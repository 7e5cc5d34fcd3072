'use strict';

/*
 * One call of a generated Zapier app through zapier-platform-core's Lambda handler (what Zapier
 * runs in production; with NODE_ENV=test its result checks throw), with Date.now pinned to the
 * call's clock, and its outcome as data. Shared by run_cases.js (many calls, one file) and
 * poller.js (one long-lived process per simulated trigger).
 *
 * call: {method, authData, inputData, meta, clock_ms}
 * outcome: {status: "ok", output} | {status: "error", error: {type, status, message, retry_after?}}
 */

const path = require('path');

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

/** Run one call; never throws (a failure is an outcome). */
const execute = async (handler, call) => {
  const realNow = Date.now;
  Date.now = () => call.clock_ms;
  try {
    const bundle = { authData: call.authData, inputData: call.inputData, meta: call.meta || {} };
    const done = await handler({ command: 'execute', method: call.method, bundle });
    return { status: 'ok', output: done.results };
  } catch (error) {
    return { status: 'error', error: describe(error) };
  } finally {
    Date.now = realNow;
  }
};

module.exports = { appHandler, execute };
