'use strict';

/*
 * A trigger's poll state and the keys it remembers records and events by (docs/polling.md).
 * The state is plain JSON; anything that does not read as one is no state at all (null), so the
 * next poll sets a baseline instead of failing forever. Inside the kernel the seen keys are a Map.
 */

const { isObject, dig, setOwn, jsonText } = require('./values');

const isInteger = (value) => typeof value === 'number' && Number.isSafeInteger(value);

/** A stored walk, or null when it is not one. */
const readWalk = (given) => {
  if (!isObject(given)) return null;
  const { since, skip, known, ids, now } = given;
  if (!isInteger(since) || !isInteger(skip) || !isInteger(known) || skip < 0 || known < 0) return null;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return null;
  if (!(now === null || now === undefined || isInteger(now))) return null;
  return { since, skip, known, ids: ids.slice(), now: isInteger(now) ? now : null };
};

/** A host's stored state as {cursor, seen: Map, walk}, or null (a baseline) when it is not one. */
const readState = (given) => {
  if (!isObject(given)) return null;
  const cursor = given.cursor === undefined ? null : given.cursor;
  if (!(cursor === null || isInteger(cursor)) || !isObject(given.seen)) return null;
  const seen = new Map();
  for (const key of Object.keys(given.seen)) {
    if (!isInteger(given.seen[key])) return null;
    seen.set(key, given.seen[key]);
  }
  const walk = given.walk === null || given.walk === undefined ? null : readWalk(given.walk);
  if (walk === null && !(given.walk === null || given.walk === undefined)) return null;
  return { cursor, seen, walk };
};

/** The state as JSON, the form a host stores. */
const stateJson = (state) => {
  const seen = {};
  for (const [key, at] of state.seen) setOwn(seen, key, at);
  const walk = state.walk && {
    since: state.walk.since,
    skip: state.walk.skip,
    known: state.walk.known,
    ids: state.walk.ids.slice(),
    now: state.walk.now,
  };
  return { cursor: state.cursor, seen, walk: walk || null };
};

/** A record's cursor field as an integer (0 when it holds no number, or the trigger has no cursor). */
const position = (record, polling) => {
  if (!isObject(polling.cursor)) return 0;
  const value = dig(record, polling.cursor.field);
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : 0;
};

/** Order of two strings by UTF-16 code units (Python sorts the UTF-16BE bytes the same way). */
const byCodeUnits = (left, right) => (left < right ? -1 : left > right ? 1 : 0);

/**
 * JSON text as JSON.stringify writes it, object keys sorted by UTF-16 code units. Built with a
 * stack, not recursion, so a deeply nested record cannot exhaust the call stack; a {text} entry
 * on the stack is text already written.
 */
const canonicalText = (value) => {
  const out = [];
  const stack = [{ value }];
  while (stack.length) {
    const entry = stack.pop();
    if (entry.text !== undefined) {
      out.push(entry.text);
    } else if (Array.isArray(entry.value)) {
      const parts = [{ text: '[' }];
      entry.value.forEach((element, index) => {
        if (index) parts.push({ text: ',' });
        parts.push({ value: element });
      });
      parts.push({ text: ']' });
      for (let index = parts.length - 1; index >= 0; index -= 1) stack.push(parts[index]);
    } else if (isObject(entry.value)) {
      const parts = [{ text: '{' }];
      Object.keys(entry.value)
        .sort(byCodeUnits)
        .forEach((key, index) => {
          parts.push({ text: `${index ? ',' : ''}${jsonText(key)}:` }, { value: entry.value[key] });
        });
      parts.push({ text: '}' });
      for (let index = parts.length - 1; index >= 0; index -= 1) stack.push(parts[index]);
    } else {
      out.push(jsonText(entry.value));
    }
  }
  return out.join('');
};

/** FNV-1a, 32 bits, over the UTF-16LE bytes of the record's canonical text; 8 lower-case hex digits. */
const fingerprint = (record) => {
  const text = canonicalText(record);
  let digest = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    digest = Math.imul(digest ^ (unit & 0xff), 0x01000193) >>> 0;
    digest = Math.imul(digest ^ (unit >>> 8), 0x01000193) >>> 0;
  }
  return `0000000${digest.toString(16)}`.slice(-8);
};

const fieldsKey = (record, fields) => jsonText(fields.map((field) => dig(record, field)));

/** The key naming one record: its identity fields (default: the first dedupe field) as a JSON array. */
const identityKey = (record, polling) =>
  fieldsKey(record, Array.isArray(polling.identity) ? polling.identity : polling.dedupe_key.slice(0, 1));

/** The key a host that dedupes on its own knows an item by: the dedupe fields alone. */
const itemKey = (record, polling) => fieldsKey(record, polling.dedupe_key);

/** The key naming one event: the dedupe fields, and the record's fingerprint when asked for. */
const eventKey = (record, polling) => {
  const values = polling.dedupe_key.map((field) => dig(record, field));
  return jsonText(polling.fingerprint === true ? values.concat([fingerprint(record)]) : values);
};

module.exports = { readState, stateJson, position, canonicalText, fingerprint, identityKey, itemKey, eventKey };
