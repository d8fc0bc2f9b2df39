// Node's built-in modules that migrations commonly use, offered without Node.js: crypto (hashes,
// HMACs and random bytes from OpenSSL), util, assert, path, and Buffer as far as they need it.
// prelude.js calls this once, the first time a migration requires or imports one of them; each
// behaves as Node's does for what it offers (tests/cli/node_builtins_test.cc compares them with
// Node's own results), and what it does not offer is missing rather than wrong.
(function (native) {
  'use strict';

  // ---------------------------------------------------------------- bytes
  function utf8Bytes(text) {
    const out = [];
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
        } else {
          c = 0xfffd;
        }
      } else if (c >= 0xd800 && c < 0xe000) {
        c = 0xfffd;  // a lone surrogate, as Node encodes it
      }
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return out;
  }
  function utf8Text(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length;) {
      const b = bytes[i];
      const need = b < 0x80 ? 0 : b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : -1;
      let c = need === 0 ? b : need === 1 ? b & 31 : need === 2 ? b & 15 : b & 7;
      let ok = need >= 0 && i + need < bytes.length + (need === 0 ? 1 : 0);
      for (let k = 1; ok && k <= need; k++) {
        const next = bytes[i + k];
        if (next === undefined || (next & 0xc0) !== 0x80) ok = false;
        else c = (c << 6) | (next & 63);
      }
      if (ok && need >= 2 && (c < (need === 2 ? 0x800 : 0x10000) || c > 0x10ffff || (c >= 0xd800 && c < 0xe000))) ok = false;
      if (!ok) {
        out += '\ufffd';
        i += 1;
        continue;
      }
      out += String.fromCodePoint(c);
      i += need + 1;
    }
    return out;
  }
  const HEX = '0123456789abcdef';
  function toHex(bytes) {
    let out = '';
    for (const b of bytes) out += HEX[b >> 4] + HEX[b & 15];
    return out;
  }
  function fromHex(text) {
    const out = [];
    for (let i = 0; i + 1 < text.length; i += 2) {
      const b = parseInt(text.substr(i, 2), 16);
      if (Number.isNaN(b)) break;  // Node stops at the first pair that is not hex
      out.push(b);
    }
    return out;
  }
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function toBase64(bytes, url = false) {
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
      out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : url ? '' : '=';
      out += i + 2 < bytes.length ? B64[n & 63] : url ? '' : '=';
    }
    return url ? out.replace(/\+/g, '-').replace(/\//g, '_') : out;
  }
  function fromBase64(text) {
    const clean = text.replace(/-/g, '+').replace(/_/g, '/').replace(/[^A-Za-z0-9+/]/g, '');
    const out = [];
    let bits = 0, value = 0;
    for (const ch of clean) {
      value = (value << 6) | B64.indexOf(ch);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.push((value >> bits) & 255);
      }
    }
    return out;
  }

  class Buffer extends Uint8Array {
    static from(value, encoding) {
      if (typeof value === 'string') return Buffer.of(...bytesOf(value, encoding));
      if (value instanceof ArrayBuffer) return new Buffer(value);
      if (value && typeof value.length === 'number') return new Buffer(Array.from(value, (b) => b & 255));
      throw invalidArgType('first argument', 'string, Buffer, ArrayBuffer, Array, or Array-like Object', value);
    }
    static alloc(size, fill = 0) { return new Buffer(size).fill(typeof fill === 'number' ? fill : 0); }
    static isBuffer(value) { return value instanceof Buffer; }
    static byteLength(value, encoding) { return typeof value === 'string' ? bytesOf(value, encoding).length : value.length; }
    static concat(list) {
      const out = new Buffer(list.reduce((n, b) => n + b.length, 0));
      let at = 0;
      for (const b of list) {
        out.set(b, at);
        at += b.length;
      }
      return out;
    }
    toString(encoding = 'utf8', start = 0, end = this.length) {
      const bytes = Array.from(this.subarray(start, end));
      switch (String(encoding).toLowerCase()) {
        case 'utf8': case 'utf-8': return utf8Text(bytes);
        case 'hex': return toHex(bytes);
        case 'base64': return toBase64(bytes);
        case 'base64url': return toBase64(bytes, true);
        case 'latin1': case 'binary': case 'ascii': return String.fromCharCode(...bytes.map((b) => (encoding === 'ascii' ? b & 127 : b)));
        default: throw new TypeError(`Unknown encoding: ${encoding}`);
      }
    }
    toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
    equals(other) { return this.length === other.length && this.every((b, i) => b === other[i]); }
    inspect() { return `<Buffer${Array.from(this.subarray(0, 50), (b) => ` ${HEX[b >> 4]}${HEX[b & 15]}`).join('')}${this.length > 50 ? ` ... ${this.length - 50} more bytes` : ''}>`; }
  }
  function bytesOf(data, encoding = 'utf8') {
    if (typeof data === 'string') {
      switch (String(encoding).toLowerCase()) {
        case 'utf8': case 'utf-8': return utf8Bytes(data);
        case 'hex': return fromHex(data);
        case 'base64': case 'base64url': return fromBase64(data);
        case 'latin1': case 'binary': case 'ascii': return Array.from(data, (c) => c.charCodeAt(0) & 255);
        default: throw new TypeError(`Unknown encoding: ${encoding}`);
      }
    }
    if (data instanceof Uint8Array) return Array.from(data);
    if (ArrayBuffer.isView(data)) return Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (data instanceof ArrayBuffer) return Array.from(new Uint8Array(data));
    throw invalidArgType('"data" argument', 'of type string or an instance of Buffer, TypedArray, or DataView', data);
  }
  function invalidArgType(what, expected, value) {
    const e = new TypeError(`The ${what} must be ${expected}. Received ${value === null ? 'null' : typeof value === 'object' ? 'an instance of ' + (value.constructor ? value.constructor.name : 'Object') : `type ${typeof value} (${inspect(value)})`}`);
    e.code = 'ERR_INVALID_ARG_TYPE';
    return e;
  }

  // ---------------------------------------------------------------- crypto
  function encodeDigest(hex, encoding) {
    const bytes = fromHex(hex);
    if (encoding === undefined || encoding === 'buffer') return Buffer.from(bytes);
    return Buffer.from(bytes).toString(encoding);
  }
  class Hash {
    constructor(algorithm, key) {
      this.algorithm = String(algorithm).toLowerCase();
      this.key = key === undefined ? null : toHex(bytesOf(key));
      this.parts = [];
      this.done = false;
      if (native.hash(this.algorithm, '', this.key) === null) {
        throw new Error(key === undefined ? 'Digest method not supported' : `Invalid digest: ${algorithm}`);
      }
    }
    update(data, encoding) {
      if (this.done) throw Object.assign(new Error('Digest already called'), { code: 'ERR_CRYPTO_HASH_FINALIZED' });
      this.parts.push(toHex(bytesOf(data, encoding)));
      return this;
    }
    digest(encoding) {
      if (this.done) throw Object.assign(new Error('Digest already called'), { code: 'ERR_CRYPTO_HASH_FINALIZED' });
      this.done = true;
      return encodeDigest(native.hash(this.algorithm, this.parts.join(''), this.key), encoding);
    }
    copy() {
      const c = new Hash(this.algorithm, this.key === null ? undefined : Buffer.from(fromHex(this.key)));
      c.parts = this.parts.slice();
      return c;
    }
  }
  function randomBytes(size, callback) {
    if (!Number.isInteger(size) || size < 0 || size > 2 ** 31 - 1) {
      throw Object.assign(new RangeError(`The value of "size" is out of range. It must be >= 0 && <= 2147483647. Received ${size}`), { code: 'ERR_OUT_OF_RANGE' });
    }
    const bytes = Buffer.from(fromHex(native.secureRandomHex(size)));
    if (typeof callback === 'function') {
      Promise.resolve().then(() => callback(null, bytes));
      return undefined;
    }
    return bytes;
  }
  function randomUUID() {
    const b = randomBytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = toHex(b);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  function randomInt(min, max) {
    if (max === undefined) [min, max] = [0, min];
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max <= min) {
      throw Object.assign(new RangeError(`The value of "max" is out of range. It must be greater than the value of "min" (${min}). Received ${max}`), { code: 'ERR_OUT_OF_RANGE' });
    }
    const range = max - min;
    const limit = Math.floor(2 ** 48 / range) * range;  // rejection sampling: no modulo bias
    for (;;) {
      const n = parseInt(native.secureRandomHex(6), 16);
      if (n < limit) return min + (n % range);
    }
  }
  function timingSafeEqual(a, b) {
    if (a.length !== b.length) throw Object.assign(new RangeError('Input buffers must have the same byte length'), { code: 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH' });
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
    return diff === 0;
  }
  const crypto = Object.freeze({
    createHash: (algorithm) => new Hash(algorithm),
    createHmac: (algorithm, key) => new Hash(algorithm, key),
    getHashes: () => ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'],
    randomBytes,
    randomUUID,
    randomInt,
    timingSafeEqual,
  });

  // ---------------------------------------------------------------- util
  // util.inspect as Node prints short values (one line; nested past `depth` as [Object]).
  function inspect(value, options = {}) {
    const depth = options.depth === undefined ? 2 : options.depth === null ? Infinity : options.depth;
    const seen = [];
    const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k));
    function quote(s) {
      const q = !s.includes("'") ? "'" : !s.includes('"') ? '"' : !s.includes('`') ? '`' : "'";
      return q + s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(new RegExp(q, 'g'), `\\${q}`) + q;
    }
    function entries(pairs, open, close) {
      return pairs.length ? `${open} ${pairs.join(', ')} ${close}` : `${open}${close}`;
    }
    function show(v, level) {
      if (v === null) return 'null';
      if (v === undefined) return 'undefined';
      if (typeof v === 'string') return quote(v);
      if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
      if (typeof v === 'bigint') return `${v}n`;
      if (typeof v === 'symbol') return v.toString();
      if (typeof v === 'function') {
        const kind = v.constructor && v.constructor.name === 'AsyncFunction' ? 'AsyncFunction' : /^class\b/.test(Function.prototype.toString.call(v)) ? 'class' : 'Function';
        if (kind === 'class') return `[class ${v.name}]`;
        return v.name ? `[${kind}: ${v.name}]` : `[${kind} (anonymous)]`;
      }
      if (typeof v !== 'object') return String(v);
      if (seen.includes(v)) return '[Circular *1]';
      if (v instanceof Buffer) return v.inspect();
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
      if (v instanceof RegExp) return String(v);
      if (v instanceof Error) return v.stack ? `${v.name}: ${v.message}\n${v.stack.trimEnd()}` : `[${v.name}: ${v.message}]`;
      if (typeof v.inspect === 'function' && !(v instanceof Map) && !(v instanceof Set)) return v.inspect();
      if (level > depth) {
        if (Array.isArray(v)) return '[Array]';
        const name = v.constructor && v.constructor !== Object ? v.constructor.name : 'Object';
        return `[${name}]`;
      }
      seen.push(v);
      try {
        if (Array.isArray(v)) {
          const items = v.slice(0, 100).map((x) => show(x, level + 1));
          if (v.length > 100) items.push(`... ${v.length - 100} more items`);
          return entries(items, '[', ']');
        }
        if (v instanceof Map) {
          return `Map(${v.size}) ${entries([...v].map(([k, x]) => `${show(k, level + 1)} => ${show(x, level + 1)}`), '{', '}')}`;
        }
        if (v instanceof Set) return `Set(${v.size}) ${entries([...v].map((x) => show(x, level + 1)), '{', '}')}`;
        const pairs = Object.keys(v).map((k) => `${key(k)}: ${show(v[k], level + 1)}`);
        const proto = Object.getPrototypeOf(v);
        const prefix = proto === null ? '[Object: null prototype] ' : proto.constructor && proto.constructor !== Object && proto.constructor.name ? `${proto.constructor.name} ` : '';
        return prefix + entries(pairs, '{', '}');
      } finally {
        seen.pop();
      }
    }
    return show(value, 0);
  }
  // util.format: %s %d %i %f %j %o %O %c %%, the rest joined by spaces.
  function format(...args) {
    const first = args[0];
    if (args.length === 1 && typeof first === 'string') return first;  // no specifier is read
    let i = 1;
    let text = '';
    if (typeof first === 'string') {
      text = first.replace(/%([sdifjoOc%])/g, (m, c) => {
        if (c === '%') return '%';
        if (i >= args.length) return m;
        const a = args[i++];
        switch (c) {
          case 's': return typeof a === 'string' ? a : typeof a === 'bigint' ? `${a}n` : typeof a === 'object' && a !== null ? inspect(a, { depth: 1 }) : String(a);
          case 'd': return typeof a === 'bigint' ? `${a}n` : typeof a === 'object' && a !== null ? 'NaN' : String(Number(a));
          case 'i': return typeof a === 'bigint' ? `${a}n` : String(parseInt(a, 10));
          case 'f': return String(parseFloat(a));
          case 'j': try { return JSON.stringify(a); } catch (e) { return '[Circular]'; }
          case 'c': return '';
          default: return inspect(a, { depth: c === 'o' ? 4 : 2 });
        }
      });
    } else {
      i = 0;
    }
    const rest = args.slice(i).map((a) => (typeof a === 'string' ? a : inspect(a)));
    return [...(typeof first === 'string' ? [text] : []), ...rest].join(' ');
  }
  function isDeepEqual(a, b, strict, memo = []) {
    if (strict ? Object.is(a, b) : a == b || (Number.isNaN(a) && Number.isNaN(b))) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    if (Object.prototype.toString.call(a) !== Object.prototype.toString.call(b)) return false;
    if (a instanceof Date) return a.getTime() === b.getTime();
    if (a instanceof RegExp) return String(a) === String(b) && a.lastIndex === b.lastIndex;
    if (a instanceof Error && (a.message !== b.message || a.name !== b.name)) return false;
    if (memo.some(([x, y]) => x === a && y === b)) return true;
    memo.push([a, b]);
    if (ArrayBuffer.isView(a)) return a.length === b.length && Array.prototype.every.call(a, (x, i) => Object.is(x, b[i]));
    if (a instanceof Map) {
      if (a.size !== b.size) return false;
      for (const [k, v] of a) if (!b.has(k) || !isDeepEqual(v, b.get(k), strict, memo)) return false;
      return true;
    }
    if (a instanceof Set) {
      if (a.size !== b.size) return false;
      for (const v of a) if (!b.has(v) && ![...b].some((w) => isDeepEqual(v, w, strict, memo))) return false;
      return true;
    }
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && isDeepEqual(a[k], b[k], strict, memo));
  }
  function promisify(fn) {
    if (typeof fn !== 'function') throw invalidArgType('"original" argument', 'of type function', fn);
    return function (...args) {
      return new Promise((resolve, reject) => {
        fn.call(this, ...args, (err, ...values) => (err ? reject(err) : resolve(values.length > 1 ? values : values[0])));
      });
    };
  }
  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(text = '') { return new Uint8Array(utf8Bytes(String(text))); }
  }
  class TextDecoder {
    get encoding() { return 'utf-8'; }
    decode(bytes = new Uint8Array(0)) { return utf8Text(bytesOf(bytes)); }
  }
  const util = Object.freeze({
    format,
    inspect,
    promisify,
    isDeepStrictEqual: (a, b) => isDeepEqual(a, b, true),
    inherits: (ctor, superCtor) => Object.setPrototypeOf(ctor.prototype, superCtor.prototype),
    deprecate: (fn) => fn,
    types: Object.freeze({
      isDate: (v) => v instanceof Date,
      isRegExp: (v) => v instanceof RegExp,
      isPromise: (v) => v instanceof Promise,
      isMap: (v) => v instanceof Map,
      isSet: (v) => v instanceof Set,
    }),
    TextEncoder,
    TextDecoder,
  });

  // ---------------------------------------------------------------- assert
  class AssertionError extends Error {
    constructor({ message, actual, expected, operator, generated }) {
      super(message);
      this.name = 'AssertionError';
      this.code = 'ERR_ASSERTION';
      this.actual = actual;
      this.expected = expected;
      this.operator = operator;
      this.generatedMessage = !!generated;
    }
  }
  function fail(message, actual, expected, operator, generated) {
    if (message instanceof Error) throw message;
    throw new AssertionError({ message, actual, expected, operator, generated });
  }
  function check(pass, message, fallback, actual, expected, operator) {
    if (pass) return;
    if (message === undefined) fail(fallback(), actual, expected, operator, true);
    fail(message, actual, expected, operator, false);
  }
  function matches(error, expected) {
    if (expected === undefined) return true;
    if (expected instanceof RegExp) return expected.test(String(error));
    if (typeof expected === 'function') {
      if (expected.prototype !== undefined && error instanceof expected) return true;
      if (Error.isPrototypeOf(expected) || expected === Error) return false;
      return expected.call({}, error) === true;
    }
    if (typeof expected === 'object' && expected !== null) {
      return Object.keys(expected).every((k) => (expected[k] instanceof RegExp && typeof error[k] === 'string' ? expected[k].test(error[k]) : isDeepEqual(error[k], expected[k], true)));
    }
    return false;
  }
  // What throws/rejects says when the error is not the one expected.
  function mismatch(error, expected, message, operator) {
    let text = message;
    if (!text && typeof expected === 'function' && (expected === Error || Error.isPrototypeOf(expected))) {
      const got = error && error.constructor ? error.constructor.name : typeof error;
      text = `The error is expected to be an instance of "${expected.name}". Received "${got}"\n\nError message:\n\n${error && error.message}`;
    }
    return new AssertionError({ message: text || `The ${operator === 'throws' ? 'error' : 'rejection'} did not match what was expected`, actual: error, expected, operator, generated: !message });
  }
  function ok(value, message) {
    // Node adds the call's source text below the first line; it is not offered here.
    check(value, message, () => (arguments.length === 0 ? 'No value argument passed to `assert.ok()`' : 'The expression evaluated to a falsy value:'), value, true, '==');
  }
  const assert = Object.assign((...args) => ok(...args), {
    AssertionError,
    ok,
    fail(...args) { fail(args.length ? args[0] : 'Failed', undefined, undefined, 'fail', args.length === 0); },
    equal: (a, b, m) => check(a == b || (Number.isNaN(a) && Number.isNaN(b)), m, () => `${inspect(a)} == ${inspect(b)}`, a, b, '=='),
    notEqual: (a, b, m) => check(!(a == b || (Number.isNaN(a) && Number.isNaN(b))), m, () => `${inspect(a)} != ${inspect(b)}`, a, b, '!='),
    strictEqual: (a, b, m) => check(Object.is(a, b), m, () => `Expected values to be strictly equal:\n\n${inspect(a)} !== ${inspect(b)}\n`, a, b, 'strictEqual'),
    notStrictEqual: (a, b, m) => check(!Object.is(a, b), m, () => `Expected "actual" to be strictly unequal to: ${inspect(b)}`, a, b, 'notStrictEqual'),
    deepEqual: (a, b, m) => check(isDeepEqual(a, b, false), m, () => `Expected values to be loosely deep-equal:\n\n${inspect(a)}\n\nshould loosely deep-equal\n\n${inspect(b)}`, a, b, 'deepEqual'),
    notDeepEqual: (a, b, m) => check(!isDeepEqual(a, b, false), m, () => `"actual" deepEqual "expected"`, a, b, 'notDeepEqual'),
    deepStrictEqual: (a, b, m) => check(isDeepEqual(a, b, true), m, () => `Expected values to be strictly deep-equal:\n${inspect(a)}\n\nshould equal\n\n${inspect(b)}`, a, b, 'deepStrictEqual'),
    notDeepStrictEqual: (a, b, m) => check(!isDeepEqual(a, b, true), m, () => `Expected "actual" not to be strictly deep-equal to: ${inspect(b)}`, a, b, 'notDeepStrictEqual'),
    match: (s, re, m) => check(typeof s === 'string' && re.test(s), m, () => `The input did not match the regular expression ${re}. Input:\n\n${inspect(s)}\n`, s, re, 'match'),
    doesNotMatch: (s, re, m) => check(typeof s === 'string' && !re.test(s), m, () => `The input was expected to not match the regular expression ${re}. Input:\n\n${inspect(s)}\n`, s, re, 'doesNotMatch'),
    ifError: (value) => { if (value !== null && value !== undefined) throw value instanceof Error ? value : new AssertionError({ message: `ifError got unwanted exception: ${inspect(value)}`, actual: value, operator: 'ifError' }); },
    throws(fn, expected, message) {
      if (typeof expected === 'string') [message, expected] = [expected, undefined];
      let threw = false, error;
      try { fn(); } catch (e) { threw = true; error = e; }
      if (!threw) fail(message === undefined ? 'Missing expected exception.' : `Missing expected exception: ${message}`, undefined, expected, 'throws', message === undefined);
      if (!matches(error, expected)) throw mismatch(error, expected, message, 'throws');
    },
    doesNotThrow(fn, message) {
      try { fn(); } catch (e) { fail(`Got unwanted exception${typeof message === 'string' ? `: ${message}` : '.'}\nActual message: "${e && e.message}"`, e, undefined, 'doesNotThrow', true); }
    },
    async rejects(promiseOrFn, expected, message) {
      if (typeof expected === 'string') [message, expected] = [expected, undefined];
      let rejected = false, error;
      try { await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn); } catch (e) { rejected = true; error = e; }
      if (!rejected) fail(message === undefined ? 'Missing expected rejection.' : `Missing expected rejection: ${message}`, undefined, expected, 'rejects', message === undefined);
      if (!matches(error, expected)) throw mismatch(error, expected, message, 'rejects');
    },
    async doesNotReject(promiseOrFn, message) {
      try { await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn); } catch (e) { fail(`Got unwanted rejection${typeof message === 'string' ? `: ${message}` : '.'}\nActual message: "${e && e.message}"`, e, undefined, 'doesNotReject', true); }
    },
  });
  assert.strict = Object.assign((...args) => ok(...args), assert, {
    equal: assert.strictEqual, notEqual: assert.notStrictEqual,
    deepEqual: assert.deepStrictEqual, notDeepEqual: assert.notDeepStrictEqual,
  });
  assert.strict.strict = assert.strict;

  // ---------------------------------------------------------------- path (POSIX, as on Linux)
  function normalizeParts(path, absolute) {
    const out = [];
    for (const p of path.split('/')) {
      if (p === '' || p === '.') continue;
      if (p === '..') {
        if (out.length && out[out.length - 1] !== '..') out.pop();
        else if (!absolute) out.push('..');
      } else {
        out.push(p);
      }
    }
    return out;
  }
  function assertPath(p, name = 'path') {
    if (typeof p !== 'string') throw invalidArgType(`"${name}" argument`, 'of type string', p);
  }
  const path = {
    sep: '/',
    delimiter: ':',
    normalize(p) {
      assertPath(p);
      if (p === '') return '.';
      const absolute = p.startsWith('/');
      const joined = normalizeParts(p, absolute).join('/');
      const trailing = p.endsWith('/') ? '/' : '';
      return absolute ? `/${joined}${joined ? trailing : ''}` : `${joined || '.'}${trailing}`;
    },
    join(...parts) {
      parts.forEach((p) => assertPath(p));
      const joined = parts.filter((p) => p !== '').join('/');
      return joined === '' ? '.' : path.normalize(joined);
    },
    resolve(...parts) {
      let resolved = '';
      for (let i = parts.length - 1; i >= -1 && !resolved.startsWith('/'); i--) {
        const p = i >= 0 ? parts[i] : native.cwd();
        assertPath(p);
        if (p !== '') resolved = resolved ? `${p}/${resolved}` : p;
      }
      return `/${normalizeParts(resolved, true).join('/')}`;
    },
    isAbsolute: (p) => (assertPath(p), p.startsWith('/')),
    // Node's own scan: the last slash before the final name (trailing slashes skipped), with
    // its quirks ('//a' → '//', '/a//b' → '/a/').
    dirname(p) {
      assertPath(p);
      if (p === '') return '.';
      const hasRoot = p[0] === '/';
      let end = -1;
      let matchedSlash = true;
      for (let i = p.length - 1; i >= 1; --i) {
        if (p[i] === '/') {
          if (!matchedSlash) {
            end = i;
            break;
          }
        } else {
          matchedSlash = false;
        }
      }
      if (end === -1) return hasRoot ? '/' : '.';
      if (hasRoot && end === 1) return '//';
      return p.slice(0, end);
    },
    basename(p, ext) {
      assertPath(p);
      const trimmed = p.replace(/\/+$/, '');
      let base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
      if (ext !== undefined && base.endsWith(ext)) base = base.slice(0, base.length - ext.length);
      return base;
    },
    extname(p) {
      assertPath(p);
      const base = path.basename(p);
      const i = base.lastIndexOf('.');
      return i <= 0 || (i === 1 && base === '..') ? '' : base.slice(i);
    },
    relative(from, to) {
      const a = path.resolve(from).split('/').filter(Boolean);
      const b = path.resolve(to).split('/').filter(Boolean);
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
    },
    parse(p) {
      assertPath(p);
      const root = p.startsWith('/') ? '/' : '';
      const base = path.basename(p);
      const ext = path.extname(p);
      const dir = p.includes('/') ? path.dirname(p) : '';
      return { root, dir, base, ext, name: ext ? base.slice(0, -ext.length) : base };
    },
    format(o) {
      const dir = o.dir || o.root || '';
      const base = o.base || `${o.name || ''}${o.ext || ''}`;
      return dir ? (dir === o.root ? `${dir}${base}` : `${dir}/${base}`) : base;
    },
  };
  path.posix = path;
  Object.freeze(path);

  return { crypto, util, assert, path, buffer: Object.freeze({ Buffer }), Buffer };
})
