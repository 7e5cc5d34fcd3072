// Runs every case of one connector through the built n8n package inside n8n-core, in one process.
// stdin: {packageDir, cases: [...]}; stdout: one JSON object {caseName: outcome}.
// Action node: WorkflowExecute running its execute(); trigger: PollContext driving poll(); connection
// test: the credential's `test.request` run as a declarative node, as n8n's credential tester does;
// a dropdown: LoadOptionsContext calling the node's loadOptions method.
'use strict';
const fs = require('node:fs');
const {
	ExecutionLifecycleHooks, LoadOptionsContext, PackageDirectoryLoader, PollContext, WorkflowExecute,
} = require('n8n-core');
const { Workflow, ICredentialsHelper } = require('n8n-workflow');

const CREDENTIAL_ID = { id: '1', name: 'replay' };
const NODE_NAME = 'Node';

/** The package as n8n loads an installed community package: n8n-core's PackageDirectoryLoader. */
async function loadPackage(packageDir) {
	const loader = new PackageDirectoryLoader(packageDir);
	await loader.loadAll();
	const nodes = {};
	for (const [name, { type }] of Object.entries(loader.nodeTypes)) nodes[`${loader.packageName}.${name}`] = type;
	const credentials = {};
	for (const [name, { type }] of Object.entries(loader.credentialTypes)) credentials[name] = type;
	return { nodes, credentials };
}

function nodeTypes(types) {
	return {
		getByName: (name) => types[name],
		getByNameAndVersion: (name) => types[name],
		getKnownTypes: () => ({}),
	};
}

/** n8n's own test helper skips generic `authenticate`; this one resolves it with n8n's expressions. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(types, data) {
		super();
		this.types = types;
		this.data = data;
	}
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const auth = this.types[typeName].authenticate;
		if (typeof auth === 'function') return await auth(credentials, requestOptions);
		if (!auth || auth.type !== 'generic') return requestOptions;
		const resolve = (value) =>
			workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
		for (const [target, values] of Object.entries(auth.properties)) {
			const resolved = {};
			for (const [key, value] of Object.entries(values)) resolved[key] = resolve(value);
			requestOptions[target] = { ...(requestOptions[target] || {}), ...resolved };
		}
		return requestOptions;
	}
	async preAuthentication() { return undefined; }
	async runPreAuthentication() { return undefined; }
	getParentTypes() { return []; }
	isCredentialUsableByNode() { return true; }
	async getDecrypted() { return this.data; }
	async getCredentials() { throw new Error('not used'); }
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties(type) { return this.types[type].properties; }
}

function describeError(error) {
	const status = Number(error.httpCode);
	return {
		type: error.name ?? error.constructor.name,
		status: Number.isInteger(status) ? status : null,
		message: error.message,
		description: error.description ?? null,
		messages: error.messages ?? [],
	};
}

function setup(types, credentialTypes, theCase, nodeType) {
	const node = {
		id: 'node-1', name: NODE_NAME, type: nodeType, typeVersion: 1, position: [0, 0],
		parameters: theCase.parameters, credentials: { [theCase.credentialType]: CREDENTIAL_ID },
	};
	const workflow = new Workflow({ id: 'w1', nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes(types) });
	const hooks = new ExecutionLifecycleHooks('manual', '1', { id: 'w1', name: 'case', nodes: [node], connections: {} });
	const additionalData = {
		executionId: '1', hooks, credentialsHelper: new CredentialsHelper(credentialTypes, theCase.credentials),
		restApiUrl: 'http://127.0.0.1:9', webhookBaseUrl: 'http://127.0.0.1:9', webhookWaitingBaseUrl: 'http://127.0.0.1:9',
		webhookTestBaseUrl: 'http://127.0.0.1:9', currentNodeParameters: undefined, variables: {},
		executeWorkflow: async () => { throw new Error('not used'); },
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		setExecutionStatus: () => {},
	};
	return { node, workflow, hooks, additionalData };
}

async function runNode(types, credentialTypes, theCase, nodeType) {
	const { node, workflow, additionalData } = setup(types, credentialTypes, theCase, nodeType);
	const runData = {
		resultData: { runData: {} },
		executionData: {
			metadata: {}, contextData: {}, waitingExecution: {}, waitingExecutionSource: null,
			nodeExecutionStack: [{ node, data: { main: [[{ json: {} }]] }, source: null }],
		},
	};
	const run = await new WorkflowExecute(additionalData, 'manual', runData).processRunExecutionData(workflow);
	const task = run.data.resultData.runData[NODE_NAME]?.[0];
	if (task?.error) return { status: 'error', error: describeError(task.error) };
	if (run.data.resultData.error) return { status: 'error', error: describeError(run.data.resultData.error) };
	return { status: 'ok', output: (task?.data?.main?.[0] ?? []).map((item) => item.json) };
}

async function runPolls(types, credentialTypes, theCase, nodeType) {
	const { node, workflow, additionalData } = setup(types, credentialTypes, theCase, nodeType);
	const realNow = Date.now;
	const outputs = [];
	try {
		for (let poll = 0; poll < theCase.polls; poll++) {
			Date.now = () => theCase.clockMs + poll * theCase.intervalMs;
			const context = new PollContext(workflow, node, additionalData, 'trigger', 'trigger');
			const result = await types[nodeType].poll.call(context);
			outputs.push(result === null ? null : result[0].map((item) => item.json));
		}
	} catch (error) {
		return { status: 'error', error: describeError(error), polls: outputs };
	} finally {
		Date.now = realNow;
	}
	return { status: 'ok', output: outputs };
}

/** A dropdown: the node's `methods.loadOptions` entry, called the way the editor calls it. */
async function runLoadOptions(types, credentialTypes, theCase, nodeType) {
	const { node, workflow, additionalData } = setup(types, credentialTypes, theCase, nodeType);
	const context = new LoadOptionsContext(workflow, node, additionalData, theCase.path);
	try {
		return { status: 'ok', output: await types[nodeType].methods.loadOptions[theCase.method].call(context) };
	} catch (error) {
		return { status: 'error', error: describeError(error) };
	}
}

