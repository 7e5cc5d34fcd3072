'use strict';

/*
 * Input preparation: strip empty values, coerce text, and hold the result to the operation's
 * input schema and to the rules of where each value travels (one path segment, one header
 * line, UTF-8 text). No-code platforms send every field as text and unfilled optional fields as
 * empty strings; nothing is sent while a rule is broken.
 */

const { isObject, own, setOwn, hasLoneSurrogate, scalarText, show } = require('./values');
const { check, settle, isDate, index } = require('./schema');
const { percentDecodeOnce, encodePathSegment, encodeQuery } = require('./encoding');
const { paramValue, paramsIn, isConstant, transformProblems, coveredProblems, MISSING } = require('./params');
const { targetFor } = require('./request');

const INTEGER_TEXT = /^[+-]?[0-9]+$/;
const NUMBER_TEXT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const DATE_TIME =
  /^([0-9]{4}-[0-9]{2}-[0-9]{2})T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$/;
const AROUND = /^[ \t\r\n]+|[ \t\r\n]+$/g;
const CONTROL = /[\u0000-\u001f\u007f]/;
const NOT_ASCII = /[^\u0000-\u007f]/;
const MAX_TARGET = 8000;
const MAX_DEPTH = 32;

/** A field of an object, by its dotted path. */
const member = (path, key) => (path ? `${path}.${key}` : key);

const isEmpty = (value) =>
  value === null || value === undefined || value === '' || (isObject(value) && !Object.keys(value).length);

const keepUnlessEmpty = (target, key, item) => {
  if (!isEmpty(item)) setOwn(target, key, item);
};

/** Whether objects and arrays nest more than `limit` levels in `value` (without recursion: any depth). */
const deeper = (value, limit) => {
  const pending = [[value, 0]];
  while (pending.length) {
    const [item, level] = pending.pop();
    if (isObject(item) || Array.isArray(item)) {
      if (level === limit) return true;
      for (const key of Object.keys(item)) pending.push([item[key], level + 1]);
    }
  }
  return false;
};

/**
 * Drop nulls, empty strings and objects left empty, at every depth (without recursion through
 * objects: any depth), also in each object of a list (a list keeps its items, so a problem names
 * the item the user filled in; the depth check has bounded lists' nesting before this runs).
 */
const stripEmpty = (value) => {
  if (Array.isArray(value)) return value.map((item) => (isObject(item) ? stripEmpty(item) : item));
  if (!isObject(value)) return value;
  const frames = [{ source: value, keys: Object.keys(value), next: 0, cleaned: {} }];
  for (;;) {
    const frame = frames[frames.length - 1];
    if (frame.next === frame.keys.length) {
      frames.pop();
      if (!frames.length) return frame.cleaned;
      const parent = frames[frames.length - 1];
      keepUnlessEmpty(parent.cleaned, parent.keys[parent.next - 1], frame.cleaned);
    } else {
      const key = frame.keys[frame.next];
      frame.next += 1;
      const item = frame.source[key];
      if (isObject(item)) frames.push({ source: item, keys: Object.keys(item), next: 0, cleaned: {} });
      else keepUnlessEmpty(frame.cleaned, key, stripEmpty(item));
    }
  }
};

