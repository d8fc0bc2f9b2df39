// Runs the mongo-migrate binary against a devmongod of its own and reads the database back
// through libmongoc.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/devmongod_process.h"
#include "support/json.h"
#include "support/mongoc_client.h"
#include "support/run_process.h"

namespace mm::testing {

class CliTest : public ::testing::Test {
 protected:
  CliTest() = default;
  // A devmongod started with `server_args`; `uri_options` are appended to every URI the tool
  // gets ("?replicaSet=rs0").
  CliTest(const std::string& server_args, std::string uri_options)
      : server_(server_args), uri_options_(std::move(uri_options)) {}

  DevmongodProcess server_;
  std::string uri_options_;
  MongocClient client_{server_.uri("neuronav")};

  std::string Uri(const std::string& db = "neuronav") const {
    return server_.uri(db) + uri_options_;
  }

  // mongo-migrate ARGS with MONGODB_URI unset, so only what the test passes counts.
  ProcessResult Migrate(std::vector<std::string> args, std::vector<std::string> env = {},
                        const std::string& cwd = "") {
    args.insert(args.begin(), MONGO_MIGRATE_PATH);
    env.insert(env.begin(), "MONGODB_URI=");
    env.push_back("NO_COLOR=1");
    return RunProcess(args, env, cwd);
  }

  // "name key [unique]" per index of `collection`, in listIndexes order.
  std::string Indexes(const std::string& collection) {
    bool ok = false;
    Document reply = client_.Command("neuronav", Document{{"listIndexes", collection}}, &ok);
    if (!ok) return "(no collection)";
    std::string out;
    for (const Value& v :
         reply.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
      const Document& spec = v.As<Document>();
      out += spec.Get("name")->As<std::string>() + " " + ToRelaxedJson(*spec.Get("key")) +
             (spec.Has("unique") ? " unique" : "") + "\n";
    }
    return out;
  }

  // "{ version, status }" per history record of `db`, by version.
  std::string HistoryStates(const std::string& db = "neuronav") {
    bool ok = false;
    Document reply = client_.Command(
        db, Json(R"({"find": "migrationHistory", "projection": {"_id": 0, "version": 1,
                     "status": 1}, "sort": {"version": 1}})"),
        &ok);
    if (!ok) return "(no collection)";
    std::string out;
    for (const Value& v :
         reply.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
      out += ToRelaxedJson(v.As<Document>()) + "\n";
    }
    return out;
  }

  // Every document of `collection` (without volatile fields), sorted by _id.
  std::string Documents(const std::string& collection, const Document& projection = {}) {
    bool ok = false;
    Document cmd{{"find", collection}, {"sort", Document{{"_id", 1}}}};
    if (!projection.empty()) cmd.Append("projection", projection);
    Document reply = client_.Command("neuronav", cmd, &ok);
    if (!ok) return "(no collection)";
    std::string out;
    for (const Value& v :
         reply.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
      out += ToRelaxedJson(v.As<Document>()) + "\n";
    }
    return out;
  }
};

}  // namespace mm::testing
