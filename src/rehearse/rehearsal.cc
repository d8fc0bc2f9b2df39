// Rehearsing each pending migration on a shadow database: up, down, up again, up once more.
#include <chrono>
#include <map>

#include "mongomigrate/rehearsal.h"
#include "mongomigrate/runner.h"
#include "source/source.h"
#include "value/bson_codec.h"

namespace mm {
namespace {

using Outcome = RehearsalResult::Outcome;
using Kind = SchemaDifference::Kind;

// What a step leaves: the schema, and per collection its document count and a digest of its
// documents in _id order (the shadow holds a schema and samples: small). An empty collection
// with no options and only its _id index is left out: MongoDB creates exactly that by itself on
// the first write or createIndexes, so an application cannot tell it from no collection, and a
// `down` that drops an up's indexes but not the collection they implicitly created is right.
struct State {
  Schema schema;
  std::map<std::string, std::pair<size_t, std::string>> data;
};

StatusOr<State> Capture(mongo::Database& db, const RehearsalOptions& options) {
  State state;
  auto schema = ReadSchema(db, {options.history_collection, options.lock_collection});
  if (!schema.ok()) return schema.status();
  state.schema = std::move(schema).value();
  std::vector<CollectionSchema> kept;
  for (CollectionSchema& c : state.schema.collections) {
    if (c.type == "view") {
      kept.push_back(std::move(c));
      continue;
    }
    auto docs = db.Find(c.name, Document{}, Document{{"_id", 1}});
    if (!docs.ok()) return docs.status();
    const bool implicit = docs->empty() && c.options.empty() && c.indexes.size() <= 1;
    if (implicit) continue;
    std::string bytes;
    for (const Document& d : *docs) bytes += EncodeBson(d);
    state.data[c.name] = {docs->size(), source::Sha256Hex(bytes)};
    kept.push_back(std::move(c));
  }
  state.schema.collections = std::move(kept);
  return state;
}

// Sentences for what `actual` does differently from `expected`, after `step`.
std::vector<std::string> Compare(const State& expected, const State& actual,
                                 const std::string& step, const std::string& expected_when) {
  std::vector<std::string> out;
  for (const SchemaDifference& d : DiffSchemas(expected.schema, actual.schema)) {
    // A plain, empty collection that should not be there is there only for what it holds
    // beyond what MongoDB would create by itself: name its indexes.
    if (d.kind == Kind::kAdded && d.object.starts_with("collection ")) {
      const std::string name = d.object.substr(std::string("collection ").size());
      const CollectionSchema* c = nullptr;
      for (const CollectionSchema& candidate : actual.schema.collections) {
        if (candidate.name == name) c = &candidate;
      }
      auto data = actual.data.find(name);
      if (c && c->options.empty() && data != actual.data.end() && data->second.first == 0) {
        for (const Document& index : c->indexes) {
          const Value* index_name = index.Get("name");
          if (!index_name || !index_name->Is<std::string>() ||
              index_name->As<std::string>() == "_id_") {
            continue;
          }
          out.push_back("index " + name + "." + index_name->As<std::string>() +
                        " is still there after " + step + " (" + expected_when +
                        " it was not): " + ToRelaxedJson(index));
        }
        continue;
      }
    }
    switch (d.kind) {
      case Kind::kAdded:
        out.push_back(d.object + " is still there after " + step + " (" + expected_when +
                      " it was not): " + d.actual);
        break;
      case Kind::kRemoved:
        out.push_back(d.object + " is gone after " + step + " (" + expected_when +
                      " it was there): " + d.expected);
        break;
      case Kind::kChanged:
        out.push_back(d.object + " after " + step + " is " + d.actual + "; " + expected_when +
                      " it was " + d.expected);
        break;
    }
  }
  for (const auto& [name, digest] : actual.data) {
    auto before = expected.data.find(name);
    if (before == expected.data.end() || before->second == digest) continue;
    out.push_back("the documents of " + name + " after " + step + " differ from " + expected_when +
                  " (" + std::to_string(before->second.first) + " then, " +
                  std::to_string(digest.first) + " now)");
  }
  return out;
}

// A step devmongod refuses as MongoDB refuses what it does not know: the rehearsal cannot say.
bool Unimplemented(const Status& s) {
  return s.code() == kCommandNotFound || s.code() == kNotImplemented;
}

void Ignore(const RunEvent&) {}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed:
      return "passed";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kIrreversible:
      return "irreversible";
    case Outcome::kNotIdempotent:
      return "not idempotent";
    case Outcome::kCannotRehearse:
      return "cannot rehearse";
    case Outcome::kNotRun:
      return "not run";
  }
  return "unknown";
}

bool RehearsalReport::Passed() const {
  for (const RehearsalResult& r : results) {
    if (r.outcome == Outcome::kPassed) continue;
    if (!strict && (r.outcome == Outcome::kIrreversible || r.outcome == Outcome::kNotIdempotent)) {
      continue;
    }
    return false;
  }
  return true;
}

