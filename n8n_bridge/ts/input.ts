import type { IDataObject } from 'n8n-workflow';
import { INPUT_PARAMETERS } from './parameters';

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

/** The operation's raw input, as the spec names it, from the node's parameters and Additional Fields. */
export function readInput(read: ParameterReader, operationKey: string): IDataObject {
	const additional = read('additionalFields', {}) as IDataObject;
	const raw: IDataObject = {};
	for (const field of INPUT_PARAMETERS[operationKey]) {
		const item = field.additional ? additional[field.parameter] : read(field.parameter, undefined);
		if (item !== undefined) place(raw, field.path, unwrap(item));
	}
	return raw;
}
