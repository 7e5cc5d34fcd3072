import { systemFailure } from './kernel';
import type { KernelFailure } from './kernel';

/** axios's timeout code; every other code is the kernel's Node table (`systemFailure`). */
const AXIOS_TIMEOUT = 'ECONNABORTED';
const MAX_DEPTH = 5; // n8n wraps axios's error, which wraps Node's: the code is a few causes down

/** The error's own `code`, when it is a string. */
function codeOf(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	if (!Object.prototype.hasOwnProperty.call(error, 'code')) return undefined;
	const code = (error as { code: unknown }).code;
	return typeof code === 'string' ? code : undefined;
}

/** The error's `cause` (n8n's NodeApiError holds axios's error there). */
function causeOf(error: unknown): unknown {
	return typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
}

/**
 * What went wrong with a request that got no complete answer, as the kernel's `{failure, detail}`,
 * or null for an error that is not the connection's (the detail is the code alone: n8n's and
 * axios's errors hold the request, its headers included).
 */
export function failureOf(error: unknown): KernelFailure | null {
	let current = error;
	for (let depth = 0; depth < MAX_DEPTH && current !== undefined; depth++) {
		const code = codeOf(current);
		if (code !== undefined) {
			const failure = code === AXIOS_TIMEOUT ? 'timeout' : systemFailure(code);
			if (failure) return { failure, detail: code };
		}
		current = causeOf(current);
	}
	return null;
}

/** What can be shown of an error that is not a transport failure: its class and code, nothing it holds. */
export function errorName(error: unknown): string {
	const name = error instanceof Error ? error.name : typeof error;
	const code = codeOf(error) ?? codeOf(causeOf(error));
	return code ? `${name} ${code}` : name;
}
