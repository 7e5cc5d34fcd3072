'use strict';

/*
 * The JS kernel as a line-oriented process, so a Python test session can ask it about thousands
 * of inputs through one node process. Each input line is JSON:
 *   {"document": <runtime document>, "connection": {...}, "baseUrl": "..."}  sets the connector
 *                                                         (answer: {"ok": true})
 *   {"operation": "<key>", "input": <raw input>}          answer: the kernel's decision
 * A number the JSON text cannot carry (NaN, Infinity, -Infinity) arrives as {"\u0000number": "NaN"}
 * (revived only in lines that hold one: a reviver walks recursively, JSON.parse alone does not).
 * The answer is {"valid": false, "problems": [...]} or {"valid": true, "value", "request"}, or
 * {"thrown": "<text>"} when the kernel threw (which it must never do).
 */

const readline = require('node:readline');
const path = require('node:path');

const kernel = require(path.join(__dirname, '..', '..', 'connector_core', 'kernel', 'src', 'index.js'));

const NUMBER_KEY = '\u0000number';
const revive = (key, value) =>
  value !== null && typeof value === 'object' && Object.keys(value).length === 1 && NUMBER_KEY in value
    ? Number(value[NUMBER_KEY])
    : value;

let current = null;

const decide = (message) => {
  if (message.document) {
    const resolved = kernel.resolveConnection(message.document, message.connection, { baseUrl: message.baseUrl });
    if (!resolved.ok) return { thrown: `connection refused: ${resolved.error.message}` };
    current = { doc: message.document, connection: resolved.connection };
    return { ok: true };
  }
  const prepared = kernel.prepareInput(current.doc, message.operation, message.input);
  if (!prepared.ok) return { valid: false, problems: prepared.error.problems || [] };
  const built = kernel.buildRequest(current.doc, message.operation, prepared.value, current.connection);
  return { valid: true, value: prepared.value, request: built.request };
};

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  let answer;
  try {
    answer = decide(line.includes('\\u0000number') ? JSON.parse(line, revive) : JSON.parse(line));
  } catch (error) {
    answer = { thrown: String((error && error.stack) || error) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
});
