import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { latestPlan, pollPlan } from './kernel';
import type { Connection, PlanOptions, PollState } from './kernel';
import { connectionOf } from './connection';
import { DOC } from './document';
import { hostError } from './errors';
import { readInput } from './input';
import { simplified, summaryOf } from './simplify';
import { carryOut, planOptions } from './transport';

/**
 * A scheduled poll: the kernel's poll plan from the state kept in the node's static data. Without
 * a state (a first activation) the kernel sets a baseline and emits nothing. The state is written
 * only after the plan succeeded, so a failed poll leaves it as it was.
 */
async function scheduledEvents(
	context: IPollFunctions, key: string, raw: IDataObject, connection: Connection, options: PlanOptions,
): Promise<IDataObject[]> {
	const stored = context.getWorkflowStaticData('node');
	const plan = pollPlan(DOC, key, raw, connection, (stored.state ?? null) as PollState | null, options);
	const outcome = await carryOut(context, plan);
	if (!outcome.ok) throw hostError(context.getNode(), key, outcome.error);
	stored.state = outcome.state as unknown as IDataObject;
	return outcome.events as IDataObject[];
}

/** "Fetch test event": the kernel's newest real record (the spec's sample when the account has none). No state. */
async function testEvents(
	context: IPollFunctions, key: string, raw: IDataObject, connection: Connection, options: PlanOptions,
): Promise<IDataObject[]> {
	const outcome = await carryOut(context, latestPlan(DOC, key, raw, connection, options));
	if (!outcome.ok) throw hostError(context.getNode(), key, outcome.error);
	return outcome.events as IDataObject[];
}

/**
 * One poll of a trigger with its own input, its events as "Simplify" shows them. Retries are off:
 * n8n's "Retry On Fail" setting owns them.
 */
export async function pollEvents(context: IPollFunctions, key: string): Promise<IDataObject[]> {
	const connected = await connectionOf(context);
	if (!connected.ok) throw hostError(context.getNode(), key, connected.error);
	const raw = readInput((name, fallback) => context.getNodeParameter(name, fallback), key);
	const options = planOptions();
	const poll = context.getMode() === 'manual' ? testEvents : scheduledEvents;
	const events = await poll(context, key, raw, connected.connection, options);
	const summary = summaryOf(key);
	return summary && context.getNodeParameter('simple', true) ? simplified(events, summary) : events;
}
