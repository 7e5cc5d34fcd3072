'use strict';

/*
 * The request a mapping sends for a prepared value: path segments and query text encoded as
 * the decisions say, the connection's headers plus header params, and a JSON body nested at
 * each body param's dotted name.
 */

const { isObject, scalarText } = require('./values');
const { encodePathSegment, encodeQuery } = require('./encoding');
const { paramValue, paramsIn, bodyOf, MISSING } = require('./params');

const extraPairs = (extraQuery) => {
  if (Array.isArray(extraQuery)) return extraQuery;
  return isObject(extraQuery) ? Object.keys(extraQuery).map((name) => [name, extraQuery[name]]) : [];
};

const fillPath = (mapping, value) => {
  let path = String(mapping.path);
  for (const param of paramsIn(mapping, 'path')) {
    const item = paramValue(param, value);
    path = path.split(`{${param.name}}`).join(item === MISSING ? '' : encodePathSegment(scalarText(item)));
  }
  return path;
};

/** The body params placed at their dotted names; null when the mapping sends no body. */
const buildBody = (mapping, value) => {
  const params = paramsIn(mapping, 'body');
  return params.length ? bodyOf(params, value) : null;
};

/** What follows the base URL: the path with its values encoded, and the query. */
const targetFor = (mapping, value, extraQuery) => {
  const query = [];
  for (const param of paramsIn(mapping, 'query')) {
    const item = paramValue(param, value);
    if (item !== MISSING) query.push([String(param.name), scalarText(item)]);
  }
  for (const [name, item] of extraPairs(extraQuery)) query.push([String(name), scalarText(item)]);
  return `${fillPath(mapping, value)}${query.length ? `?${encodeQuery(query)}` : ''}`;
};

/** {method, url, headers, body}: body is JSON text, or null when none is sent. */
const requestFor = (mapping, value, connection, extraQuery) => {
  const headers = Object.assign({}, connection.headers);
  for (const param of paramsIn(mapping, 'header')) {
    const item = paramValue(param, value);
    if (item !== MISSING) headers[param.name] = scalarText(item);
  }
  const body = buildBody(mapping, value);
  if (body !== null) headers['Content-Type'] = 'application/json';
  return {
    method: mapping.method,
    url: `${connection.baseUrl}${targetFor(mapping, value, extraQuery)}`,
    headers,
    body: body === null ? null : JSON.stringify(body),
  };
};

module.exports = { requestFor, targetFor };
