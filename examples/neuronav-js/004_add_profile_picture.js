// Migration: Add optional field
module.exports = {
  version: 4,
  description: 'Add optional profile picture to users',
  
  up: async (db) => {
    // Add field with default value (doesn't break existing code)
    await db.collection('users').updateMany(
      { profilePictureUrl: { $exists: false } },
      { $set: { profilePictureUrl: null } }
    );
  }
};
