'use strict';

/*
 * Where a request mapping's params take their values from (the input, or a constant) and what
 * they make of them: transformed, mapped or defaulted values, lists built item by item, free
 * key/value objects merged.
 */

const { isObject, hasOwn, place, jsonText } = require('./values');
const { transformed } = require('./transforms');

const MISSING = Symbol('missing');

const isConstant = (param) => param.value !== null && param.value !== undefined;

/** The input value at a dotted path, or MISSING. */
const read = (value, dotted) => {
  let item = value;
  for (const part of String(dotted).split('.')) {
    if (!hasOwn(item, part)) return MISSING;
    item = item[part];
  }
  return item;
};

/** The dotted input path a param reads. */
const sourceOf = (param) => String(param.input || param.name);

const givenList = (param, value) => (param.input ? read(value, param.input) : [value]);

/**
 * The value a param sends for `value`, or MISSING: a constant (when its `when` input is given), a
 * list built item by item, or the input value mapped, transformed, else its default. A value its
 * transform refuses is MISSING here: `transformProblems` reports it before anything is built.
 */
const paramValue = (param, value) => {
  if (Array.isArray(param.items)) {
    const listed = givenList(param, value);
    return Array.isArray(listed) ? listed.map((item) => bodyOf(param.items, item)) : MISSING;
  }
  if (isConstant(param)) {
    const given = param.when === null || param.when === undefined || read(value, param.when) !== MISSING;
    return given ? param.value : MISSING;
  }
  const item = read(value, sourceOf(param));
  if (item === MISSING) return param.default === null || param.default === undefined ? MISSING : param.default;
  if (isObject(param.map)) {
    const key = typeof item === 'string' ? item : jsonText(item);
    return hasOwn(param.map, key) ? param.map[key] : MISSING;
  }
  const sent = transformed(param.transform, item);
  return sent.ok ? sent.value : MISSING;
};

/** The object the params (all body params) build from `value`, each at its dotted name. */
const bodyOf = (params, value) => {
  const body = {};
  for (const param of params.filter(isObject)) {
    const item = paramValue(param, value);
    if (item !== MISSING) place(body, String(param.name), item, param.merge === true && isObject(item));
  }
  return body;
};

/** A problem for every given value its param's transform refuses; an item of a list input is `jobs[2].windowStart`. */
const transformProblems = (params, value, prefix = '') => {
  const found = [];
  for (const param of params.filter(isObject)) {
    if (Array.isArray(param.items)) {
      const listed = givenList(param, value);
      (Array.isArray(listed) ? listed : []).forEach((item, position) => {
        const inner = param.input ? `${prefix}${param.input}[${position}].` : prefix;
        found.push(...transformProblems(param.items, item, inner));
      });
    } else if (param.transform && !isConstant(param)) {
      const item = read(value, sourceOf(param));
      const sent = item === MISSING ? { ok: true } : transformed(param.transform, item);
      if (!sent.ok) found.push({ field: prefix + sourceOf(param), rule: 'format', message: sent.message });
    }
  }
  return found;
};

/**
 * A key of a merged free key/value object that another param places (at `<name>.<key>` or inside
 * it): the user must give it in its own field, where its rules hold.
 */
const coveredProblems = (mapping, value) => {
  const params = paramsIn(mapping, 'body');
  const found = [];
  for (const param of params.filter((candidate) => candidate.merge === true)) {
    const given = read(value, sourceOf(param));
    for (const key of isObject(given) ? Object.keys(given) : []) {
      const where = `${param.name}.${key}`;
      const places = (candidate) => candidate.name === where || String(candidate.name).startsWith(`${where}.`);
      const other = params.find((candidate) => candidate !== param && places(candidate));
      if (other !== undefined) {
        found.push({
          field: `${sourceOf(param)}.${key}`,
          rule: 'covered',
          message: `is set by its own field '${sourceOf(other)}'; use that field instead`,
        });
      }
    }
  }
  return found;
};

/** The mapping's params of one location (`path`, `query`, `header`, `body`), in spec order. */
const paramsIn = (mapping, location) =>
  (isObject(mapping) && Array.isArray(mapping.params) ? mapping.params : []).filter(
    (param) => isObject(param) && param.in === location,
  );

module.exports = { MISSING, isConstant, paramValue, paramsIn, bodyOf, transformProblems, coveredProblems, sourceOf };
