module.exports = {
  version: 2,
  description: 'Add schema version to users and create migration history',
  
  up: async (db) => {
    console.log('⬆️  Running migration 002: Add schema version');
    
    // Add schema version field to existing documents
    await db.collection('users').updateMany(
      {},
      { $set: { schemaVersion: 2, migratedAt: new Date() } }
    );
    
    // Create migration history collection
    await db.createCollection('migrationHistory');
    await db.collection('migrationHistory').createIndex(
      { version: 1 },
      { unique: true }
    );
    
    console.log('✅ Migration 002 completed');
  },
  
  down: async (db) => {
    console.log('⬇️  Rolling back migration 002');
    
    // Remove schema version
    await db.collection('users').updateMany(
      {},
      { $unset: { schemaVersion: '', migratedAt: '' } }
    );
    
    // Drop migration history
    await db.collection('migrationHistory').drop();
    
    console.log('✅ Rollback 002 completed');
  }
};
