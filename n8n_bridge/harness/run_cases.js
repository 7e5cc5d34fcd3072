// Runs every case of one connector through the built n8n package inside n8n-core, in one process
// (cases.js runs each). stdin: {packageDir, cases: [...]}; stdout: one JSON object {caseName: outcome}.
'use strict';
const fs = require('node:fs');
const { loadPackage } = require('./host');
const { runCase } = require('./cases');

async function main() {
	const input = JSON.parse(fs.readFileSync(0, 'utf8'));
	const { nodes, credentials } = await loadPackage(input.packageDir);
	const outcomes = {};
	for (const theCase of input.cases) outcomes[theCase.name] = await runCase(nodes, credentials, theCase);
	process.stdout.write('\n' + JSON.stringify(outcomes) + '\n');
}

main().catch((error) => {
	process.stderr.write(String(error && error.stack));
	process.exit(1);
});