StatusOr<RehearsalReport> Rehearse(ShadowServer& server, const std::string& database,
                                   std::vector<Migration> pending, const RehearsalOptions& options,
                                   const std::function<void(const RehearsalResult&)>& each) {
  auto client = mongo::Client::Open(server.uri(database));
  if (!client.ok()) return client.status();
  mongo::Database shadow = (*client)->database(database);
  // The second `up` runs the action itself (the runner never applies a version twice): load the
  // deferred files here, once.
  for (Migration& m : pending) {
    if (!m.resolve) continue;
    auto resolve = std::move(m.resolve);
    m.resolve = nullptr;
    MM_RETURN_IF_ERROR(resolve(m));
  }
  RunnerOptions runner_options;
  runner_options.history_collection = options.history_collection;
  runner_options.lock_collection = options.lock_collection;
  runner_options.interrupted = options.interrupted;
  runner_options.allow_out_of_order = true;  // only the pending versions are known to it
  Runner runner(shadow, pending, runner_options);

  RehearsalReport report;
  report.strict = options.strict;
  bool stopped = false;
  // A failed migration whose steps all ran leaves the shadow as it left it: what follows is
  // rehearsed on that, and says so.
  std::string diverged;
  for (const Migration& m : pending) {
    RehearsalResult r;
    r.version = m.version;
    r.description = m.description;
    r.file = m.file;
    r.reversible = m.down != nullptr;
    const auto start = std::chrono::steady_clock::now();
    auto finish = [&](Outcome outcome) {
      r.outcome = outcome;
      r.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
      if (each) each(r);
      report.results.push_back(r);
    };
    if (stopped) {
      r.problems.push_back("not rehearsed: an earlier migration stopped the rehearsal");
      finish(Outcome::kNotRun);
      continue;
    }
    // A failed step: devmongod's refusal is "cannot rehearse", anything else a failure. Either
    // way the shadow's state is unknown from here on.
    auto failed = [&](const std::string& step, const Status& s) {
      // Interrupted, or the shadow itself stopped answering: the rehearsal's own failure.
      if (s.kind() == FailureKind::kInterrupted || s.kind() == FailureKind::kConnection) {
        return false;
      }
      stopped = true;
      if (Unimplemented(s)) {
        r.problems.push_back("cannot rehearse: devmongod does not implement what " + step +
                             " uses (" + s.message() + ")");
        finish(Outcome::kCannotRehearse);
      } else {
        r.problems.push_back(step + " failed: " + s.message());
        finish(Outcome::kFailed);
      }
      return true;
    };

    bool broken = false;  // down or the second apply left something they should not
    auto differs = [&](std::vector<std::string> problems) {
      broken = broken || !problems.empty();
      for (std::string& p : problems) r.problems.push_back(std::move(p));
    };
    auto s0 = Capture(shadow, options);
    if (!s0.ok()) return s0.status();
    auto up = runner.Up(m.version, Ignore);
    if (!up.ok()) {
      if (failed("up", up.status())) continue;
      return up.status();
    }
    auto s1 = Capture(shadow, options);
    if (!s1.ok()) return s1.status();
    if (r.reversible) {
      auto down = runner.Down(1, Ignore);
      if (!down.ok()) {
        if (failed("down", down.status())) continue;
        return down.status();
      }
      auto s2 = Capture(shadow, options);
      if (!s2.ok()) return s2.status();
      differs(Compare(*s0, *s2, "down", "before up"));
      auto again = runner.Up(m.version, Ignore);
      if (!again.ok()) {
        if (failed("up after down", again.status())) continue;
        return again.status();
      }
      auto s3 = Capture(shadow, options);
      if (!s3.ok()) return s3.status();
      differs(Compare(*s1, *s3, "up after down", "after the first up"));
      s1 = std::move(s3);
    }
    // Idempotence: the action once more, on its own result, outside the history.
    ActionOutput out;
    out.note = [](const std::string&) {};
    out.print = [](const std::string&) {};
    Status second = m.up->Run(shadow, out);
    if (!second.ok()) {
      if (second.kind() == FailureKind::kInterrupted || second.kind() == FailureKind::kConnection) {
        return second;
      }
      r.idempotent = false;
      r.problems.push_back("a second up on its own result fails: " + second.message());
    } else {
      auto s4 = Capture(shadow, options);
      if (!s4.ok()) return s4.status();
      std::vector<std::string> changed = Compare(*s1, *s4, "a second up", "after the first");
      if (!changed.empty()) r.idempotent = false;
      for (std::string& p : changed) r.problems.push_back(p);
    }
    if (!diverged.empty()) {
      r.problems.push_back("rehearsed on what " + diverged + " left behind (it failed above)");
    }
    if (broken && diverged.empty()) diverged = m.file.empty() ? std::to_string(m.version) : m.file;
    finish(broken          ? Outcome::kFailed
           : !r.idempotent ? Outcome::kNotIdempotent
           : !r.reversible ? Outcome::kIrreversible
                           : Outcome::kPassed);
  }
  return report;
}

}  // namespace mm
