// Types of the kernel's interface (src/index.js). Valid under `tsc --strict`.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type Scalar = string | number | boolean;

export interface ParamDocument {
  in: 'path' | 'query' | 'body' | 'header';
  name: string;
  input: string | null;
  value: Scalar | null;
}

export interface RequestDocument {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  params: ParamDocument[];
  strip_empty: boolean;
  /** Input fields any one of which, given, makes a POST safe to send again (an upsert key). */
  idempotent_with: string[];
  /** A search or list read page after page until a short page; all `max_pages` full is TooManyResultsError. */
  pagination: (PaginationDocument & { max_pages: number }) | null;
}

export interface FilterDocument {
  field: string;
  op: 'eq' | 'ne' | 'in';
  value: Scalar | Scalar[];
}

export interface ResponseDocument {
  extract: 'items' | 'first' | 'object';
  path: string;
  empty: 'error' | 'input';
  filters: FilterDocument[];
  match: { input: string; fields: string[]; case_insensitive: boolean } | null;
}

/** Where paging and cursor params go: query parameters, or dotted paths merged into the JSON body. */
export type ParamPlace = 'query' | 'body';

export type PaginationDocument =
  | { style: 'offset'; offset_param: string; limit_param: string; page_size: number; in: ParamPlace }
  | { style: 'page'; page_param: string; size_param: string; page_size: number; first_page: number; in: ParamPlace };

export interface PollingDocument {
  /** null: the API has no since filter; every poll walks the list from its first page. */
  cursor: { param: string; field: string; unit: 'epoch_ms'; kind: 'created' | 'updated'; in: ParamPlace } | null;
  lookback_ms: number;
  /** null without a cursor. */
  initial_window_ms: number | null;
  pagination: PaginationDocument;
  max_pages: number;
  identity: string[] | null;
  dedupe_key: string[];
  fingerprint: boolean;
  remember_ms: number;
  window_ms: number;
}

export interface OperationDocument {
  key: string;
  /** `list`: many records, run as a search that extracts items. */
  kind: 'trigger' | 'action' | 'search' | 'list' | 'test';
  /** A key of the document's `resources`; null only for kind `test`. */
  resource: string | null;
  label: string;
  description: string;
  destructive: boolean;
  /** What a user reads before a destructive action; null unless `destructive`. */
  warning: string | null;
  input: JsonObject;
  output: JsonObject;
  sample: JsonObject;
  request: RequestDocument;
  response: ResponseDocument;
  polling: PollingDocument | null;
  or_create: string | null;
}

export interface OptionSourceDocument {
  label: string;
  description: string;
  request: RequestDocument;
  response: ResponseDocument;
  value: string;
  label_field: string;
  sample: JsonObject;
}

export interface ConnectionFieldDocument {
  key: string;
  label: string;
  description: string;
  secret: boolean;
  required: boolean;
  default: string | null;
  env: string | null;
  /** A dropdown of exactly these values on every platform; the kernel accepts any value that passes its rules. */
  choices: Array<{ label: string; value: string }> | null;
  /** Where a user finds this value (https). */
  help_url: string | null;
}

