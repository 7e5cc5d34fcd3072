'use strict';

/*
 * The params one page adds to an operation's request: the paging (and a trigger's cursor), as
 * query params or as dotted paths merged into the body (`in: body`, for an API that takes
 * everything in a JSON envelope). They are the page's constants, sent after the operation's own
 * params, so the request is built by the one rule every request is built by.
 */

const { isObject } = require('./values');

/** Where a page's params go: `query` unless the document says `body`. */
const placeOf = (given) => (given === 'body' ? 'body' : 'query');

/** The paging params of the page starting at record `skip` (page numbers: the page holding it): [in, name, value]. */
const pageParams = (paging, skip) => {
  const where = placeOf(paging.in);
  if (paging.style === 'offset')
    return [
      [where, paging.limit_param, paging.page_size],
      [where, paging.offset_param, skip],
    ];
  return [
    [where, paging.size_param, paging.page_size],
    [where, paging.page_param, paging.first_page + Math.floor(skip / paging.page_size)],
  ];
};

/** The mapping of one page: its own params, then the page's as constants. */
const withParams = (mapping, placed) => {
  const own = isObject(mapping) && Array.isArray(mapping.params) ? mapping.params : [];
  const constants = placed.map(([where, name, value]) => ({ in: where, name, input: null, value }));
  return Object.assign({}, mapping, { params: own.concat(constants) });
};

module.exports = { placeOf, pageParams, withParams };
