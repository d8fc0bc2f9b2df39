// expectEvents: the commands each client sent and the replies it got, through the driver's
// command monitoring, compared with the format's rules (a command or reply is a root document:
// extra fields allowed; events in order; all of them unless ignoreExtraEvents).
'use strict';
const { match, show } = require('./match');

function checkEvent(expected, actual, where, entities) {
  const [type, spec] = Object.entries(expected)[0];
  if (actual.type !== type) {
    throw new Error(`${where}: expected ${type} ${show(spec)}, got ${actual.type} for ${actual.event.commandName}`);
  }
  const e = actual.event;
  if (spec.commandName !== undefined && spec.commandName !== e.commandName) {
    throw new Error(`${where}: expected command ${spec.commandName}, got ${e.commandName}`);
  }
  if (spec.databaseName !== undefined && spec.databaseName !== e.databaseName) {
    throw new Error(`${where}: expected database ${spec.databaseName}, got ${e.databaseName}`);
  }
  if (spec.command !== undefined) match(spec.command, e.command, `${where}.command`, true, entities);
  if (spec.reply !== undefined) match(spec.reply, e.reply, `${where}.reply`, true, entities);
  if (spec.hasServerConnectionId !== undefined &&
      (e.serverConnectionId != null) !== spec.hasServerConnectionId) {
    throw new Error(`${where}: serverConnectionId ${e.serverConnectionId}`);
  }
  if (spec.hasServiceId !== undefined && (e.serviceId != null) !== spec.hasServiceId) {
    throw new Error(`${where}: serviceId ${e.serviceId}`);
  }
}

// Connection pool events: in order, each of the expected type; `reason` and
// `hasServiceId`/`interruptInUseConnections` where the test gives them.
function checkPoolEvents(group, actual) {
  const where = `expectEvents[${group.client}](cmap)`;
  if (group.ignoreExtraEvents ? actual.length < group.events.length : actual.length !== group.events.length) {
    throw new Error(`${where}: expected ${group.events.length} event(s), got ${actual.length}: ` +
      actual.map((a) => a.type).join(', '));
  }
  group.events.forEach((expected, i) => {
    const [type, spec] = Object.entries(expected)[0];
    const e = actual[i];
    if (e.type !== type) throw new Error(`${where}[${i}]: expected ${type}, got ${e.type}`);
    if (spec.reason !== undefined && spec.reason !== e.event.reason) {
      throw new Error(`${where}[${i}]: expected reason ${spec.reason}, got ${e.event.reason}`);
    }
    if (spec.interruptInUseConnections !== undefined &&
        spec.interruptInUseConnections !== Boolean(e.event.interruptInUseConnections)) {
      throw new Error(`${where}[${i}]: interruptInUseConnections ${e.event.interruptInUseConnections}`);
    }
    if (spec.hasServiceId !== undefined && (e.event.serviceId != null) !== spec.hasServiceId) {
      throw new Error(`${where}[${i}]: serviceId ${e.event.serviceId}`);
    }
  });
}

// Throws at the first event that differs; returns a reason to skip for event types this
// runner does not observe (connection pool events).
function checkExpectedEvents(list, entities) {
  for (const group of list || []) {
    const eventType = group.eventType || 'command';
    if (eventType === 'cmap') {
      checkPoolEvents(group, entities.poolEvents.get(group.client) || []);
      continue;
    }
    if (eventType !== 'command') {
      if (group.events.length === 0) continue;
      return `expectEvents of type ${eventType} are not observed by this runner`;
    }
    const actual = entities.observed(group.client);
    const where = `expectEvents[${group.client}]`;
    if (group.ignoreExtraEvents ? actual.length < group.events.length : actual.length !== group.events.length) {
      throw new Error(`${where}: expected ${group.events.length} event(s), got ${actual.length}: ` +
        actual.map((a) => `${a.type}(${a.event.commandName})`).join(', '));
    }
    group.events.forEach((e, i) => checkEvent(e, actual[i], `${where}[${i}]`, entities));
  }
  return null;
}

module.exports = { checkExpectedEvents };
