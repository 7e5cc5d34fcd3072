// What every harness needs to host the built package in n8n-core as n8n does: the package loaded
// by n8n's community-package loader, the node types and credentials helper n8n-core asks for,
// a one-node workflow, and n8n's errors described as plain JSON.
'use strict';
const { inspect } = require('node:util');
const { ExecutionLifecycleHooks, PackageDirectoryLoader } = require('n8n-core');
const { Workflow, ICredentialsHelper } = require('n8n-workflow');

const CREDENTIAL_ID = { id: '1', name: 'harness' };
const NODE_NAME = 'Node';
const WORKFLOW_ID = 'w1';

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

/** JSON of a value that may hold cycles (an error's request, socket and agent): a cycle is `[cycle]`. */
function jsonOf(value) {
	const seen = new WeakSet();
	return JSON.stringify(value, (key, item) => {
		if (typeof item === 'object' && item !== null) {
			if (seen.has(item)) return '[cycle]';
			seen.add(item);
		}
		return typeof item === 'bigint' ? String(item) : item;
	});
}

/** All an error holds, as text (for tests that look for a secret anywhere in it): every property,
 * hidden ones and causes included, and its JSON; and the kernel's error kind it was made from. */
function errorDump(error) {
	return {
		inspected: inspect(error, {
			depth: 12, showHidden: true, breakLength: Infinity, maxArrayLength: null, maxStringLength: null,
		}),
		json: jsonOf(error),
		kind: error?.errorResponse?.kind ?? null,
	};
}

/** n8n's error as data; with `dump`, everything it holds as well (errorDump). */
function describeError(error, dump = false) {
	const status = Number(error.httpCode);
	return {
		type: error.name ?? error.constructor.name,
		status: Number.isInteger(status) ? status : null,
		message: error.message,
		description: error.description ?? null,
		messages: error.messages ?? [],
		...(dump ? { dump: errorDump(error) } : {}),
	};
}

/** The node a user configured: its type, parameters and credential. */
function nodeOf(setting, nodeType) {
	return {
		id: 'node-1', name: NODE_NAME, type: nodeType, typeVersion: 1, position: [0, 0],
		parameters: setting.parameters, credentials: { [setting.credentialType]: CREDENTIAL_ID },
	};
}

/** A one-node workflow; `staticData` is what n8n stored for it (n8n builds a Workflow from it on every activation). */
function workflowOf(types, node, { id = WORKFLOW_ID, active = false, staticData } = {}) {
	return new Workflow({ id, nodes: [node], connections: {}, active, nodeTypes: nodeTypes(types), staticData });
}

/** The host's additional data: the credential helper with the setting's credentials, the node's parameters as the
 * editor sends them with a dropdown's request (`getCurrentNodeParameter`), nothing else reachable. */
function additionalDataOf(credentialTypes, setting, node, workflowId = WORKFLOW_ID) {
	const workflow = { id: workflowId, name: 'harness', nodes: [node], connections: {} };
	const hooks = new ExecutionLifecycleHooks('manual', '1', workflow);
	return {
		executionId: '1', hooks, credentialsHelper: new CredentialsHelper(credentialTypes, setting.credentials),
		restApiUrl: 'http://127.0.0.1:9', webhookBaseUrl: 'http://127.0.0.1:9', webhookWaitingBaseUrl: 'http://127.0.0.1:9',
		webhookTestBaseUrl: 'http://127.0.0.1:9', currentNodeParameters: setting.parameters, variables: {},
		executeWorkflow: async () => { throw new Error('not used'); },
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		setExecutionStatus: () => {},
	};
}

module.exports = { NODE_NAME, WORKFLOW_ID, loadPackage, describeError, nodeOf, workflowOf, additionalDataOf };
