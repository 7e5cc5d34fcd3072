'use strict';

/*
 * The JSON Schema subset the spec language allows (type, enum, minimum/maximum, minLength/
 * maxLength, pattern, format date/email, items, minItems/maxItems, properties, required,
 * additionalProperties: false), reporting problems {field, rule, message} worded as the Python
 * runtime words them.
 */

const { isObject, hasOwn, own, show, jsonEqual, jsonText } = require('./values');

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
/* RFC 3339: a real day, a valid time, and the offset that says which instant it is. */
const OFFSET_DATE_TIME =
  /^([0-9]{4}-[0-9]{2}-[0-9]{2})T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$/;
const FORMAT_NAMES = {
  date: 'a date in YYYY-MM-DD format',
  email: 'an email address',
  'date-time': 'a date-time with a UTC offset, such as 2021-03-05T12:15:00-05:00',
};

const TYPE_CHECKS = {
  string: (value) => typeof value === 'string',
  integer: (value) => typeof value === 'number' && Number.isInteger(value),
  number: (value) => typeof value === 'number',
  boolean: (value) => typeof value === 'boolean',
  object: isObject,
  array: Array.isArray,
  null: (value) => value === null,
};

const isLeapYear = (year) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** `YYYY-MM-DD` naming a day of the proleptic Gregorian calendar from `firstYear` on. */
const isDay = (text, firstYear) => {
  if (!DATE.test(text)) return false;
  const [year, month, day] = text.split('-').map(Number);
  const days = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return year >= firstYear && month >= 1 && month <= 12 && day >= 1 && day <= days[month - 1];
};

/** `YYYY-MM-DD` naming a real day of years 0001-9999. */
const isDate = (text) => isDay(text, 1);

/**
 * An RFC 3339 date-time with its UTC offset (without one, the instant depends on a time zone nobody
 * stated) on a real day of years 0000-9999, the range derived timestamps are written in.
 */
const isDateTime = (text) => {
  const match = OFFSET_DATE_TIME.exec(text);
  return match !== null && isDay(match[1], 0);
};

const FORMAT_CHECKS = { date: isDate, 'date-time': isDateTime, email: (text) => EMAIL.test(text) };

/** An ECMA-262 regex (Unicode mode where the pattern allows it), or null when it is not one. */
const compile = (pattern) => {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags);
    } catch (error) {
      // not valid in this mode
    }
  }
  return null;
};

const join = (path, name) => (path ? `${path}.${name}` : name);

/** An item of a list, named as a user reads it: `jobs[2].date`. */
const index = (path, position) => `${path}[${position}]`;

/** Compare strings by code point, as Python sorts them. */
const byCodePoint = (left, right) => {
  const [a, b] = [Array.from(left, (c) => c.codePointAt(0)), Array.from(right, (c) => c.codePointAt(0))];
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    if (a[index] !== b[index]) return a[index] - b[index];
  }
  return a.length - b.length;
};

const typeName = (type) => (Array.isArray(type) ? type.join(' or ') : String(type));

const patternMessage = (schema, got) => {
  if (hasOwn(FORMAT_NAMES, schema.format)) return `must be ${FORMAT_NAMES[schema.format]}, got ${got}`;
  const examples = own(schema, 'examples');
  const hint = Array.isArray(examples) && examples.length ? ` (for example ${jsonText(examples[0])})` : '';
  return `must match the pattern ${schema.pattern}${hint}, got ${got}`;
};

const checkString = (schema, value, add, got) => {
  const length = Array.from(value).length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    add(
      'minLength',
      schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters long`,
    );
  }
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    add('maxLength', `must be at most ${schema.maxLength} characters long`);
  }
  if (typeof schema.pattern === 'string') {
    const regex = compile(schema.pattern);
    if (regex && !regex.test(value)) add('pattern', patternMessage(schema, got));
  }
  if (hasOwn(FORMAT_CHECKS, schema.format) && !FORMAT_CHECKS[schema.format](value)) {
    add('format', `must be ${FORMAT_NAMES[schema.format]}, got ${got}`);
  }
};

const checkNumber = (schema, value, add, got) => {
  if (typeof schema.minimum === 'number' && value < schema.minimum)
    add('minimum', `must be at least ${jsonText(schema.minimum)}, got ${got}`);
  if (typeof schema.maximum === 'number' && value > schema.maximum)
    add('maximum', `must be at most ${jsonText(schema.maximum)}, got ${got}`);
};

const checkArray = (schema, value, path, add, report) => {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
    add('minItems', `must have at least ${schema.minItems} items`);
  }
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
    add('maxItems', `must have at most ${schema.maxItems} items`);
  }
  if (isObject(schema.items))
    value.forEach((item, position) => visit(schema.items, item, index(path, position), report));
};

const checkObject = (schema, value, path, add, report) => {
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const name of Object.keys(properties)) {
    if (hasOwn(value, name) && isObject(properties[name]))
      visit(properties[name], value[name], join(path, name), report);
  }
  for (const name of Array.isArray(schema.required) ? schema.required : []) {
    if (!hasOwn(value, name)) add('required', 'is required', join(path, name));
  }
  if (schema.additionalProperties === false) {
    for (const name of Object.keys(value).filter((key) => !hasOwn(properties, key))) {
      add('additionalProperties', 'is not a known field', join(path, name));
    }
  }
};

/** Add every (field, rule, message) that `value` breaks to the report, like jsonschema's iter_errors. */
const visit = (schema, value, path, report) => {
  const got = show(value);
  const add = (rule, message, field = path || report.root) => report.problems.push({ field, rule, message });
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasOwn(TYPE_CHECKS, type) && TYPE_CHECKS[type](value))) {
      add('type', `must be of type ${typeName(schema.type)}, got ${got}`);
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => jsonEqual(option, value))) {
    add('enum', `must be one of ${jsonText(schema.enum)}, got ${got}`);
  }
  if (typeof value === 'number') checkNumber(schema, value, add, got);
  if (typeof value === 'string') checkString(schema, value, add, got);
  if (Array.isArray(value)) checkArray(schema, value, path, add, report);
  if (isObject(value)) checkObject(schema, value, path, add, report);
};

/** Sort problems by field then rule; the first per field and rule, `format`/`pattern` said once. */
const settle = (problems) => {
  const sorted = problems.slice().sort((a, b) => byCodePoint(a.field, b.field) || byCodePoint(a.rule, b.rule));
  const kept = new Map();
  for (const problem of sorted) {
    const key = `${problem.field}\u0000${problem.rule === 'format' || problem.rule === 'pattern' ? 'value' : problem.rule}`;
    if (!kept.has(key)) kept.set(key, problem);
  }
  return Array.from(kept.values());
};

/** Every rule of `schema` that `value` breaks (an empty list when it holds); `root` names the whole value. */
const check = (schema, value, root) => {
  const report = { root, problems: [] };
  if (isObject(schema)) visit(schema, value, '', report);
  return settle(report.problems);
};

module.exports = { check, settle, isDate, index, compile };
