import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse, IPollFunctions } from 'n8n-workflow';
import { CONNECTOR } from './operations';
import type { OperationSpec, PollingSpec } from './types';
import { apiError, fillPath, paramsIn } from './http';
import { keep, listAt } from './records';
import { dig } from './values';

/** What a poll remembers between runs, in the workflow's static data. */
interface PollState {
	cursor: number | null;
	seen: { [key: string]: number };
}

/** Where this poll starts: a bounded recent window at first, then the cursor minus the lookback. */
function sinceFor(polling: PollingSpec, state: PollState, nowMs: number): number {
	return state.cursor === null ? nowMs - polling.initialWindowMs : Math.max(0, state.cursor - polling.lookbackMs);
}

function pageQuery(polling: PollingSpec, since: number, page: number): IDataObject {
	const paging = polling.pagination;
	const query: IDataObject = { [polling.cursorParam]: String(since) };
	if (paging.style === 'offset') {
		query[paging.limitParam] = String(paging.pageSize);
		query[paging.offsetParam] = String(page * paging.pageSize);
	} else {
		query[paging.sizeParam] = String(paging.pageSize);
		query[paging.pageParam] = String(paging.firstPage + page);
	}
	return query;
}

function position(record: IDataObject, field: string): number {
	return Number(dig(record, field) ?? 0) || 0;
}

/** New events, newest first, and the state that the next poll starts from. */
function advance(operation: OperationSpec, polling: PollingSpec, state: PollState, records: IDataObject[]) {
	const matching = keep(records, operation.response.filters, operation.response.match, {});
	const seen = { ...state.seen };
	const events: IDataObject[] = [];
	for (const record of matching) {
		const key = JSON.stringify(polling.dedupeKey.map((field) => dig(record, field) ?? null));
		if (!(key in seen)) {
			seen[key] = position(record, polling.cursorField);
			events.push(record);
		}
	}
	const positions = records.map((record) => position(record, polling.cursorField));
	const cursor =
		positions.length || state.cursor !== null ? Math.max(state.cursor ?? 0, ...positions) : null;
	const kept: { [key: string]: number } = {};
	for (const [key, at] of Object.entries(seen)) {
		if (cursor === null || at >= cursor - polling.lookbackMs) kept[key] = at;
	}
	events.sort(
		(a, b) =>
			position(b, polling.cursorField) - position(a, polling.cursorField) ||
			compare(String(b.id ?? ''), String(a.id ?? '')),
	);
	return { events, state: { cursor, seen: kept } };
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** One poll of a trigger operation; keeps its cursor and seen keys in the node's static data. */
export async function pollOperation(
	context: IPollFunctions,
	key: string,
	baseUrl: string,
): Promise<IDataObject[]> {
	const operation = CONNECTOR.operations[key];
	const polling = operation.polling as PollingSpec;
	const stored = context.getWorkflowStaticData('node');
	const state: PollState = {
		cursor: typeof stored.cursor === 'number' ? stored.cursor : null,
		seen: (stored.seen as { [key: string]: number } | undefined) ?? {},
	};
	const since = sinceFor(polling, state, Date.now());
	const records: IDataObject[] = [];
	for (let page = 0; page < polling.maxPages; page++) {
		const options: IHttpRequestOptions = {
			method: operation.method,
			baseURL: baseUrl,
			url: fillPath(operation, {}),
			headers: { ...CONNECTOR.headers, ...paramsIn(operation, 'header', {}) },
			qs: { ...paramsIn(operation, 'query', {}), ...pageQuery(polling, since, page) },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CONNECTOR.credentialType,
			options,
		)) as IN8nHttpFullResponse;
		if (response.statusCode >= 400) throw apiError(context.getNode(), response, CONNECTOR.errorMessagePath);
		const items = listAt(response.body, operation.response.path, operation.key);
		records.push(...items);
		if (items.length < polling.pagination.pageSize) break;
	}
	const result = advance(operation, polling, state, records);
	stored.cursor = result.state.cursor;
	stored.seen = result.state.seen;
	return result.events;
}