/** A connector's runtime document (connector_core/document.py). */
export interface RuntimeDocument {
  format: string;
  name: string;
  label: string;
  description: string;
  version: string;
  docs_url: string | null;
  publisher: { name: string; email: string; homepage: string; repository: string; support: string };
  logo: { svg: string };
  /** Newest first; history[0].version is `version`. */
  history: Array<{ version: string; notes: string }>;
  resources: { [key: string]: { label: string; plural: string } };
  connection: {
    base_url: string;
    fields: ConnectionFieldDocument[];
    auth:
      | { type: 'api_key_header'; header: string; value: string }
      | { type: 'basic'; username: string; password: string };
    headers: { [name: string]: string };
    test: string;
    label: string | null;
  };
  errors: {
    /** A dotted path, or a list of them: the first that holds a message wins. */
    message: string | string[];
    auth: number[];
    rate_limit: number[];
    retry_after_header: string;
    temporary: number[];
    /** Statuses that mean nothing found: a search or list then returns null or [], an action fails (NotFoundError). */
    not_found: number[];
    body_error: string | null;
    /** Appended to the message of an error answer with that status. */
    advice: Array<{ status: number; message: string }>;
    /** A status code in 2xx bodies: a value outside `ok` is an error of the code's kind. */
    body_status: {
      field: string;
      ok: Scalar[];
      codes: Array<{ code: Scalar; message: string; kind: 'auth' | 'rate_limit' | 'temporary' | 'api' }>;
    } | null;
  };
  retry: { max_attempts: number; base_delay: number; max_delay: number; jitter: number };
  /** Seconds per request, seconds per operation (retries and a poll's pages included), bytes per answer. */
  limits: { timeout: number; deadline: number; max_response_bytes: number };
  option_sources: { [name: string]: OptionSourceDocument };
  operations: { [key: string]: OperationDocument };
}

export type ErrorKind =
  | 'InputValidationError'
  | 'ConnectionSettingsError'
  | 'AuthError'
  | 'RateLimitError'
  | 'TemporaryError'
  | 'NotFoundError'
  | 'ApiError'
  | 'ResponseError'
  | 'TooManyResultsError'
  | 'TransportError';

/** Why a host got no (complete) answer; `deadline` is the plan's own. */
export type FailureKind = 'connect' | 'tls' | 'timeout' | 'reset' | 'too_large';

export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

export interface KernelError {
  kind: ErrorKind;
  status: number | null;
  message: string;
  retryAfter: number | null;
  problems?: FieldProblem[];
  /** On a TransportError: the failure kind, or `deadline`. */
  failure?: FailureKind | 'deadline';
  /** True when a request that is not safe to re-send may have been carried out (absent: false). */
  maybeSucceeded?: boolean;
  /** The status code a 2xx answer carried in its body (`errors.body_status`), when that made the error. */
  code?: Scalar;
}

export type Outcome<T> = ({ ok: true } & T) | { ok: false; error: KernelError };

export interface Connection {
  values: { [key: string]: string };
  baseUrl: string;
  /** Secret values (trimmed) and Basic auth's token, which every message shows as `***` in any encoding. */
  secrets: string[];
  /** Static headers and the auth header, sent with every request. */
  headers: { [name: string]: string };
}

export interface KernelRequest {
  method: string;
  /** The full URL with its encoded query. */
  url: string;
  headers: { [name: string]: string };
  /** JSON text, or null when no body is sent. */
  body: string | null;
  /** On requests a plan yields: how long the host may wait for the answer, and the most bytes it may read. */
  timeoutMs?: number;
  maxBytes?: number;
}

export interface KernelResponse {
  status: number;
  /** Lower-case header names. */
  headers: { [name: string]: string };
  /** The body as text ('' when empty). */
  body: string;
}

/** What a host's send resolves to when it got no (complete) answer; it never throws instead. */
export interface KernelFailure {
  failure: FailureKind;
  /** The host's own text (secrets are redacted by the plan). */
  detail: string;
}

/** A request as a plan yields it: with the timeout and the size cap the host applies. */
export interface PlannedRequest extends KernelRequest {
  timeoutMs: number;
  maxBytes: number;
}

export type Step = { type: 'send'; request: PlannedRequest } | { type: 'sleep'; seconds: number };

/** Resume a `send` step with the response or a failure, a `sleep` step with undefined. */
export type Plan<R> = Generator<Step, R, KernelResponse | KernelFailure | undefined>;

/** A walk in progress: reading Q(since) from `skip`; see docs/polling.md. */
export interface PollWalk {
  since: number;
  skip: number;
  known: number;
  ids: string[];
  now: number | null;
}

/** `cursor` null: no baseline yet. A state the kernel cannot read counts as null. */
export interface PollState {
  cursor: number | null;
  seen: { [eventKey: string]: number };
  walk: PollWalk | null;
}

