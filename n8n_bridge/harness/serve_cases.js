// Cases of one built package run one at a time as they arrive, by a process that loads the package
// once (cases.js runs each): for tests that start a server per case and time each run.
// argv[2]: the file descriptor for replies (stdout is left to n8n's own logging); argv[3]: the built
// package. stdin: JSON lines {id, case} (the credentials travel here, never in argv); one reply
// line per command, in order: {id, ok: true, outcome}.
'use strict';
const fs = require('node:fs');
const readline = require('node:readline');
const { loadPackage } = require('./host');
const { runCase } = require('./cases');

const REPLIES = Number(process.argv[2]);
const PACKAGE_DIR = process.argv[3];

async function main() {
	const { nodes, credentials } = await loadPackage(PACKAGE_DIR);
	for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
		if (!line.trim()) continue;
		const command = JSON.parse(line);
		const outcome = await runCase(nodes, credentials, command.case);
		fs.writeSync(REPLIES, `${JSON.stringify({ id: command.id, ok: true, outcome })}\n`);
	}
}

main().catch((error) => {
	process.stderr.write(String(error && error.stack));
	process.exit(1);
});
