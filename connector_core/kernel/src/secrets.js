'use strict';

/*
 * Secrets never reach a message, in any encoding a server may echo them in: each becomes `***`.
 * Each secret becomes one pattern that matches it character by character, every character as
 * itself, as `%XX` of its UTF-8 bytes (hex in either case: a URL or a form), `+` for a space (a
 * form) or as a JSON string escape (`\/`, `\"`, `\\`, `\uXXXX`). So an echo with some characters
 * encoded and others not is caught too. The base64 of each secret (as a server may send back what
 * it decoded or encoded) is a secret of its own. The longest secret goes first: a secret inside
 * another must not leave the rest of the longer one behind. The Python runtime builds the same
 * patterns.
 */

const { isObject } = require('./values');
const { utf8Bytes, base64 } = require('./encoding');

const JSON_ESCAPES = { '"': '\\"', '\\': '\\\\', '/': '\\/' };

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** `number` as hex digits of either case (`2[Ff]`). */
const hex = (number, width) =>
  number
    .toString(16)
    .toUpperCase()
    .padStart(width, '0')
    .replace(/[A-F]/g, (digit) => `[${digit}${digit.toLowerCase()}]`);

/** Every pattern one character (one code point) of a secret may take in an echo. */
const charForms = (char) => {
  const forms = [escapeRegex(char), utf8Bytes(char).map((byte) => `%${hex(byte, 2)}`).join('')];
  if (char === ' ') forms.push('\\+');
  if (Object.prototype.hasOwnProperty.call(JSON_ESCAPES, char)) forms.push(escapeRegex(JSON_ESCAPES[char]));
  let units = '';
  for (let index = 0; index < char.length; index += 1) units += `\\\\u${hex(char.charCodeAt(index), 4)}`;
  forms.push(units);
  return forms;
};

/**
 * A run of one character (only backslashes form runs) in one of its forms: a run of `\` matched
 * one at a time, raw or JSON-escaped, could split in exponentially many ways.
 */
const unitPattern = (unit) => `(?:${charForms(unit[0]).map((form) => `(?:${form}){${unit.length}}`).join('|')})`;

/** A pattern that finds `secret` raw, percent-encoded, form-encoded or JSON-escaped. */
const secretPattern = (secret) => {
  const units = [];
  for (const char of secret) {
    const last = units[units.length - 1];
    if (char === '\\' && last && last[0] === '\\') last.push(char);
    else units.push([char]);
  }
  return new RegExp(units.map(unitPattern).join(''), 'g');
};

/** `text` with every secret of the connection, in every encoding, replaced by `***` (longest first). */
const redact = (connection, text) => {
  const given = (isObject(connection) && Array.isArray(connection.secrets) ? connection.secrets : []).filter(
    (secret) => typeof secret === 'string' && secret,
  );
  const every = given.concat(given.map(base64));
  return every
    .filter((secret, index) => every.indexOf(secret) === index)
    .sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
    .reduce((result, secret) => result.replace(secretPattern(secret), () => '***'), String(text));
};

module.exports = { redact };
