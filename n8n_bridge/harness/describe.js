// Loads a built package the way n8n loads an installed community package (n8n-core's
// PackageDirectoryLoader) and prints what n8n sees: node and credential descriptions, and the
// loader's own problems; `methods` and `searches` are a node's loadOptions and listSearch methods. argv[2]: the package folder.
'use strict';
const { PackageDirectoryLoader } = require('n8n-core');

async function main() {
	const loader = new PackageDirectoryLoader(process.argv[2]);
	await loader.loadAll();
	const nodes = {};
	for (const [name, { type }] of Object.entries(loader.nodeTypes)) {
		nodes[name] = { description: type.description, methods: Object.keys(type.methods?.loadOptions ?? {}), searches: Object.keys(type.methods?.listSearch ?? {}), polls: typeof type.poll === 'function', executes: typeof type.execute === 'function' };
	}
	const credentials = {};
	for (const [name, { type }] of Object.entries(loader.credentialTypes)) credentials[name] = { ...type };
	const out = { packageName: loader.packageName, nodes, credentials, known: loader.known, types: loader.types };
	process.stdout.write('\n' + JSON.stringify(out) + '\n');
}

main().catch((error) => {
	process.stderr.write(String(error && error.stack));
	process.exit(1);
});
