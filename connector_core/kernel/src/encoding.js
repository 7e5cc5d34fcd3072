'use strict';

/*
 * Bytes on the wire, computed by hand so every host gives the same ones: UTF-8, percent-encoding
 * of path segments and query text, and base64 for Basic auth (no Buffer, no btoa).
 * Strings reaching here never hold a lone surrogate: input preparation refuses them.
 */

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const HEX = '0123456789ABCDEF';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The UTF-8 bytes of a string, one code point at a time. */
const utf8Bytes = (text) => {
  const bytes = [];
  for (const char of text) {
    const point = char.codePointAt(0);
    if (point < 0x80) bytes.push(point);
    else if (point < 0x800) bytes.push(0xc0 | (point >> 6), 0x80 | (point & 63));
    else if (point < 0x10000) bytes.push(0xe0 | (point >> 12), 0x80 | ((point >> 6) & 63), 0x80 | (point & 63));
    else {
      bytes.push(0xf0 | (point >> 18), 0x80 | ((point >> 12) & 63), 0x80 | ((point >> 6) & 63), 0x80 | (point & 63));
    }
  }
  return bytes;
};

const percent = (byte) => `%${HEX[byte >> 4]}${HEX[byte & 15]}`;

/** Encode every character but the unreserved ones; `space` is what a space becomes. */
const encodeWith = (text, space) => {
  let out = '';
  for (const char of text) {
    if (UNRESERVED.test(char)) out += char;
    else if (char === ' ' && space) out += space;
    else out += utf8Bytes(char).map(percent).join('');
  }
  return out;
};

/** One path segment: unreserved characters stay, everything else is `%XX` of its UTF-8 bytes. */
const encodePathSegment = (text) => encodeWith(text, null);

/** application/x-www-form-urlencoded, as httpx sends it: as above, but a space is `+`. */
const encodeQueryText = (text) => encodeWith(text, '+');

/** `name=value&...` of ordered [name, text] pairs. */
const encodeQuery = (pairs) =>
  pairs.map(([name, text]) => `${encodeQueryText(name)}=${encodeQueryText(text)}`).join('&');

/** Standard base64 (with padding) of a string's UTF-8 bytes. */
const base64 = (text) => {
  const bytes = utf8Bytes(text);
  let out = '';
  for (let index = 0; index < bytes.length; index += 3) {
    const [a, b, c] = [bytes[index], bytes[index + 1], bytes[index + 2]];
    const triple = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += BASE64[(triple >> 18) & 63] + BASE64[(triple >> 12) & 63];
    out += b === undefined ? '=' : BASE64[(triple >> 6) & 63];
    out += c === undefined ? '=' : BASE64[triple & 63];
  }
  return out;
};

/** Decode `%XX` escapes once (bytes as Latin-1 characters): enough to recognise dot segments. */
const percentDecodeOnce = (text) =>
  text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));

module.exports = { utf8Bytes, encodePathSegment, encodeQuery, base64, percentDecodeOnce };
