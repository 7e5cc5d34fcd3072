import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IHttpRequestOptions, IN8nHttpFullResponse, INode } from 'n8n-workflow';
import { drive } from './kernel';
import type { KernelFailure, KernelResponse, Plan, PlanOptions, PlannedRequest } from './kernel';
import { errorName, failureOf } from './failures';
import { CREDENTIAL_TYPE } from './parameters';

/** An answer body as n8n hands it over with `encoding: 'stream'`. */
interface BodyStream extends AsyncIterable<Uint8Array> {
	destroy(): void;
}

const TIMED_OUT: KernelFailure = { failure: 'timeout', detail: 'no complete answer in time' };

/**
 * n8n's options for exactly the kernel's request: its full URL (encoded query included), method,
 * headers and body. The answer comes back whatever its status (the kernel judges it), unfollowed
 * when it redirects, and as a stream, so that this file can stop reading at the request's
 * `maxBytes` (n8n sets axios's own limit to Infinity). axios's `timeout` ends a silent socket.
 */
function requestOptions(request: PlannedRequest): IHttpRequestOptions {
	return {
		url: request.url,
		method: request.method as IHttpRequestOptions['method'],
		headers: { ...request.headers },
		body: request.body ?? undefined,
		json: false,
		encoding: 'stream',
		timeout: request.timeoutMs,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
	};
}

/** The body as text, or `too_large` past `maxBytes` (the rest is never read); ends when `stop` aborts. */
async function readBody(body: BodyStream, maxBytes: number, stop: AbortSignal): Promise<string | KernelFailure> {
	stop.addEventListener('abort', () => body.destroy(), { once: true });
	if (stop.aborted) body.destroy();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for await (const chunk of body) {
		size += chunk.length;
		if (size > maxBytes) {
			body.destroy();
			return { failure: 'too_large', detail: `more than ${maxBytes} bytes` };
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** n8n's full response as the kernel reads one: status, lower-case header names, body text. */
function kernelResponse(response: IN8nHttpFullResponse, body: string): KernelResponse {
	const headers: { [name: string]: string } = {};
	for (const [name, value] of Object.entries(response.headers ?? {})) {
		headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return { status: response.statusCode, headers, body };
}

/** A context that can send an authenticated request for this node's credential. */
interface HttpContext {
	getNode(): INode;
	helpers: {
		httpRequestWithAuthentication(
			this: HttpContext,
			credentialsType: string,
			requestOptions: IHttpRequestOptions,
		): Promise<unknown>;
	};
}

/** One exchange through n8n (the credential's authentication applies): the answer, or what went wrong. */
async function exchange(
	context: HttpContext,
	request: PlannedRequest,
	stop: AbortSignal,
): Promise<KernelResponse | KernelFailure> {
	try {
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_TYPE,
			requestOptions(request),
		)) as IN8nHttpFullResponse;
		const body = await readBody(response.body as BodyStream, request.maxBytes, stop);
		return typeof body === 'string' ? kernelResponse(response, body) : body;
	} catch (error) {
		const failure = failureOf(error);
		if (failure) return failure;
		// not the connection's fault: name the error, never pass it on (it holds the request's headers)
		throw new NodeOperationError(context.getNode(), `the request could not be made: ${errorName(error)}`);
	}
}

/** The exchange, or `timeout` when it takes longer than the request's `timeoutMs`, answer body included. */
async function send(context: HttpContext, request: PlannedRequest): Promise<KernelResponse | KernelFailure> {
	const stop = new AbortController();
	const expiry = sleep(request.timeoutMs, stop.signal).then(
		() => TIMED_OUT,
		() => TIMED_OUT, // `stop` ended the wait: the exchange has already won the race
	);
	try {
		return await Promise.race([exchange(context, request, stop.signal), expiry]);
	} finally {
		stop.abort();
	}
}

/** The kernel's options for a plan started now: n8n's clock and randomness, retries off ("Retry On Fail" owns them). */
export function planOptions(): PlanOptions {
	return { nowMs: Date.now(), retries: false, clock: () => Date.now(), random: Math.random };
}

/** Carry out a kernel plan in n8n: its requests through `send`, its pauses with n8n's sleep. */
export async function carryOut<R>(context: HttpContext, plan: Plan<R>): Promise<R> {
	return await drive(plan, async (request) => await send(context, request), async (seconds) => await sleep(seconds * 1000));
}
