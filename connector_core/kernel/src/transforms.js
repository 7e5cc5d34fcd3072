'use strict';

/*
 * Param transforms: an input value in the user's terms turned into the form an API wants. A date
 * picker gives `2026-04-30` where an API wants the integer 20260430, a time field `09:30` where it
 * wants 930, a checkbox `true` where it wants 1, and an inclusive "to" date where the API's bound
 * is exclusive. The input schema holds the value to its format; a transform still refuses what it
 * cannot read (a request is built for the problems it finds too), and `time_number` refuses on its
 * own what is not `HH:mm`, since a pattern decides which times are valid.
 */

const { hasOwn } = require('./values');
const { isDate } = require('./schema');

const TIME_TEXT = /^[0-9]{2}:[0-9]{2}$/;
const TIME_MESSAGE = 'must be a time HH:mm';
const LAST_DAY_MESSAGE = 'must be a day before 9999-12-31 (the next day is sent)';
const DATE_MESSAGE = 'must be a date in YYYY-MM-DD format';
const BOOLEAN_MESSAGE = 'must be true or false';

const pad = (number, width) => String(number).padStart(width, '0');

/** The calendar day after `YYYY-MM-DD`, counted without Date (whose years below 100 are not years). */
const nextDay = (text) => {
  const [year, month, day] = text.split('-').map(Number);
  const candidates = [
    [year, month, day + 1],
    [year, month + 1, 1],
    [year + 1, 1, 1],
  ].map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
  const next = candidates.find(isDate);
  if (next === undefined) return { ok: false, message: LAST_DAY_MESSAGE };
  return { ok: true, value: next };
};

/** The value when it is a date (the schema's format has said so, or is reporting it). */
const dated = (value, then) =>
  typeof value === 'string' && isDate(value) ? then(value) : { ok: false, message: DATE_MESSAGE };

const TRANSFORMS = {
  date_number: (value) => dated(value, (text) => ({ ok: true, value: Number(text.split('-').join('')) })),
  time_number: (value) =>
    typeof value === 'string' && TIME_TEXT.test(value)
      ? { ok: true, value: Number(value.split(':').join('')) }
      : { ok: false, message: TIME_MESSAGE },
  boolean_number: (value) =>
    typeof value === 'boolean' ? { ok: true, value: value ? 1 : 0 } : { ok: false, message: BOOLEAN_MESSAGE },
  next_day: (value) => dated(value, nextDay),
};

/** `{ok, value}`: `value` as transform `name` sends it (unchanged without one); else `{ok: false, message}`. */
const transformed = (name, value) =>
  typeof name === 'string' && hasOwn(TRANSFORMS, name) ? TRANSFORMS[name](value) : { ok: true, value };

module.exports = { transformed };
