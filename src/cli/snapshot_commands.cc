// `schema`, `diff`, the snapshot rewrite after up/down, and validate's drift check.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/exit_codes.h"
#include "cli/rehearse_commands.h"

namespace mm::cli {
namespace {

using Json = nlohmann::ordered_json;

// The whole file; errors name it.
StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status(kBadValue, "cannot read the schema snapshot " + path + ": " +
                                 std::strerror(errno) +
                                 " (write one with `mongo-migrate schema --out " + path + "`)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Beside the target, then renamed over it: a reader never sees half a snapshot.
Status WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string temp = path + ".tmp-" + std::to_string(getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status(kBadValue, "cannot write " + path + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool written = done == text.size() && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!written || std::rename(temp.c_str(), path.c_str()) != 0) {
    const int why = written ? errno : err;
    std::remove(temp.c_str());
    return Status(kBadValue, "cannot write " + path + ": " + std::strerror(why));
  }
  return Status::Ok();
}

const char* KindName(SchemaDifference::Kind k) {
  switch (k) {
    case SchemaDifference::Kind::kAdded:
      return "added";
    case SchemaDifference::Kind::kRemoved:
      return "removed";
    case SchemaDifference::Kind::kChanged:
      return "changed";
  }
  return "";
}

Status NoSchemaFile() {
  return Status(kBadValue,
                "no schema snapshot to compare with: set schema_file in mongo-migrate.toml (e.g. "
                "schema_file = \"migrations/schema.json\") or pass --schema-file FILE; "
                "`mongo-migrate schema --out FILE` writes one");
}

}  // namespace

StatusOr<SchemaSnapshot> ReadSnapshotFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseSnapshot(*text, path);
}

StatusOr<SchemaSnapshot> LiveSnapshot(mongo::Database& db, Runner& runner, const Options& o) {
  auto rows = runner.Status();
  if (!rows.ok()) return rows.status();
  SchemaSnapshot snapshot;
  for (const plan::StatusRow& row : *rows) {
    // Every version the history records as applied counts, with or without its file.
    const bool applied = row.state == plan::State::kApplied || row.state == plan::State::kChanged ||
                         row.state == plan::State::kAhead || row.state == plan::State::kMissing;
    if (!applied) continue;
    snapshot.version = std::max(snapshot.version, row.version);
    if (row.state != plan::State::kApplied) continue;  // its file's checksum is not what ran
    for (const Migration& m : runner.migrations()) {
      if (m.version == row.version) snapshot.checksums.emplace_back(m.version, m.checksum);
    }
  }
  auto schema = ReadSchema(db, ToolCollections(o));
  if (!schema.ok()) return schema.status();
  snapshot.schema = std::move(schema).value();
  return snapshot;
}

int SchemaCommand(mongo::Database& db, Runner& runner, const Options& o, Renderer& out) {
  auto snapshot = LiveSnapshot(db, runner, o);
  if (!snapshot.ok()) {
    return out.Fail(snapshot.status());
  }
  const std::string text = SnapshotJson(*snapshot);
  if (!o.out_file.empty()) {
    if (Status written = WriteFileAtomically(o.out_file, text); !written.ok()) {
      return out.Fail(written, kUsage);
    }
    out.Message("wrote the schema of " + std::to_string(snapshot->schema.collections.size()) +
                " collection(s) at version " + std::to_string(snapshot->version) + " to " +
                o.out_file);
  } else if (o.json || o.json_lines) {
    out.JsonField("schema", text);
  } else {
    std::fputs(text.c_str(), stdout);
  }
  out.Finish(true);
  return kSuccess;
}

int DiffCommand(mongo::Database& db, Runner& runner, const Options& o, Renderer& out) {
  if (o.schema_file.empty()) return out.Fail(NoSchemaFile());
  auto expected = ReadSnapshotFile(o.schema_file);
  if (!expected.ok()) return out.Fail(expected.status());
  auto live = LiveSnapshot(db, runner, o);
  if (!live.ok()) return out.Fail(live.status());
  const auto differences = DiffSchemas(expected->schema, live->schema);
  Json list = Json::array();
  for (const SchemaDifference& d : differences) {
    Json j{{"kind", KindName(d.kind)}, {"object", d.object}};
    j["expected"] = d.expected.empty() ? Json(nullptr) : Json::parse(d.expected, nullptr, false);
    j["actual"] = d.actual.empty() ? Json(nullptr) : Json::parse(d.actual, nullptr, false);
    list.push_back(j);
  }
  out.JsonField("snapshot", Json(o.schema_file).dump());
  out.JsonField("drift", differences.empty() ? "false" : "true");
  out.JsonField("differences", list.dump());
  const std::string versions = live->version == expected->version
                                   ? ""
                                   : " (the database is at version " +
                                         std::to_string(live->version) + ", the snapshot at " +
                                         std::to_string(expected->version) + ")";
  if (differences.empty()) {
    out.ReportLine("the live schema matches " + o.schema_file + versions, Renderer::Tone::kGood);
    out.Finish(true);
    return kSuccess;
  }
  out.ReportLine(std::to_string(differences.size()) + " difference(s) between " + o.schema_file +
                     " (expected) and the live schema" + versions + ":",
                 Renderer::Tone::kBad);
  for (const SchemaDifference& d : differences) {
    const char* mark = d.kind == SchemaDifference::Kind::kAdded     ? "+ "
                       : d.kind == SchemaDifference::Kind::kRemoved ? "- "
                                                                    : "~ ";
    out.ReportLine(std::string("  ") + mark + Describe(d));
  }
  return out.Fail(Status(kBadValue, "the live schema has drifted from " + o.schema_file +
                                        ": a change made outside the migrations, or a snapshot "
                                        "not rewritten (run `mongo-migrate schema --out " +
                                        o.schema_file + "` once the change is understood)"),
                  kMigrationFailed);
}

void RewriteSnapshot(mongo::Database& db, Runner& runner, const Options& o, Renderer& out) {
  if (o.schema_file.empty() || o.dry_run) return;
  auto snapshot = LiveSnapshot(db, runner, o);
  Status written = snapshot.ok() ? WriteFileAtomically(o.schema_file, SnapshotJson(*snapshot))
                                 : snapshot.status();
  if (!written.ok()) {
    out.ReportLine("warning: the schema snapshot was not rewritten: " + written.message(),
                   Renderer::Tone::kWarning);
    out.JsonField("schemaFileWarning", Json(written.message()).dump());
    return;
  }
  out.ReportLine("schema snapshot " + o.schema_file + " rewritten (version " +
                     std::to_string(snapshot->version) + ")",
                 Renderer::Tone::kDim);
}

StatusOr<std::vector<std::string>> SchemaDrift(mongo::Database& db, Runner& runner,
                                               const Options& o, std::string& note) {
  std::vector<std::string> lines;
  if (o.schema_file.empty()) return lines;
  auto expected = ReadSnapshotFile(o.schema_file);
  if (!expected.ok()) return expected.status();
  auto live = LiveSnapshot(db, runner, o);
  if (!live.ok()) return live.status();
  if (live->version != expected->version) {
    note = "schema not compared with " + o.schema_file + ": the database is at version " +
           std::to_string(live->version) + ", the snapshot at " + std::to_string(expected->version);
    return lines;
  }
  for (const SchemaDifference& d : DiffSchemas(expected->schema, live->schema)) {
    lines.push_back(Describe(d));
  }
  note = "the live schema matches " + o.schema_file;
  return lines;
}

}  // namespace mm::cli
