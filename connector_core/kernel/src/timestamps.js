'use strict';

/*
 * Derived timestamps: an output property annotated `x-timestamp: {from: <sibling>, unit: epoch_ms}`
 * holds the ISO 8601 UTC text of its sibling's epoch milliseconds, as `toISOString` writes it,
 * for an integer in years 0000-9999 (else the derived property is left out). Derived properties
 * sit beside their source at any depth of the output schema's `properties` tree; records inside
 * arrays are not stamped. The API's own value stays.
 */

const { isObject, own, setOwn } = require('./values');

/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the range toISOString writes with four-digit years. */
const EARLIEST_MS = -62167219200000;
const LATEST_MS = 253402300799999;

/** The ISO 8601 UTC text of an epoch-milliseconds integer, or null. */
const isoText = (epochMs) =>
  Number.isInteger(epochMs) && epochMs >= EARLIEST_MS && epochMs <= LATEST_MS
    ? new Date(epochMs).toISOString()
    : null;

/**
 * A copy of `record` with each derived timestamp `schema` declares set from its sibling, or
 * removed when the sibling is no epoch-ms integer; `record` stays as the API sent it (dedupe keys
 * and fingerprints read that).
 */
const stamped = (schema, record) => {
  const properties = isObject(schema) ? schema.properties : undefined;
  if (!isObject(record) || !isObject(properties)) return record;
  const copy = {};
  for (const key of Object.keys(record)) setOwn(copy, key, record[key]);
  for (const name of Object.keys(properties)) {
    const sub = properties[name];
    const derived = isObject(sub) ? sub['x-timestamp'] : undefined;
    if (isObject(derived)) {
      const text = isoText(own(record, derived.from));
      if (text === null) delete copy[name];
      else setOwn(copy, name, text);
    } else if (isObject(sub) && isObject(own(record, name))) {
      setOwn(copy, name, stamped(sub, record[name]));
    }
  }
  return copy;
};

module.exports = { stamped };
