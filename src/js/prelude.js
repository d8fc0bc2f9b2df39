// What a migration file sees: CommonJS, console, process.env, timers, the `mongodb` module's
// BSON types and errors, and the Node.js driver's Db/Collection/cursor API, all over one
// native call that runs a database command (native.command). Runs once per engine, before any
// migration file; `native` is the C++ side (src/js/engine.cc).
(function (native) {
  'use strict';
  // Captured before any migration file runs: a file may replace JSON.stringify or
  // Promise.resolve, or define Object.prototype.toJSON, for its own purposes.
  const jsonStringify = JSON.stringify;
  const jsonParse = JSON.parse;
  const reflectApply = Reflect.apply;
  const promiseResolve = Promise.resolve.bind(Promise);
  // JSON of exactly `value`: the replacer returns the holder's own property, so no toJSON
  // (Object.prototype.toJSON set by a migration) changes a command or the module description.
  function wireJson(value) {
    return reflectApply(jsonStringify, JSON, [value, function (key) { return this[key]; }]);
  }

  // ---------------------------------------------------------------- errors (as the driver's)
  class MongoError extends Error {
    get name() { return 'MongoError'; }
  }
  class MongoServerError extends MongoError {
    constructor(reply) {
      super(reply.errmsg || 'command failed');
      for (const key of Object.keys(reply)) {
        if (key !== 'ok' && key !== 'errmsg') this[key] = reply[key];
      }
      this.errmsg = reply.errmsg;
    }
    get name() { return 'MongoServerError'; }
  }
  class MongoBulkWriteError extends MongoServerError {
    constructor(reply, result) {
      super(reply);
      this.result = result;
    }
    get name() { return 'MongoBulkWriteError'; }
  }
  // A write the server made but could not make durable as asked; as the driver, `code` and
  // `errmsg` are the write concern error's, `result` the whole reply.
  class MongoWriteConcernError extends MongoServerError {
    constructor(reply) {
      super({ ...reply.writeConcernError, errorLabels: reply.errorLabels });
      this.result = reply;
    }
    get name() { return 'MongoWriteConcernError'; }
  }
  class MongoNetworkError extends MongoError {
    get name() { return 'MongoNetworkError'; }
  }
  class MongoInvalidArgumentError extends MongoError {
    get name() { return 'MongoInvalidArgumentError'; }
  }
  class BSONError extends Error {
    get name() { return 'BSONError'; }
  }

  // ---------------------------------------------------------------- BSON types
  const HEX24 = /^[0-9a-fA-F]{24}$/;
  class ObjectId {
    constructor(id) {
      if (id === undefined || id === null) {
        this.hex = native.newObjectId();
      } else if (id instanceof ObjectId) {
        this.hex = id.hex;
      } else if (typeof id === 'string' && HEX24.test(id)) {
        this.hex = id.toLowerCase();
      } else if (typeof id === 'number' && Number.isInteger(id)) {
        this.hex = native.newObjectId(id);
      } else {
        throw new BSONError('input must be a 24 character hex string, 12 byte Uint8Array, or an integer');
      }
    }
    static isValid(id) {
      if (id === null || id === undefined) return false;
      if (id instanceof ObjectId) return true;
      if (typeof id === 'number') return Number.isInteger(id);
      return typeof id === 'string' && HEX24.test(id);
    }
    static createFromHexString(hex) {
      if (typeof hex !== 'string' || !HEX24.test(hex)) {
        throw new BSONError('input must be a 24 character hex string');
      }
      return new ObjectId(hex);
    }
    static createFromTime(seconds) {
      return new ObjectId(seconds.toString(16).padStart(8, '0') + '0000000000000000');
    }
    static generate() { return new ObjectId().hex; }
    get _bsontype() { return 'ObjectId'; }
    get id() { return this.hex; }
    toHexString() { return this.hex; }
    toString() { return this.hex; }
    toJSON() { return this.hex; }
    equals(other) {
      if (other instanceof ObjectId) return other.hex === this.hex;
      if (typeof other === 'string') return other.toLowerCase() === this.hex;
      return false;
    }
    getTimestamp() { return new Date(parseInt(this.hex.slice(0, 8), 16) * 1000); }
    inspect() { return `new ObjectId("${this.hex}")`; }
  }

  class Long {
    constructor(low = 0, high = 0, unsigned = false) {
      if (typeof low === 'bigint') {
        this.big = BigInt.asIntN(64, low);
      } else if (typeof low === 'string') {
        this.big = BigInt.asIntN(64, BigInt(low));
      } else {
        this.big = BigInt.asIntN(64, (BigInt(high | 0) << 32n) | BigInt(low >>> 0));
      }
      this.unsigned = !!unsigned;
    }
    static fromNumber(n) { return new Long(BigInt(Math.trunc(n))); }
    static fromString(s) { return new Long(BigInt(s)); }
    static fromBigInt(b) { return new Long(b); }
    static fromInt(n) { return new Long(BigInt(n | 0)); }
    static isLong(v) { return v instanceof Long; }
    get _bsontype() { return 'Long'; }
    get low() { return Number(BigInt.asIntN(32, this.big)); }
    get high() { return Number(BigInt.asIntN(32, this.big >> 32n)); }
    toNumber() { return Number(this.big); }
    toBigInt() { return this.big; }
    toString(radix) { return this.big.toString(radix); }
    toJSON() { return this.toString(); }
    valueOf() { return this.toNumber(); }
    equals(other) {
      return (other instanceof Long ? other.big : BigInt(other)) === this.big;
    }
    inspect() { return `new Long("${this.big}")`; }
  }
  Long.ZERO = new Long(0n);
  Long.ONE = new Long(1n);

  class Int32 {
    constructor(v) { this.value = Number(v) | 0; }
    get _bsontype() { return 'Int32'; }
    valueOf() { return this.value; }
    toJSON() { return this.value; }
    toString(radix) { return this.value.toString(radix); }
  }
  class Double {
    constructor(v) { this.value = Number(v); }
    get _bsontype() { return 'Double'; }
    valueOf() { return this.value; }
    toJSON() { return this.value; }
    toString(radix) { return this.value.toString(radix); }
  }
  class Decimal128 {
    constructor(s) {
      if (typeof s !== 'string') throw new BSONError('Decimal128 takes a string');
      this.text = s;
    }
    static fromString(s) { return new Decimal128(s); }
    get _bsontype() { return 'Decimal128'; }
    toString() { return this.text; }
    toJSON() { return { $numberDecimal: this.text }; }
  }
  class Timestamp {
    constructor(a, b) {
      if (a !== null && typeof a === 'object' && !(a instanceof Long)) {
        this.t = a.t >>> 0;
        this.i = a.i >>> 0;
      } else if (a instanceof Long) {
        this.t = a.high >>> 0;
        this.i = a.low >>> 0;
      } else {
        this.i = (a ?? 0) >>> 0;  // the driver's (low, high) order
        this.t = (b ?? 0) >>> 0;
      }
    }
    get _bsontype() { return 'Timestamp'; }
    getHighBits() { return this.t; }
    getLowBits() { return this.i; }
    toJSON() { return { $timestamp: { t: this.t, i: this.i } }; }
  }
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function toBase64(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] +
             (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') +
             (i + 2 < bytes.length ? B64[n & 63] : '=');
    }
    return out;
  }
  function fromBase64(text) {
    const clean = text.replace(/=+$/, '');
    const out = new Uint8Array(Math.floor(clean.length * 3 / 4));
    let bits = 0, acc = 0, j = 0;
    for (const ch of clean) {
      acc = (acc << 6) | B64.indexOf(ch);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[j++] = (acc >> bits) & 255;
      }
    }
    return out;
  }
  function hexToBytes(hex) {
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  }
  function bytesToHex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }
  class Binary {
    constructor(buffer, subType = 0) {
      if (typeof buffer === 'string') buffer = Uint8Array.from(buffer, (c) => c.charCodeAt(0));
      this.buffer = buffer ? Uint8Array.from(buffer) : new Uint8Array(0);
      this.sub_type = subType;
    }
    static createFromBase64(text, subType = 0) { return new Binary(fromBase64(text), subType); }
    static createFromHexString(hex, subType = 0) { return new Binary(hexToBytes(hex), subType); }
    get _bsontype() { return 'Binary'; }
    get position() { return this.buffer.length; }
    length() { return this.buffer.length; }
    value() { return String.fromCharCode(...this.buffer); }
    toString(encoding) {
      if (encoding === 'hex') return bytesToHex(this.buffer);
      if (encoding === 'base64') return toBase64(this.buffer);
      return this.value();
    }
    toJSON() { return toBase64(this.buffer); }
  }
  Binary.SUBTYPE_DEFAULT = 0;
  Binary.SUBTYPE_UUID = 4;
  const UUID_TEXT = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
  class UUID extends Binary {
    constructor(input) {
      let bytes;
      if (input === undefined) {
        bytes = hexToBytes(native.randomHex(16));
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
      } else if (typeof input === 'string' && UUID_TEXT.test(input)) {
        bytes = hexToBytes(input.replace(/-/g, ''));
      } else if (input instanceof Binary && input.buffer.length === 16) {
        bytes = input.buffer;
      } else {
        throw new BSONError('UUID must be a 32 hex digit string, with or without dashes');
      }
      super(bytes, 4);
    }
    static isValid(v) { return (typeof v === 'string' && UUID_TEXT.test(v)) || v instanceof UUID; }
    static generate() { return new UUID().buffer; }
    toHexString(dashes = true) {
      const h = bytesToHex(this.buffer);
      return dashes ? `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` : h;
    }
    toString(encoding) { return encoding ? super.toString(encoding) : this.toHexString(); }
    toJSON() { return this.toHexString(); }
    equals(other) { return other instanceof Binary && bytesToHex(other.buffer) === bytesToHex(this.buffer); }
    inspect() { return `new UUID("${this.toHexString()}")`; }
  }
  class MinKey { get _bsontype() { return 'MinKey'; } }
  class MaxKey { get _bsontype() { return 'MaxKey'; } }
  class BSONRegExp {
    constructor(pattern, options = '') {
      this.pattern = pattern;
      this.options = [...options].sort().join('');
    }
    get _bsontype() { return 'BSONRegExp'; }
  }

  // ---------------------------------------------------------------- BSON <-> Extended JSON
  // JavaScript values to canonical Extended JSON objects, as the driver serializes them:
  // integers in int32 range are Int32, other numbers Double, undefined is null.
  function toExtendedJson(value) {
    if (value === null || value === undefined) return null;
    switch (typeof value) {
      case 'boolean':
      case 'string':
        return value;
      case 'number':
        if (Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 &&
            !Object.is(value, -0)) {
          return value;
        }
        return { $numberDouble: Number.isFinite(value) ? (Object.is(value, -0) ? '-0.0' : String(value))
                                                     : String(value).replace('Infinity', 'Infinity') };
      case 'bigint':
        return { $numberLong: BigInt.asIntN(64, value).toString() };
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (value instanceof Date) {
      if (isNaN(value.getTime())) throw new BSONError('Invalid Date cannot be stored');
      return { $date: { $numberLong: String(value.getTime()) } };
    }
    if (value instanceof ObjectId) return { $oid: value.hex };
    if (value instanceof Long) return { $numberLong: value.big.toString() };
    if (value instanceof Int32) return { $numberInt: String(value.value) };
    if (value instanceof Double) {
      const v = value.value;
      return { $numberDouble: Number.isInteger(v) ? v.toFixed(1) : String(v) };
    }
    if (value instanceof Decimal128) return { $numberDecimal: value.text };
    if (value instanceof Timestamp) return { $timestamp: { t: value.t, i: value.i } };
    if (value instanceof Binary) {
      return { $binary: { base64: toBase64(value.buffer), subType: value.sub_type.toString(16).padStart(2, '0') } };
    }
    if (value instanceof Uint8Array) {
      return { $binary: { base64: toBase64(value), subType: '00' } };
    }
    if (value instanceof MinKey) return { $minKey: 1 };
    if (value instanceof MaxKey) return { $maxKey: 1 };
    if (value instanceof BSONRegExp) {
      return { $regularExpression: { pattern: value.pattern, options: value.options } };
    }
    if (value instanceof RegExp) {
      const options = [...value.flags].filter((f) => 'imsu'.includes(f)).sort().join('');
      return { $regularExpression: { pattern: value.source, options } };
    }
    if (Array.isArray(value)) return value.map((v) => { const e = toExtendedJson(v); return e === undefined ? null : e; });
    if (value instanceof Map) {
      const out = {};
      for (const [k, v] of value) out[k] = toExtendedJson(v);
      return out;
    }
    const out = {};
    for (const key of Object.keys(value)) {
      const converted = toExtendedJson(value[key]);
      if (converted !== undefined) out[key] = converted;
    }
    return out;
  }

  // A BSON value of a type JavaScript has no primitive for, as the driver returns it
  // (promoteValues): the reviver below and the native BSON bridge both make them here.
  function makeTyped(kind, a, b) {
    switch (kind) {
      case 'oid': return new ObjectId(a);
      case 'long': {
        const big = BigInt(a);
        return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : new Long(big);
      }
      case 'decimal': return new Decimal128(a);
      case 'timestamp': return new Timestamp({ t: a, i: b });
      case 'binary': {
        const bytes = typeof a === 'string' ? fromBase64(a) : a;
        return b === 4 && bytes.length === 16 ? new UUID(new Binary(bytes, 4)) : new Binary(bytes, b);
      }
      case 'regex':
        try { return new RegExp(a, b.replace(/[^gimsuy]/g, '')); } catch (e) { return new BSONRegExp(a, b); }
      case 'minKey': return new MinKey();
      case 'maxKey': return new MaxKey();
    }
    throw new BSONError('unknown BSON type ' + kind);
  }

  // A canonical Extended JSON object back into what the driver returns (promoteValues):
  // numbers for Int32/Int64/Double (a Long when it does not fit), Date, ObjectId, Binary, RegExp.
  function revive(key, v) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    if (keys.length === 0 || keys[0][0] !== '$') return v;
    const k = keys[0];
    if (keys.length === 1) {
      const a = v[k];
      switch (k) {
        case '$oid': return makeTyped('oid', a);
        case '$numberInt': return Number(a);
        case '$numberDouble': return Number(a);
        case '$numberLong': return makeTyped('long', a);
        case '$numberDecimal': return makeTyped('decimal', a);
        case '$date': return new Date(typeof a === 'number' ? a : typeof a === 'string' ? Date.parse(a) : a.toNumber());
        case '$timestamp': return makeTyped('timestamp', a.t, a.i);
        case '$binary': return makeTyped('binary', a.base64, parseInt(a.subType, 16));
        case '$regularExpression': return makeTyped('regex', a.pattern, a.options);
        case '$minKey': return makeTyped('minKey');
        case '$maxKey': return makeTyped('maxKey');
        case '$undefined': return undefined;
        case '$symbol': return a;
        case '$code': return a;
      }
    }
    return v;
  }
  native.bsonTypes((v) => wireJson({ v: toExtendedJson(v) }), makeTyped, ObjectId.prototype);

  // ---------------------------------------------------------------- commands
  // Runs `command` on database `dbName` (inside `session` when given); throws as the driver.
  const WRITE_COMMANDS = ['insert', 'update', 'delete', 'findAndModify'];
  function runCommand(dbName, command, session) {
    if (session && session.hasEnded) throw new MongoError('Cannot use a session that has ended');
    const reply = native.command(dbName, command, session ? session.id : 0);
    if (reply.ok === 1 && reply.writeConcernError && WRITE_COMMANDS.includes(Object.keys(command)[0])) {
      throw new MongoWriteConcernError(reply);
    }
    if (reply.ok === 1) return reply;
    if (reply.$network) throw new MongoNetworkError(reply.errmsg);
    throw new MongoServerError(reply);
  }

  // The options every CRUD command passes through to the server unchanged.
  const PASSTHROUGH = ['comment', 'maxTimeMS', 'let', 'collation', 'hint', 'writeConcern', 'readConcern', 'bypassDocumentValidation'];
  function withOptions(command, options, names = PASSTHROUGH) {
    if (options) {
      for (const name of names) if (options[name] !== undefined) command[name] = options[name];
    }
    return command;
  }
  function sessionOf(options) { return options ? options.session : undefined; }

  // A write command's writeErrors become the driver's errors: a MongoServerError for a single
  // write, a MongoBulkWriteError (with every write error) for several.
  function checkWriteErrors(reply, bulk, result) {
    if (reply.writeErrors && reply.writeErrors.length) {
      const first = reply.writeErrors[0];
      const error = { ...first, ok: 0, errmsg: first.errmsg };
      if (bulk) {
        const e = new MongoBulkWriteError(error, result);
        e.writeErrors = reply.writeErrors;
        throw e;
      }
      throw new MongoServerError(error);
    }
    if (reply.writeConcernError) throw new MongoServerError({ ...reply.writeConcernError, ok: 0 });
  }

  // ---------------------------------------------------------------- cursors
  class AbstractCursor {
    constructor(db, ns, options) {
      this.db = db;
      this.collName = ns;
      this.options = options || {};
      // The documents of the last batch, read from `pos` on: taking one is O(1) (an array's
      // shift() moves every other element, which made a large backfill quadratic per batch).
      this.buffer = [];
      this.pos = 0;
      this.cursorId = null;  // null: not started; 0: exhausted
      this.transforms = [];
      this.killed = false;
    }
    _fill(batch) {
      this.buffer = this.pos < this.buffer.length ? this.buffer.slice(this.pos).concat(batch) : batch;
      this.pos = 0;
    }
    _buffered() { return this.buffer.length - this.pos; }
    // The next buffered document, its slot released for the garbage collector.
    _take() {
      const doc = this.buffer[this.pos];
      this.buffer[this.pos++] = undefined;
      return doc;
    }
    _more() {
      if (this.cursorId === null) {
        const reply = runCommand(this.db.databaseName, this._firstCommand(), sessionOf(this.options));
        this.cursorId = reply.cursor.id;
        this._fill(reply.cursor.firstBatch);
        return;
      }
      if (this.cursorId === 0 || this.cursorId instanceof Long && this.cursorId.big === 0n) return;
      const getMore = { getMore: this.cursorId instanceof Long ? this.cursorId : Long.fromNumber(this.cursorId), collection: this._collection() };
      // As the Node.js driver: 1000 documents a getMore unless told (a large collection is
      // then read in bounded batches, not in replies of up to 16 MiB).
      getMore.batchSize = this.options.batchSize || 1000;
      const reply = runCommand(this.db.databaseName, getMore, sessionOf(this.options));
      this.cursorId = reply.cursor.id;
      this._fill(reply.cursor.nextBatch);
    }
    _exhausted() { return this.cursorId === 0 || (this.cursorId instanceof Long && this.cursorId.big === 0n); }
    _collection() { return this.collName; }
    _apply(doc) { return this.transforms.length === 0 ? doc : this.transforms.reduce((d, f) => f(d), doc); }
    async hasNext() {
      while (this._buffered() === 0 && !this._exhausted()) this._more();
      return this._buffered() > 0;
    }
    async next() {
      if (!(await this.hasNext())) return null;
      return this._apply(this._take());
    }
    async tryNext() { return this.next(); }
    async toArray() {
      const out = [];
      while (await this.hasNext()) out.push(this._apply(this._take()));
      return out;
    }
    async forEach(fn) {
      while (await this.hasNext()) {
        if ((await fn(this._apply(this._take()))) === false) break;
      }
    }
    map(fn) { this.transforms.push(fn); return this; }
    batchSize(n) { this.options.batchSize = n; return this; }
    async close() {
      if (this.cursorId && !this._exhausted()) {
        runCommand(this.db.databaseName, { killCursors: this._collection(), cursors: [this.cursorId instanceof Long ? this.cursorId : Long.fromNumber(this.cursorId)] }, sessionOf(this.options));
      }
      this.cursorId = 0;
      this.buffer = [];
      this.pos = 0;
    }
    async *[Symbol.asyncIterator]() {
      // No await per document while the batch lasts: only a new batch is fetched.
      while (true) {
        while (this._buffered() === 0) {
          if (this._exhausted()) return;
          this._more();
        }
        yield this._apply(this._take());
      }
    }
  }

  class FindCursor extends AbstractCursor {
    constructor(collection, filter, options) {
      super(collection.db, collection.collectionName, { ...(options || {}) });
      this.filter = filter || {};
    }
    _firstCommand() {
      const o = this.options;
      const cmd = { find: this.collName, filter: this.filter };
      if (o.sort) cmd.sort = normalizeSort(o.sort);
      if (o.projection) cmd.projection = o.projection;
      if (o.skip) cmd.skip = o.skip;
      if (o.limit) {
        cmd.limit = Math.abs(o.limit);
        if (o.limit < 0) cmd.singleBatch = true;
      }
      if (o.batchSize) cmd.batchSize = o.batchSize;
      return withOptions(cmd, o, ['comment', 'maxTimeMS', 'hint', 'collation', 'let', 'min', 'max', 'returnKey', 'showRecordId', 'allowDiskUse', 'readConcern']);
    }
    sort(spec, direction) { this.options.sort = direction === undefined ? spec : { [spec]: direction }; return this; }
    limit(n) { this.options.limit = n; return this; }
    skip(n) { this.options.skip = n; return this; }
    project(p) { this.options.projection = p; return this; }
    filter(f) { this.filter = f; return this; }
    hint(h) { this.options.hint = h; return this; }
    comment(c) { this.options.comment = c; return this; }
    maxTimeMS(ms) { this.options.maxTimeMS = ms; return this; }
    async count() {
      return new Collection(this.db, this.collName).countDocuments(this.filter, { skip: this.options.skip, limit: this.options.limit, session: this.options.session });
    }
  }

  class AggregationCursor extends AbstractCursor {
    constructor(db, collName, pipeline, options) {
      super(db, collName, { ...(options || {}) });
      this.pipeline = pipeline || [];
    }
    // The driver's field order: its options, then `cursor`, then the generic command options.
    _firstCommand() {
      const cmd = withOptions({ aggregate: this.collName === null ? 1 : this.collName, pipeline: this.pipeline },
        this.options, ['bypassDocumentValidation', 'allowDiskUse', 'hint', 'let', 'comment']);
      cmd.cursor = {};
      if (this.options.batchSize) cmd.cursor.batchSize = this.options.batchSize;
      return withOptions(cmd, this.options, ['readConcern', 'writeConcern', 'collation', 'maxTimeMS']);
    }
    _collection() { return this.collName; }
  }

  class CommandCursor extends AbstractCursor {
    constructor(db, collName, command, options) {
      super(db, collName, { ...(options || {}) });
      this.command = command;
    }
    _firstCommand() { return this.command; }
    _collection() { return this.collName; }
  }

  function normalizeSort(sort) {
    if (typeof sort === 'string') return { [sort]: 1 };
    if (Array.isArray(sort)) {
      if (sort.length === 2 && typeof sort[0] === 'string' && !Array.isArray(sort[1])) return { [sort[0]]: sort[1] };
      const out = {};
      for (const item of sort) {
        if (Array.isArray(item)) out[item[0]] = item[1];
        else out[item] = 1;
      }
      return out;
    }
    return sort;
  }

  // ---------------------------------------------------------------- Collection
  function indexName(key) {
    return Object.keys(key).map((k) => `${k}_${key[k]}`).join('_');
  }
  function indexKey(spec) {
    if (typeof spec === 'string') return { [spec]: 1 };
    if (Array.isArray(spec)) {
      const out = {};
      for (const item of spec) {
        if (Array.isArray(item)) out[item[0]] = item[1];
        else if (typeof item === 'string') out[item] = 1;
        else Object.assign(out, item);
      }
      return out;
    }
    return spec;
  }
  function isOperatorUpdate(update) {
    if (Array.isArray(update)) return true;
    const keys = Object.keys(update || {});
    return keys.length > 0 && keys[0][0] === '$';
  }
  function updateResult(reply) {
    const upserted = reply.upserted || [];
    return {
      acknowledged: true,
      matchedCount: reply.n - upserted.length,
      modifiedCount: reply.nModified,
      upsertedCount: upserted.length,
      upsertedId: upserted.length ? upserted[0]._id : null,
    };
  }
  // As the driver builds it, field for field (tests/cli/wire_compat_test.cc compares).
  function updateStatement(filter, update, options, multi) {
    const stmt = { q: filter || {}, u: update };
    if (options && typeof options.upsert === 'boolean') stmt.upsert = options.upsert;
    if (multi) stmt.multi = true;
    if (options) {
      for (const name of ['hint', 'arrayFilters', 'collation']) if (options[name] !== undefined) stmt[name] = options[name];
    }
    return stmt;
  }

  // An index spec as the driver sends it: its options, then `name`, then `key`.
  function indexDescription(userIndex) {
    const { key: spec, ...rest } = userIndex;
    const key = indexKey(spec);
    return { ...rest, name: rest.name || indexName(key), key };
  }

  class Collection {
    constructor(db, name) {
      this.db = db;
      this.collectionName = name;
    }
    get namespace() { return `${this.db.databaseName}.${this.collectionName}`; }
    get dbName() { return this.db.databaseName; }
    _run(command, options) { return runCommand(this.db.databaseName, withOptions(command, options), sessionOf(options)); }

    async insertOne(doc, options) {
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
        throw new MongoInvalidArgumentError('Argument "doc" must be an object');
      }
      if (doc._id === undefined) doc._id = new ObjectId();
      const reply = this._run({ insert: this.collectionName, documents: [doc], ordered: true }, options);
      checkWriteErrors(reply, false);
      return { acknowledged: true, insertedId: doc._id };
    }
    async insertMany(docs, options) {
      if (!Array.isArray(docs)) throw new MongoInvalidArgumentError('Argument "docs" must be an array of documents');
      const insertedIds = {};
      docs.forEach((d, i) => {
        if (d._id === undefined) d._id = new ObjectId();
        insertedIds[i] = d._id;
      });
      const ordered = !options || options.ordered !== false;
      const reply = this._run({ insert: this.collectionName, documents: docs, ordered }, options);
      checkWriteErrors(reply, true, { insertedCount: reply.n, insertedIds });
      return { acknowledged: true, insertedCount: reply.n, insertedIds };
    }
    async _update(filter, update, options, multi, replacing) {
      if (replacing) {
        if (isOperatorUpdate(update)) throw new MongoInvalidArgumentError('Replacement document must not contain atomic operators');
      } else if (!isOperatorUpdate(update)) {
        throw new MongoInvalidArgumentError('Update document requires atomic operators');
      }
      const reply = this._run({ update: this.collectionName, updates: [updateStatement(filter, update, options, multi)], ordered: true }, options);
      checkWriteErrors(reply, false);
      return updateResult(reply);
    }
    async updateOne(filter, update, options) { return this._update(filter, update, options, false, false); }
    async updateMany(filter, update, options) { return this._update(filter, update, options, true, false); }
    // Not the driver's: the tool's resumable batched update (mongo-migrate's README).
    async batchedUpdate(filter, update, options) {
      const step = { batchedUpdate: this.collectionName, filter: filter || {}, update };
      for (const key of ['batchSize', 'maxDocsPerSecond', 'pauseMS', 'allowReapply']) {
        if (options && options[key] !== undefined) step[key] = options[key];
      }
      native.batchedUpdate(this.db.databaseName, step);
    }
    async replaceOne(filter, replacement, options) { return this._update(filter, replacement, options, false, true); }
    async _delete(filter, options, limit) {
      const stmt = { q: filter || {}, limit };
      if (options && options.hint !== undefined) stmt.hint = options.hint;
      if (options && options.collation !== undefined) stmt.collation = options.collation;
      const reply = this._run({ delete: this.collectionName, deletes: [stmt], ordered: true }, options);
      checkWriteErrors(reply, false);
      return { acknowledged: true, deletedCount: reply.n };
    }
    async deleteOne(filter, options) { return this._delete(filter, options, 1); }
    async deleteMany(filter, options) { return this._delete(filter, options, 0); }

    find(filter, options) { return new FindCursor(this, filter, options); }
    async findOne(filter, options) {
      const docs = await new FindCursor(this, filter, { ...(options || {}), limit: -1 }).toArray();
      return docs.length ? docs[0] : null;
    }
    async countDocuments(filter, options) {
      const pipeline = [{ $match: filter || {} }];
      if (options && options.skip) pipeline.push({ $skip: options.skip });
      if (options && options.limit) pipeline.push({ $limit: options.limit });
      pipeline.push({ $group: { _id: 1, n: { $sum: 1 } } });
      const docs = await this.aggregate(pipeline, options).toArray();
      return docs.length ? docs[0].n : 0;
    }
    async estimatedDocumentCount(options) {
      return this._run({ count: this.collectionName }, options).n;
    }
    async distinct(key, filter, options) {
      return this._run({ distinct: this.collectionName, key, query: filter || {} }, options).values;
    }
    aggregate(pipeline, options) { return new AggregationCursor(this.db, this.collectionName, pipeline, options); }

    async bulkWrite(operations, options) {
      const ordered = !options || options.ordered !== false;
      const result = { insertedCount: 0, matchedCount: 0, modifiedCount: 0, deletedCount: 0, upsertedCount: 0, insertedIds: {}, upsertedIds: {} };
      const errors = [];
      // Consecutive operations of one kind go in one command, as the driver batches them.
      let i = 0;
      while (i < operations.length) {
        const kind = Object.keys(operations[i])[0];
        const family = kind === 'insertOne' ? 'insert' : kind.startsWith('delete') ? 'delete' : 'update';
        const batch = [];
        const indexes = [];
        while (i < operations.length) {
          const k = Object.keys(operations[i])[0];
          const f = k === 'insertOne' ? 'insert' : k.startsWith('delete') ? 'delete' : 'update';
          if (f !== family) break;
          const op = operations[i][k];
          if (k === 'insertOne') {
            const doc = op.document;
            if (doc._id === undefined) doc._id = new ObjectId();
            result.insertedIds[i] = doc._id;
            batch.push(doc);
          } else if (k === 'updateOne' || k === 'updateMany') {
            if (!isOperatorUpdate(op.update)) throw new MongoInvalidArgumentError('Update document requires atomic operators');
            batch.push(updateStatement(op.filter, op.update, op, k === 'updateMany'));
          } else if (k === 'replaceOne') {
            if (isOperatorUpdate(op.replacement)) throw new MongoInvalidArgumentError('Replacement document must not contain atomic operators');
            batch.push(updateStatement(op.filter, op.replacement, op, false));
          } else if (k === 'deleteOne' || k === 'deleteMany') {
            batch.push({ q: op.filter || {}, limit: k === 'deleteOne' ? 1 : 0 });
          } else {
            throw new MongoInvalidArgumentError(`Invalid BulkWriteError operation: ${k}`);
          }
          indexes.push(i);
          i++;
        }
        const command = family === 'insert' ? { insert: this.collectionName, documents: batch, ordered }
                      : family === 'delete' ? { delete: this.collectionName, deletes: batch, ordered }
                                            : { update: this.collectionName, updates: batch, ordered };
        const reply = this._run(command, options);
        if (family === 'insert') result.insertedCount += reply.n;
        if (family === 'delete') result.deletedCount += reply.n;
        if (family === 'update') {
          const upserted = reply.upserted || [];
          result.matchedCount += reply.n - upserted.length;
          result.modifiedCount += reply.nModified;
          result.upsertedCount += upserted.length;
          for (const u of upserted) result.upsertedIds[indexes[u.index]] = u._id;
        }
        for (const e of reply.writeErrors || []) errors.push({ ...e, index: indexes[e.index] });
        if (errors.length && ordered) break;
      }
      if (errors.length) {
        const e = new MongoBulkWriteError({ ...errors[0], ok: 0 }, result);
        e.writeErrors = errors;
        Object.assign(e, { insertedCount: result.insertedCount, matchedCount: result.matchedCount, modifiedCount: result.modifiedCount, deletedCount: result.deletedCount, upsertedCount: result.upsertedCount });
        throw e;
      }
      return { ok: 1, ...result };
    }

    async createIndex(spec, options) {
      const opts = { ...(options || {}) };
      delete opts.session;
      for (const name of ['comment', 'maxTimeMS', 'writeConcern', 'commitQuorum']) delete opts[name];
      const index = indexDescription({ ...opts, key: spec });
      this._runCreateIndexes([index], options);
      return index.name;
    }
    async createIndexes(specs, options) {
      const indexes = specs.map(indexDescription);
      this._runCreateIndexes(indexes, options);
      return indexes.map((i) => i.name);
    }
    // As the driver: index options (collation, unique, …) live in each index spec; only these
    // go on the command itself (a top-level collation is MongoDB's 40415).
    _runCreateIndexes(indexes, options) {
      const command = withOptions({ createIndexes: this.collectionName, indexes }, options,
        ['comment', 'maxTimeMS', 'writeConcern', 'commitQuorum']);
      return runCommand(this.db.databaseName, command, sessionOf(options));
    }
    async dropIndex(nameOrKey, options) {
      return this._run({ dropIndexes: this.collectionName, index: typeof nameOrKey === 'string' ? nameOrKey : indexKey(nameOrKey) }, options);
    }
    async dropIndexes(options) {
      this._run({ dropIndexes: this.collectionName, index: '*' }, options);
      return true;
    }
    listIndexes(options) {
      return new CommandCursor(this.db, this.collectionName, withOptions({ listIndexes: this.collectionName, cursor: {} }, options, ['comment']), options);
    }
    async indexes(options) { return this.listIndexes(options).toArray(); }
    async indexExists(names, options) {
      const wanted = Array.isArray(names) ? names : [names];
      const have = (await this.indexes(options)).map((i) => i.name);
      return wanted.every((n) => have.includes(n));
    }
    async indexInformation(options) {
      const out = {};
      for (const i of await this.indexes(options)) out[i.name] = Object.entries(i.key);
      return out;
    }
    async drop(options) {
      this._run({ drop: this.collectionName }, options);
      return true;
    }
    async rename(newName, options) {
      runCommand('admin', withOptions({ renameCollection: this.namespace, to: `${this.db.databaseName}.${newName}`, dropTarget: !!(options && options.dropTarget) }, options), sessionOf(options));
      return new Collection(this.db, newName);
    }
    // The driver's field order: query, remove, new, upsert, sort, fields, then the update.
    async _findAndModify(filter, extra, options) {
      const o = options || {};
      const cmd = { findAndModify: this.collectionName, query: filter || {}, remove: false, new: false, upsert: false };
      if (o.sort) cmd.sort = normalizeSort(o.sort);
      if (o.projection) cmd.fields = o.projection;
      if (extra.remove) {
        cmd.remove = true;
      } else {
        cmd.update = extra.update;
        cmd.new = o.returnDocument === 'after' || o.returnOriginal === false;
        cmd.upsert = o.upsert === true;
        if (o.arrayFilters) cmd.arrayFilters = o.arrayFilters;
      }
      const reply = this._run(cmd, o);
      return o.includeResultMetadata ? { value: reply.value, lastErrorObject: reply.lastErrorObject, ok: reply.ok } : reply.value;
    }
    async findOneAndUpdate(filter, update, options) {
      if (!isOperatorUpdate(update)) throw new MongoInvalidArgumentError('Update document requires atomic operators');
      return this._findAndModify(filter, { update }, options);
    }
    async findOneAndReplace(filter, replacement, options) {
      if (isOperatorUpdate(replacement)) throw new MongoInvalidArgumentError('Replacement document must not contain atomic operators');
      return this._findAndModify(filter, { update: replacement }, options);
    }
    async findOneAndDelete(filter, options) { return this._findAndModify(filter, { remove: true }, options); }
  }

  // ---------------------------------------------------------------- Db, client, sessions
  class Db {
    constructor(name, client) {
      this.name = name;
      this.client = client;
    }
    get databaseName() { return this.name; }
    collection(name) { return new Collection(this, name); }
    async createCollection(name, options) {
      const cmd = { create: name };
      for (const [k, v] of Object.entries(options || {})) if (k !== 'session') cmd[k] = v;
      runCommand(this.name, cmd, sessionOf(options));
      return new Collection(this, name);
    }
    async dropCollection(name, options) {
      runCommand(this.name, withOptions({ drop: name }, options, ['comment', 'writeConcern']), sessionOf(options));
      return true;
    }
    listCollections(filter, options) {
      const cmd = { listCollections: 1, filter: filter || {}, cursor: {},
        nameOnly: !!(options && options.nameOnly), authorizedCollections: !!(options && options.authorizedCollections) };
      return new CommandCursor(this, '$cmd.listCollections', cmd, options);
    }
    async collections(options) {
      const infos = await this.listCollections({}, { ...(options || {}), nameOnly: true }).toArray();
      return infos.filter((i) => !i.name.startsWith('system.')).map((i) => new Collection(this, i.name));
    }
    async renameCollection(from, to, options) {
      return new Collection(this, from).rename(to, options);
    }
    async command(command, options) { return runCommand(this.name, command, sessionOf(options)); }
    aggregate(pipeline, options) { return new AggregationCursor(this, null, pipeline, options); }
    admin() {
      const admin = new Db('admin', this.client);
      admin.command = async (cmd, options) => runCommand('admin', cmd, sessionOf(options));
      admin.ping = async () => runCommand('admin', { ping: 1 });
      admin.listDatabases = async () => runCommand('admin', { listDatabases: 1 });
      return admin;
    }
    async stats() { throw new MongoServerError({ ok: 0, code: 59, codeName: 'CommandNotFound', errmsg: "no such command: 'dbStats'" }); }
  }

  class ClientSession {
    constructor(client, options) {
      this.client = client;
      this.id = native.startSession();
      this.hasEnded = false;
      this.options = options || {};
      this.inTransactionFlag = false;
    }
    inTransaction() { return this.inTransactionFlag; }
    startTransaction(options) {
      if (this.inTransactionFlag) throw new MongoError('Transaction already in progress');
      native.transaction(this.id, 'start');
      this.inTransactionFlag = true;
    }
    async commitTransaction() {
      this.inTransactionFlag = false;
      const reply = reflectApply(jsonParse, JSON, [native.transaction(this.id, 'commit'), revive]);
      if (reply.ok !== 1) throw reply.$network ? new MongoNetworkError(reply.errmsg) : new MongoServerError(reply);
    }
    async abortTransaction() {
      this.inTransactionFlag = false;
      const reply = reflectApply(jsonParse, JSON, [native.transaction(this.id, 'abort'), revive]);
      if (reply.ok !== 1) throw reply.$network ? new MongoNetworkError(reply.errmsg) : new MongoServerError(reply);
    }
    // The driver's convenient API: runs `fn(session)` in a transaction, commits, and retries
    // the whole transaction on a TransientTransactionError.
    async withTransaction(fn, options) {
      for (let attempt = 0; ; attempt++) {
        this.startTransaction(options);
        let result;
        try {
          result = await fn(this);
        } catch (error) {
          if (this.inTransactionFlag) await this.abortTransaction().catch(() => {});
          const transient = error && error.errorLabels && error.errorLabels.includes('TransientTransactionError');
          if (transient && attempt < 3) continue;
          throw error;
        }
        try {
          await this.commitTransaction();
        } catch (error) {
          const transient = error && error.errorLabels && error.errorLabels.includes('TransientTransactionError');
          if (transient && attempt < 3) continue;
          throw error;
        }
        return result;
      }
    }
    async endSession() {
      if (this.hasEnded) return;
      if (this.inTransactionFlag) await this.abortTransaction().catch(() => {});
      native.endSession(this.id);
      this.hasEnded = true;
    }
  }

  class MongoClient {
    constructor(defaultDb) { this.defaultDb = defaultDb; }
    db(name) { return new Db(name || this.defaultDb, this); }
    startSession(options) { return new ClientSession(this, options); }
    async withSession(optionsOrFn, maybeFn) {
      const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
      const session = this.startSession();
      try {
        return await fn(session);
      } finally {
        await session.endSession();
      }
    }
    async connect() { return this; }
    async close() {}
  }

  const mongodb = Object.freeze({
    ObjectId, Long, Int32, Double, Decimal128, Timestamp, Binary, UUID, MinKey, MaxKey, BSONRegExp,
    MongoError, MongoServerError, MongoBulkWriteError, MongoWriteConcernError, MongoNetworkError,
    MongoInvalidArgumentError, BSONError,
    Db, Collection, MongoClient, ClientSession,
    ObjectID: ObjectId,
  });

  // ---------------------------------------------------------------- console, process, timers
  function inspect(value, depth = 0) {
    if (value === null) return 'null';
    if (value === undefined) return 'undefined';
    if (typeof value === 'string') return depth === 0 ? value : `'${value}'`;
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value !== 'object') return String(value);
    if (value instanceof Error) return value.stack ? `${value.name}: ${value.message}\n${value.stack}` : `${value.name}: ${value.message}`;
    if (typeof value.inspect === 'function') return value.inspect();
    if (value instanceof Date) return value.toISOString();
    if (value instanceof RegExp) return String(value);
    if (value instanceof Decimal128) return `new Decimal128("${value.text}")`;
    if (depth > 4) return Array.isArray(value) ? '[Array]' : '[Object]';
    if (Array.isArray(value)) return `[ ${value.map((v) => inspect(v, depth + 1)).join(', ')} ]`;
    const entries = Object.keys(value).map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${inspect(value[k], depth + 1)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  function format(args) {
    // As Node's console: a lone string is printed as it is ('100%%' stays '100%%').
    if (args.length > 1 && typeof args[0] === 'string' && /%[sdifjoO%]/.test(args[0])) {
      let i = 1;
      const text = args[0].replace(/%([sdifjoO%])/g, (m, c) => {
        if (c === '%') return '%';
        if (i >= args.length) return m;
        const a = args[i++];
        if (c === 'd' || c === 'i') return String(parseInt(a, 10));
        if (c === 'f') return String(parseFloat(a));
        if (c === 'j') return JSON.stringify(a);
        if (c === 's') return typeof a === 'string' ? a : inspect(a, 1);
        return inspect(a, 1);
      });
      return [text, ...args.slice(i).map((a) => inspect(a))].join(' ');
    }
    return args.map((a) => inspect(a)).join(' ');
  }
  const console = {
    log: (...args) => native.print('log', format(args)),
    info: (...args) => native.print('info', format(args)),
    debug: (...args) => native.print('debug', format(args)),
    warn: (...args) => native.print('warn', format(args)),
    error: (...args) => native.print('error', format(args)),
    trace: (...args) => native.print('error', format(args)),
    table: (data) => native.print('log', inspect(data)),
    dir: (v) => native.print('log', inspect(v)),
  };

  const timers = [];
  let nextTimerId = 1;
  function setTimeout(fn, ms = 0, ...args) {
    const id = nextTimerId++;
    timers.push({ id, at: native.now() + Math.max(0, Number(ms) || 0), fn, args });
    return id;
  }
  function clearTimeout(id) {
    const i = timers.findIndex((t) => t.id === id);
    if (i >= 0) timers.splice(i, 1);
  }
  function setImmediate(fn, ...args) { return setTimeout(fn, 0, ...args); }
  // Re-arms itself (same id) before each call, so clearInterval inside `fn` stops it.
  function setInterval(fn, ms = 0, ...args) {
    const id = nextTimerId++;
    const period = Math.max(1, Number(ms) || 0);
    const tick = () => {
      timers.push({ id, at: native.now() + period, fn: tick, args: [] });
      fn(...args);
    };
    timers.push({ id, at: native.now() + period, fn: tick, args: [] });
    return id;
  }
  // Called by the engine when no promise job is left: runs the earliest timer (sleeping until
  // it is due) and says whether there was one.
  function runNextTimer() {
    if (timers.length === 0) return false;
    let earliest = 0;
    for (let i = 1; i < timers.length; i++) if (timers[i].at < timers[earliest].at) earliest = i;
    const [timer] = timers.splice(earliest, 1);
    const wait = timer.at - native.now();
    if (wait > 0) native.sleep(wait);
    timer.fn(...timer.args);
    return true;
  }

  const process = Object.freeze({
    env: native.environment(),
    platform: 'linux',
    version: 'v20.0.0',
    versions: Object.freeze({ node: '20.0.0' }),
    argv: [],
    cwd: () => native.cwd(),
    exit: (code) => { throw new Error(`process.exit(${code}) is not available in a migration; throw an error to fail it`); },
    nextTick: (fn, ...args) => { Promise.resolve().then(() => fn(...args)); },
  });

  // ---------------------------------------------------------------- CommonJS
  const moduleCache = new Map();
  function dirnameOf(path) { const i = path.lastIndexOf('/'); return i <= 0 ? '/' : path.slice(0, i); }
  function resolvePath(from, request) {
    const parts = (request.startsWith('/') ? request : `${dirnameOf(from)}/${request}`).split('/');
    const out = [];
    for (const p of parts) {
      if (p === '' || p === '.') continue;
      if (p === '..') out.pop();
      else out.push(p);
    }
    return `/${out.join('/')}`;
  }
  // A .js file is CommonJS, as in Node without "type": "module", unless it uses import or
  // export at its top level (what migrate-mongo's ESM template writes): then it is an ES module.
  const esmSyntax = /(import|export) declarations may only appear at top level of a module/;
  function loadModule(filename, source) {
    if (filename.endsWith('.mjs')) return loadEsModule(filename, source);
    if (filename.endsWith('.js')) {
      try {
        return loadCommonJs(filename, source);
      } catch (e) {
        if (e instanceof SyntaxError && esmSyntax.test(e.message)) {
          moduleCache.delete(filename);
          return loadEsModule(filename, source);
        }
        throw e;
      }
    }
    return loadCommonJs(filename, source);
  }
  // An ES module's namespace as the exports object: `export async function up` gives `up`,
  // `export default {…}` gives `default` (describe() looks inside it).
  function loadEsModule(filename, source) {
    const ns = native.evaluateModule(compiledModule(filename, source));
    const module = { exports: ns, filename, id: filename, loaded: true };
    moduleCache.set(filename, module);
    return ns;
  }
  const moduleRecords = new Map();  // file or built-in name → its module record
  function compiledModule(key, source) {
    let record = moduleRecords.get(key);
    if (!record) {
      record = native.compileModule(source, key);
      moduleRecords.set(key, record);
    }
    return record;
  }
  // What `import x from 'mongodb'` or `import { createHash } from 'node:crypto'` gets: a module
  // whose default export is the object require() returns, and whose named exports are its keys.
  const builtinForImport = new Map();
  function builtinModule(name, exports) {
    const key = `builtin:${name}`;
    if (!moduleRecords.has(key)) {
      builtinForImport.set(key, exports);
      const names = Object.keys(exports).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
      const text = `const m = globalThis[Symbol.for('mongo-migrate.import')](${JSON.stringify(key)});\n` +
        'export default m;\n' + names.map((k) => `export const ${k} = m.${k};`).join('\n');
      compiledModule(key, text);
    }
    return moduleRecords.get(key);
  }
  Object.defineProperty(globalThis, Symbol.for('mongo-migrate.import'),
    { value: (key) => builtinForImport.get(key), enumerable: false });
  function resolveImport(request, from) {
    if (request.startsWith('./') || request.startsWith('../') || request.startsWith('/')) {
      const path = resolvePath(from, request);
      if (moduleRecords.has(path)) return moduleRecords.get(path);
      const source = native.readFile(path);
      if (source === null) throw new Error(`Cannot find module '${request}' imported from ${from} (looked for ${path}; an import names the file with its extension)`);
      if (path.endsWith('.json')) return jsonModule(path, source);
      if (path.endsWith('.cjs')) return builtinModule(path, makeRequire(from)(request));
      return compiledModule(path, source);
    }
    return builtinModule(request, makeRequire(from)(request));
  }
  function jsonModule(path, source) {
    const key = `json:${path}`;
    if (!moduleRecords.has(key)) {
      builtinForImport.set(key, JSON.parse(source));
      compiledModule(key, `export default globalThis[Symbol.for('mongo-migrate.import')](${JSON.stringify(key)});`);
    }
    return moduleRecords.get(key);
  }
  function loadCommonJs(filename, source) {
    const module = { exports: {}, filename, id: filename, loaded: false };
    moduleCache.set(filename, module);
    const wrapper = native.evaluate(
      `(function (exports, require, module, __filename, __dirname) {${source}\n})`, filename);
    wrapper.call(module.exports, module.exports, makeRequire(filename), module, filename, dirnameOf(filename));
    module.loaded = true;
    return module.exports;
  }
  // Node's crypto, util, assert, path and buffer (node_builtins.js), made on first use.
  let nodeModules = null;
  function nodeModule(name) {
    if (!nodeModules) nodeModules = native.nodeBuiltins(native);
    return nodeModules[name];
  }
  const nodeModuleNames = new Map([['crypto', 'crypto'], ['util', 'util'], ['assert', 'assert'],
    ['assert/strict', 'assert.strict'], ['path', 'path'], ['path/posix', 'path'], ['buffer', 'buffer']]);
  function makeRequire(from) {
    const require = (request) => {
      if (request === 'mongodb' || request === 'bson') return mongodb;
      const builtin = nodeModuleNames.get(request.startsWith('node:') ? request.slice(5) : request);
      if (builtin === 'assert.strict') return nodeModule('assert').strict;
      if (builtin) return nodeModule(builtin);
      if (request.startsWith('./') || request.startsWith('../') || request.startsWith('/')) {
        let path = resolvePath(from, request);
        let source = native.readFile(path);
        if (source === null && !path.endsWith('.js')) {
          source = native.readFile(`${path}.js`);
          if (source !== null) path = `${path}.js`;
        }
        if (source === null && !path.endsWith('.json')) {
          const json = native.readFile(`${path}.json`);
          if (json !== null) return JSON.parse(json);
        }
        if (source === null) throw new Error(`Cannot find module '${request}' (required from ${from}, looked for ${path})`);
        if (path.endsWith('.json')) return JSON.parse(source);
        if (moduleCache.has(path)) return moduleCache.get(path).exports;
        return loadModule(path, source);
      }
      throw new Error(`Cannot find module '${request}' (required from ${from}): mongo-migrate runs migrations without Node.js, and offers 'mongodb' (its BSON types), Node's crypto, util, assert, path and buffer, and relative files. For other needs write a JSON or C++ migration.`);
    };
    require.resolve = (request) => resolvePath(from, request);
    return require;
  }

  // ---------------------------------------------------------------- the engine's entry points
  const migrations = [];
  function describe(exports) {
    const m = exports && exports.default && !exports.up ? exports.default : exports;
    return {
      version: m && m.version !== undefined ? m.version : null,
      description: m && typeof m.description === 'string' ? m.description : null,
      up: !!m && typeof m.up === 'function',
      down: !!m && typeof m.down === 'function',
      transaction: m && m.transaction !== undefined ? m.transaction : null,
      // The collections it changes (for `up --backup`), when it says so.
      collections: m && m.collections !== undefined ? m.collections : null,
      module: m,
    };
  }
  const entry = {
    // Loads a migration file; returns its index and what it declares, as JSON.
    load(filename, source) {
      const info = describe(loadModule(filename, source));
      migrations.push(info.module);
      const { module: _, ...rest } = info;
      return wireJson({ index: migrations.length - 1, ...rest,
        versionType: typeof rest.version });
    },
    // Starts `direction` of migration `index`; returns its promise.
    run(index, direction, dbName) {
      const client = new MongoClient(dbName);
      const m = migrations[index];
      return promiseResolve(reflectApply(m[direction], m, [client.db(dbName), client]));
    },
    // What a module that is not a migration exports (migrate-mongo-config.js), as JSON; its
    // default export if it has one, as migrate-mongo reads it.
    exportsOf(filename, source) {
      const exports = loadModule(filename, source);
      return wireJson(exports && exports.default ? exports.default : exports);
    },
    // SpiderMonkey asks this for each `import` (es_modules.cc).
    resolveModule: resolveImport,
    runNextTimer,
    pendingTimers: () => timers.length,
    formatError(e) {
      if (e instanceof Error) {
        const where = e.fileName ? ` (${e.fileName}:${e.lineNumber}:${e.columnNumber})` : '';
        const stack = (e.stack || '').split('\n').filter((l) => l && !l.includes('prelude.js')).map((l) => `    at ${l}`).join('\n');
        const code = e.code !== undefined ? ` [${e.codeName ? `${e.codeName}, ` : ''}code ${e.code}]` : '';
        return `${e.name}: ${e.message}${code}${e instanceof SyntaxError ? where : ''}${stack ? `\n${stack}` : ''}`;
      }
      return `uncaught ${typeof e}: ${inspect(e)}`;
    },
  };

  Object.defineProperty(globalThis, 'Buffer', { get: () => nodeModule('Buffer'), configurable: true });
  Object.assign(globalThis, { console, process, setTimeout, clearTimeout, setImmediate, clearImmediate: clearTimeout, setInterval, clearInterval: clearTimeout, queueMicrotask: (fn) => { Promise.resolve().then(fn); } });
  return entry;
})
