'use strict';

/*
 * One generated Zapier app kept running for the trigger simulation, shared by many pollers: one
 * call per line on stdin (a call of execute.js, plus `caller`, the poller's name), its outcome as
 * one line on stdout with the same `caller`, in order, until stdin closes. A call keeps no state,
 * so the callers never see each other. Everything the app or Zapier's logger prints goes to
 * stderr, so stdout holds outcomes only.
 *
 * usage: node poller.js   (cwd: the app folder; NODE_PATH: Zapier's packages)
 */

const readline = require('readline');

const { appHandler, execute } = require('./execute');

for (const level of ['log', 'info', 'debug', 'warn']) console[level] = console.error;

const main = async () => {
  const handler = appHandler();
  for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const { caller, ...call } = JSON.parse(line);
    const outcome = await execute(handler, call);
    process.stdout.write(`${JSON.stringify({ caller, ...outcome })}\n`);
  }
};

main().catch((error) => {
  console.error(error.stack);
  process.exit(1);
});