export interface PlanOptions {
  nowMs?: number;
  /** false: stop at the first retryable failure (for hosts that retry themselves). */
  retries?: boolean;
  /** The host's clock in epoch ms (`Date.now`), read for the deadline; without it no deadline passes. */
  clock?: () => number;
  /** r in [0, 1) for the back-off's jitter (`Math.random`); without it 0, no jitter. */
  random?: () => number;
}

export type ExtraQuery = Array<[string, Scalar]> | { [name: string]: Scalar };

/**
 * The connection for the given field values. `baseUrl` replaces the base URL template whole: a
 * required field only that template uses (an account slug) may then be left out.
 */
export function resolveConnection(
  doc: RuntimeDocument,
  given: { [key: string]: string | null | undefined },
  options?: { baseUrl?: string; env?: { [name: string]: string | undefined } },
): Outcome<{ connection: Connection }>;

export function prepareInput(doc: RuntimeDocument, operationKey: string, raw: unknown): Outcome<{ value: JsonObject }>;

export function buildRequest(
  doc: RuntimeDocument,
  operationKey: string,
  value: JsonObject,
  connection: Connection,
  extraQuery?: ExtraQuery,
): Outcome<{ request: KernelRequest }>;

export function interpretResponse(
  doc: RuntimeDocument,
  operationKey: string,
  value: JsonObject,
  response: KernelResponse,
  connection: Connection,
  options?: { nowMs?: number },
): Outcome<{ result: Json }>;

/**
 * `result`: the operation's record or records, derived timestamps (`x-timestamp`) set; a search or
 * list that finds nothing gives null (one record) or [] (extract items).
 */
export function runPlan(
  doc: RuntimeDocument,
  operationKey: string,
  raw: unknown,
  connection: Connection,
  options?: PlanOptions,
): Plan<Outcome<{ result: Json }>>;

export function pollPlan(
  doc: RuntimeDocument,
  operationKey: string,
  raw: unknown,
  connection: Connection,
  state: PollState | null,
  options?: PlanOptions,
): Plan<Outcome<{ events: JsonObject[]; state: PollState; requests: number }>>;

/** A stateless poll (a host that keeps no state and dedupes on its own): everything changed in the last windowMs plus the lookback, newest first. */
export function windowPlan(
  doc: RuntimeDocument,
  operationKey: string,
  raw: unknown,
  connection: Connection,
  options?: PlanOptions & { windowMs?: number },
): Plan<Outcome<{ events: JsonObject[]; requests: number }>>;

/** The manual test: `events` is [the newest record], or [the spec's sample] when the account has none. */
export function latestPlan(
  doc: RuntimeDocument,
  operationKey: string,
  raw: unknown,
  connection: Connection,
  options?: PlanOptions,
): Plan<Outcome<{ events: JsonObject[]; requests: number }>>;

/**
 * The choices of an option source. One with an `input` reads `raw` (the other fields of the form,
 * such as the customer whose jobs to list), held to that input's schema first.
 */
export function optionsPlan(
  doc: RuntimeDocument,
  sourceName: string,
  connection: Connection,
  options?: PlanOptions,
  raw?: unknown,
): Plan<Outcome<{ choices: Array<{ value: Json; label: Json }> }>>;

/** `text` with every secret, raw, URL- or form-encoded, JSON-escaped or in base64, as `***`. */
export function redact(connection: Connection, text: string): string;

export function errorText(operationKey: string, error: KernelError): string;

/** The failure kind of a Node error code (`ECONNREFUSED` -> connect, TLS codes -> tls), or null. */
export function systemFailure(code: unknown): FailureKind | null;

export function drive<R>(
  plan: Plan<R>,
  send: (request: PlannedRequest) => KernelResponse | KernelFailure | Promise<KernelResponse | KernelFailure>,
  sleep: (seconds: number) => void | Promise<void>,
): Promise<R>;
