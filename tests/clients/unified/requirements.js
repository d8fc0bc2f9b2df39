// runOnRequirements against the server as it is: its version and topology (from buildInfo and
// hello), whether it requires authentication, and the server parameters asked for.
'use strict';

function versionOf(text) {
  return String(text).split('.').map(Number).concat([0, 0, 0]).slice(0, 3);
}
function compareVersions(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

// What the runner needs to know about the server, asked once.
async function describeServer(client) {
  const admin = client.db('admin');
  const hello = await admin.command({ hello: 1 });
  const build = await admin.command({ buildInfo: 1 });
  return {
    version: versionOf(build.version),
    topology: hello.setName ? 'replicaset' : hello.msg === 'isdbgrid' ? 'sharded' : 'single',
    replSet: hello.setName || null,
    async parameter(name) {
      const reply = await admin.command({ getParameter: 1, [name]: 1 }).catch(() => null);
      return reply ? reply[name] : undefined;
    },
  };
}

// Why `req` excludes this server, or null when it does not.
async function unmet(req, server, auth) {
  if (req.minServerVersion && compareVersions(server.version, versionOf(req.minServerVersion)) < 0) {
    return `needs server >= ${req.minServerVersion}`;
  }
  if (req.maxServerVersion && compareVersions(server.version, versionOf(req.maxServerVersion)) > 0) {
    return `needs server <= ${req.maxServerVersion}`;
  }
  if (req.topologies && !req.topologies.includes(server.topology) &&
      !(server.topology === 'sharded' && req.topologies.includes('sharded-replicaset'))) {
    return `needs topology ${req.topologies.join('/')}`;
  }
  if (req.serverless === 'require') return 'needs serverless';
  if (req.auth === true && !auth) return 'needs auth';
  if (req.auth === false && auth) return 'needs no auth';
  if (req.csfle) return 'needs CSFLE';
  for (const [name, value] of Object.entries(req.serverParameters || {})) {
    const actual = await server.parameter(name);
    if (actual === undefined || JSON.stringify(actual) !== JSON.stringify(value)) return `needs server parameter ${name}`;
  }
  return null;
}

async function unmetAny(reqs, server, auth) {
  if (!reqs || reqs.length === 0) return null;
  const reasons = [];
  for (const r of reqs) {
    const reason = await unmet(r, server, auth);
    if (reason === null) return null;
    reasons.push(reason);
  }
  return reasons.join(' or ');
}

module.exports = { describeServer, unmetAny };
