// The case table for Node's built-ins as mongo-migrate offers them: node_builtins_test.cc runs
// lines() in Node.js itself and inside a migration, and the two outputs must be equal, line for
// line. Random values are shown by their shape only; results are compared as JSON.
const crypto = require('crypto');
const util = require('node:util');
const assert = require('assert');
const strict = require('assert/strict');
const path = require('path');
const { Buffer: ImportedBuffer } = require('buffer');

function outcome(fn) {
  try {
    const v = fn();
    return `ok ${v === undefined ? 'undefined' : JSON.stringify(v)}`;
  } catch (e) {
    return `throws ${e.name} ${e.code || ''} ${JSON.stringify(shownMessage(e))}`;
  }
}
// An assertion's message: its first line (Node appends a diff of actual and expected, and for
// assert.ok the source text of the call, which are not offered).
function shownMessage(e) {
  return e.code === 'ERR_ASSERTION' ? e.message.split('\n')[0] : e.message;
}
async function asyncOutcome(fn) {
  try {
    const v = await fn();
    return `ok ${v === undefined ? 'undefined' : JSON.stringify(v)}`;
  } catch (e) {
    return `rejects ${e.name} ${e.code || ''} ${JSON.stringify(shownMessage(e))}`;
  }
}

async function lines() {
  const text = 'héllo €😀 wörld';
  const cases = {
    'md5 hex': () => crypto.createHash('md5').update('hello').digest('hex'),
    'sha1 base64': () => crypto.createHash('sha1').update('hello').digest('base64'),
    'sha256 utf8': () => crypto.createHash('sha256').update(text).digest('hex'),
    'sha256 chained': () => crypto.createHash('sha256').update('a').update('b', 'utf8').update(Buffer.from('c')).digest('hex'),
    'sha256 hex input': () => crypto.createHash('SHA256').update('00ff10', 'hex').digest('base64url'),
    'sha512 buffer': () => crypto.createHash('sha512').update('').digest().toString('hex'),
    'sha384 empty': () => crypto.createHash('sha384').digest('hex'),
    'hash copy': () => { const h = crypto.createHash('sha256').update('x'); const c = h.copy(); return [h.digest('hex'), c.update('y').digest('hex')]; },
    'digest twice': () => { const h = crypto.createHash('md5'); h.digest(); return h.digest(); },
    'unknown digest': () => crypto.createHash('nope'),
    'hmac sha256': () => crypto.createHmac('sha256', 'secret').update('message').digest('hex'),
    'hmac buffer key': () => crypto.createHmac('sha1', Buffer.from('0102', 'hex')).update(text).digest('base64'),
    'hmac empty key': () => crypto.createHmac('md5', '').update('x').digest('hex'),
    'update a number': () => crypto.createHash('md5').update(42),
    'randomBytes shape': () => { const b = crypto.randomBytes(16); return [b.length, /^[0-9a-f]{32}$/.test(b.toString('hex')), Buffer.isBuffer(b)]; },
    'randomBytes range': () => crypto.randomBytes(-1),
    'randomUUID shape': () => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()),
    'randomUUID differ': () => crypto.randomUUID() !== crypto.randomUUID(),
    'randomInt range': () => { for (let i = 0; i < 200; i++) { const n = crypto.randomInt(3, 7); if (n < 3 || n >= 7 || !Number.isInteger(n)) return n; } return 'in range'; },
    'timingSafeEqual': () => [crypto.timingSafeEqual(Buffer.from('ab'), Buffer.from('ab')), crypto.timingSafeEqual(Buffer.from('ab'), Buffer.from('ac'))],
    'getHashes': () => ['md5', 'sha1', 'sha256', 'sha512'].every((h) => crypto.getHashes().includes(h)),

    'format %s %d': () => util.format('%s:%d', 'a', 42),
    'format %i %f': () => util.format('%i %f', 42.9, '1.5'),
    'format %j': () => util.format('%j', { a: [1, 'x'] }),
    'format %%': () => util.format('100%% %s', 'done'),
    'format extra args': () => util.format('a', 'b', 3, { c: 1 }),
    'format missing args': () => util.format('%s and %s', 'one'),
    'format no string': () => util.format(1, 2, 'three'),
    'format %d NaN': () => util.format('%d', '12abc'),
    'format %s null': () => util.format('%s %s', null, undefined),
    'inspect object': () => util.inspect({ a: 1, b: 'x', 'c-d': true }),
    'inspect array': () => util.inspect([1, 'two', [3]]),
    'inspect nested': () => util.inspect({ a: { b: { c: { d: 1 } } } }),
    'inspect depth 0': () => util.inspect({ a: { b: 1 } }, { depth: 0 }),
    'inspect empty': () => util.inspect([{}, [], '']),
    'inspect quotes': () => util.inspect(["it's", 'say "hi"']),
    'inspect numbers': () => util.inspect([-0, 1.5, 10n, NaN, Infinity]),
    'inspect map set': () => util.inspect([new Map([['a', 1]]), new Set([1, 2])]),
    'inspect functions': () => util.inspect([function foo() {}, async function bar() {}, class Point {}]),
    'inspect instance': () => util.inspect(new (class Point { constructor() { this.x = 1; } })()),
    'inspect null proto': () => { const o = Object.create(null); o.a = 1; return util.inspect(o); },
    'inspect date regexp symbol': () => util.inspect([new Date(0), /a+/g, Symbol('s'), null, undefined]),
    'inspect buffer': () => util.inspect(Buffer.from('hi')),
    'inspect circular': () => { const o = { a: 1 }; o.self = o; return util.inspect(o).includes('[Circular *1]'); },
    'isDeepStrictEqual': () => [
      util.isDeepStrictEqual({ a: [1, 2] }, { a: [1, 2] }), util.isDeepStrictEqual(1, '1'),
      util.isDeepStrictEqual([1], [1, 2]), util.isDeepStrictEqual(new Date(1), new Date(1)),
      util.isDeepStrictEqual(NaN, NaN), util.isDeepStrictEqual(new Map([[1, { a: 1 }]]), new Map([[1, { a: 1 }]])),
      util.isDeepStrictEqual({ a: 1 }, { a: 1, b: undefined }), util.isDeepStrictEqual(new Set([1, 2]), new Set([2, 1])),
      util.isDeepStrictEqual([1, 2], { 0: 1, 1: 2 }), util.isDeepStrictEqual(-0, 0)],
    'types': () => [util.types.isDate(new Date()), util.types.isRegExp(/x/), util.types.isPromise(Promise.resolve())],
    'TextEncoder': () => Array.from(new util.TextEncoder().encode('é€')),
    'TextDecoder': () => new util.TextDecoder().decode(new Uint8Array([104, 195, 169, 0xff])),

    'assert ok': () => assert(1),
    'assert falsy message': () => assert(0, 'zero is falsy'),
    'assert.ok falsy': () => assert.ok(''),
    'strictEqual same': () => assert.strictEqual(1, 1),
    'strictEqual differ': () => assert.strictEqual(1, 2),
    'strictEqual custom': () => assert.strictEqual('a', 'b', 'custom message'),
    'equal loose': () => assert.equal(1, '1'),
    'notStrictEqual': () => assert.notStrictEqual(1, 1, 'same'),
    'deepStrictEqual same': () => assert.deepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }),
    'deepStrictEqual differ': () => assert.deepStrictEqual({ a: 1 }, { a: '1' }, 'differ'),
    'deepEqual loose': () => assert.deepEqual({ a: 1 }, { a: '1' }),
    'throws class': () => assert.throws(() => { throw new TypeError('x'); }, TypeError),
    'throws regexp': () => assert.throws(() => { throw new Error('bad thing'); }, /bad/),
    'throws object': () => assert.throws(() => { throw Object.assign(new Error('m'), { code: 'E1' }); }, { code: 'E1', message: 'm' }),
    'throws missing': () => assert.throws(() => {}),
    'throws wrong class': () => assert.throws(() => { throw new RangeError('r'); }, TypeError),
    'doesNotThrow': () => assert.doesNotThrow(() => 1),
    'fail': () => assert.fail('boom'),
    'fail default': () => assert.fail(),
    'match': () => assert.match('abc', /b/),
    'match fails': () => assert.match('abc', /z/, 'no z'),
    'ifError': () => assert.ifError(null),
    'strict equal': () => strict.equal(1, '1', 'strict mode'),
    'assert.strict is strict': () => assert.strict.deepEqual({ a: 1 }, { a: '1' }, 'strict deep'),
    'AssertionError fields': () => { try { assert.strictEqual(1, 2, 'm'); } catch (e) { return [e instanceof assert.AssertionError, e.actual, e.expected, e.operator, e.generatedMessage]; } },

    'join': () => path.join('/a', 'b', '../c', './d'),
    'join empty parts': () => [path.join('a', ''), path.join(), path.join('', '')],
    'join not a string': () => path.join('a', 1),
    'normalize': () => [path.normalize('/a//b/../c/.'), path.normalize('a/../../b'), path.normalize('./'), path.normalize(''), path.normalize('/..'), path.normalize('a/b/')],
    'resolve': () => [path.resolve('/a', 'b', '../c'), path.resolve('/x', '/y', 'z'), path.resolve('/')],
    'dirname': () => [path.dirname('/a/b/c'), path.dirname('/a'), path.dirname('a'), path.dirname('/a/b/'), path.dirname(''), path.dirname('//a')],
    'basename': () => [path.basename('/a/b.txt', '.txt'), path.basename('/a/b/'), path.basename('b.txt', 'b.txt'), path.basename('')],
    'extname': () => [path.extname('x.tar.gz'), path.extname('.bashrc'), path.extname('a.'), path.extname('a'), path.extname('..')],
    'isAbsolute relative': () => [path.isAbsolute('/x'), path.isAbsolute('x'), path.relative('/a/b/c', '/a/d'), path.relative('/a', '/a')],
    'parse format': () => [path.parse('/home/u/file.txt'), path.parse('file'), path.format({ dir: '/x', base: 'y.js' }), path.format({ root: '/', name: 'n', ext: '.e' })],
    'sep posix': () => [path.sep, path.delimiter, path.posix === path],

    'Buffer base64': () => Buffer.from(text).toString('base64'),
    'Buffer from base64': () => Buffer.from('aMOpbGxv', 'base64').toString(),
    'Buffer hex': () => Buffer.from([1, 2, 255, 256]).toString('hex'),
    'Buffer json': () => JSON.stringify(Buffer.from('ab')),
    'Buffer byteLength': () => [Buffer.byteLength('€'), Buffer.byteLength('abc')],
    'Buffer concat equals': () => [Buffer.concat([Buffer.from('a'), Buffer.from('b')]).toString(), Buffer.from('x').equals(Buffer.from('x'))],
    'Buffer from buffer module': () => ImportedBuffer === Buffer,
    'Buffer latin1': () => Buffer.from('ÿa', 'latin1').toString('hex'),
  };
  const out = [];
  for (const [name, fn] of Object.entries(cases)) out.push(`${name}: ${outcome(fn)}`);
  const sleep = util.promisify((ms, cb) => setTimeout(() => cb(null, ms * 2), ms));
  const failing = util.promisify((cb) => cb(new Error('callback error')));
  const asyncCases = {
    'promisify': () => sleep(1),
    'promisify error': () => failing(),
    'rejects matches': () => assert.rejects(Promise.reject(new Error('r1')), /r1/),
    'rejects missing': () => assert.rejects(Promise.resolve(1)),
    'rejects fn': () => assert.rejects(async () => { throw new TypeError('t'); }, TypeError),
    'doesNotReject': () => assert.doesNotReject(Promise.reject(new Error('x'))),
  };
  for (const [name, fn] of Object.entries(asyncCases)) out.push(`${name}: ${await asyncOutcome(fn)}`);
  return out;
}

module.exports = { lines };
