import type { IDataObject } from 'n8n-workflow';
import type { JsonSchema } from './types';
import { isPlainObject, stripEmpty } from './values';

/** One broken rule of the input schema, worded like the Python runtime words it. */
export interface FieldProblem {
	field: string;
	rule: string;
	message: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const FORMAT_NAMES: { [format: string]: string } = {
	date: 'a date in YYYY-MM-DD format',
	email: 'an email address',
};

/** The cleaned input and every rule it breaks: strip empty values, coerce text, validate. */
export function prepareInput(
	schema: JsonSchema,
	raw: IDataObject,
	strip: boolean,
): { value: IDataObject; problems: FieldProblem[] } {
	const value = coerce(schema, strip ? stripEmpty(raw) : raw) as IDataObject;
	return { value, problems: check(schema, value) };
}

function coerce(schema: JsonSchema, value: unknown): unknown {
	if (isPlainObject(value) && schema.type === 'object') {
		const properties = schema.properties ?? {};
		const coerced: IDataObject = {};
		for (const [key, item] of Object.entries(value)) {
			coerced[key] = coerce(properties[key] ?? {}, item) as IDataObject[string];
		}
		return coerced;
	}
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (schema.type === 'integer' && /^[+-]?\d+$/.test(text)) return parseInt(text, 10);
	if (schema.type === 'number' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
	if (schema.type === 'boolean' && ['true', 'false'].includes(text.toLowerCase())) {
		return text.toLowerCase() === 'true';
	}
	return value;
}

/** Every violation, one per field and rule, sorted by field then rule (format and pattern said once). */
export function check(schema: JsonSchema, value: unknown): FieldProblem[] {
	const problems: FieldProblem[] = [];
	visit(schema, value, '', problems);
	problems.sort((a, b) => compare(a.field, b.field) || compare(a.rule, b.rule));
	const kept = new Map<string, FieldProblem>();
	for (const problem of problems) {
		const sameValue = problem.rule === 'format' || problem.rule === 'pattern';
		const key = `${problem.field}\u0000${sameValue ? 'value' : problem.rule}`;
		if (!sameValue || !kept.has(key)) kept.set(key, problem);
	}
	return [...kept.values()];
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function visit(schema: JsonSchema, value: unknown, path: string, problems: FieldProblem[]): void {
	const field = path || '(input)';
	const add = (rule: string, message: string) => problems.push({ field, rule, message });
	if (schema.type !== undefined && !hasType(value, schema.type)) {
		add('type', `must be of type ${showType(schema.type)}, got ${show(value)}`);
	}
	if (schema.enum !== undefined && !schema.enum.some((option) => option === value)) {
		add('enum', `must be one of ${show(schema.enum)}, got ${show(value)}`);
	}
	if (typeof value === 'number') {
		if (schema.minimum !== undefined && value < schema.minimum) {
			add('minimum', `must be at least ${schema.minimum}, got ${show(value)}`);
		}
		if (schema.maximum !== undefined && value > schema.maximum) {
			add('maximum', `must be at most ${schema.maximum}, got ${show(value)}`);
		}
	}
	if (typeof value === 'string') {
		const length = [...value].length;
		if (schema.minLength !== undefined && length < schema.minLength) {
			add('minLength', schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters long`);
		}
		if (schema.maxLength !== undefined && length > schema.maxLength) {
			add('maxLength', `must be at most ${schema.maxLength} characters long`);
		}
		if (schema.format !== undefined && !formatHolds(schema.format, value)) {
			add('format', `must be ${FORMAT_NAMES[schema.format] ?? schema.format}, got ${show(value)}`);
		}
		if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
			add('pattern', patternMessage(schema, value));
		}
	}
	if (isPlainObject(value)) {
		const properties = schema.properties ?? {};
		for (const name of schema.required ?? []) {
			if (!(name in value)) problems.push({ field: join(path, name), rule: 'required', message: 'is required' });
		}
		const extras = Object.keys(value).filter((name) => !(name in properties)).sort();
		if (schema.additionalProperties === false && extras.length === 1) {
			problems.push({ field: join(path, extras[0]), rule: 'additionalProperties', message: 'is not a known field' });
		} else if (schema.additionalProperties === false && extras.length > 1) {
			add('additionalProperties', `unknown fields ${show(extras)}`);
		}
		for (const [name, sub] of Object.entries(properties)) {
			if (name in value) visit(sub, value[name], join(path, name), problems);
		}
	}
}

function hasType(value: unknown, type: string | string[]): boolean {
	const types = Array.isArray(type) ? type : [type];
	return types.some((name) => {
		switch (name) {
			case 'string':
				return typeof value === 'string';
			case 'integer':
				return typeof value === 'number' && Number.isInteger(value);
			case 'number':
				return typeof value === 'number';
			case 'boolean':
				return typeof value === 'boolean';
			case 'null':
				return value === null;
			case 'array':
				return Array.isArray(value);
			default:
				return isPlainObject(value);
		}
	});
}

function formatHolds(format: string, value: string): boolean {
	if (format === 'email') return EMAIL.test(value);
	if (format !== 'date') return true;
	if (!DATE.test(value)) return false;
	const [year, month, day] = value.split('-').map(Number);
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function patternMessage(schema: JsonSchema, value: string): string {
	if (schema.format !== undefined && FORMAT_NAMES[schema.format] !== undefined) {
		return `must be ${FORMAT_NAMES[schema.format]}, got ${show(value)}`;
	}
	const hint = schema.examples?.length ? ` (for example ${show(schema.examples[0])})` : '';
	return `must match the pattern ${schema.pattern}${hint}, got ${show(value)}`;
}

function join(path: string, name: string): string {
	return path ? `${path}.${name}` : name;
}

function showType(type: string | string[]): string {
	return Array.isArray(type) ? show(type) : type;
}

/** A value as Python's repr shows it, cut to 60 characters. */
function show(value: unknown): string {
	const text = repr(value);
	return text.length <= 60 ? text : `${text.slice(0, 57)}...`;
}

function repr(value: unknown): string {
	if (typeof value === 'string') return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value}'`;
	if (value === null || value === undefined) return 'None';
	if (typeof value === 'boolean') return value ? 'True' : 'False';
	if (Array.isArray(value)) return `[${value.map(repr).join(', ')}]`;
	if (isPlainObject(value)) {
		return `{${Object.entries(value).map(([key, item]) => `${repr(key)}: ${repr(item)}`).join(', ')}}`;
	}
	return String(value);
}
