// The entities a test file creates (clients, databases, collections, sessions, and the
// cursors and results operations save), and the command events each client observes.
'use strict';

// The Node.js driver's connection pool events and the unified format's names for them.
const CMAP_EVENTS = {
  connectionPoolCreated: 'poolCreatedEvent', connectionPoolReady: 'poolReadyEvent',
  connectionPoolCleared: 'poolClearedEvent', connectionPoolClosed: 'poolClosedEvent',
  connectionCreated: 'connectionCreatedEvent', connectionReady: 'connectionReadyEvent',
  connectionClosed: 'connectionClosedEvent', connectionCheckOutStarted: 'connectionCheckOutStartedEvent',
  connectionCheckOutFailed: 'connectionCheckOutFailedEvent', connectionCheckedOut: 'connectionCheckedOutEvent',
  connectionCheckedIn: 'connectionCheckedInEvent',
};
const { MongoClient } = require('mongodb');

// Commands the format says runners never report: what the runner itself sends, and the
// security-sensitive ones drivers do not publish in full.
const NEVER_OBSERVED = new Set(['configureFailPoint', 'hello', 'isMaster', 'ismaster', 'saslStart',
  'saslContinue', 'getnonce', 'authenticate', 'createUser', 'updateUser', 'copydbgetnonce',
  'copydbsaslstart', 'copydb']);

class Entities {
  constructor(server) {
    this.server = server;  // { uri, topology, replSet }
    this.map = new Map();
    this.clients = [];
    this.sessions = [];
    this.events = new Map();  // client id → [{ type, event }]
    this.poolEvents = new Map();  // client id → [{ type, event }] (observed CMAP events)
    this.lsids = new Map();
  }

  get(id) {
    if (!this.map.has(id)) throw new Error(`runner: no entity named ${id}`);
    return this.map.get(id);
  }
  has(id) { return this.map.has(id); }
  set(id, value) {
    if (this.map.has(id)) throw new Error(`runner: entity ${id} already exists`);
    this.map.set(id, value);
  }

  // Creates the entities of a `createEntities` list; returns a reason to skip, or null.
  async create(list) {
    for (const entity of list || []) {
      const [kind, desc] = Object.entries(entity)[0];
      switch (kind) {
        case 'client': await this.createClient(desc); break;
        case 'database': this.set(desc.id, this.get(desc.client).db(desc.databaseName, desc.databaseOptions)); break;
        case 'collection':
          this.set(desc.id, this.get(desc.database).collection(desc.collectionName, desc.collectionOptions));
          break;
        case 'session': {
          const client = this.get(desc.client);
          const { snapshotTime, ...options } = desc.sessionOptions || {};
          const session = client.startSession(options);
          // `snapshotTime` names a saved entity (getSnapshotTime). The Node.js driver (6.22)
          // has no such session option, but keeps the time it read at in `snapshotTime` and
          // sends it as readConcern.atClusterTime: setting it is what the option does.
          if (snapshotTime !== undefined) session.snapshotTime = this.get(snapshotTime);
          this.sessions.push(session);
          this.set(desc.id, session);
          break;
        }
        default:
          return `entity ${kind} is not supported by this runner`;
      }
    }
    return null;
  }

  async createClient(desc) {  // eslint-disable-line require-await
    const options = { ...(desc.uriOptions || {}), serverSelectionTimeoutMS: 5000, monitorCommands: true };
    if (this.server.topology === 'replicaset') options.replicaSet = this.server.replSet;
    else options.directConnection = true;
    if (desc.serverApi) options.serverApi = desc.serverApi;
    const client = new MongoClient(this.server.uri, options);
    const observe = new Set(desc.observeEvents || []);
    const ignore = new Set(desc.ignoreCommandMonitoringEvents || []);
    const log = [];
    this.events.set(desc.id, log);
    const record = (type) => (event) => {
      if (NEVER_OBSERVED.has(event.commandName) || ignore.has(event.commandName)) return;
      log.push({ type, event, observed: observe.has(type) });
    };
    client.on('commandStarted', record('commandStartedEvent'));
    client.on('commandSucceeded', record('commandSucceededEvent'));
    client.on('commandFailed', record('commandFailedEvent'));
    // Connection pool (CMAP) events, by the format's names.
    const pool = [];
    this.poolEvents.set(desc.id, pool);
    for (const [driverName, formatName] of Object.entries(CMAP_EVENTS)) {
      client.on(driverName, (event) => {
        if (observe.has(formatName)) pool.push({ type: formatName, event });
      });
    }
    // Not connected here: the driver connects at the first operation, with that operation's
    // read preference (a client that prefers secondaries may still run primary transactions).
    this.clients.push(client);
    this.set(desc.id, client);
  }

  // The lsid of session `id`: a driver acquires it lazily and may release it at endSession, so
  // it is remembered once seen (rememberLsids after each operation).
  lsidOf(id) {
    const session = this.get(id);
    if (session.id) this.lsids.set(id, session.id);
    return this.lsids.get(id);
  }
  rememberLsids() {
    for (const [id, value] of this.map) {
      if (this.sessions.includes(value) && value.id) this.lsids.set(id, value.id);
    }
  }

  // The command events `clientId` observed, in order ({type, event}).
  observed(clientId) {
    return (this.events.get(clientId) || []).filter((e) => e.observed);
  }
  // Every commandStartedEvent of `clientId`, observed or not (for the lsid assertions).
  started(clientId) {
    return (this.events.get(clientId) || []).filter((e) => e.type === 'commandStartedEvent');
  }

  async close() {
    for (const s of this.sessions) await s.endSession().catch(() => {});
    for (const c of this.clients) await c.close().catch(() => {});
  }
}

module.exports = { Entities };
