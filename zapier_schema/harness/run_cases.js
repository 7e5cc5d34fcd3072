'use strict';

/*
 * Runs many operations of one generated Zapier app in this one Node process (see execute.js).
 *
 * usage: node run_cases.js RUNS.json RESULTS.json   (cwd: the app folder; NODE_PATH: Zapier's packages)
 * RUNS.json: [{name, method, authData, inputData, meta, clock_ms}]
 * RESULTS.json: {name: outcome}
 */

const fs = require('fs');

const { appHandler, execute } = require('./execute');

const main = async () => {
  const [runsFile, resultsFile] = process.argv.slice(2);
  const runs = JSON.parse(fs.readFileSync(runsFile, 'utf8'));
  const handler = appHandler();
  const results = {};
  for (const run of runs) results[run.name] = await execute(handler, run);
  fs.writeFileSync(resultsFile, JSON.stringify(results));
};

main().catch((error) => {
  console.error(error.stack);
  process.exit(1);
});
