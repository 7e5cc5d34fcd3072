'use strict';

/*
 * Runs many operations of one generated Zapier app in this one Node process, each through
 * zapier-platform-core's Lambda handler (what Zapier runs in production; with NODE_ENV=test its
 * result checks throw), with Date.now pinned to the run's clock.
 *
 * usage: node run_cases.js RUNS.json RESULTS.json   (cwd: the app folder; NODE_PATH: Zapier's packages)
 * RUNS.json: [{name, method, authData, inputData, clock_ms}]
 * RESULTS.json: {name: {status: "ok", output} | {status: "error", error: {type, status, message, retry_after?}}}
 */

const fs = require('fs');
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

const main = async () => {
  const [runsFile, resultsFile] = process.argv.slice(2);
  const runs = JSON.parse(fs.readFileSync(runsFile, 'utf8'));
  const handler = zapier.createAppHandler(require(path.resolve('index.js')));
  const realNow = Date.now;
  const results = {};
  for (const run of runs) {
    Date.now = () => run.clock_ms;
    try {
      const bundle = { authData: run.authData, inputData: run.inputData };
      const done = await handler({ command: 'execute', method: run.method, bundle });
      results[run.name] = { status: 'ok', output: done.results };
    } catch (error) {
      results[run.name] = { status: 'error', error: describe(error) };
    } finally {
      Date.now = realNow;
    }
  }
  fs.writeFileSync(resultsFile, JSON.stringify(results));
};

main().catch((error) => {
  console.error(error.stack);
  process.exit(1);
});
