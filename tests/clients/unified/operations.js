// Each unified-format operation as the Node.js driver call an application would make. A
// `session` argument becomes the driver's `session` option; the test runner's own operations
// (fail points, assertions about sessions and collections) are here too.
'use strict';
const { match, isNumberLike, toNumber, show } = require('./match');

const lower = (s) => (typeof s === 'string' ? s.toLowerCase() : s);

// The driver's options from the operation's arguments, without `omit`.
function options(args, omit, entities) {
  const out = {};
  for (const [k, v] of Object.entries(args || {})) {
    if (omit.includes(k)) continue;
    if (k === 'session') out.session = entities.get(v);
    else if (k === 'returnDocument') out.returnDocument = lower(v);
    else out[k] = isNumberLike(v) && k !== 'let' ? toNumber(v) : v;  // the driver wants numbers
  }
  return out;
}

// Node.js driver transaction states, as the format names them.
const TRANSACTION_STATES = {
  NO_TRANSACTION: 'none', STARTING_TRANSACTION: 'starting', TRANSACTION_IN_PROGRESS: 'in_progress',
  TRANSACTION_COMMITTED: 'committed', TRANSACTION_COMMITTED_EMPTY: 'committed',
  TRANSACTION_ABORTED: 'aborted',
};

async function collectionNames(db) {
  return (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
}

function lastTwoLsids(entities, clientId) {
  const started = entities.started(clientId);
  if (started.length < 2) throw new Error(`client ${clientId} sent fewer than two commands`);
  return started.slice(-2).map((e) => show(e.event.command.lsid));
}

// runCursorCommand / createCommandCursor: the command's own fields go in the command; the
// format's batchSize, maxTimeMS and comment are the getMore's, set on the cursor as the
// Node.js driver's RunCommandCursor takes them.
function commandCursor(db, a, opts) {
  const cursor = db.runCursorCommand(a.command, opts(['command', 'commandName', 'batchSize', 'maxTimeMS', 'comment', 'cursorType']));
  if (a.batchSize !== undefined) cursor.setBatchSize(toNumber(a.batchSize));
  if (a.maxTimeMS !== undefined) cursor.setMaxTimeMS(toNumber(a.maxTimeMS));
  if (a.comment !== undefined) cursor.setComment(a.comment);
  return cursor;
}

async function runOperation(op, entities, context) {
  const a = op.arguments || {};
  const opts = (omit) => options(a, omit, entities);
  if (op.object === 'testRunner') return runTestRunnerOperation(op, a, entities, context);
  const target = entities.get(op.object);
  switch (op.name) {
    // collection
    case 'insertOne': return target.insertOne(a.document, opts(['document']));
    case 'insertMany': return target.insertMany(a.documents, opts(['documents']));
    case 'updateOne': return target.updateOne(a.filter, a.update, opts(['filter', 'update']));
    case 'updateMany': return target.updateMany(a.filter, a.update, opts(['filter', 'update']));
    case 'replaceOne': return target.replaceOne(a.filter, a.replacement, opts(['filter', 'replacement']));
    case 'deleteOne': return target.deleteOne(a.filter, opts(['filter']));
    case 'deleteMany': return target.deleteMany(a.filter, opts(['filter']));
    case 'find': return target.find(a.filter, opts(['filter'])).toArray();
    case 'findOne': return target.findOne(a.filter, opts(['filter']));
    case 'createFindCursor': {
      const cursor = target.find(a.filter, opts(['filter']));
      await cursor.hasNext();  // the find is sent now, as the format says; no document consumed
      return cursor;
    }
    case 'countDocuments': return target.countDocuments(a.filter, opts(['filter']));
    case 'estimatedDocumentCount': return target.estimatedDocumentCount(opts([]));
    case 'count': return target.count(a.filter, opts(['filter']));
    case 'distinct': return target.distinct(a.fieldName, a.filter, opts(['fieldName', 'filter']));
    case 'aggregate': return target.aggregate(a.pipeline, opts(['pipeline'])).toArray();
    case 'findOneAndUpdate': return target.findOneAndUpdate(a.filter, a.update, opts(['filter', 'update']));
    case 'findOneAndReplace': return target.findOneAndReplace(a.filter, a.replacement, opts(['filter', 'replacement']));
    case 'findOneAndDelete': return target.findOneAndDelete(a.filter, opts(['filter']));
    case 'bulkWrite': return target.bulkWrite(a.requests, opts(['requests']));
    case 'createIndex': return target.createIndex(a.keys, opts(['keys']));
    case 'dropIndex': return target.dropIndex(a.name, opts(['name']));
    case 'dropIndexes': return target.dropIndexes(opts([]));
    case 'listIndexes': return target.listIndexes(opts([])).toArray();
    case 'listIndexNames': return (await target.listIndexes(opts([])).toArray()).map((i) => i.name);
    case 'drop': return target.drop(opts([]));
    case 'rename': return target.rename(a.to, opts(['to']));
    case 'createSearchIndex': return target.createSearchIndex(a.model);
    case 'createSearchIndexes': return target.createSearchIndexes(a.models);
    case 'dropSearchIndex': return target.dropSearchIndex(a.name);
    case 'listSearchIndexes': return target.listSearchIndexes(a.name, a.aggregationOptions).toArray();
    case 'updateSearchIndex': return target.updateSearchIndex(a.name, a.definition);
    // database (aggregate on a database runs `aggregate: 1`)
    case 'runCommand': return target.command(a.command, opts(['command', 'commandName']));
    case 'runCursorCommand': return commandCursor(target, a, opts).toArray();
    case 'createCommandCursor': {
      const cursor = commandCursor(target, a, opts);
      await cursor.hasNext();
      return cursor;
    }
    case 'createCollection': return target.createCollection(a.collection, opts(['collection']));
    case 'dropCollection': return target.dropCollection(a.collection, opts(['collection']));
    case 'listCollections': return target.listCollections(a.filter, opts(['filter'])).toArray();
    case 'listCollectionNames': return (await target.listCollections(a.filter, opts(['filter'])).toArray()).map((c) => c.name);
    case 'modifyCollection': return target.command({ collMod: a.collection, ...opts(['collection']) });
    // client
    case 'clientBulkWrite': return target.bulkWrite(a.models, opts(['models']));
    case 'listDatabases': return (await target.db('admin').admin().listDatabases(opts([]))).databases;
    case 'listDatabaseNames': return (await target.db('admin').admin().listDatabases(opts([]))).databases.map((d) => d.name);
    // session
    case 'startTransaction': target.startTransaction(a); return undefined;
    case 'commitTransaction': return target.commitTransaction();
    case 'abortTransaction': return target.abortTransaction();
    case 'endSession': entities.rememberLsids(); return target.endSession();
    case 'withTransaction':
      return target.withTransaction(async () => {
        for (const inner of a.callback) await context.runChecked(inner);
      }, opts(['callback']));
    case 'getSnapshotTime': return target.snapshotTime;
    // cursor
    case 'iterateUntilDocumentOrError': return target.next();
    case 'iterateOnce': return target.tryNext();
    case 'close': return target.close();
    default:
      throw new Error(`runner: operation ${op.name} is not supported`);
  }
}

async function runTestRunnerOperation(op, a, entities, context) {
  switch (op.name) {
    case 'failPoint':
    case 'targetedFailPoint': {
      // One server: a targeted fail point goes where the session's commands go.
      const client = op.name === 'failPoint' ? entities.get(a.client) : entities.get(a.session).client;
      await client.db('admin').command(a.failPoint);
      context.failPoints.push({ client, name: a.failPoint.configureFailPoint });
      return undefined;
    }
    case 'createEntities': {
      const skip = await entities.create(a.entities);
      if (skip) throw new Error(`runner: ${skip}`);
      return undefined;
    }
    case 'assertSessionTransactionState': {
      const state = TRANSACTION_STATES[entities.get(a.session).transaction.state];
      if (state !== a.state) throw new Error(`session ${a.session}: transaction state ${state}, expected ${a.state}`);
      return undefined;
    }
    case 'assertSessionPinned':
    case 'assertSessionUnpinned': {
      // Only a mongos pins; a replica set member never does.
      const pinned = Boolean(entities.get(a.session).isPinned);
      if (pinned !== (op.name === 'assertSessionPinned')) throw new Error(`session ${a.session}: pinned is ${pinned}`);
      return undefined;
    }
    case 'assertSessionDirty':
    case 'assertSessionNotDirty': {
      const session = entities.get(a.session);
      const dirty = Boolean(session.serverSession && session.serverSession.isDirty);
      if (dirty !== (op.name === 'assertSessionDirty')) throw new Error(`session ${a.session}: dirty is ${dirty}`);
      return undefined;
    }
    case 'assertSameLsidOnLastTwoCommands':
    case 'assertDifferentLsidOnLastTwoCommands': {
      const [x, y] = lastTwoLsids(entities, a.client);
      if ((x === y) !== (op.name === 'assertSameLsidOnLastTwoCommands')) throw new Error(`lsids ${x} and ${y}`);
      return undefined;
    }
    case 'assertCollectionExists':
    case 'assertCollectionNotExists': {
      const names = await collectionNames(context.setup.db(a.databaseName));
      const exists = names.includes(a.collectionName);
      if (exists !== (op.name === 'assertCollectionExists')) {
        throw new Error(`${a.databaseName}.${a.collectionName} ${exists ? 'exists' : 'does not exist'}`);
      }
      return undefined;
    }
    case 'assertIndexExists':
    case 'assertIndexNotExists': {
      const indexes = await context.setup.db(a.databaseName).collection(a.collectionName).listIndexes().toArray()
        .catch(() => []);
      const exists = indexes.some((i) => i.name === a.indexName);
      if (exists !== (op.name === 'assertIndexExists')) throw new Error(`index ${a.indexName} ${exists ? 'exists' : 'does not exist'}`);
      return undefined;
    }
    default:
      throw new Error(`runner: test runner operation ${op.name} is not supported`);
  }
}

module.exports = { runOperation, match };
