// Runs one case of a connector through the built n8n package inside n8n-core, as n8n does.
// Action node: WorkflowExecute running its execute(); trigger: PollContext driving poll() (with
// `manual`: the editor's "Fetch test event", WorkflowExecute running the trigger in manual mode); connection
// test: the credential's `test.request` run as a declarative node, then its rules, as n8n's credential tester does;
// a dropdown: LoadOptionsContext calling the node's loadOptions method (a resource locator's list: its
// listSearch method).
// A case with `dump` gets its error with everything it holds (for the leak tests); a case whose
// `clockMs` is null runs on the real clock (for deadlines).
'use strict';
const { LoadOptionsContext, PollContext, WorkflowExecute } = require('n8n-core');
const { NODE_NAME, describeError, nodeOf, workflowOf, additionalDataOf } = require('./host');

function setup(types, credentialTypes, theCase, nodeType) {
	const node = nodeOf(theCase, nodeType);
	const workflow = workflowOf(types, node);
	return { node, workflow, additionalData: additionalDataOf(credentialTypes, theCase, node) };
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
	if (task?.error) return { status: 'error', error: describeError(task.error, theCase.dump) };
	const failed = run.data.resultData.error;
	if (failed) return { status: 'error', error: describeError(failed, theCase.dump) };
	return { status: 'ok', output: (task?.data?.main?.[0] ?? []).map((item) => item.json) };
}

/** Run `work` with the clock (Date.now, which the node reads) at `clockMs` (null: the real clock, for deadlines). */
async function atClock(clockMs, work) {
	if (clockMs === null) return await work();
	const realNow = Date.now;
	Date.now = () => clockMs;
	try {
		return await work();
	} finally {
		Date.now = realNow;
	}
}

async function runPolls(types, credentialTypes, theCase, nodeType) {
	const { node, workflow, additionalData } = setup(types, credentialTypes, theCase, nodeType);
	const outputs = [];
	try {
		for (let poll = 0; poll < theCase.polls; poll++) {
			const context = new PollContext(workflow, node, additionalData, 'trigger', 'trigger');
			const clockMs = theCase.clockMs === null ? null : theCase.clockMs + poll * theCase.intervalMs;
			const result = await atClock(clockMs, () => types[nodeType].poll.call(context));
			outputs.push(result === null ? null : result[0].map((item) => item.json));
		}
	} catch (error) {
		return { status: 'error', error: describeError(error, theCase.dump), polls: outputs };
	}
	return { status: 'ok', output: outputs };
}

/**
 * A dropdown: the node's `methods.loadOptions` entry, called the way the editor calls it; or, for a
 * `listSearch` case, a resource locator's list method with the text typed in its search box (`filter`).
 */
async function runLoadOptions(types, credentialTypes, theCase, nodeType) {
	const { node, workflow, additionalData } = setup(types, credentialTypes, theCase, nodeType);
	const context = new LoadOptionsContext(workflow, node, additionalData, theCase.path);
	const methods = types[nodeType].methods;
	try {
		if (theCase.kind === 'listSearch') {
			return { status: 'ok', output: await methods.listSearch[theCase.method].call(context, theCase.filter) };
		}
		return { status: 'ok', output: await methods.loadOptions[theCase.method].call(context) };
	} catch (error) {
		return { status: 'error', error: describeError(error, theCase.dump) };
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

/** A dotted path of a record, as lodash's `get` reads the credential tester's rule keys. */
function dig(record, dotted) {
	return dotted.split('.').reduce((node, part) => (node === null || typeof node !== 'object' ? undefined : node[part]), record);
}

/**
 * n8n's credential tester after its request succeeded: the first `responseSuccessBody` rule whose key
 * holds its value fails the test with the rule's message (n8n's CredentialsTester, unchanged).
 */
function testVerdict(credential, outcome) {
	if (outcome.status !== 'ok') return outcome;
	const [answer] = outcome.output;
	for (const rule of credential.test.rules ?? []) {
		if (rule.type === 'responseSuccessBody' && dig(answer, rule.properties.key) === rule.properties.value) {
			return { status: 'error', error: { type: 'CredentialTestError', status: null, message: rule.properties.message } };
		}
	}
	return outcome;
}

/** One case's outcome ({status: ok, output} or {status: error, error}); never throws. */
async function runCase(nodes, credentials, theCase) {
	try {
		if (theCase.kind === 'test') {
			const credential = credentials[theCase.credentialType];
			const types = { ...nodes, credentialTest: credentialTestType(credential) };
			return testVerdict(credential, await runNode(types, credentials, theCase, 'credentialTest'));
		}
		if (theCase.kind === 'options' || theCase.kind === 'listSearch') {
			return await runLoadOptions(nodes, credentials, theCase, theCase.nodeType);
		}
		if (theCase.kind === 'trigger' && theCase.manual) {
			return await atClock(theCase.clockMs, () => runNode(nodes, credentials, theCase, theCase.nodeType));
		}
		if (theCase.kind === 'trigger') return await runPolls(nodes, credentials, theCase, theCase.nodeType);
		return await runNode(nodes, credentials, theCase, theCase.nodeType);
	} catch (error) {
		return { status: 'error', error: { type: 'HarnessError', status: null, message: String(error && error.stack) } };
	}
}

module.exports = { runCase };
