import type { IDataObject } from 'n8n-workflow';
import type { InputParameter } from './types';
import { ENTRY_OPTION, INPUT_PARAMETERS } from './parameters';

type ParameterReader = (name: string, fallback: unknown) => unknown;

/** Put `item` at a dotted path of `target`, creating the objects on the way. */
function place(target: IDataObject, dotted: string, item: unknown): void {
	const parts = dotted.split('.');
	const leaf = parts.pop() as string;
	let node = target;
	for (const part of parts) {
		if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
		node = node[part] as IDataObject;
	}
	node[leaf] = item as IDataObject[string];
}

/** A resource locator's value (`{__rl, mode, value}`) is what the user picked or typed, whichever the mode. */
function unwrap(item: unknown): unknown {
	if (typeof item === 'object' && item !== null && (item as IDataObject).__rl === true) return (item as IDataObject).value;
	return item;
}

/** A fixed collection's entries (none: the user added none). */
function entriesOf(item: unknown): IDataObject[] {
	if (typeof item !== 'object' || item === null) return [];
	const entries = (item as IDataObject)[ENTRY_OPTION];
	return Array.isArray(entries) ? (entries as IDataObject[]) : [];
}

/**
 * The input value a parameter holds: a list's entries each read as one item (its own parameters and
 * Additional Fields), a key/value input's entries as one object (a later entry of the same name wins),
 * else the value itself. A fixed collection without entries is no value.
 */
function valueOf(field: InputParameter, item: unknown): unknown {
	if (field.shape === 'value') return unwrap(item);
	const entries = entriesOf(item);
	if (!entries.length) return undefined;
	if (field.shape === 'list') {
		return entries.map((entry) => readFields((name, fallback) => entry[name] ?? fallback, field.items ?? []));
	}
	const pairs: IDataObject = {};
	for (const entry of entries) pairs[String(entry.name ?? '')] = entry.value as IDataObject[string];
	return pairs;
}

/** The input the fields name, from the parameters `read` gives and their Additional Fields. */
function readFields(read: ParameterReader, fields: InputParameter[]): IDataObject {
	const additional = read('additionalFields', {}) as IDataObject;
	const raw: IDataObject = {};
	for (const field of fields) {
		const item = valueOf(field, field.additional ? additional[field.parameter] : read(field.parameter, undefined));
		if (item !== undefined) place(raw, field.path, item);
	}
	return raw;
}

/** The operation's raw input, as the spec names it, from the node's parameters and Additional Fields. */
export function readInput(read: ParameterReader, operationKey: string): IDataObject {
	return readFields(read, INPUT_PARAMETERS[operationKey]);
}
