import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IN8nHttpFullResponse, INode, JsonObject } from 'n8n-workflow';
import type { OperationSpec, ParamSpec } from './types';
import { dig, place } from './values';

/** Percent-encode a value so it stays one path segment (Python's quote(safe='') plus `.`/`..`). */
export function encodePathSegment(item: unknown): string {
	const text = encodeURIComponent(String(item)).replace(
		/[!'()*]/g,
		(character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
	);
	return text === '.' || text === '..' ? text.replace(/\./g, '%2E') : text;
}

/** The value a param sends for `value`, or undefined when the input leaves it out. */
export function paramValue(param: ParamSpec, value: IDataObject): unknown {
	return param.value !== undefined ? param.value : dig(value, param.source ?? param.target);
}

/** The operation's path with each placeholder filled and encoded. */
export function fillPath(operation: OperationSpec, value: IDataObject): string {
	let path = operation.path;
	for (const param of operation.params.filter((each) => each.location === 'path')) {
		path = path.replace(`{${param.target}}`, encodePathSegment(paramValue(param, value)));
	}
	return path;
}

/** Query and header text as the API expects it: lowercase booleans, plain numbers. */
export function queryText(item: unknown): string {
	return typeof item === 'boolean' ? (item ? 'true' : 'false') : String(item);
}

/** The params of one location as a flat object (query, headers) or a nested one (body). */
export function paramsIn(
	operation: OperationSpec,
	location: ParamSpec['location'],
	value: IDataObject,
): IDataObject {
	const sent: IDataObject = {};
	for (const param of operation.params.filter((each) => each.location === location)) {
		const item = paramValue(param, value);
		if (item === undefined) continue;
		if (location === 'body') place(sent, param.target, item);
		else sent[param.target] = queryText(item);
	}
	return sent;
}

/** The n8n error for a non-2xx answer, carrying the API's own message. */
export function apiError(node: INode, response: IN8nHttpFullResponse, messagePath: string): NodeApiError {
	const body = typeof response.body === 'object' && response.body !== null ? (response.body as JsonObject) : {};
	const found = dig(body, messagePath);
	const message =
		typeof found === 'string' && found
			? found.split(/\s+/).filter(Boolean).join(' ')
			: `HTTP ${response.statusCode}`;
	return new NodeApiError(node, body, { message, httpCode: String(response.statusCode) });
}
