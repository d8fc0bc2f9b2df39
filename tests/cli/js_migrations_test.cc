// JavaScript migrations through the mongo-migrate binary: the seed's own files, byte for byte,
// and a migrate-mongo style file.
#include <algorithm>
#include <filesystem>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSeedJs = std::string(EXAMPLES_DIR) + "/neuronav-js";
const std::string kSeedJson = std::string(EXAMPLES_DIR) + "/neuronav";

class JsMigrations : public CliTest {
 protected:
  // Every collection of `db` but the lock's, each with its index specs (name, key, unique),
  // sorted by name: what a migration leaves behind.
  std::string Schema(const std::string& db) {
    Document colls = client_.Command(db, Json(R"({"listCollections": 1, "nameOnly": true})"));
    std::vector<std::string> names;
    for (const Value& c :
         colls.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
      names.push_back(c.As<Document>().Get("name")->As<std::string>());
    }
    std::sort(names.begin(), names.end());
    std::string out;
    for (const std::string& name : names) {
      if (name == "migrationLock") continue;
      out += name + ":\n";
      Document indexes = client_.Command(db, Document{{"listIndexes", name}});
      for (const Value& v :
           indexes.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
        const Document& spec = v.As<Document>();
        out += "  " + spec.Get("name")->As<std::string>() + " " + ToRelaxedJson(*spec.Get("key")) +
               (spec.Has("unique") ? " unique" : "") + "\n";
      }
    }
    return out;
  }
};

