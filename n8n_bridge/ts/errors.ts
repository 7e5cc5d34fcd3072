import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';
import { errorText } from './kernel';
import type { KernelError } from './kernel';

/** Kinds where nothing reached the API: the node's settings or input are at fault. */
const REFUSED = ['InputValidationError', 'ConnectionSettingsError'];

/**
 * What the user does about an API error of a kind, in n8n's own words for the HTTP statuses that
 * usually carry it: the kind decides, since an API may report it in a 2xx body (a status code there).
 */
const ADVICE: { [kind: string]: string } = {
	AuthError: 'Authorization failed - please check your credentials',
	RateLimitError: 'The service is receiving too many requests from you: set this node to retry automatically (in the node settings)',
	TemporaryError: 'Service unavailable - try again later or consider setting this node to retry automatically (in the node settings)',
};

/**
 * n8n's error for a kernel error (whose messages already show every secret as `***`):
 * NodeOperationError when nothing was sent, NodeApiError otherwise (an auth, rate-limit or temporary
 * error says so in n8n's words, whatever status carried it).
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
		description: ADVICE[error.kind] ? `${ADVICE[error.kind]}. ${text}` : text,
		httpCode: error.status === null ? undefined : String(error.status),
		itemIndex,
	});
}
