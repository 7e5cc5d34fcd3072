import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject, NodeOperationError } from 'n8n-workflow';
import { runPlan } from './kernel';
import { connectionOf } from './connection';
import { DOC } from './document';
import { hostError } from './errors';
import { readInput } from './input';
import { OPERATION_KEYS } from './parameters';
import { simplified, summaryOf } from './simplify';
import { carryOut, planOptions } from './transport';

type ItemOutcome = { items: INodeExecutionData[] } | { error: NodeOperationError | NodeApiError };

/** The operation the item's Resource and Operation parameters name. */
function operationKey(context: IExecuteFunctions, item: number): string {
	const resource = context.getNodeParameter('resource', item) as string;
	return OPERATION_KEYS[resource][context.getNodeParameter('operation', item) as string];
}

/**
 * The records of a result: a search that found nothing (null, or an empty list) gives no items,
 * so the workflow stops there unless the user set the node's "Always Output Data".
 */
function recordsOf(result: unknown): IDataObject[] {
	if (result === null) return [];
	return Array.isArray(result) ? (result as IDataObject[]) : [result as IDataObject];
}

/** One item: its input from the parameters, then the kernel's plan; nothing is sent for refused input. */
async function runItem(context: IExecuteFunctions, item: number): Promise<ItemOutcome> {
	const key = operationKey(context, item);
	const connected = await connectionOf(context);
	if (!connected.ok) return { error: hostError(context.getNode(), key, connected.error, item) };
	const raw = readInput((name, fallback) => context.getNodeParameter(name, item, fallback), key);
	const plan = runPlan(DOC, key, raw, connected.connection, planOptions());
	const outcome = await carryOut(context, plan);
	if (!outcome.ok) return { error: hostError(context.getNode(), key, outcome.error, item) };
	const summary = summaryOf(key);
	const records = recordsOf(outcome.result);
	const shown = summary && context.getNodeParameter('simple', item, true) ? simplified(records, summary) : records;
	return { items: shown.map((json) => ({ json, pairedItem: { item } })) };
}

/** The item's outcome; n8n's own failures (an unreachable API) become its NodeApiError. */
async function settle(context: IExecuteFunctions, item: number): Promise<ItemOutcome> {
	try {
		return await runItem(context, item);
	} catch (error) {
		return { error: new NodeApiError(context.getNode(), error as JsonObject, { itemIndex: item }) };
	}
}

/**
 * Every input item through the kernel. Retries are off: n8n's "Retry On Fail" setting owns them.
 * With "Continue On Fail" an item's error becomes that item's output.
 */
export async function executeItems(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output: INodeExecutionData[] = [];
	const items = context.getInputData();
	for (let item = 0; item < items.length; item++) {
		const outcome = await settle(context, item);
		if ('items' in outcome) output.push(...outcome.items);
		else if (context.continueOnFail()) output.push({ json: { error: outcome.error.message }, pairedItem: { item } });
		else throw outcome.error;
	}
	return [output];
}