// An applied, unchanged JavaScript file is not evaluated by `status` or a no-op `up` (the
// engine is not even started): shown here by a file whose evaluation would now fail (the
// helper it requires is gone) while its bytes, and so its checksum, are unchanged. `validate`
// loads every file and reports it; a changed file is loaded again.
TEST_F(JsMigrations, AppliedUnchangedFilesAreNotEvaluatedUntilNeeded) {
  TempDir dir;
  dir.Write("helper.js", "module.exports = { collection: 'things' };\n");
  dir.Write("001_add_thing.js",
            "const helper = require('./helper');\n"
            "module.exports = {\n  description: 'Add a thing',\n"
            "  up: async (db) => { await db.collection(helper.collection).insertOne({ a: 1 }); },\n"
            "};\n");
  ProcessResult up = Migrate({"--dir", dir.path(), "--uri", Uri("lazy"), "up"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  std::filesystem::remove(dir.path() + "/helper.js");

  ProcessResult status = Migrate({"--dir", dir.path(), "--uri", Uri("lazy"), "status"});
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_NE(status.out.find("Add a thing"), std::string::npos)
      << "the description comes from the history record\n"
      << status.out;
  ProcessResult noop = Migrate({"--dir", dir.path(), "--uri", Uri("lazy"), "up"});
  EXPECT_EQ(noop.exit_code, 0) << noop.out << noop.err;

  ProcessResult validate = Migrate({"--dir", dir.path(), "--uri", Uri("lazy"), "validate"});
  EXPECT_NE(validate.exit_code, 0) << validate.out;
  EXPECT_NE((validate.out + validate.err).find("001_add_thing.js"), std::string::npos)
      << validate.out << validate.err;
}

// A .cjs file (CommonJS by name, as Node.js reads it) is a JavaScript migration like a .js one;
// its description comes from the words between the version and the extension.
TEST_F(JsMigrations, CjsFilesAreMigrationsToo) {
  TempDir dir;
  dir.Write("001_add-thing.cjs",
            "module.exports = { up: async (db) => { await db.collection('things').insertOne({ a: "
            "1 }); } };\n");
  ProcessResult up = Migrate({"--dir", dir.path(), "--uri", Uri("cjs"), "up"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_NE(up.out.find("up   001 add thing"), std::string::npos) << up.out;
  EXPECT_NE(Schema("cjs").find("things:"), std::string::npos) << Schema("cjs");
}

TEST_F(JsMigrations, SeedFilesApplyAndLeaveWhatTheJsonExamplesLeave) {
  ProcessResult up = Migrate({"--dir", kSeedJs, "--uri", Uri("seedjs"), "up"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  // The seed's console.log lines reach the output, prefixed with their version.
  EXPECT_NE(up.out.find("001 | ⬆️  Running migration 001: Create users collection"),
            std::string::npos)
      << up.out;
  EXPECT_NE(up.out.find("003 | ✅ Migration 003 completed"), std::string::npos) << up.out;
  ProcessResult status = Migrate({"--dir", kSeedJs, "--uri", Uri("seedjs"), "status"});
  EXPECT_EQ(status.exit_code, 0);
  EXPECT_NE(status.out.find("Applied: 4/4"), std::string::npos) << status.out;

  ProcessResult json = Migrate({"--dir", kSeedJson, "--uri", Uri("seedjson"), "up", "4"});
  ASSERT_EQ(json.exit_code, 0) << json.out << json.err;
  EXPECT_EQ(Schema("seedjs"), Schema("seedjson"));
  EXPECT_NE(Schema("seedjs").find("stressors_text { \"_fts\" : \"text\", \"_ftsx\" : 1 }"),
            std::string::npos)
      << Schema("seedjs");

  ProcessResult down = Migrate({"--dir", kSeedJs, "--uri", Uri("seedjs"), "down", "1"});
  EXPECT_EQ(down.exit_code, 2) << down.out << down.err;
  EXPECT_NE(down.err.find("version 4 (004_add_profile_picture.js) has no `down`"),
            std::string::npos)
      << down.err;
  EXPECT_EQ(HistoryStates("seedjs"),
            "{ \"version\" : 1, \"status\" : \"applied\" }\n"
            "{ \"version\" : 2, \"status\" : \"applied\" }\n"
            "{ \"version\" : 3, \"status\" : \"applied\" }\n"
            "{ \"version\" : 4, \"status\" : \"applied\" }\n");
}

TEST_F(JsMigrations, SeedDownOf002DropsTheHistoryWhichTheToolRestores) {
  TempDir dir;
  for (const char* f : {"001_create_users_collection.js", "002_add_schema_version.js",
                        "003_add_calm_score_indexes.js"}) {
    fs::copy_file(kSeedJs + "/" + f, fs::path(dir.path()) / f);
  }
  ASSERT_EQ(Migrate({"--dir", dir.path(), "--uri", Uri(), "up"}).exit_code, 0);
  client_.Command("neuronav", Json(R"({"insert": "users", "documents": [{"_id": 1}]})"));
  ProcessResult down = Migrate({"--dir", dir.path(), "--uri", Uri(), "down", "2"});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_NE(down.err.find("warning: migration 2 removed 3 record(s) from migrationHistory; "
                          "restored them"),
            std::string::npos)
      << down.err;
  EXPECT_EQ(HistoryStates("neuronav"),
            "{ \"version\" : 1, \"status\" : \"applied\" }\n"
            "{ \"version\" : 2, \"status\" : \"reverted\" }\n"
            "{ \"version\" : 3, \"status\" : \"reverted\" }\n")
      << "001's record survives the seed's 002 down";
  EXPECT_EQ(Indexes("calmscores"), "_id_ { \"_id\" : 1 }\n");
  EXPECT_EQ(Documents("users"), "{ \"_id\" : 1 }\n") << "002 down unset schemaVersion";
  ProcessResult status = Migrate({"--dir", dir.path(), "--uri", Uri(), "status"});
  EXPECT_NE(status.out.find("Applied: 1/3"), std::string::npos) << status.out;
  ProcessResult again = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
}

TEST_F(JsMigrations, MigrateMongoStyleFileTakesItsVersionFromTheName) {
  TempDir dir;
  dir.Write("20240115123045-add-users.js", R"(const { ObjectId } = require('mongodb');
module.exports = {
  async up(db, client) {
    await db.collection('accounts').insertOne({ _id: new ObjectId('65a4f1c2e4b0a1b2c3d4e5f6'), plan: 'free' });
    await db.collection('accounts').createIndex({ plan: 1 });
  },
  async down(db, client) {
    await db.collection('accounts').drop();
  }
};
)");
  ProcessResult up = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_NE(up.out.find("20240115123045 add users"), std::string::npos) << up.out;
  EXPECT_EQ(Documents("accounts"),
            "{ \"_id\" : { \"$oid\" : \"65a4f1c2e4b0a1b2c3d4e5f6\" }, \"plan\" : \"free\" }\n");
  EXPECT_EQ(HistoryStates("neuronav"),
            "{ \"version\" : 20240115123045, \"status\" : \"applied\" }\n");
  ProcessResult down = Migrate({"--dir", dir.path(), "--uri", Uri(), "down"});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_EQ(Indexes("accounts"), "(no collection)");
}

TEST_F(JsMigrations, ExportedVersionMustAgreeWithTheName) {
  TempDir dir;
  dir.Write("002_x.js", "module.exports = { version: 3, up: async () => {} };\n");
  ProcessResult r = Migrate({"--dir", dir.path(), "--uri", Uri(), "status"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("002_x.js: `version` is 3 but the file name says 2"), std::string::npos)
      << r.err;
}

TEST_F(JsMigrations, ThrowingMigrationFailsWithMessageAndLineAndIsRecordedFailed) {
  TempDir dir;
  dir.Write("001_boom.js", R"(module.exports = {
  version: 1,
  description: 'boom',
  up: async (db) => {
    await db.collection('log').insertOne({ step: 1 });
    throw new Error('the data is not what I expected');
  },
};
)");
  ProcessResult r = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("001_boom.js: up() failed: Error: the data is not what I expected"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("001_boom.js:6:"), std::string::npos)
      << "the stack names the line: " << r.err;
  EXPECT_EQ(HistoryStates("neuronav"), "{ \"version\" : 1, \"status\" : \"failed\" }\n");
}

TEST_F(JsMigrations, ServerErrorsReachTheMigrationAsTheDriversDo) {
  TempDir dir;
  dir.Write("001_dup.js", R"(module.exports = {
  version: 1,
  description: 'dup',
  up: async (db) => {
    await db.collection('u').createIndex({ email: 1 }, { unique: true });
    await db.collection('u').insertOne({ email: 'a@x' });
    await db.collection('u').insertOne({ email: 'a@x' });
  },
};
)");
  ProcessResult r = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("MongoServerError: E11000 duplicate key error"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("dup key: { email: \"a@x\" } [code 11000]"), std::string::npos) << r.err;
}

TEST_F(JsMigrations, RequireOfANodeModuleIsRefusedNamingModuleAndFile) {
  TempDir dir;
  dir.Write("001_fs.js", "const fs = require('fs');\nmodule.exports = { up: async () => {} };\n");
  ProcessResult r = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("Cannot find module 'fs'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("001_fs.js"), std::string::npos) << r.err;
  EXPECT_EQ(HistoryStates("neuronav"), "");
}

TEST_F(JsMigrations, SyntaxErrorNamesFileAndLine) {
  TempDir dir;
  dir.Write("001_bad.js",
            "module.exports = {\n  up: async (db) => {\n    await db.collection('x').insertOne({ "
            "a: 1 );\n  }\n};\n");
  ProcessResult r = Migrate({"--dir", dir.path(), "--uri", Uri(), "status"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("SyntaxError"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("001_bad.js:3:"), std::string::npos) << r.err;
}

TEST_F(JsMigrations, RelativeRequireAndHelperFilesWork) {
  TempDir dir;
  dir.Write("helpers.js", "exports.defaults = () => ({ theme: 'calm', volume: 2 });\n");
  dir.Write("001_use_helper.js", R"(const { defaults } = require('./helpers');
module.exports = {
  version: 1,
  description: 'uses a helper',
  up: async (db) => {
    await db.collection('prefs').insertOne({ _id: 1, ...defaults(), file: __filename.endsWith('001_use_helper.js') });
  },
};
)");
  ProcessResult r = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Documents("prefs"),
            "{ \"_id\" : 1, \"theme\" : \"calm\", \"volume\" : 2, \"file\" : true }\n");
}

TEST_F(JsMigrations, APromiseThatNeverSettlesOrATimerThatThrowsFailsTheMigration) {
  TempDir hang;
  hang.Write("001_hang.js", "module.exports = { up: () => new Promise(() => {}) };\n");
  ProcessResult r = Migrate({"--dir", hang.path(), "--uri", Uri(), "up"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("001_hang.js: up() failed: up() never finished"), std::string::npos)
      << r.err;
  TempDir late;
  late.Write("001_late.js", R"(module.exports = { up: async () => {
  setTimeout(() => { throw new Error('late failure'); }, 1);
  await new Promise((resolve) => setTimeout(resolve, 20));
} };
)");
  r = Migrate({"--dir", late.path(), "--uri", Uri("late"), "up"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("001_late.js: up() failed: Error: late failure"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("001_late.js:2:"), std::string::npos) << r.err;
}

// SpiderMonkey's embedding default heap (32 MB) is far below Node.js's; a data migration that
// reads a collection into an array must not run out of memory where Node.js would not.
TEST_F(JsMigrations, ReadingAWholeCollectionIntoAnArrayFitsInTheHeap) {
  TempDir dir;
  dir.Write("001_seed.js", R"(module.exports = { up: async (db) => {
  for (let chunk = 0; chunk < 20; chunk++) {
    const docs = [];
    for (let i = 0; i < 10000; i++) docs.push({ _id: chunk * 10000 + i, name: 'user ' + i, n: i });
    await db.collection('big').insertMany(docs);
  }
} };
)");
  dir.Write("002_read_all.js", R"(module.exports = { up: async (db) => {
  const all = await db.collection('big').find({}).toArray();
  console.log('read', all.length, all[199999].name);
} };
)");
  ProcessResult r = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("002 | read 200000 user 9999"), std::string::npos) << r.out;
}

TEST_F(JsMigrations, CreateWritesTheSeedTemplateWhichRuns) {
  TempDir dir;
  ProcessResult created = Migrate({"--dir", dir.path(), "create", "add_flag", "--format", "js"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_TRUE(fs::exists(fs::path(dir.path()) / "001_add_flag.js"));
  ProcessResult up = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  EXPECT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_NE(up.out.find("001 | ✅ Migration 001 completed"), std::string::npos) << up.out;
  ProcessResult down = Migrate({"--dir", dir.path(), "--uri", Uri(), "down"});
  EXPECT_EQ(down.exit_code, 0) << down.out << down.err;
}

}  // namespace
}  // namespace mm::testing
