// Polling triggers switched on in one n8n-core instance, for as long as the simulation drives them:
// each trigger is the built package's trigger node inside its own workflow (its own id, its own
// static data) that n8n-core's own ActiveWorkflowTriggers activates, polls (PollTriggerExecutor,
// PollContext) and deactivates, as one n8n instance runs many active workflows. Only the schedule
// is the harness's: n8n registers each poll's cron with a ScheduledTaskManager, and here that
// manager keeps the ticks for the harness to fire, one workflow at a time, at its own client time
// (Date.now is that time, for n8n and the node alike).
//
// What n8n's host (the CLI) adds around n8n-core, reproduced as it does it, per workflow:
// - static data lives in the Workflow object n8n builds from the stored copy on every activation;
//   the stored copy is saved (only when changed) when a poll emits, when a quiet scheduled poll
//   commits its cursor, and after an activation; a poll that throws saves nothing;
// - a crash (the process dies after the poll fetched, before anything is saved) loses the poll's
//   static-data changes and its events; n8n then restarts and re-activates the workflow ('init'),
//   which polls at once: that is the next poll. Only the crashing workflow is affected: the others
//   stand for workflows of other n8n instances, whose state a crash elsewhere cannot touch.
//
// argv[2]: the file descriptor for replies (stdout is left to n8n's own logging); argv[3]: the built
// package, loaded once. stdin: JSON lines, one command each, all naming a workflow by `id`:
// {id, op: 'open', setting: {nodeType, parameters, credentialType, credentials}} (the credentials
// travel here, never in argv), {id, op: 'activate'|'poll'|'deactivate', nowMs, crash},
// {id, op: 'close'} (switch off and forget that workflow). One reply line per command, in order:
// {id, ok: true, events?} or {id, ok: false, error}.
'use strict';
const fs = require('node:fs');
const readline = require('node:readline');
const { ActiveWorkflowTriggers, PollContext, PollTriggerExecutor, ScheduledTaskManager } = require('n8n-core');
const { Container } = require('n8n-core/node_modules/@n8n/di');
const { loadPackage, describeError, nodeOf, workflowOf, additionalDataOf } = require('./host');

const REPLIES = Number(process.argv[2]);
const PACKAGE_DIR = process.argv[3];
/** A workflow's schedule group, as n8n-core's ActiveWorkflowTriggers names it. */
const scheduleGroup = (workflowId) => ({ type: 'workflow', id: workflowId });

/** n8n's ScheduledTaskManager with the harness as the clock: it keeps each registered tick to fire on demand. */
class HarnessSchedule {
	constructor() {
		this.ticks = new Map(); // `${group.type}:${group.id}` -> Map(`${targetId} ${expression}` -> {targetId, onTick})
	}
	groupTicks(group) {
		return this.ticks.get(`${group.type}:${group.id}`);
	}
	register(ctx, onTick) {
		const key = `${ctx.group.type}:${ctx.group.id}`;
		if (!this.ticks.has(key)) this.ticks.set(key, new Map());
		const target = `${ctx.targetId} ${ctx.expression}`;
		if (this.ticks.get(key).has(target)) return false;
		this.ticks.get(key).set(target, { targetId: ctx.targetId, onTick });
		return true;
	}
	deregisterGroup(group) {
		return this.ticks.delete(`${group.type}:${group.id}`);
	}
	deregisterTarget(group, targetId) {
		const ticks = this.groupTicks(group);
		for (const [key, tick] of ticks ?? []) if (tick.targetId === targetId) ticks.delete(key);
		if (ticks && ticks.size === 0) this.deregisterGroup(group);
	}
	getTargetIds(group) {
		return [...new Set([...(this.groupTicks(group)?.values() ?? [])].map((tick) => tick.targetId))];
	}
	hasTarget(group, targetId) {
		return this.getTargetIds(group).includes(targetId);
	}
	hasGroup(group) {
		return (this.groupTicks(group)?.size ?? 0) > 0;
	}
	getGroupIds(groupType) {
		return [...this.ticks.keys()].filter((key) => key.startsWith(`${groupType}:`)).map((key) => key.slice(groupType.length + 1));
	}
	/** Fire each tick of one workflow once (one scheduled poll of each of its poll nodes). */
	fire(group) {
		const ticks = [...(this.groupTicks(group)?.values() ?? [])];
		for (const tick of ticks) tick.onTick(new Date(Date.now()));
		return ticks.length;
	}
}

/** n8n-core's PollTriggerExecutor, unchanged; the harness only keeps the promise of each workflow's last poll. */
class AwaitedPolls {
	constructor(executor) {
		this.executor = executor;
		this.running = new Map(); // workflow id -> the promise of the poll it started last
	}
	create(workflow, ...args) {
		const execute = this.executor.create(workflow, ...args);
		return (testingTrigger) => {
			const poll = execute(testingTrigger);
			this.running.set(workflow.id, poll);
			return poll;
		};
	}
	async finished(workflowId) {
		await this.running.get(workflowId);
	}
	forget(workflowId) {
		this.running.delete(workflowId);
	}
}

/** One n8n instance: the package's types and n8n-core's services, shared by every workflow as n8n shares them. */
class Instance {
	constructor(types, credentialTypes) {
		this.types = types;
		this.credentialTypes = credentialTypes;
		this.schedule = new HarnessSchedule();
		Container.set(ScheduledTaskManager, this.schedule);
		this.polls = new AwaitedPolls(Container.get(PollTriggerExecutor));
		Container.set(PollTriggerExecutor, this.polls);
		this.triggers = Container.get(ActiveWorkflowTriggers);
	}
}

