import type { IDataObject } from 'n8n-workflow';

/** The part of JSON Schema (draft 2020-12) the connector spec uses for inputs. */
export interface JsonSchema {
	type?: string | string[];
	title?: string;
	description?: string;
	properties?: { [name: string]: JsonSchema };
	required?: string[];
	additionalProperties?: boolean;
	minLength?: number;
	maxLength?: number;
	minimum?: number;
	maximum?: number;
	pattern?: string;
	format?: string;
	enum?: Array<string | number | boolean | null>;
	examples?: unknown[];
	'x-options'?: string;
}

/** An input value the node reads from one of its parameters. */
export interface FieldSpec {
	path: string;
	parameter: string;
	additional: boolean;
}

export interface ParamSpec {
	location: 'path' | 'query' | 'body' | 'header';
	target: string;
	source?: string;
	value?: string | number | boolean;
}

export interface FilterSpec {
	field: string;
	op: 'eq' | 'ne' | 'in';
	value: string | number | boolean | Array<string | number | boolean>;
}

export interface MatchSpec {
	input: string;
	fields: string[];
	caseInsensitive: boolean;
}

export interface ResponseSpec {
	extract: 'items' | 'first' | 'object';
	path: string;
	empty: 'error' | 'input';
	filters: FilterSpec[];
	match?: MatchSpec;
}

export type PaginationSpec =
	| { style: 'offset'; offsetParam: string; limitParam: string; pageSize: number }
	| { style: 'page'; pageParam: string; sizeParam: string; pageSize: number; firstPage: number };

export interface PollingSpec {
	cursorParam: string;
	cursorField: string;
	lookbackMs: number;
	initialWindowMs: number;
	pagination: PaginationSpec;
	maxPages: number;
	dedupeKey: string[];
}

export interface OperationSpec {
	key: string;
	label: string;
	input: JsonSchema;
	fields: FieldSpec[];
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	path: string;
	params: ParamSpec[];
	stripEmpty: boolean;
	response: ResponseSpec;
	polling?: PollingSpec;
	sample: IDataObject;
}

export interface ConnectorSpec {
	credentialType: string;
	errorMessagePath: string;
	headers: { [name: string]: string };
	operations: { [key: string]: OperationSpec };
}
