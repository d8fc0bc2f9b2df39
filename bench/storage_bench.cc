// devmongod's storage through libmongoc, the memory store next to SQLite (--dbpath), in one
// run: insertMany of 100k small documents, point lookups on a unique index, and an updateMany
// of 1M documents with $set.
//   build/bench/storage_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <vector>

#include "support/devmongod_process.h"
#include "support/mongoc_client.h"
#include "support/temp_dir.h"

namespace {

// devmongod with the store the benchmark's argument names (0 memory, 1 SQLite).
struct Server {
  explicit Server(bool sqlite)
      : dir(std::make_unique<mm::testing::TempDir>()),
        process(sqlite ? "--dbpath " + dir->path() : ""),
        client(process.uri("bench")) {}
  std::unique_ptr<mm::testing::TempDir> dir;
  mm::testing::DevmongodProcess process;
  mm::testing::MongocClient client;
};

struct CollectionDeleter {
  void operator()(mongoc_collection_t* c) const { mongoc_collection_destroy(c); }
};

// Inserts {_id: i, k: i, s: "…"} for i in [0, n) with insertMany (libmongoc splits batches).
bool InsertSmall(Server& server, const char* coll_name, int n) {
  std::unique_ptr<mongoc_collection_t, CollectionDeleter> coll(
      mongoc_client_get_collection(server.client.get(), "bench", coll_name));
  // void* because bson_t's alignment attribute is dropped in a template argument.
  std::vector<const void*> docs;
  docs.reserve(n);
  for (int i = 0; i < n; ++i) {
    bson_t* d = bson_new();
    BSON_APPEND_INT32(d, "_id", i);
    BSON_APPEND_INT32(d, "k", i);
    BSON_APPEND_UTF8(d, "s", "a small document");
    docs.push_back(d);
  }
  bson_error_t error;
  bool ok = mongoc_collection_insert_many(coll.get(), reinterpret_cast<const bson_t**>(docs.data()),
                                          docs.size(), nullptr, nullptr, &error);
  for (const void* d : docs) bson_destroy(const_cast<bson_t*>(static_cast<const bson_t*>(d)));
  return ok;
}

void BM_InsertMany100k(benchmark::State& state) {
  Server server(state.range(0) == 1);
  for (auto _ : state) {
    state.PauseTiming();
    server.client.Command("bench", mm::Document{{"drop", "docs"}});
    state.ResumeTiming();
    if (!InsertSmall(server, "docs", 100000)) state.SkipWithError("insertMany failed");
  }
  state.SetItemsProcessed(state.iterations() * 100000);
}
BENCHMARK(BM_InsertMany100k)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FindByUniqueKey(benchmark::State& state) {
  Server server(state.range(0) == 1);
  server.client.Command(
      "bench",
      mm::Document{
          {"createIndexes", "docs"},
          {"indexes", mm::Array{{mm::Value(mm::Document{
                          {"key", mm::Document{{"k", 1}}}, {"name", "k_1"}, {"unique", true}})}}}});
  if (!InsertSmall(server, "docs", 100000)) state.SkipWithError("setup failed");
  std::mt19937 rng(42);
  bool ok = true;
  for (auto _ : state) {
    int k = static_cast<int>(rng() % 100000);
    mm::Document reply = server.client.Command(
        "bench", mm::Document{{"find", "docs"}, {"filter", mm::Document{{"k", k}}}, {"limit", 1}},
        &ok);
    benchmark::DoNotOptimize(reply);
  }
  if (!ok) state.SkipWithError("find failed");
}
BENCHMARK(BM_FindByUniqueKey)->Arg(0)->Arg(1)->UseRealTime();

void BM_UpdateMany1M(benchmark::State& state) {
  Server server(state.range(0) == 1);
  if (!InsertSmall(server, "docs", 1000000)) state.SkipWithError("setup failed");
  int round = 0;
  bool ok = true;
  for (auto _ : state) {
    mm::Document reply = server.client.Command(
        "bench",
        mm::Document{{"update", "docs"},
                     {"updates", mm::Array{{mm::Value(mm::Document{
                                     {"q", mm::Document{}},
                                     {"u", mm::Document{{"$set", mm::Document{{"v", ++round}}}}},
                                     {"multi", true}})}}}},
        &ok);
    benchmark::DoNotOptimize(reply);
  }
  if (!ok) state.SkipWithError("updateMany failed");
  state.SetItemsProcessed(state.iterations() * 1000000);
}
BENCHMARK(BM_UpdateMany1M)
    ->Arg(0)
    ->Arg(1)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
