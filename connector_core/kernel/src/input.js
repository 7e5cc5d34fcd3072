'use strict';

/*
 * Input preparation: strip empty values, coerce text, and hold the result to the operation's
 * input schema and to the rules of where each value travels (one path segment, one header
 * line, UTF-8 text). No-code platforms send every field as text and unfilled optional fields as
 * empty strings; nothing is sent while a rule is broken.
 */

const { isObject, own, setOwn, hasLoneSurrogate } = require('./values');
const { check, settle, isDate } = require('./schema');
const { percentDecodeOnce } = require('./encoding');
const { paramValue, paramsIn } = require('./params');

const INTEGER_TEXT = /^[+-]?[0-9]+$/;
const NUMBER_TEXT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const DATE_TIME =
  /^([0-9]{4}-[0-9]{2}-[0-9]{2})T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$/;
const AROUND = /^[ \t\r\n]+|[ \t\r\n]+$/g;
const CONTROL = /[\u0000-\u001f\u007f]/;
const NOT_ASCII = /[^\u0000-\u007f]/;

const isEmpty = (value) =>
  value === null || value === undefined || value === '' || (isObject(value) && !Object.keys(value).length);

const keepUnlessEmpty = (target, key, item) => {
  if (!isEmpty(item)) setOwn(target, key, item);
};

/** Drop nulls, empty strings and objects left empty, at every depth (without recursion: any depth). */
const stripEmpty = (value) => {
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
      else keepUnlessEmpty(frame.cleaned, key, item);
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

/** Every string holding a lone surrogate, which has no UTF-8 form (without recursion: any depth). */
const unicodeProblems = (value) => {
  const found = [];
  const pending = [[value, '']];
  while (pending.length) {
    const [item, path] = pending.pop();
    if (typeof item === 'string' && hasLoneSurrogate(item)) {
      found.push({
        field: path || '(input)',
        rule: 'unicode',
        message: 'must be valid Unicode text (it holds a lone surrogate)',
      });
    } else if (Array.isArray(item) || isObject(item)) {
      for (const key of Object.keys(item)) pending.push([item[key], path ? `${path}.${key}` : key]);
    }
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
  const mapping = isObject(operation.request) ? operation.request : {};
  const stripped = mapping.strip_empty === false ? given : stripEmpty(given);
  const value = coerce(operation.input, stripped);
  const problems = check(operation.input, value, '(input)').concat(
    unicodeProblems(value),
    placementProblems(mapping, value),
  );
  return { value, problems: settle(problems) };
};

module.exports = { prepare };
