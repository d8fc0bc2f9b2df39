// devmongod's memory per document (issue 13 §6), in-process: heap bytes in use (glibc's
// mallinfo2) after inserting N documents of 72 bytes of BSON ({_id, i, name, email}, as the
// issue measured), and again after one updateMany $set over all of them.
//   build/bench/memory_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <string>

#include "server/service.h"

namespace {

size_t HeapInUse() {
  malloc_trim(0);
  return mallinfo2().uordblks;
}

mm::Document Insert(int from, int to) {
  mm::Array docs;
  for (int i = from; i < to; ++i) {
    docs.items.emplace_back(mm::Document{{"_id", i},
                                         {"i", i},
                                         {"name", "user " + std::to_string(i)},
                                         {"email", "u" + std::to_string(i) + "@ex.com"}});
  }
  return mm::Document{{"insert", "users"}, {"documents", std::move(docs)}};
}

void BM_BytesPerDocument(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    const size_t before = HeapInUse();
    {
      mm::Service service(mm::commands::ServerOptions{}, mm::storage::MakeMemoryStorage());
      for (int i = 0; i < n; i += 10000) service.Run(Insert(i, std::min(n, i + 10000)), "bench");
      const size_t inserted = HeapInUse();
      service.Run(
          mm::Document{{"update", "users"},
                       {"updates", mm::Array{{mm::Value(mm::Document{
                                       {"q", mm::Document{}},
                                       {"u", mm::Document{{"$set", mm::Document{{"flag", true}}}}},
                                       {"multi", true}})}}}},
          "bench");
      const size_t updated = HeapInUse();
      state.counters["bytes/doc inserted"] = static_cast<double>(inserted - before) / n;
      state.counters["bytes/doc after updateMany"] = static_cast<double>(updated - before) / n;
    }
    state.ResumeTiming();
  }
}
BENCHMARK(BM_BytesPerDocument)->Arg(100000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
