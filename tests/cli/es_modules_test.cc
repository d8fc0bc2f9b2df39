// JavaScript as teams write it today: ES modules (`export async function up`, `export default`,
// .mjs, `import` of 'mongodb', of Node's built-ins, of relative files and JSON), and Node's
// crypto, util, assert, path and Buffer, compared case by case with Node.js itself.
#include <sstream>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

class EsModules : public CliTest {};

TEST_F(EsModules, ModulesApplyRollBackAndImportWhatCommonJsRequires) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/lib");
  dir.Write("lib/helper.json", R"({"h": 42})");
  dir.Write("lib/tag.mjs", "export function tag() { return 'from lib'; }\n");
  dir.Write("001_named_exports.mjs",
            "import { ObjectId } from 'mongodb';\n"
            "import mongodb from 'mongodb';\n"
            "import helper from './lib/helper.json';\n"
            "import { tag } from './lib/tag.mjs';\n"
            "import { createHash } from 'node:crypto';\n"
            "export const description = 'named exports';\n"
            "export async function up(db, client) {\n"
            "  await db.collection('things').insertOne({ _id: new "
            "ObjectId('65a000000000000000000001'), tag: tag(), h: helper.h,\n"
            "    long: typeof mongodb.Long, md5: createHash('md5').update('x').digest('hex') });\n"
            "}\n"
            "export async function down(db) { await db.collection('things').deleteMany({}); }\n");
  // migrate-mongo's ESM template: a .js file with a default export.
  dir.Write("20240102000000-default-export.js",
            "export default {\n"
            "  async up(db, client) { await db.collection('things').insertOne({ _id: 2, d: 1 }); "
            "},\n"
            "  async down(db, client) { await db.collection('things').deleteOne({ _id: 2 }); },\n"
            "};\n");
  dir.Write("20240103000000-top-level-await.mjs",
            "const n = await Promise.resolve(3);\n"
            "export const up = async (db) => { await db.collection('things').insertOne({ _id: 3, "
            "tla: n }); };\n"
            "export const down = async (db) => { await db.collection('things').deleteOne({ _id: 3 "
            "}); };\n");
  auto up = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_NE(up.out.find("up   001 named exports"), std::string::npos) << up.out;
  EXPECT_NE(up.out.find("up   20240102000000 default export"), std::string::npos) << up.out;
  EXPECT_EQ(Documents("things"),
            "{ \"_id\" : 2, \"d\" : 1 }\n"
            "{ \"_id\" : 3, \"tla\" : 3 }\n"
            "{ \"_id\" : { \"$oid\" : \"65a000000000000000000001\" }, \"tag\" : \"from lib\", "
            "\"h\" : 42, \"long\" : \"function\", \"md5\" : \"9dd4e461268c8034f5c8564e155c67a6\" "
            "}\n");
  auto status = Migrate({"--dir", dir.path(), "--uri", Uri(), "status"});
  EXPECT_NE(status.out.find("Applied: 3/3"), std::string::npos) << status.out;
  auto down = Migrate({"--dir", dir.path(), "--uri", Uri(), "down", "--all"});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_EQ(Documents("things"), "");
}

TEST_F(EsModules, AnImportThatDoesNotResolveNamesTheFileAndTheLine) {
  TempDir dir;
  dir.Write("001_a.mjs", "import { Nope } from 'mongodb';\nexport async function up() {}\n");
  auto missing_name = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  EXPECT_EQ(missing_name.exit_code, 2);
  EXPECT_NE(missing_name.err.find("001_a.mjs: SyntaxError: import not found: Nope"),
            std::string::npos)
      << missing_name.err;
  EXPECT_NE(missing_name.err.find("001_a.mjs:1:"), std::string::npos) << missing_name.err;
  dir.Write("001_a.mjs", "import { x } from './nope.mjs';\nexport async function up() {}\n");
  auto missing_file = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  EXPECT_EQ(missing_file.exit_code, 2);
  EXPECT_NE(missing_file.err.find("Cannot find module './nope.mjs'"), std::string::npos)
      << missing_file.err;
  dir.Write("001_a.mjs", "throw new Error('top boom');\nexport async function up() {}\n");
  auto throws = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  EXPECT_EQ(throws.exit_code, 2);
  EXPECT_NE(throws.err.find("001_a.mjs: Error: top boom"), std::string::npos) << throws.err;
  EXPECT_EQ(HistoryStates(), "");
}

std::vector<std::string> Lines(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(prefix)) out.push_back(line.substr(prefix.size()));
  }
  return out;
}

// Each case of tests/cli/data/node_builtins_cases.cjs gives the same line in Node.js and in a
// migration: hashes, HMACs, random values' shapes, util.format and inspect, deep equality,
// assert's errors, path and Buffer.
TEST_F(EsModules, NodeBuiltinsGiveWhatNodeGives) {
  const std::string cases = std::string(TESTS_DIR) + "/cli/data/node_builtins_cases.cjs";
  auto node = RunProcess({"/usr/bin/env", "node", "-e",
                          "require(process.argv[1]).lines().then((ls) => ls.forEach((l) => "
                          "console.log(l)))",
                          cases});
  ASSERT_EQ(node.exit_code, 0) << "Node.js is needed here (scripts/install-deps.sh installs it)\n"
                               << node.err;
  TempDir dir;
  dir.Write("001_cases.js", "const cases = require('" + cases +
                                "');\nmodule.exports = { up: async () => { for (const l of await "
                                "cases.lines()) console.log(l); } };\n");
  auto ours = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  ASSERT_EQ(ours.exit_code, 0) << ours.out << ours.err;
  const std::vector<std::string> expected = Lines(node.out, "");
  const std::vector<std::string> got = Lines(ours.out, "  001 | ");
  ASSERT_GE(expected.size(), 90u) << node.out;
  ASSERT_EQ(got.size(), expected.size()) << ours.out;
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(got[i], expected[i]);
}

}  // namespace
}  // namespace mm::testing
