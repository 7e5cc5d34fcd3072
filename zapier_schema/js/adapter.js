'use strict';

/*
 * The Zapier side of this connector, and nothing more. The `{source}` functions of
 * definition.json call it (`z.require('./lib/adapter.js')`). Every rule of the spec language
 * (input checks, encoding, extraction, errors, polling) is the kernel's (lib/kernel, shipped
 * unchanged); this file only translates:
 *   in:  bundle.authData, and bundle.inputData with Zapier's flat `contact__email` keys, line
 *        items as lists of such objects and key/value fields as objects;
 *   out: the kernel's requests through z.request, exactly as built (no Zapier params,
 *        curlies, templates or status handling), and its errors as Zapier's error types.
 * Zapier retries failed runs on its own infrastructure, so plans run with `retries: false`.
 * Zapier keeps no trigger state (it dedupes by the primary output fields), so a poll asks the
 * kernel for a stateless window (`windowPlan`).
 * A transport failure is no Zapier error: it goes back to the kernel as `{failure, detail}`, and
 * only the kernel's error (secrets hidden) leaves this file, never node-fetch's (it names the URL).
 */

const kernel = require('./kernel/index.js');
const doc = require('./connector.json');

const FLAT_SEPARATOR = '__';
/** The kernel's options for a plan started now: Zapier's clock (read at each use) and randomness. */
const planOptions = () => ({ retries: false, nowMs: Date.now(), clock: () => Date.now(), random: Math.random });

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The own property `key` of `object`, or undefined (never something inherited, such as `constructor`). */
const own = (object, key) => (isObject(object) && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined);

/** Define an own property, so that a key such as `__proto__` stays a plain key. */
const setOwn = (object, key, value) =>
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });

/**
 * Zapier's flat keys (`contact__email`) back into the nested input (`{contact: {email}}`), read
 * along the input's schema: each line item (a list of objects, Zapier's `children`) is nested the
 * same way; a key/value object (a `dict` field) arrives as an object and stays as the user typed it.
 */
const nestedInput = (inputData, schema) => {
  const value = {};
  for (const [key, item] of Object.entries(inputData || {})) {
    const parts = key.split(FLAT_SEPARATOR);
    let target = value;
    for (const part of parts.slice(0, -1)) {
      if (!isObject(own(target, part))) setOwn(target, part, {});
      target = target[part];
    }
    setOwn(target, parts[parts.length - 1], item);
  }
  nestLineItems(value, schema);
  return value;
};

/** Nest every line item of `value`, wherever its schema holds a list of objects. */
const nestLineItems = (value, schema) => {
  for (const [name, sub] of Object.entries(own(schema, 'properties') || {})) {
    const given = own(value, name);
    if (Array.isArray(given) && isObject(own(sub, 'items'))) {
      setOwn(value, name, given.map((item) => (isObject(item) ? nestedInput(item, sub.items) : item)));
    } else if (isObject(given) && isObject(own(sub, 'properties'))) {
      nestLineItems(given, sub);
    }
  }
};

const inputSchema = (operationKey) => own(own(doc.operations, operationKey), 'input');

/**
 * How a Zapier user knows a field the kernel names (`contact.email`, `jobs[2].date`,
 * `additional_fields.color`): its label, and where it is in the Zap editor: a fixed object's
 * properties as their flat key (`contact__email`), a line item by its index and its own key
 * (`jobs[2].date`), a key/value entry after a dot (`additional_fields.color`).
 */
const fieldName = (inputOf, field) => {
  let schema = inputOf;
  let shown = '';
  let separator = '';
  let title;
  for (const token of field.match(/\[\d+\]|[^.[\]]+/g) || []) {
    if (token.startsWith('[')) {
      shown += token;
      separator = '.';
      schema = own(schema, 'items');
      continue;
    }
    shown += separator + token;
    const properties = own(schema, 'properties');
    if (isObject(properties)) {
      schema = own(properties, token);
      title = own(schema, 'title');
    } else {
      schema = undefined; // an entry of a key/value object: the object's title names it
    }
    separator = isObject(own(schema, 'properties')) ? FLAT_SEPARATOR : '.';
  }
  return title ? `${title} (${shown})` : `(${shown})`;
};

/**
 * The kernel's error (secrets already hidden) as the Zapier error the Zap history shows; refused
 * input names each field as the form of the operation (or option source) whose input is `inputOf` shows it.
 */
const hostError = (z, operationKey, error, inputOf) => {
  if (error.kind === 'RateLimitError') {
    return new z.errors.ThrottledError(kernel.errorText(operationKey, error), error.retryAfter);
  }
  const text = error.problems
    ? `Invalid input, nothing was sent: ${error.problems
      .map((problem) => `${fieldName(inputOf, problem.field)} ${problem.message}`).join('; ')}`
    : kernel.errorText(operationKey, error);
  return new z.errors.Error(text, error.kind, error.status);
};

/** node-fetch's own failure types as the kernel's failure kinds (system codes: the kernel's table). */
const FETCH_FAILURES = { 'max-size': 'too_large', aborted: 'timeout' };

/**
 * What went wrong with a request that got no complete answer, as the kernel's `{failure, detail}`;
 * null for anything else (a fault of this app or of Zapier, not of the connection). The detail is
 * the error's code alone: node-fetch's message holds the whole URL.
 */
const failureOf = (error) => {
  const code = typeof own(error, 'code') === 'string' ? error.code : '';
  const type = typeof own(error, 'type') === 'string' ? error.type : '';
  const failure = own(FETCH_FAILURES, type) || kernel.systemFailure(code);
  return failure ? { failure, detail: code || type } : null;
};

