'use strict';

/*
 * A connection resolved for one host: its values (given, else the field's environment
 * variable, else its default, each trimmed of white space: a key copied from a Windows `.env`
 * ends in `\r`; a value that still holds a control character, or breaks its field's `pattern`, is
 * refused, naming the field; a base URL given whole replaces the fields only its template uses), the
 * base URL (https, or http to a loopback host: the key travels in every request), the headers
 * every request sends (static headers and auth), and the secret values that messages must never
 * show (with the Basic auth token, which carries the password).
 */

const { isObject, own, scalarText, jsonText } = require('./values');
const { base64 } = require('./encoding');
const { connectionError } = require('./errors');
const { redact } = require('./secrets');
const { compile } = require('./schema');

/** The `{field}` placeholders of a template, in order. */
const templateFields = (template) => {
  const names = [];
  String(template).replace(/\{\{|\}\}|\{([^{}]*)\}/g, (token, name) => {
    if (name) names.push(name);
    return token;
  });
  return names;
};

/** Fill `{field}` placeholders (an unset field renders empty); `{{` and `}}` are braces. */
const render = (template, values) =>
  String(template).replace(/\{\{|\}\}|\{([^{}]*)\}/g, (token, name) => {
    if (token === '{{') return '{';
    if (token === '}}') return '}';
    const value = own(values, name);
    return value === undefined ? '' : value;
  });

