'use strict';

/*
 * JSON values as the spec language sees them. Inputs and responses are untrusted JSON, so every
 * lookup reads own properties only (`constructor`, `__proto__` are plain keys here) and every
 * write defines a plain own property.
 */

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

const hasOwn = (object, key) => isObject(object) && Object.prototype.hasOwnProperty.call(object, key);

/** The own property `key` of `object`, or undefined. */
const own = (object, key) => (hasOwn(object, key) ? object[key] : undefined);

/** Set an own property, even one named `__proto__` (which plain assignment would take as the prototype). */
const setOwn = (object, key, value) => {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
  return object;
};

/** The value at a dotted path, or null where any part is missing; '' is the whole value. */
const dig = (data, dotted) => {
  if (!dotted) return data === undefined ? null : data;
  let item = data;
  for (const part of dotted.split('.')) {
    if (!hasOwn(item, part)) return null;
    item = item[part];
  }
  return item === undefined ? null : item;
};

const INDEX = /^[0-9]+$/;

/** The container at `part` of `node` (an array or an object), made there in place of anything else if need be. */
const child = (node, part, wantList) => {
  const current = Array.isArray(node) ? node[Number(part)] : own(node, part);
  if (wantList ? Array.isArray(current) : isObject(current)) return current;
  const made = wantList ? [] : {};
  if (Array.isArray(node)) node[Number(part)] = made;
  else setOwn(node, part, made);
  return made;
};

/** Make `items[index]` exist: a gap is null, as JSON writes an array's holes. */
const slot = (items, index) => {
  while (items.length <= index) items.push(null);
};

/**
 * Put `item` at a dotted path, creating what is on the way: an array where the next segment is a
 * number (`jobs.0.title`: the first item of `jobs`), else an object. With `merge`, the keys of
 * `item` go into the object at the path.
 */
const place = (target, dotted, item, merge) => {
  const parts = dotted.split('.');
  let node = target;
  parts.slice(0, -1).forEach((part, position) => {
    if (Array.isArray(node)) slot(node, Number(part));
    node = child(node, part, INDEX.test(parts[position + 1]));
  });
  const leaf = parts[parts.length - 1];
  if (Array.isArray(node)) slot(node, Number(leaf));
  if (merge) {
    const into = child(node, leaf, false);
    for (const key of Object.keys(item)) setOwn(into, key, item[key]);
  } else if (Array.isArray(node)) node[Number(leaf)] = item;
  else setOwn(node, leaf, item);
};

/** JSON equality: same JSON type and value; objects by content, whatever their key order. */
const jsonEqual = (left, right) => {
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => jsonEqual(item, right[index]))
    );
  }
  if (isObject(left) || isObject(right)) {
    if (!isObject(left) || !isObject(right)) return false;
    const keys = Object.keys(left);
    return (
      keys.length === Object.keys(right).length &&
      keys.every((key) => hasOwn(right, key) && jsonEqual(left[key], right[key]))
    );
  }
  return left === right;
};

const SHOWN = 60;

/**
 * The start of a value's JSON text, at least `budget` UTF-16 units of it when it is longer:
 * a huge or deeply nested value is only written as far as a message shows it.
 */
const jsonPrefix = (value, budget) => {
  if (Array.isArray(value) || isObject(value)) {
    const array = Array.isArray(value);
    let text = array ? '[' : '{';
    const keys = array ? value.map((_, index) => index) : Object.keys(value);
    for (let index = 0; index < keys.length && text.length < budget; index += 1) {
      const item = value[keys[index]];
      text +=
        (index ? ',' : '') + (array ? '' : `${JSON.stringify(keys[index])}:`) + jsonPrefix(item, budget - text.length);
    }
    return text.length < budget ? text + (array ? ']' : '}') : text;
  }
  return jsonText(value);
};

/** A value as JSON text (integral numbers without `.0`), cut to 60 code points for messages. */
const show = (value) => {
  const points = Array.from(jsonPrefix(value, 2 * SHOWN + 2));
  return points.length <= SHOWN ? points.join('') : `${points.slice(0, SHOWN - 3).join('')}...`;
};

/** JSON text as JSON.stringify writes it (`null` for nothing). */
const jsonText = (value) => {
  const text = JSON.stringify(value === undefined ? null : value);
  return text === undefined ? 'null' : text;
};

/** Text of a scalar as it travels in a URL or a header: booleans `true`/`false`, numbers as JSON. */
const scalarText = (item) => (typeof item === 'string' ? item : jsonText(item));

/** Collapse every run of whitespace to one space: a message is one line. */
const oneLine = (text) => text.split(/\s+/).filter(Boolean).join(' ');

/** True when the string holds a UTF-16 surrogate without its partner (it has no UTF-8 form). */
const hasLoneSurrogate = (text) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

module.exports = {
  isObject,
  hasOwn,
  own,
  setOwn,
  dig,
  place,
  jsonEqual,
  show,
  jsonText,
  scalarText,
  oneLine,
  hasLoneSurrogate,
};
