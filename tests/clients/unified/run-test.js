// One test of a file: its entities, its initial data, its operations with their expected
// results or errors, its events and the collections' outcome. Fail points it set are turned
// off afterwards, whatever happened.
'use strict';
const { MongoClient } = require('mongodb');
const { Entities } = require('./entities');
const { runOperation } = require('./operations');
const { checkExpectedEvents } = require('./events');
const { match, show, toNumber } = require('./match');

function checkError(expectError, error, entities) {
  if (!error) throw new Error(`expected an error ${show(expectError)}, the operation succeeded`);
  const serverSide = error.code !== undefined || error.name === 'MongoServerError' || error.name === 'MongoBulkWriteError';
  if (expectError.isClientError === true && serverSide) throw new Error(`expected a client error, got ${error.name}: ${error.message}`);
  if (expectError.isClientError === false && !serverSide) throw new Error(`expected a server error, got ${error.name}: ${error.message}`);
  if (expectError.isTimeoutError === true && error.name !== 'MongoOperationTimeoutError') {
    throw new Error(`expected a timeout error, got ${error.name}: ${error.message}`);
  }
  if (expectError.errorCode !== undefined && error.code !== toNumber(expectError.errorCode)) {
    throw new Error(`expected error code ${expectError.errorCode}, got ${error.code} (${error.message})`);
  }
  if (expectError.errorCodeName !== undefined && error.codeName !== expectError.errorCodeName) {
    throw new Error(`expected error ${expectError.errorCodeName}, got ${error.codeName} (code ${error.code}: ${error.message})`);
  }
  if (expectError.errorContains !== undefined && !error.message.toLowerCase().includes(expectError.errorContains.toLowerCase())) {
    throw new Error(`expected the error to contain "${expectError.errorContains}", got "${error.message}"`);
  }
  for (const label of expectError.errorLabelsContain || []) {
    if (!error.hasErrorLabel || !error.hasErrorLabel(label)) throw new Error(`expected error label ${label} (${error.message})`);
  }
  for (const label of expectError.errorLabelsOmit || []) {
    if (error.hasErrorLabel && error.hasErrorLabel(label)) throw new Error(`unexpected error label ${label}`);
  }
  if (expectError.errorResponse !== undefined) match(expectError.errorResponse, error.errorResponse, 'errorResponse', true, entities);
  if (expectError.expectResult !== undefined) match(expectError.expectResult, error.result, 'error.result', true, entities);
  if (expectError.writeErrors !== undefined) {
    const actual = {};
    for (const e of error.writeErrors || []) actual[e.index] = { code: e.code };
    match(expectError.writeErrors, actual, 'writeErrors', true, entities);
  }
}

// Drops and fills each collection of `initialData` (majority write concern, as the format says).
async function loadInitialData(setup, initialData) {
  for (const data of initialData || []) {
    const db = setup.db(data.databaseName);
    await db.collection(data.collectionName).drop({ writeConcern: { w: 'majority' } }).catch(() => {});
    await db.createCollection(data.collectionName, { ...(data.createOptions || {}), writeConcern: { w: 'majority' } });
    if (data.documents.length) {
      await db.collection(data.collectionName).insertMany(data.documents, { writeConcern: { w: 'majority' } });
    }
  }
}

async function runTest(spec, test, server) {
  const setup = new MongoClient(server.uri, server.topology === 'replicaset'
    ? { replicaSet: server.replSet } : { directConnection: true });
  await setup.connect();
  const entities = new Entities(server);
  const context = { setup, failPoints: [], runChecked: null };
  // An operation with its expected result or error checked.
  context.runChecked = async (op, i = 0) => {
    let result, error;
    try {
      result = await runOperation(op, entities, context);
    } catch (e) {
      if (String(e.message).startsWith('runner:')) throw e;
      error = e;
    }
    entities.rememberLsids();
    const where = `operation ${i} (${op.name})`;
    if (op.expectError) {
      try { checkError(op.expectError, error, entities); } catch (e) { throw new Error(`${where}: ${e.message}`); }
      return;
    }
    if (error && !op.ignoreResultAndError) {
      throw new Error(`${where}: unexpected error ${error.name}: ${error.message}${error.code !== undefined ? ` (code ${error.code})` : ''}`);
    }
    if (op.expectResult !== undefined) {
      try { match(op.expectResult, result, 'result', true, entities); } catch (e) { throw new Error(`${where}: ${e.message}`); }
    }
    if (op.saveResultAsEntity) entities.set(op.saveResultAsEntity, result);
  };
  try {
    await loadInitialData(setup, spec.initialData);
    const skip = await entities.create(spec.createEntities);
    if (skip) return { skip };
    for (const [i, op] of test.operations.entries()) await context.runChecked(op, i);
    const eventsSkip = checkExpectedEvents(test.expectEvents, entities);
    if (eventsSkip) return { skip: eventsSkip };
    for (const expected of test.outcome || []) {
      const docs = await setup.db(expected.databaseName).collection(expected.collectionName)
        .find({}, { readConcern: { level: 'local' } }).sort({ _id: 1 }).toArray();
      match(expected.documents, docs, `outcome ${expected.databaseName}.${expected.collectionName}`, false, entities);
    }
    return { pass: true };
  } finally {
    for (const fp of context.failPoints) {
      await fp.client.db('admin').command({ configureFailPoint: fp.name, mode: 'off' }).catch(() => {});
    }
    await entities.close();
    await setup.close().catch(() => {});
  }
}

module.exports = { runTest };