const coerceText = (schema, value) => {
  const text = value.replace(AROUND, '');
  if (schema.type === 'integer' && INTEGER_TEXT.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  if (schema.type === 'number' && NUMBER_TEXT.test(text) && Number.isFinite(Number(text))) return Number(text);
  if (schema.type === 'boolean' && ['true', 'false'].includes(text.toLowerCase())) return text.toLowerCase() === 'true';
  const dateTime = schema.format === 'date' ? DATE_TIME.exec(value) : null;
  return dateTime && isDate(dateTime[1]) ? dateTime[1] : value;
};

/**
 * Text into the schema's integer (exact as a JS number: at most 2^53 - 1), number or boolean
 * where that loses nothing; a date-time's date where a date is wanted.
 */
const coerce = (schema, value) => {
  if (!isObject(schema)) return value;
  if (isObject(value) && schema.type === 'object') {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const result = {};
    for (const key of Object.keys(value)) setOwn(result, key, coerce(own(properties, key), value[key]));
    return result;
  }
  if (Array.isArray(value) && schema.type === 'array') return value.map((item) => coerce(schema.items, item));
  return typeof value === 'string' ? coerceText(schema, value) : value;
};

/**
 * Every string or field name holding a lone surrogate, which has no UTF-8 form, and every number
 * that is not finite, which JSON cannot carry (without recursion: any depth).
 */
const valueProblems = (value) => {
  const found = [];
  const pending = [[value, '']];
  while (pending.length) {
    const [item, path] = pending.pop();
    const field = path || '(input)';
    if (typeof item === 'string' && hasLoneSurrogate(item)) {
      found.push({ field, rule: 'unicode', message: 'must be valid Unicode text (it holds a lone surrogate)' });
    } else if (typeof item === 'number' && !Number.isFinite(item)) {
      found.push({ field, rule: 'number', message: 'must be a finite number' });
    } else if (Array.isArray(item) || isObject(item)) {
      for (const key of Object.keys(item)) {
        const inner = Array.isArray(item) ? index(path, key) : member(path, key);
        if (hasLoneSurrogate(key)) {
          found.push({
            field: inner,
            rule: 'unicode',
            message: 'is a field name that is not valid Unicode text (it holds a lone surrogate)',
          });
        }
        pending.push([item[key], inner]);
      }
    }
  }
  return found;
};

/**
 * An integral number past 2^53 - 1 where an integer is wanted is no exact integer (it would be
 * sent as 9007199254740992 or 1e+21): a `type` problem, as its text is.
 */
const inexactIntegers = (schema, value, path, found = []) => {
  if (!isObject(schema)) return found;
  if (isObject(value) && schema.type === 'object') {
    const properties = isObject(schema.properties) ? schema.properties : {};
    for (const key of Object.keys(value)) inexactIntegers(own(properties, key), value[key], member(path, key), found);
  } else if (Array.isArray(value) && schema.type === 'array') {
    value.forEach((item, position) => inexactIntegers(schema.items, item, index(path, position), found));
  } else if (schema.type === 'integer' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    found.push({ field: path || '(input)', rule: 'type', message: `must be of type integer, got ${show(value)}` });
  }
  return found;
};

/** `.` or `..` once percent-decoded, however many times and in whatever case. */
const isDotSegment = (text) => {
  let current = text;
  for (let decoded = percentDecodeOnce(current); decoded !== current; decoded = percentDecodeOnce(current))
    current = decoded;
  return current === '.' || current === '..';
};

/**
 * A request target past MAX_TARGET characters, blamed on the path or query value that is longest
 * once encoded (servers and proxies refuse long URLs).
 */
const lengthProblems = (mapping, value) => {
  if (targetFor(mapping, value).length <= MAX_TARGET) return [];
  let longest = { size: 0, field: '(input)' };
  const located = (Array.isArray(mapping.params) ? mapping.params : []).filter(
    (param) => isObject(param) && (param.in === 'path' || param.in === 'query'),
  );
  for (const param of located) {
    const item = isConstant(param) ? MISSING : paramValue(param, value);
    if (item === MISSING) continue;
    const text = scalarText(item);
    const size = (param.in === 'path' ? encodePathSegment(text) : encodeQuery([['', text]]).slice(1)).length;
    if (size > longest.size) longest = { size, field: param.input || param.name };
  }
  return [
    {
      field: longest.field,
      rule: 'url_length',
      message: `makes the request URL too long (over ${MAX_TARGET} characters of path and query)`,
    },
  ];
};

/** Path values that would leave their segment; header values that would break their line or that hosts encode differently. */
const placementProblems = (mapping, value) => {
  const found = [];
  for (const param of paramsIn(mapping, 'path')) {
    const item = paramValue(param, value);
    if (typeof item === 'string' && isDotSegment(item)) {
      found.push({
        field: param.input || param.name,
        rule: 'path_segment',
        message: 'must not be a dot segment ("." or ".."), which would address another endpoint',
      });
    }
  }
  for (const param of paramsIn(mapping, 'header')) {
    const item = paramValue(param, value);
    if (typeof item === 'string' && CONTROL.test(item)) {
      found.push({
        field: param.input || param.name,
        rule: 'header',
        message: 'must not contain control characters (CR, LF, ...)',
      });
    } else if (typeof item === 'string' && NOT_ASCII.test(item)) {
      found.push({
        field: param.input || param.name,
        rule: 'header',
        message: 'must contain only ASCII characters (a header cannot carry other text)',
      });
    }
  }
  return found;
};

/** The input ready to send and every rule it breaks (an empty list when it holds). */
const prepare = (operation, raw) => {
  const given = raw === null || raw === undefined ? {} : raw;
  if (!isObject(given))
    return { value: given, problems: [{ field: '(input)', rule: 'type', message: 'must be a JSON object' }] };
  const tooDeep = Object.keys(given)
    .filter((key) => deeper(given[key], MAX_DEPTH))
    .map((key) => ({ field: key, rule: 'depth', message: `is nested more than ${MAX_DEPTH} levels deep` }));
  if (tooDeep.length) return { value: given, problems: settle(tooDeep) };
  const mapping = isObject(operation.request) ? operation.request : {};
  const stripped = mapping.strip_empty === false ? given : stripEmpty(given);
  const value = coerce(operation.input, stripped);
  const untransformable = transformProblems(Array.isArray(mapping.params) ? mapping.params : [], value);
  const sendable = untransformable.length
    ? untransformable
    : coveredProblems(mapping, value).concat(placementProblems(mapping, value), lengthProblems(mapping, value));
  const problems = check(operation.input, value, '(input)').concat(
    valueProblems(value),
    sendable,
    inexactIntegers(operation.input, value, ''),
  );
  return { value, problems: settle(problems) };
};

module.exports = { prepare };
