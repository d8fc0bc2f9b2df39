// The unified format's matching rules: extra fields are allowed only in root-level documents,
// numbers compare by value whatever their BSON type, and the special operators ($$exists,
// $$type, $$unsetOrMatches, $$matchesEntity, $$lte, $$sessionLsid, $$matchAsDocument,
// $$matchAsRoot). match() throws with the path of the first difference.
'use strict';
const { BSON } = require('mongodb');
const { EJSON } = BSON;

function isNumberLike(v) {
  return typeof v === 'number' || (v && ['Int32', 'Double', 'Long', 'Decimal128'].includes(v._bsontype));
}
function toNumber(v) {
  if (typeof v === 'number') return v;
  if (v._bsontype === 'Long') return v.toNumber();
  if (v._bsontype === 'Decimal128') return Number(v.toString());
  return v.valueOf();
}
function typeName(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  const names = { Int32: 'int', Double: 'double', Long: 'long', ObjectId: 'objectId', Decimal128: 'decimal',
    Binary: 'binData', Timestamp: 'timestamp', MinKey: 'minKey', MaxKey: 'maxKey', BSONRegExp: 'regex',
    Code: 'javascript' };
  return v._bsontype ? names[v._bsontype] || v._bsontype : 'object';
}
const show = (v) => {
  try { return EJSON.stringify(v, { relaxed: true }); } catch (e) { return String(v); }
};
const isPlainDocument = (v) => v && typeof v === 'object' && !Array.isArray(v) && !v._bsontype &&
  !(v instanceof Date) && !(v instanceof RegExp) && !Buffer.isBuffer(v);

function matchOperator(op, arg, actual, where, root, entities) {
  switch (op) {
    case '$$exists':
      if ((actual !== undefined) !== arg) throw new Error(`${where}: expected ${arg ? 'a value' : 'no value'}, got ${show(actual)}`);
      return;
    case '$$type': {
      const types = Array.isArray(arg) ? arg : [arg];
      const t = typeName(actual);
      const ok = types.some((x) => x === t || (x === 'number' && ['int', 'long', 'double', 'decimal'].includes(t)) ||
        (x === 'long' && t === 'int') || (x === 'int' && t === 'long'));
      if (!ok) throw new Error(`${where}: expected type ${types.join('|')}, got ${t} ${show(actual)}`);
      return;
    }
    case '$$unsetOrMatches':
      if (actual === undefined) return;
      return match(arg, actual, where, root, entities);
    case '$$matchesEntity':
      return match(entities.get(arg), actual, where, root, entities);
    case '$$lte':
      if (!isNumberLike(actual) || !(toNumber(actual) <= toNumber(arg))) throw new Error(`${where}: expected <= ${show(arg)}, got ${show(actual)}`);
      return;
    case '$$sessionLsid': {
      const lsid = entities.lsidOf(arg);
      if (!lsid) throw new Error(`${where}: session ${arg} has no lsid yet`);
      return match(lsid, actual, where, false, entities);
    }
    case '$$matchAsDocument': {
      if (typeof actual !== 'string') throw new Error(`${where}: expected a JSON string, got ${show(actual)}`);
      return match(arg, EJSON.parse(actual, { relaxed: false }), where, false, entities);
    }
    case '$$matchAsRoot':
      return match(arg, actual, where, true, entities);
    default:
      throw new Error(`runner: matching operator ${op} is not implemented`);
  }
}

function match(expected, actual, where, root, entities) {
  if (isPlainDocument(expected)) {
    const keys = Object.keys(expected);
    if (keys.length === 1 && keys[0].startsWith('$$')) {
      return matchOperator(keys[0], expected[keys[0]], actual, where, root, entities);
    }
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      throw new Error(`${where}: expected a document ${show(expected)}, got ${show(actual)}`);
    }
    for (const k of keys) {
      const sub = expected[k];
      const value = actual instanceof Map ? actual.get(k) : actual[k];
      const special = isPlainDocument(sub) && Object.keys(sub).length === 1 &&
        ['$$exists', '$$unsetOrMatches'].includes(Object.keys(sub)[0]);
      if (value === undefined && !special) throw new Error(`${where}.${k}: missing (expected ${show(sub)})`);
      match(sub, value, `${where}.${k}`, false, entities);
    }
    if (!root) {
      const extra = Object.keys(actual).filter((k) => !(k in expected));
      if (extra.length) throw new Error(`${where}: unexpected field(s) ${extra.join(', ')} in ${show(actual)}`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) throw new Error(`${where}: expected an array ${show(expected)}, got ${show(actual)}`);
    if (expected.length !== actual.length) {
      throw new Error(`${where}: expected ${expected.length} element(s) ${show(expected)}, got ${actual.length} ${show(actual)}`);
    }
    expected.forEach((e, i) => match(e, actual[i], `${where}[${i}]`, root, entities));
    return;
  }
  if (isNumberLike(expected)) {
    if (!isNumberLike(actual) || toNumber(actual) !== toNumber(expected)) {
      throw new Error(`${where}: expected ${show(expected)}, got ${show(actual)}`);
    }
    return;
  }
  if (expected instanceof Date) {
    if (!(actual instanceof Date) || actual.getTime() !== expected.getTime()) throw new Error(`${where}: expected ${show(expected)}, got ${show(actual)}`);
    return;
  }
  if (expected && expected._bsontype) {
    if (!actual || actual._bsontype !== expected._bsontype || show(actual) !== show(expected)) {
      throw new Error(`${where}: expected ${show(expected)}, got ${show(actual)}`);
    }
    return;
  }
  if (expected !== actual) throw new Error(`${where}: expected ${show(expected)}, got ${show(actual)}`);
}

module.exports = { match, show, isNumberLike, toNumber };
