import type { IDataObject } from 'n8n-workflow';
import type { FilterSpec, MatchSpec, OperationSpec } from './types';
import { dig } from './values';

/** The list at the response path; a missing list is an empty one. */
export function listAt(body: unknown, path: string, operation: string): IDataObject[] {
	const items = dig(body, path);
	if (items === undefined || items === null) return [];
	if (!Array.isArray(items)) throw new Error(`${operation}: expected a list at ${path}`);
	return items as IDataObject[];
}

/** Records that pass every filter and, when declared, the exact match on the input. */
export function keep(
	items: IDataObject[],
	filters: FilterSpec[],
	match: MatchSpec | undefined,
	value: IDataObject,
): IDataObject[] {
	let kept = items.filter((item) => filters.every((rule) => passes(item, rule)));
	if (match !== undefined) {
		const wanted = fold(dig(value, match.input), match.caseInsensitive);
		kept = kept.filter((item) =>
			match.fields.some((field) => fold(dig(item, field), match.caseInsensitive) === wanted),
		);
	}
	return kept;
}

function passes(item: IDataObject, rule: FilterSpec): boolean {
	const actual = dig(item, rule.field);
	if (rule.op === 'eq') return actual === rule.value;
	if (rule.op === 'ne') return actual !== rule.value;
	return Array.isArray(rule.value) && rule.value.some((option) => option === actual);
}

function fold(item: unknown, caseInsensitive: boolean): unknown {
	return typeof item === 'string' && caseInsensitive ? item.toLowerCase() : item;
}

/** What the operation returns from a 2xx body: the list, its first record, or the object. */
export function extract(operation: OperationSpec, value: IDataObject, body: unknown): IDataObject | IDataObject[] {
	const mapping = operation.response;
	if (mapping.extract === 'object') {
		const found = dig(body, mapping.path);
		if (typeof found !== 'object' || found === null || Array.isArray(found)) {
			throw new Error(`${operation.key}: expected an object at ${mapping.path || 'the body'}`);
		}
		return found as IDataObject;
	}
	const items = keep(listAt(body, mapping.path, operation.key), mapping.filters, mapping.match, value);
	if (mapping.extract === 'items') return items;
	if (items.length) return items[0];
	if (mapping.empty === 'input') return value;
	throw new Error(`the API returned no item at ${mapping.path}`);
}
