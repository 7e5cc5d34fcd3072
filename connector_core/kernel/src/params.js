'use strict';

/* Where a request mapping's params take their values from: the input, or a constant. */

const { isObject, hasOwn } = require('./values');

const MISSING = Symbol('missing');

const isConstant = (param) => param.value !== null && param.value !== undefined;

/** The value a param sends for `value`, or MISSING when the input leaves it out. */
const paramValue = (param, value) => {
  if (isConstant(param)) return param.value;
  let item = value;
  for (const part of String(param.input || param.name).split('.')) {
    if (!hasOwn(item, part)) return MISSING;
    item = item[part];
  }
  return item;
};

/** The mapping's params of one location (`path`, `query`, `header`, `body`), in spec order. */
const paramsIn = (mapping, location) =>
  (isObject(mapping) && Array.isArray(mapping.params) ? mapping.params : []).filter(
    (param) => isObject(param) && param.in === location,
  );

module.exports = { MISSING, isConstant, paramValue, paramsIn };