/** One trigger's workflow: the stored static data, the active workflow, what its polls delivered. */
class Host {
	constructor(id, setting, instance) {
		this.id = id;
		this.setting = setting;
		this.instance = instance;
		this.stored = {}; // the workflow's static data as n8n persisted it
		this.workflow = null; // the active workflow in memory; null while off or after a crash
		this.restartPending = false; // the process died; n8n re-activates its active workflows on start
		this.dying = false; // this poll's process dies before it saves anything or starts an execution
		this.delivered = [];
		this.failure = null;
	}

	/** n8n's WorkflowStaticDataService.saveStaticData: store the static data when it changed. */
	save(workflow) {
		if (this.dying || workflow !== this.workflow || workflow.staticData.__dataChanged !== true) return;
		this.stored = JSON.parse(JSON.stringify(workflow.staticData));
		workflow.staticData.__dataChanged = false;
	}

	/** The poll functions n8n's host gives n8n-core: emit saves and runs the workflow, errors become error executions. */
	pollFunctions(workflow, node, additionalData, mode, activation) {
		const emit = (data) => {
			if (this.dying) return;
			this.save(workflow);
			this.delivered.push(...data[0].map((item) => item.json));
		};
		const emitError = (error) => {
			this.failure = error;
		};
		const commitCursor = async () => this.save(workflow);
		return new PollContext(workflow, node, additionalData, mode, activation, emit, emitError, commitCursor);
	}

	/** Switch the workflow on as n8n's host does: a Workflow from the stored static data, then n8n-core's activation. */
	async activate(activation) {
		const node = nodeOf(this.setting, this.setting.nodeType);
		const { types, credentialTypes, triggers } = this.instance;
		const staticData = JSON.parse(JSON.stringify(this.stored));
		const workflow = workflowOf(types, node, { id: this.id, active: true, staticData });
		const additionalData = additionalDataOf(credentialTypes, this.setting, node, this.id);
		const noTriggerFunction = () => {
			throw new Error('a polling trigger has no trigger function');
		};
		this.workflow = workflow;
		this.restartPending = false;
		try {
			await triggers.addAllTriggers(this.id, workflow, additionalData, 'trigger', activation, noTriggerFunction,
				(...args) => this.pollFunctions(...args));
		} catch (error) {
			this.workflow = null;
			throw error;
		}
		this.save(workflow);
	}

	async deactivate() {
		await this.instance.triggers.remove(this.id);
		this.instance.polls.forget(this.id);
		this.workflow = null;
		this.restartPending = false;
	}

	/** One scheduled poll; after a crash, n8n's restart, whose activation polls at once. */
	async poll(crash) {
		this.dying = crash;
		try {
			if (this.workflow !== null) {
				const { schedule, polls } = this.instance;
				if (schedule.fire(scheduleGroup(this.id)) !== 1) throw new Error('the trigger has no scheduled poll');
				await polls.finished(this.id);
			} else if (this.restartPending) {
				await this.activate('init');
			} else {
				throw new Error('poll while the workflow is off');
			}
		} finally {
			this.dying = false;
		}
		if (crash) {
			await this.deactivate(); // the dead process's triggers are gone with it
			this.restartPending = true;
			this.delivered = [];
		}
	}

	/** Run one command and return the events the workflow received from it. */
	async run(command) {
		this.delivered = [];
		this.failure = null;
		if (command.op === 'activate') await this.activate('activate');
		else if (command.op === 'poll') await this.poll(Boolean(command.crash));
		else if (command.op === 'deactivate') await this.deactivate();
		else throw new Error(`unknown command ${JSON.stringify(command.op)}`);
		if (this.failure) throw this.failure;
		return this.delivered;
	}
}

function reply(message) {
	fs.writeSync(REPLIES, JSON.stringify(message) + '\n');
}

/** Run one command; 'open' and 'close' add and forget a workflow, the others go to its Host. */
async function serve(instance, hosts, command) {
	if (command.op === 'open') {
		if (hosts.has(command.id)) throw new Error(`workflow ${command.id} is already open`);
		hosts.set(command.id, new Host(command.id, command.setting, instance));
		return undefined;
	}
	const host = hosts.get(command.id);
	if (!host) throw new Error(`no open workflow ${JSON.stringify(command.id)}`);
	if (command.op !== 'close') return await host.run(command);
	hosts.delete(command.id);
	await host.deactivate();
	return undefined;
}

async function main() {
	const { nodes, credentials } = await loadPackage(PACKAGE_DIR);
	const instance = new Instance(nodes, credentials);
	const hosts = new Map(); // workflow id -> Host
	for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
		const command = JSON.parse(line);
		if (Number.isFinite(command.nowMs)) {
			const now = command.nowMs;
			Date.now = () => now;
		}
		try {
			reply({ id: command.id, ok: true, events: await serve(instance, hosts, command) });
		} catch (error) {
			reply({ id: command.id, ok: false, error: describeError(error) });
		}
	}
	process.exit(0); // stdin closed: the simulation is over, whatever n8n-core still holds open
}

main().catch((error) => {
	process.stderr.write(String(error && error.stack));
	process.exit(1);
});
