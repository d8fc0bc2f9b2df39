// `verify`: rehearse the pending migrations on a private devmongod.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/config.h"
#include "cli/exit_codes.h"
#include "cli/rehearse_commands.h"
#include "mongomigrate/rehearsal.h"
#include "source/source.h"
#include "value/bson_codec.h"

namespace mm::cli {
namespace {

using Json = nlohmann::ordered_json;
using Outcome = RehearsalResult::Outcome;

// --devmongod, else the devmongod beside this program (an installed package, a build tree),
// else the first on PATH.
StatusOr<std::string> FindDevmongod(const Options& o) {
  if (!o.devmongod.empty()) return o.devmongod;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (auto candidate :
         {self.parent_path() / "devmongod", self.parent_path() / "server" / "devmongod"}) {
      if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  if (const char* path = std::getenv("PATH")) {
    std::istringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
      auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / "devmongod";
      if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  return Status(kBadValue,
                "no devmongod to rehearse on: none beside mongo-migrate or on PATH; give its path "
                "with --devmongod PATH");
}

// Where the rehearsal starts: a schema, sample documents, and the versions still to come.
struct Start {
  std::string from;  // for the first line: "an empty database", "the snapshot …", "…"
  std::string database = "rehearsal";
  Schema schema;
  std::vector<std::pair<std::string, std::vector<Document>>> samples;
  std::vector<Migration> pending;
  std::vector<std::string> warnings;
};

StatusOr<Start> FromLive(const Options& o, std::vector<Migration> migrations) {
  auto resolved = ResolveUri(o.uri_sources);
  if (!resolved.ok()) return resolved.status();
  auto client = mongo::Client::Open(resolved->uri, /*single_threaded=*/true);
  if (!client.ok()) return client.status();
  Start start;
  start.database = o.database.value_or((*client)->default_database());
  if (start.database.empty()) {
    return Status(kBadValue, "the URI from " + resolved->source + " names no database");
  }
  mongo::Database live = (*client)->database(start.database);
  RunnerOptions options;
  options.history_collection = o.collection;
  options.lock_collection = o.lock_collection;
  options.migrate_mongo = o.migrate_mongo;
  Runner runner(live, std::move(migrations), options);
  // Reads only: status takes no lock and writes nothing (a migrate-mongo changelog is
  // reconciled in memory).
  auto rows = runner.Status(/*load_all=*/false);
  if (!rows.ok()) return rows.status();
  for (const plan::StatusRow& row : *rows) {
    if (row.state != plan::State::kPending || (o.target && row.version > *o.target)) continue;
    for (const Migration& m : runner.migrations()) {
      if (m.version == row.version) start.pending.push_back(m);
    }
  }
  auto schema = ReadSchema(live, ToolCollections(o));
  if (!schema.ok()) return schema.status();
  start.schema = std::move(schema).value();
  if (o.sample > 0) {
    for (const CollectionSchema& c : start.schema.collections) {
      if (c.type == "view") continue;
      std::vector<Document> docs;
      MM_RETURN_IF_ERROR(
          live.ForEach(Document{{"find", c.name}, {"limit", o.sample}, {"batchSize", o.sample}},
                       [&](Document&& d) {
                         docs.push_back(std::move(d));
                         return Status::Ok();
                       }));
      start.samples.emplace_back(c.name, std::move(docs));
    }
  }
  start.from = "the live database " + start.database + " (read only)";
  return start;
}

StatusOr<Start> FromSnapshot(const Options& o, std::vector<Migration> migrations) {
  auto snapshot = ReadSnapshotFile(o.schema_file);
  if (!snapshot.ok()) return snapshot.status();
  Start start;
  start.schema = std::move(snapshot->schema);
  for (const auto& [version, checksum] : snapshot->checksums) {
    for (const Migration& m : migrations) {
      if (m.version == version && m.checksum != checksum) {
        start.warnings.push_back(m.file +
                                 " changed since the snapshot was taken: the starting "
                                 "schema may not be what it gives now");
      }
    }
  }
  for (Migration& m : migrations) {
    if (m.version > snapshot->version && (!o.target || m.version <= *o.target)) {
      start.pending.push_back(std::move(m));
    }
  }
  start.from =
      "the snapshot " + o.schema_file + " (version " + std::to_string(snapshot->version) + ")";
  return start;
}

Renderer::Tone ToneOf(Outcome outcome, bool strict) {
  switch (outcome) {
    case Outcome::kPassed:
      return Renderer::Tone::kGood;
    case Outcome::kIrreversible:
    case Outcome::kNotIdempotent:
      return strict ? Renderer::Tone::kBad : Renderer::Tone::kWarning;
    case Outcome::kCannotRehearse:
    case Outcome::kNotRun:
      return Renderer::Tone::kWarning;
    case Outcome::kFailed:
      return Renderer::Tone::kBad;
  }
  return Renderer::Tone::kPlain;
}

std::string Mark(Outcome outcome, bool strict, bool symbols) {
  const bool bad =
      outcome == Outcome::kFailed ||
      (strict && (outcome == Outcome::kIrreversible || outcome == Outcome::kNotIdempotent));
  if (outcome == Outcome::kPassed) return symbols ? "✓" : "ok  ";
  if (bad) return symbols ? "✗" : "FAIL";
  if (outcome == Outcome::kNotRun || outcome == Outcome::kCannotRehearse) {
    return symbols ? "○" : "skip";
  }
  return symbols ? "!" : "warn";
}

std::string Padded(int64_t version) {
  std::string v = std::to_string(version);
  return v.size() < 3 ? std::string(3 - v.size(), '0') + v : v;
}

}  // namespace

int VerifyCommand(const Options& o, Renderer& out, const std::function<int()>& interrupted) {
  auto migrations = source::LoadDirectory(o.dir, o.only_extension);
  if (!migrations.ok()) return out.Fail(migrations.status());
  if (Status unique = plan::CheckUniqueVersions(*migrations); !unique.ok()) return out.Fail(unique);
  const bool snapshot_exists = !o.schema_file.empty() && std::filesystem::exists(o.schema_file);
  if (o.from_snapshot && o.schema_file.empty()) {
    return out.Fail(
        Status(kBadValue,
               "--from-snapshot needs a snapshot: set schema_file in mongo-migrate.toml "
               "or pass --schema-file FILE"));
  }
  if (o.sample > 0 && !o.from_live) {
    return out.Fail(Status(kBadValue,
                           "--sample copies documents from the live database: it needs "
                           "--from-live"));
  }
  StatusOr<Start> start = Status(kInternalError, "");
  if (o.from_live) {
    start = FromLive(o, std::move(migrations).value());
  } else if (o.from_snapshot || snapshot_exists) {
    start = FromSnapshot(o, std::move(migrations).value());
  } else {
    Start empty;
    empty.from = "an empty database";
    for (Migration& m : *migrations) {
      if (!o.target || m.version <= *o.target) empty.pending.push_back(std::move(m));
    }
    start = std::move(empty);
  }
  if (!start.ok()) return out.Fail(start.status());
  for (const std::string& w : start->warnings) {
    out.ReportLine("warning: " + w, Renderer::Tone::kWarning);
  }

  auto found = FindDevmongod(o);
  if (!found.ok()) return out.Fail(found.status());
  const std::string devmongod = *found;
  auto shadow = ShadowServer::Start(devmongod);
  if (!shadow.ok()) return out.Fail(shadow.status());
  auto client = mongo::Client::Open((*shadow)->uri(start->database), /*single_threaded=*/false);
  if (!client.ok()) return out.Fail(client.status());
  mongo::Database db = (*client)->database(start->database);
  if (Status created = CreateSchema(db, start->schema); !created.ok()) {
    return out.Fail(created.Reworded("the shadow devmongod could not take the starting schema: " +
                                     created.message()));
  }
  size_t sampled = 0;
  for (const auto& [collection, docs] : start->samples) {
    // In inserts well under a message's 16 MiB, past the validator (documents from before a
    // validator are as they are in the live database).
    for (size_t i = 0; i < docs.size();) {
      Array batch;
      size_t bytes = 0;
      for (; i < docs.size() && batch.items.size() < 1000 && bytes < 8 * 1024 * 1024; ++i) {
        bytes += BsonSize(docs[i]);
        batch.items.push_back(docs[i]);
      }
      auto inserted = db.RunCommand(Document{
          {"insert", collection}, {"documents", batch}, {"bypassDocumentValidation", true}});
      if (!inserted.ok()) return out.Fail(inserted.status());
    }
    sampled += docs.size();
  }

  out.ReportLine("verify: rehearsing " + std::to_string(start->pending.size()) +
                     " migration(s) on a private devmongod, from " + start->from +
                     (sampled ? " with " + std::to_string(sampled) + " sample document(s)" : ""),
                 Renderer::Tone::kDim);
  RehearsalOptions options;
  options.history_collection = o.collection;
  options.lock_collection = o.lock_collection;
  options.strict = o.strict;
  options.interrupted = interrupted;
  Json results = Json::array();
  auto report = Rehearse(
      **shadow, start->database, std::move(start->pending), options, [&](const RehearsalResult& r) {
        std::string line = "  " + Mark(r.outcome, o.strict, out.symbols()) + " " +
                           Padded(r.version) + " " + r.description + "  " +
                           std::to_string(r.duration_ms) + " ms";
        if (r.outcome != Outcome::kPassed)
          line += "  (" + std::string(OutcomeName(r.outcome)) + ")";
        out.ReportLine(line, ToneOf(r.outcome, o.strict));
        for (const std::string& p : r.problems) out.ReportLine("      " + p);
        if (r.outcome == Outcome::kIrreversible) {
          out.ReportLine("      no down: it cannot be rolled back; its up was rehearsed");
        }
        results.push_back(Json{{"version", r.version},
                               {"description", r.description},
                               {"file", r.file},
                               {"outcome", std::string(OutcomeName(r.outcome))},
                               {"reversible", r.reversible},
                               {"idempotent", r.idempotent},
                               {"problems", r.problems},
                               {"durationMs", r.duration_ms}});
      });
  if (!report.ok()) {
    if (report.status().kind() == FailureKind::kConnection) {
      return out.Fail(
          report.status().Reworded("the shadow devmongod (" + devmongod +
                                   ") stopped answering: " + report.status().message()));
    }
    return out.Fail(report.status());
  }
  size_t counts[6] = {};
  for (const RehearsalResult& r : report->results) ++counts[static_cast<int>(r.outcome)];
  std::string summary;
  for (Outcome outcome : {Outcome::kPassed, Outcome::kFailed, Outcome::kIrreversible,
                          Outcome::kNotIdempotent, Outcome::kCannotRehearse, Outcome::kNotRun}) {
    size_t n = counts[static_cast<int>(outcome)];
    if (n)
      summary += (summary.empty() ? "" : ", ") + std::to_string(n) + " " +
                 std::string(OutcomeName(outcome));
  }
  const bool passed = report->Passed();
  out.JsonField("verify", Json{{"from", start->from},
                               {"devmongod", devmongod},
                               {"strict", o.strict},
                               {"passed", passed},
                               {"results", results}}
                              .dump());
  if (report->results.empty()) {
    out.ReportLine("nothing to rehearse: no pending migration", Renderer::Tone::kGood);
  } else {
    out.ReportLine(summary, passed ? Renderer::Tone::kGood : Renderer::Tone::kBad);
  }
  if (!passed) {
    return out.Fail(Status(kBadValue, "verify failed: " + summary +
                                          (o.strict ? ""
                                                    : " (irreversible and non-idempotent "
                                                      "migrations fail only under --strict)")),
                    kMigrationFailed);
  }
  out.Finish(true);
  return kSuccess;
}

}  // namespace mm::cli
