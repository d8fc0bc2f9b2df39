// A service that carries its migrations in code and applies them at start-up, before it
// serves anything: mongomigrate::Registry + mongomigrate::Runner.
//   embedded_example mongodb://127.0.0.1:27017/neuronav
#include <cstdio>

#include "mongomigrate/runner.h"

namespace mg = mongomigrate;

// The service's migrations, in version order.
mg::Registry ServiceMigrations() {
  mg::Registry registry;
  registry.Add(
      1, "Create the sessions collection with a TTL index",
      [](mg::mongo::Database& db) {
        auto r = db.RunCommand(mg::Document{
            {"createIndexes", "sessions"},
            {"indexes", mg::Array{{mg::Value(mg::Document{{"key", mg::Document{{"lastSeen", 1}}},
                                                          {"name", "lastSeen_1"},
                                                          {"expireAfterSeconds", 3600}})}}}});
        return r.ok() ? mg::Status::Ok() : r.status();
      },
      [](mg::mongo::Database& db) {
        auto r = db.RunCommand(mg::Document{{"drop", "sessions"}});
        return r.ok() ? mg::Status::Ok() : r.status();
      });
  registry.Add(2, "Seed the feature flags", [](mg::mongo::Database& db) {
    auto r = db.RunCommand(mg::Document{
        {"update", "flags"},
        {"updates", mg::Array{{mg::Value(mg::Document{
                        {"q", mg::Document{{"_id", "calm-map"}}},
                        {"u", mg::Document{{"$setOnInsert", mg::Document{{"enabled", false}}}}},
                        {"upsert", true}})}}}});
    return r.ok() ? mg::Status::Ok() : r.status();
  });
  return registry;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: embedded_example MONGODB_URI\n");
    return 2;
  }
  auto client = mg::mongo::Client::Open(argv[1]);
  if (!client.ok()) {
    std::fprintf(stderr, "%s\n", client.status().message().c_str());
    return 2;
  }
  mg::Runner runner((*client)->database((*client)->default_database()),
                    ServiceMigrations().migrations());
  auto plan = runner.Up(std::nullopt, [](const mg::RunEvent& e) {
    if (e.type == mg::RunEvent::Type::kFinished) {
      std::printf("migrated %lld: %s\n", static_cast<long long>(e.migration->version),
                  e.migration->description.c_str());
    }
  });
  if (!plan.ok()) {
    std::fprintf(stderr, "migrations failed: %s\n", plan.status().message().c_str());
    return 1;
  }
  std::printf("schema ready (%zu applied now); serving\n", plan->steps.size());
  return 0;
}