/** The connection test: the credential's `test.request` as a declarative node's request defaults. */
function credentialTestType(credential) {
	return {
		description: {
			displayName: 'Credential test', name: 'credentialTest', group: ['transform'], version: 1, description: '',
			defaults: { name: 'Credential test' }, inputs: ['main'], outputs: ['main'],
			credentials: [{ name: credential.name, required: true }],
			requestDefaults: credential.test.request, properties: [],
		},
	};
}

async function main() {
	const input = JSON.parse(fs.readFileSync(0, 'utf8'));
	const { nodes, credentials } = await loadPackage(input.packageDir);
	const outcomes = {};
	for (const theCase of input.cases) {
		let outcome;
		try {
			if (theCase.kind === 'test') {
				const types = { ...nodes, credentialTest: credentialTestType(credentials[theCase.credentialType]) };
				outcome = await runNode(types, credentials, theCase, 'credentialTest');
			} else if (theCase.kind === 'options') {
				outcome = await runLoadOptions(nodes, credentials, theCase, theCase.nodeType);
			} else if (theCase.kind === 'trigger') {
				outcome = await runPolls(nodes, credentials, theCase, theCase.nodeType);
			} else {
				outcome = await runNode(nodes, credentials, theCase, theCase.nodeType);
			}
		} catch (error) {
			outcome = { status: 'error', error: { type: 'HarnessError', status: null, message: String(error && error.stack) } };
		}
		outcomes[theCase.name] = outcome;
	}
	process.stdout.write('\n' + JSON.stringify(outcomes) + '\n');
}

main().catch((error) => {
	process.stderr.write(String(error && error.stack));
	process.exit(1);
});
