module.exports = {
  version: 1,
  description: 'Create users collection with initial indexes',
  
  up: async (db) => {
    console.log('⬆️  Running migration 001: Create users collection');
    
    // Create collection
    await db.createCollection('users');
    
    // Create indexes
    await db.collection('users').createIndex({ email: 1 }, { unique: true });
    await db.collection('users').createIndex({ phone: 1 });
    
    console.log('✅ Migration 001 completed');
  },
  
  down: async (db) => {
    console.log('⬇️  Rolling back migration 001');
    
    // Drop collection
    await db.collection('users').drop();
    
    console.log('✅ Rollback 001 completed');
  }
};
