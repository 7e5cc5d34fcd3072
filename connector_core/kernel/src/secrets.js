'use strict';

/* Secret connection values never reach a message: each becomes `***`. */

const { isObject } = require('./values');

/** `text` with every secret value of the connection replaced by `***` (longest first). */
const redact = (connection, text) => {
  const secrets = isObject(connection) && Array.isArray(connection.secrets) ? connection.secrets : [];
  return secrets
    .filter((secret) => typeof secret === 'string' && secret)
    .slice()
    .sort((a, b) => b.length - a.length)
    .reduce((result, secret) => result.split(secret).join('***'), String(text));
};

module.exports = { redact };
