import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { pollPlan } from './kernel';
import type { PollState } from './kernel';
import { connectionOf } from './connection';
import { DOC } from './document';
import { hostError } from './errors';
import { readInput } from './input';
import { carryOut } from './transport';

/**
 * One poll of a trigger with the trigger's own input: the kernel's poll plan, its state kept in
 * the workflow's static data. Retries are off: n8n's "Retry On Fail" setting owns them.
 */
export async function pollEvents(context: IPollFunctions, key: string): Promise<IDataObject[]> {
	if (context.getMode() === 'manual') return [DOC.operations[key].sample as IDataObject];
	const connected = await connectionOf(context);
	if (!connected.ok) throw hostError(context.getNode(), key, connected.error);
	const raw = readInput((name, fallback) => context.getNodeParameter(name, fallback), key);
	const stored = context.getWorkflowStaticData('node');
	const plan = pollPlan(DOC, key, raw, connected.connection, (stored.state ?? null) as PollState, {
		nowMs: Date.now(),
		retries: false,
	});
	const outcome = await carryOut(context, plan);
	if (!outcome.ok) throw hostError(context.getNode(), key, outcome.error);
	stored.state = outcome.state as unknown as IDataObject;
	return outcome.events as IDataObject[];
}
