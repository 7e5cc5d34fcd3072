import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { CONNECTOR } from './operations';
import type { OperationSpec } from './types';
import { apiError, fillPath, paramsIn } from './http';
import { extract } from './records';
import { prepareInput } from './validation';
import { isPlainObject, place, stripEmpty } from './values';

type PreSend = (this: IExecuteSingleFunctions, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
type PostReceive = (
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
) => Promise<INodeExecutionData[]>;

/** The operation's input as the spec names it, read from the node's parameters and Additional Fields. */
function readInput(context: IExecuteSingleFunctions, operation: OperationSpec): IDataObject {
	const additional = context.getNodeParameter('additionalFields', {}) as IDataObject;
	const raw: IDataObject = {};
	for (const field of operation.fields) {
		const item = field.additional ? additional[field.parameter] : context.getNodeParameter(field.parameter, undefined);
		if (item !== undefined) place(raw, field.path, item);
	}
	return raw;
}

function validInput(context: IExecuteSingleFunctions, operation: OperationSpec): IDataObject {
	const { value, problems } = prepareInput(operation.input, readInput(context, operation), operation.stripEmpty);
	if (problems.length) {
		const detail = problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
		throw new NodeOperationError(context.getNode(), `invalid input for ${operation.label}: ${detail}`, {
			description: `Check the field(s): ${[...new Set(problems.map((problem) => problem.field))].join(', ')}`,
		});
	}
	return value;
}

/** Before sending: refuse input that breaks the schema, fill the path, drop empty values. */
export function prepare(key: string): PreSend {
	return async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions) {
		const operation = CONNECTOR.operations[key];
		const value = validInput(this, operation);
		options.url = fillPath(operation, value);
		options.headers = { ...(options.headers ?? {}), ...paramsIn(operation, 'header', value) };
		if (isPlainObject(options.qs) && operation.stripEmpty) options.qs = stripEmpty(options.qs);
		const sendsBody = operation.params.some((param) => param.location === 'body');
		if (!sendsBody) delete options.body;
		else if (isPlainObject(options.body) && operation.stripEmpty) options.body = stripEmpty(options.body);
		return options;
	};
}

/** After receiving: an n8n error with the API's message, or the output unwrapped from the response. */
export function shape(key: string): PostReceive {
	return async function (this: IExecuteSingleFunctions, _items: INodeExecutionData[], response: IN8nHttpFullResponse) {
		if (response.statusCode >= 400) throw apiError(this.getNode(), response, CONNECTOR.errorMessagePath);
		const operation = CONNECTOR.operations[key];
		try {
			const result = extract(operation, validInput(this, operation), response.body);
			return (Array.isArray(result) ? result : [result]).map((json) => ({ json }));
		} catch (error) {
			throw new NodeApiError(this.getNode(), response.body as JsonObject, {
				message: (error as Error).message,
				httpCode: String(response.statusCode),
			});
		}
	};
}
