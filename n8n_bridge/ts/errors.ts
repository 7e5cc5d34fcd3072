import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';
import { errorText } from './kernel';
import type { KernelError } from './kernel';

/** Kinds where nothing reached the API: the node's settings or input are at fault. */
const REFUSED = ['InputValidationError', 'ConnectionSettingsError'];

/**
 * n8n's error for a kernel error (whose messages already show every secret as `***`):
 * NodeOperationError when nothing was sent, NodeApiError otherwise.
 */
export function hostError(
	node: INode,
	operationKey: string,
	error: KernelError,
	itemIndex?: number,
): NodeOperationError | NodeApiError {
	const text = errorText(operationKey, error);
	if (REFUSED.includes(error.kind)) {
		const fields = (error.problems ?? []).map((problem) => problem.field);
		return new NodeOperationError(node, text, {
			description: fields.length ? `Check the field(s): ${[...new Set(fields)].join(', ')}` : undefined,
			itemIndex,
		});
	}
	const described: JsonObject = { kind: error.kind, status: error.status, message: error.message };
	return new NodeApiError(node, described, {
		message: error.message,
		description: text,
		httpCode: error.status === null ? undefined : String(error.status),
		itemIndex,
	});
}