/** An error's class and code, what can be shown of an error that is not a transport failure. */
const errorName = (error) => [error && error.name, own(error, 'code')]
  .filter((part) => typeof part === 'string' && part).join(' ') || 'unknown error';

/**
 * One request through Zapier's HTTP client, as the kernel built it; the answer (or the failure)
 * for the kernel. The request's `timeoutMs` bounds the whole exchange, answer body included (an
 * abort; node-fetch's own `timeout` starts again for the body), and `maxBytes` the body (`size`).
 */
const send = (z) => async (request) => {
  const timer = new AbortController();
  const expiry = setTimeout(() => timer.abort(), request.timeoutMs);
  let response;
  try {
    response = await z.request({
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: request.body === null ? undefined : request.body,
      merge: false, // no requestTemplate, no {{curlies}}: the kernel decided every header
      skipThrowForStatus: true, // every status is the kernel's to interpret
      throwForThrottlingEarly: false,
      redirect: 'manual', // a 3xx is an answer, as the kernel and the Python runtime see it
      size: request.maxBytes,
      signal: timer.signal,
    });
  } catch (error) {
    const failure = failureOf(error);
    if (failure) return failure;
    // not the connection's fault: name the error, never show what it holds (headers, URL)
    throw new z.errors.Error(`the request could not be made: ${errorName(error)}`, 'HostError', null);
  } finally {
    clearTimeout(expiry);
  }
  const headers = {};
  response.headers.forEach((value, name) => { headers[name.toLowerCase()] = value; });
  return { status: response.status, headers, body: response.content };
};

const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** The user's connection values resolved by the kernel, or the Zapier error saying what is wrong. */
const connectionOf = (z, bundle, operationKey) => {
  const resolved = kernel.resolveConnection(doc, (bundle && bundle.authData) || {}, {});
  if (!resolved.ok) throw hostError(z, operationKey, resolved.error, undefined);
  return resolved.connection;
};

/** Drive one of the kernel's plans with Zapier's HTTP client; its result, or a Zapier error. */
const carryOut = async (z, operationKey, plan, inputOf) => {
  const outcome = await kernel.drive(plan, send(z), sleep);
  if (!outcome.ok) throw hostError(z, operationKey, outcome.error, inputOf);
  return outcome;
};

const run = async (z, bundle, operationKey) => {
  const connection = connectionOf(z, bundle, operationKey);
  const schema = inputSchema(operationKey);
  const plan = kernel.runPlan(doc, operationKey, nestedInput(bundle.inputData, schema), connection, planOptions());
  return (await carryOut(z, operationKey, plan, schema)).result;
};

/**
 * A polling trigger. A scheduled poll returns the kernel's window (two polling intervals and the
 * lookback on the server's clock, every page, newest first); Zapier fires for primary keys it has
 * not seen.
 * Loading a sample in the Zap editor (`bundle.meta.isLoadingSample`) returns the newest real
 * record (`latestPlan`: the spec's sample when the account has none).
 */
const poll = async (z, bundle, operationKey) => {
  const connection = connectionOf(z, bundle, operationKey);
  const schema = inputSchema(operationKey);
  const input = nestedInput(bundle.inputData, schema);
  const plan = own(bundle.meta, 'isLoadingSample') ? kernel.latestPlan : kernel.windowPlan;
  return (await carryOut(z, operationKey, plan(doc, operationKey, input, connection, planOptions()), schema)).events;
};

/**
 * A hidden trigger feeding a dynamic dropdown: `id` is the value sent, `label` what users see.
 * Zapier runs it with the form's current values in bundle.inputData; the source reads those its
 * input declares (a customer's jobs: `customer_id`), and the kernel checks them.
 */
const options = async (z, bundle, sourceName) => {
  const connection = connectionOf(z, bundle, sourceName);
  const schema = own(own(doc.option_sources, sourceName), 'input');
  const given = nestedInput(bundle.inputData, schema);
  const value = {};
  for (const name of Object.keys(own(schema, 'properties') || {})) {
    if (own(given, name) !== undefined) setOwn(value, name, given[name]);
  }
  const plan = kernel.optionsPlan(doc, sourceName, connection, planOptions(), value);
  const { choices } = await carryOut(z, sourceName, plan, schema);
  return choices.map((choice) => ({ id: choice.value, label: choice.label }));
};

module.exports = {
  test: (z, bundle) => run(z, bundle, doc.connection.test),
  /** An action's record; an action answering many records (`recordsKey`) answers one object carrying them. */
  create: async (z, bundle, operationKey, recordsKey) => {
    const result = await run(z, bundle, operationKey);
    return recordsKey === undefined ? result : setOwn({}, recordsKey, result);
  },
  /**
   * Zapier searches always answer a list, empty when nothing is found (the kernel's null or []);
   * a search that extracts one record answers it alone.
   */
  search: async (z, bundle, operationKey) => {
    const result = await run(z, bundle, operationKey);
    if (result === null) return [];
    return Array.isArray(result) ? result : [result];
  },
  /**
   * A list: Zapier uses only the first result of a search, so the records travel together as the
   * line items `recordsKey` of one result; nothing found is no result.
   */
  list: async (z, bundle, operationKey, recordsKey) => {
    const records = await run(z, bundle, operationKey);
    return records.length ? [setOwn({}, recordsKey, records)] : [];
  },
  poll,
  options,
};
