module.exports = {
  version: 3,
  description: 'Add indexes for calm score queries',
  
  up: async (db) => {
    console.log('⬆️  Running migration 003: Add calm score indexes');
    
    await db.collection('calmscores').createIndex(
      { userId: 1, timestamp: -1 }
    );
    
    await db.collection('calmscores').createIndex(
      { location: '2dsphere' }
    );
    
    // Create text index for search
    await db.collection('calmscores').createIndex(
      { stressors: 'text' }
    );
    
    console.log('✅ Migration 003 completed');
  },
  
  down: async (db) => {
    console.log('⬇️  Rolling back migration 003');
    
    const indexes = [
      'userId_1_timestamp_-1',
      'location_2dsphere',
      'stressors_text'
    ];
    
    for (const index of indexes) {
      try {
        await db.collection('calmscores').dropIndex(index);
      } catch (error) {
        console.warn(`Index ${index} not found`);
      }
    }
    
    console.log('✅ Rollback 003 completed');
  }
};
