// Runs every case of one connector through the built n8n package inside n8n-core, in one process.
// stdin: {packageDir, cases: [...]}; stdout: one JSON object {caseName: outcome}.
// Action node: WorkflowExecute running its execute(); trigger: PollContext driving poll() (with
// `manual`: the editor's "Fetch test event", WorkflowExecute running the trigger in manual mode); connection
// test: the credential's `test.request` run as a declarative node, as n8n's credential tester does;
// a dropdown: LoadOptionsContext calling the node's loadOptions method.
'use strict';
const fs = require('node:fs');
const { LoadOptionsContext, PollContext, WorkflowExecute } = require('n8n-core');
const { NODE_NAME, loadPackage, describeError, nodeOf, workflowOf, additionalDataOf } = require('./host');

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
	if (task?.error) return { status: 'error', error: describeError(task.error) };
	if (run.data.resultData.error) return { status: 'error', error: describeError(run.data.resultData.error) };
	return { status: 'ok', output: (task?.data?.main?.[0] ?? []).map((item) => item.json) };
}

/** Run `work` with the clock (Date.now, which the node reads) at `clockMs`. */
async function atClock(clockMs, work) {
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
			const result = await atClock(theCase.clockMs + poll * theCase.intervalMs, () => types[nodeType].poll.call(context));
			outputs.push(result === null ? null : result[0].map((item) => item.json));
		}
	} catch (error) {
		return { status: 'error', error: describeError(error), polls: outputs };
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
			} else if (theCase.kind === 'trigger' && theCase.manual) {
				outcome = await atClock(theCase.clockMs, () => runNode(nodes, credentials, theCase, theCase.nodeType));
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
