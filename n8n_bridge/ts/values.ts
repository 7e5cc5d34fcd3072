import type { IDataObject } from 'n8n-workflow';

/** The value at a dotted path, or undefined where any part is missing; '' is the whole value. */
export function dig(data: unknown, dotted: string): unknown {
	if (!dotted) return data;
	let found: unknown = data;
	for (const part of dotted.split('.')) {
		if (typeof found !== 'object' || found === null || Array.isArray(found)) return undefined;
		found = (found as IDataObject)[part];
	}
	return found;
}

/** Put `item` at a dotted path, creating the objects on the way. */
export function place(target: IDataObject, dotted: string, item: unknown): void {
	const parts = dotted.split('.');
	const leaf = parts.pop() as string;
	let node = target;
	for (const part of parts) {
		if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
		node = node[part] as IDataObject;
	}
	node[leaf] = item as IDataObject[string];
}

export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
	return (
		value === null ||
		value === undefined ||
		value === '' ||
		(isPlainObject(value) && Object.keys(value).length === 0)
	);
}

/** Drop nulls, empty strings and objects left empty, at every depth (as the Python runtime does). */
export function stripEmpty(value: IDataObject): IDataObject {
	const cleaned: IDataObject = {};
	for (const [key, item] of Object.entries(value)) {
		const inner = isPlainObject(item) ? stripEmpty(item) : item;
		if (!isEmpty(inner)) cleaned[key] = inner;
	}
	return cleaned;
}
