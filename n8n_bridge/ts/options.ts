import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';
import { optionsPlan } from './kernel';
import { connectionOf } from './connection';
import { DOC } from './document';
import { hostError } from './errors';
import { readInput } from './input';
import { OPERATION_KEYS, SOURCE_INPUTS } from './parameters';
import { carryOut, planOptions } from './transport';

/** The operation the node is set to: the trigger's event, or the action node's resource and operation. */
function currentOperation(context: ILoadOptionsFunctions): string | undefined {
	const event = context.getCurrentNodeParameter('event');
	if (typeof event === 'string') return event;
	const resource = context.getCurrentNodeParameter('resource') as string;
	return OPERATION_KEYS[resource]?.[context.getCurrentNodeParameter('operation') as string];
}

/**
 * What the source reads from the form (its input): those fields of the operation's input, read from
 * the node's current parameters as `execute` reads them (n8n reloads the dropdown when they change).
 */
function sourceInput(context: ILoadOptionsFunctions, source: string): IDataObject {
	const wanted = SOURCE_INPUTS[source] ?? [];
	const key = currentOperation(context);
	if (!wanted.length || key === undefined) return {};
	const raw = readInput((name, fallback) => context.getCurrentNodeParameter(name) ?? fallback, key);
	const input: IDataObject = {};
	for (const name of wanted) if (raw[name] !== undefined) input[name] = raw[name];
	return input;
}

/** A dropdown's choices: the kernel's options plan for the source (retries off, as everywhere in n8n). */
export async function listOptions(context: ILoadOptionsFunctions, source: string): Promise<INodePropertyOptions[]> {
	const connected = await connectionOf(context);
	if (!connected.ok) throw hostError(context.getNode(), source, connected.error);
	const plan = optionsPlan(DOC, source, connected.connection, planOptions(), sourceInput(context, source));
	const outcome = await carryOut(context, plan);
	if (!outcome.ok) throw hostError(context.getNode(), source, outcome.error);
	return outcome.choices.map((choice) => ({
		name: choice.label as INodePropertyOptions['name'],
		value: choice.value as INodePropertyOptions['value'],
	}));
}

/**
 * A resource locator's list: the same choices, narrowed to those whose name or value contains the
 * text typed in the list's search box (ignoring case). The kernel returns the source's choices at
 * once, so the list has no next page.
 */
export async function searchOptions(
	context: ILoadOptionsFunctions, source: string, filter?: string,
): Promise<INodeListSearchResult> {
	const choices = await listOptions(context, source);
	const wanted = (filter ?? '').trim().toLowerCase();
	const matches = (text: unknown) => String(text).toLowerCase().includes(wanted);
	return { results: choices.filter((choice) => !wanted || matches(choice.name) || matches(choice.value)) };
}