const textOf = (value) => {
  if (typeof value === 'string') return value.trim();
  return typeof value === 'number' || typeof value === 'boolean' ? scalarText(value) : '';
};

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** An absolute http(s) URL: a host of printable ASCII, no credentials, query, fragment or control character. */
const BASE_URL = /^[Hh][Tt][Tt][Pp][Ss]?:\/\/[!-"$-.0->A-~]+(\/[^?#\u0000-\u0020\u007f-\u009f]*)?$/;

/**
 * Of those, the ones a key may travel to: https, or http to a loopback host (a sandbox, a test's
 * replay server), whose traffic never leaves the machine.
 */
const SAFE_BASE_URL =
  /^(?:[Hh][Tt][Tt][Pp][Ss]:\/\/[^]*|[Hh][Tt][Tt][Pp]:\/\/(?:[Ll][Oo][Cc][Aa][Ll][Hh][Oo][Ss][Tt]|127(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|\[::1\])(?::[0-9]*)?(?:\/[^]*)?)$/;
const HTTP_ONLY_TO_LOOPBACK = 'http:// only to a loopback host: localhost, 127.0.0.0/8 or [::1]';

/** `<field>: ` when a connection field starts the base URL template, and so decides its scheme. */
const leadingField = (template) => {
  const first = /^\{([^{}]*)\}/.exec(String(template));
  return first && first[1] ? `${first[1]}: ` : '';
};

const fieldsOf = (doc) => {
  const connection = isObject(doc) && isObject(doc.connection) ? doc.connection : {};
  return (Array.isArray(connection.fields) ? connection.fields : []).filter(isObject);
};

/** Static headers plus the auth header, as every request of this connector sends them. */
const connectionHeaders = (doc, values) => {
  const spec = doc.connection;
  const headers = {};
  const statics = isObject(spec.headers) ? spec.headers : {};
  for (const name of Object.keys(statics)) headers[name] = String(statics[name]);
  const auth = isObject(spec.auth) ? spec.auth : {};
  if (auth.type === 'basic') {
    headers.Authorization = `Basic ${base64(`${render(auth.username, values)}:${render(auth.password, values)}`)}`;
  } else if (auth.type === 'api_key_header') {
    headers[auth.header] = render(auth.value, values);
  }
  return headers;
};

const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;

/** The first header that is not printable ASCII: hosts encode other text differently. */
const unsendableHeader = (headers) => Object.keys(headers).find((name) => !PRINTABLE_ASCII.test(headers[name]));

/** The fields only the base URL template uses: a base URL given whole replaces them. */
const onlyInBaseUrl = (doc) => {
  const auth = isObject(doc.connection.auth) ? doc.connection.auth : {};
  const used = [auth.value, auth.username, auth.password].filter((template) => typeof template === 'string');
  return templateFields(doc.connection.base_url).filter(
    (name) => !used.some((template) => templateFields(template).includes(name)),
  );
};

/**
 * Each field's value: given, else its environment variable, else its default; or the first missing
 * one (a field in `replaced` may be missing), or the first that breaks its `pattern`.
 */
const fieldValues = (fields, given, env, replaced) => {
  const values = {};
  for (const field of fields) {
    const value =
      textOf(own(given, field.key)) || (field.env ? textOf(own(env, field.env)) : '') || textOf(field.default);
    if (!value && field.required !== false && !replaced.includes(field.key)) {
      const hint = field.env ? ` (or set ${field.env})` : '';
      return { ok: false, error: connectionError(`connection field ${jsonText(field.key)} is required${hint}`) };
    }
    if (CONTROL.test(value)) {
      const message = `${field.key}: must not contain control characters (was it pasted with a line break?)`;
      return { ok: false, error: connectionError(message) };
    }
    const pattern = typeof field.pattern === 'string' ? compile(field.pattern) : null;
    if (value && pattern && !pattern.test(value)) {
      return { ok: false, error: connectionError(`${field.key}: must match ${field.pattern}`) };
    }
    if (value) values[field.key] = value;
  }
  return { ok: true, values };
};

/** The connection for `given` field values, or ConnectionSettingsError. */
const resolveConnection = (doc, given, options) => {
  if (!isObject(doc) || !isObject(doc.connection)) {
    return { ok: false, error: connectionError('the runtime document has no connection') };
  }
  const settings = isObject(options) ? options : {};
  const provided = isObject(given) ? given : {};
  const fields = fieldsOf(doc);
  const unknown = Object.keys(provided).filter((key) => !fields.some((field) => field.key === key));
  if (unknown.length) {
    return {
      ok: false,
      error: connectionError(`unknown connection field(s) ${jsonText(unknown.sort())} for ${doc.name}`),
    };
  }
  const givenUrl = typeof settings.baseUrl === 'string' && settings.baseUrl ? settings.baseUrl : null;
  const replaced = givenUrl ? onlyInBaseUrl(doc) : [];
  const resolved = fieldValues(fields, provided, isObject(settings.env) ? settings.env : {}, replaced);
  if (!resolved.ok) return resolved;
  const { values } = resolved;
  const headers = connectionHeaders(doc, values);
  const broken = unsendableHeader(headers);
  if (broken !== undefined) {
    const message = `the ${broken} header made from the connection values must hold only printable ASCII characters`;
    return { ok: false, error: connectionError(message) };
  }
  const baseUrl = (givenUrl || render(doc.connection.base_url, values)).replace(/\/+$/, '');
  const secrets = fields.filter((field) => field.secret && values[field.key]).map((field) => values[field.key]);
  const auth = isObject(doc.connection.auth) ? doc.connection.auth : {};
  if (auth.type === 'basic') secrets.push(headers.Authorization.slice('Basic '.length)); // an echo of it is the password
  if (!BASE_URL.test(baseUrl)) {
    const message =
      `the base URL ${jsonText(baseUrl)} must be an absolute http:// or https:// URL with a host, ` +
      'and no credentials, query or fragment';
    return { ok: false, error: connectionError(redact({ secrets }, message)) };
  }
  if (!SAFE_BASE_URL.test(baseUrl)) {
    const field = givenUrl ? '' : leadingField(doc.connection.base_url);
    const message = `${field}the base URL ${jsonText(baseUrl)} must use https:// (${HTTP_ONLY_TO_LOOPBACK})`;
    return { ok: false, error: connectionError(redact({ secrets }, message)) };
  }
  return { ok: true, connection: { values, baseUrl, secrets, headers } };
};

module.exports = { resolveConnection };
