import { sleep } from 'n8n-workflow';
import type { IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { drive } from './kernel';
import type { KernelRequest, KernelResponse, Plan } from './kernel';
import { CREDENTIAL_TYPE } from './parameters';

/**
 * n8n's options for exactly the kernel's request: its full URL (encoded query included), method,
 * headers and body. The answer comes back whatever its status (the kernel judges it), unfollowed
 * when it redirects, and as text (the kernel parses it).
 */
function requestOptions(request: KernelRequest): IHttpRequestOptions {
	return {
		url: request.url,
		method: request.method as IHttpRequestOptions['method'],
		headers: { ...request.headers },
		body: request.body ?? undefined,
		json: false,
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
	};
}

/** n8n's full response as the kernel reads one: status, lower-case header names, body text. */
function kernelResponse(response: IN8nHttpFullResponse): KernelResponse {
	const headers: { [name: string]: string } = {};
	for (const [name, value] of Object.entries(response.headers ?? {})) {
		headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	const body = response.body;
	return { status: response.statusCode, headers, body: typeof body === 'string' ? body : '' };
}

/** A context that can send an authenticated request for this node's credential. */
interface HttpContext {
	helpers: {
		httpRequestWithAuthentication(
			this: HttpContext,
			credentialsType: string,
			requestOptions: IHttpRequestOptions,
		): Promise<unknown>;
	};
}

/** Send one kernel request through n8n (the credential's authentication applies) and read the answer. */
async function send(context: HttpContext, request: KernelRequest): Promise<KernelResponse> {
	const response = await context.helpers.httpRequestWithAuthentication.call(
		context,
		CREDENTIAL_TYPE,
		requestOptions(request),
	);
	return kernelResponse(response as IN8nHttpFullResponse);
}

/** Carry out a kernel plan in n8n: its requests through `send`, its pauses with n8n's sleep. */
export async function carryOut<R>(context: HttpContext, plan: Plan<R>): Promise<R> {
	return await drive(plan, async (request) => await send(context, request), async (seconds) => await sleep(seconds * 1000));
}
