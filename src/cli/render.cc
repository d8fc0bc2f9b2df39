#include "cli/render.h"

#include "cli/exit_codes.h"

#include "mongo/uri.h"

#include <cstdio>
#include <ctime>
#include <sstream>

#include <nlohmann/json.hpp>

namespace mm::cli {
namespace {

constexpr const char* kGreen = "32";
constexpr const char* kYellow = "33";
constexpr const char* kRed = "31";
constexpr const char* kDim = "2";

std::string Padded(int64_t version) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%03lld", static_cast<long long>(version));
  return buf;
}

// A record's detail as one table cell: its first line, at most 100 characters; `status -v`
// prints it whole.
std::string FirstLine(const std::string& detail) {
  std::string line = detail.substr(0, detail.find('\n'));
  if (line.size() > 100) line = line.substr(0, 97) + "...";
  return line.size() < detail.size() ? line + " (status -v: the whole error)" : line;
}

std::string StateText(const plan::StatusRow& r) {
  switch (r.state) {
    case plan::State::kApplied:
      return "applied " + (r.applied_at ? FormatUtc(*r.applied_at) : "");
    case plan::State::kPending:
      return "pending";
    case plan::State::kChanged:
      return "applied, but the file changed";
    case plan::State::kMissing:
      return "applied, but the file is missing";
    case plan::State::kRunning:
      return "RUNNING (unfinished): " + FirstLine(r.detail);
    case plan::State::kFailed:
      return "FAILED: " + FirstLine(r.detail);
    case plan::State::kAhead:
      return "applied, ahead of this release";
    case plan::State::kConflict:
      return std::string("CONFLICT: version shared") +
             (r.applied_at ? ", applied " + FormatUtc(*r.applied_at) : "");
  }
  return "";
}

}  // namespace

Renderer::Renderer(OutputOptions options, std::string command)
    : options_(std::move(options)), command_(std::move(command)) {}

std::string Renderer::Redact(std::string text) const {
  text = mongo::RedactSecrets(text);
  for (const std::string& secret : options_.secrets) {
    if (secret.empty()) continue;
    // Copied piecewise: searching again from the replacement would loop forever on a password
    // that "****" contains ("*").
    std::string out;
    size_t from = 0;
    for (size_t pos; (pos = text.find(secret, from)) != std::string::npos;
         from = pos + secret.size()) {
      out.append(text, from, pos - from).append("****");
    }
    text = out.append(text, from);
  }
  return text;
}

std::string Escaped(std::string_view data, bool keep_newlines) {
  std::string out;
  out.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    if (c == '\n' && keep_newlines) {
      out.push_back('\n');
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else if (c == 0xc2 && i + 1 < data.size() &&
               static_cast<unsigned char>(data[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(data[i + 1]) <= 0x9f) {
      // A C1 control (U+0080..U+009F, CSI among them) in UTF-8.
      char hex[10];
      std::snprintf(hex, sizeof hex, "\\u%04x", static_cast<unsigned char>(data[i + 1]));
      out += hex;
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string Renderer::Paint(const char* code, const std::string& text) const {
  if (!options_.color) return text;
  return std::string("\033[") + code + "m" + text + "\033[0m";
}

void Renderer::Line(const std::string& text, bool to_stderr) const {
  if (options_.json || options_.json_lines) return;
  if (options_.quiet && !to_stderr) return;
  std::fprintf(to_stderr ? stderr : stdout, "%s\n", Redact(text).c_str());
}

void Renderer::Context(const std::string& database, const std::string& redacted_uri, bool dry_run,
                       const std::string& origin) {
  database_ = database;
  uri_ = redacted_uri;
  dry_run_ = dry_run;
  // `schema` prints the snapshot on stdout, to be redirected into a file: its context goes to
  // stderr.
  Line(Paint(kDim, "mongo-migrate " + command_ + " on database " + database + " (" + redacted_uri +
                       (origin.empty() ? "" : "; " + origin) + ")" +
                       (dry_run ? " — dry run, nothing will be changed" : "")),
       /*to_stderr=*/command_ == "schema");
}

namespace {

// 1234567 → "1,234,567" (counts are never negative).
std::string Thousands(int64_t n) {
  const std::string digits = std::to_string(std::max<int64_t>(n, 0));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string Seconds(double s) {
  if (s < 60) return std::to_string(static_cast<int64_t>(s + 0.5)) + " s";
  const int64_t whole = static_cast<int64_t>(s + 0.5);
  return std::to_string(whole / 60) + " min " + std::to_string(whole % 60) + " s";
}

const char* EventName(RunEvent::Type type) {
  switch (type) {
    case RunEvent::Type::kPlanned:
      return "planned";
    case RunEvent::Type::kStarted:
      return "started";
    case RunEvent::Type::kFinished:
      return "finished";
    case RunEvent::Type::kFailed:
      return "failed";
    case RunEvent::Type::kNote:
      return "note";
    case RunEvent::Type::kWarning:
      return "warning";
    case RunEvent::Type::kOutput:
      return "output";
    case RunEvent::Type::kProgress:
      return "progress";
  }
  return "event";
}

}  // namespace

void Renderer::JsonLine(const RunEvent& e) const {
  using Json = nlohmann::ordered_json;
  Json j{{"event", EventName(e.type)},
         {"direction", e.direction == plan::Direction::kUp ? "up" : "down"}};
  if (e.migration) {
    j["version"] = e.migration->version;
    j["description"] = e.migration->description;
  }
  if (e.type == RunEvent::Type::kPlanned && e.plan) {
    Json versions = Json::array();
    for (const Migration& m : e.plan->steps) versions.push_back(m.version);
    j["versions"] = versions;
  }
  if (e.type == RunEvent::Type::kFinished || e.type == RunEvent::Type::kFailed) {
    j["durationMs"] = e.duration_ms;
  }
  if (e.type == RunEvent::Type::kFailed) {
    j["error"] = Json{{"message", Redact(e.error.message())}, {"code", e.error.code()}};
  }
  if (!e.note.empty()) j["text"] = Redact(e.note);
  if (e.progress) {
    j["collection"] = e.progress->collection;
    j["done"] = e.progress->done;
    if (e.progress->total) j["total"] = *e.progress->total;
    j["batches"] = e.progress->batches;
    j["seconds"] = e.progress->seconds;
    j["finished"] = e.progress->finished;
  }
  std::printf("%s\n", j.dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
  std::fflush(stdout);
}

// A batched update's progress: one line redrawn on a terminal; a line every few seconds (and
// the last) when piped, where a redrawn line would be noise in CI and container logs.
void Renderer::Progress(const RunEvent& e) {
  if (options_.json || options_.quiet || !e.progress) return;
  const BatchProgress& p = *e.progress;
  std::string line = Padded(e.migration->version) + " batchedUpdate " + Escaped(p.collection) +
                     ": " + Thousands(p.done);
  if (p.total) {
    line += "/" + Thousands(*p.total) + " documents";
    if (*p.total > 0) {
      line += " (" + std::to_string(std::min<int64_t>(100, p.done * 100 / *p.total)) + "%)";
    }
  } else {
    line += " documents";
  }
  if (p.seconds > 0 && p.batches > 0) {
    const double rate = static_cast<double>(p.done) / p.seconds;
    line += ", " + Thousands(static_cast<int64_t>(rate)) + "/s";
    if (p.total && !p.finished && rate > 0 && *p.total > p.done) {
      line += ", ETA " + Seconds(static_cast<double>(*p.total - p.done) / rate);
    }
  }
  if (p.finished) line += ", done in " + Seconds(p.seconds);
  if (options_.terminal) {
    std::printf("\r  %s\033[K%s", Redact(line).c_str(), p.finished ? "\n" : "");
    std::fflush(stdout);
    progress_open_ = !p.finished;
    return;
  }
  if (p.finished || p.batches == 0 || p.seconds - last_progress_line_ >= 2.0) {
    last_progress_line_ = p.seconds;
    Line("  " + line);
    std::fflush(stdout);
  }
}

void Renderer::Event(const RunEvent& e) {
  direction_ = e.direction;
  const bool up = e.direction == plan::Direction::kUp;
  if (options_.json_lines) JsonLine(e);
  if (progress_open_ && e.type != RunEvent::Type::kProgress) {
    std::printf("\n");  // the terminal's progress line stays, and the next line starts below it
    progress_open_ = false;
  }
  switch (e.type) {
    case RunEvent::Type::kProgress:
      Progress(e);
      break;
    case RunEvent::Type::kPlanned:
      for (const Migration& m : e.plan->steps) {
        planned_.push_back(m.version);
        if (dry_run_) {
          Line(std::string(up ? "would apply " : "would roll back ") + Padded(m.version) + " " +
               Escaped(m.description));
          const auto& action = up ? m.up : m.down;
          if (action) {
            for (const std::string& command : action->Describe()) {
              Line(Paint(kDim, "    " + Escaped(command)));
            }
          }
        }
      }
      if (e.plan->steps.empty()) Line(up ? "nothing to apply: up to date" : "nothing to roll back");
      break;
    case RunEvent::Type::kStarted:
      break;
    case RunEvent::Type::kNote:
      notes_.push_back(Redact(e.note));
      Line(Paint(kYellow, "  note: " + Escaped(e.note)));
      break;
    case RunEvent::Type::kOutput:
      output_.push_back(Redact(Padded(e.migration->version) + " | " + e.note));
      Line(Paint(kDim, "  " + Padded(e.migration->version) + " | ") + Escaped(e.note));
      break;
    case RunEvent::Type::kWarning:
      notes_.push_back(Redact(e.note));
      Line(Paint(kYellow, "warning: " + Escaped(e.note)), /*to_stderr=*/true);
      break;
    case RunEvent::Type::kFinished:
      ran_.push_back(Ran{e.migration->version, e.migration->description, up ? "up" : "down",
                         e.duration_ms, true, ""});
      Line(Paint(kGreen, options_.color ? (up ? "⬆ " : "⬇ ") : (up ? "up   " : "down ")) +
           Padded(e.migration->version) + " " + Escaped(e.migration->description) + " " +
           Paint(kDim, "(" + std::to_string(e.duration_ms) + " ms)"));
      break;
    case RunEvent::Type::kFailed:
      ran_.push_back(Ran{e.migration->version, e.migration->description, up ? "up" : "down",
                         e.duration_ms, false, Redact(e.error.message())});
      Line(Paint(kRed, options_.color ? "✖ " : "FAILED ") + Padded(e.migration->version) + " " +
           Escaped(e.migration->description));
      break;
  }
}

void Renderer::StatusTable(const std::vector<plan::StatusRow>& rows) {
  status_ = rows;
  have_status_ = true;
  if (options_.json) return;
  // The version column is as wide as the longest version (3-digit and 14-digit timestamp
  // versions alike); on a terminal each row starts with a symbol: indent the header to match.
  size_t width = std::string("Version").size();
  for (const auto& r : rows) width = std::max(width, Padded(r.version).size());
  auto column = [&](std::string text) {
    text.resize(std::max(text.size(), width + 2), ' ');
    return text;
  };
  Line(std::string(options_.color ? "   " : "") + column("Version") +
       "State                           Description");
  Line(std::string(72, '-'));
  for (const auto& r : rows) {
    std::string state = Escaped(StateText(r));
    state.resize(std::max<size_t>(state.size(), 30), ' ');
    const bool fine = r.state == plan::State::kApplied || r.state == plan::State::kAhead;
    const char* color = fine ? kGreen : r.state == plan::State::kPending ? kYellow : kRed;
    std::string symbol = !options_.color                    ? ""
                         : fine                             ? "✅ "
                         : r.state == plan::State::kPending ? "⏳ "
                                                            : "⚠️  ";
    Line(symbol + column(Padded(r.version)) + Paint(color, state) + "  " + Escaped(r.description));
    const bool has_error = r.state == plan::State::kFailed || r.state == plan::State::kRunning;
    if (options_.verbose && has_error && !r.detail.empty()) {
      std::istringstream lines(r.detail);
      for (std::string line; std::getline(lines, line);) Line("    " + Escaped(line));
    }
  }
  Line(std::string(72, '-'));
  // "Applied: X/Y" counts only what is applied and unchanged, out of the files there are; every
  // other state is named beside it, so that nothing hides in the total.
  const plan::StateCounts c = plan::CountStates(rows);
  std::string summary = "Applied: " + std::to_string(c.applied) + "/" + std::to_string(c.files);
  for (auto [count, name] : {std::pair{c.pending, "pending"},
                             {c.failed, "failed"},
                             {c.running, "running"},
                             {c.changed, "changed"},
                             {c.missing, "missing"},
                             {c.ahead, "ahead of this release"},
                             {c.conflict, "sharing a version"}}) {
    if (count) summary += ", " + std::to_string(count) + " " + name;
  }
  Line(summary);
  // Each conflict once, with both files and the fix.
  std::string said;
  for (const auto& r : rows) {
    if (r.state != plan::State::kConflict || r.detail == said) continue;
    said = r.detail;
    Line(Paint(kRed, Escaped(r.detail)));
  }
}

void Renderer::HistoryTable(const std::vector<HistoryEntry>& entries) {
  history_ = entries;
  if (entries.empty()) {
    Line("no history records in this database's history collection");
    return;
  }
  size_t width = std::string("Version").size();
  for (const auto& e : entries) width = std::max(width, Padded(e.version).size());
  auto column = [](std::string text, size_t at) {
    text.resize(std::max(text.size(), at), ' ');
    return text;
  };
  Line(column("Version", width + 2) + column("State", 11) + column("When", 26) + column("By", 24) +
       column("Duration", 10) + "Tool");
  Line(std::string(96, '-'));
  for (const auto& e : entries) {
    const bool bad = e.status == "failed" || e.status == "running" || e.status == "reverting";
    Line(column(Padded(e.version), width + 2) +
         Paint(bad ? kRed : kGreen, column(Escaped(e.status), 11)) +
         column(e.when ? FormatUtc(*e.when) : "-", 26) + column(Escaped(e.by), 24) +
         column(e.duration_ms ? std::to_string(*e.duration_ms) + " ms" : "-", 10) +
         Escaped(e.tool_version));
    if (!e.error.empty()) Line(Paint(kRed, "  error: ") + Escaped(e.error, /*keep_newlines=*/true));
  }
}

void Renderer::LockLine(const std::optional<LockInfo>& lock) {
  if (!lock) return;
  lock_ = lock->holder;
  lock_live_ = lock->live;
  Line(Paint(lock->live ? kYellow : kDim,
             std::string(lock->live ? "Locked" : "Expired lock") + " by " + Escaped(lock->holder)));
}

void Renderer::Message(const std::string& text) {
  messages_.push_back(Redact(text));
  Line(Escaped(text, /*keep_newlines=*/true));
}

void Renderer::ReportLine(const std::string& text, Tone tone) {
  const char* color = tone == Tone::kGood      ? kGreen
                      : tone == Tone::kWarning ? kYellow
                      : tone == Tone::kBad     ? kRed
                      : tone == Tone::kDim     ? kDim
                                               : nullptr;
  const std::string line = Escaped(text);
  Line(color ? Paint(color, line) : line);
}

void Renderer::JsonField(const std::string& key, const std::string& json) {
  json_fields_.emplace_back(key, json);
}

void Renderer::Created(const std::string& path, int64_t version, bool dry_run) {
  created_path_ = path;
  created_version_ = version;
  Line((dry_run ? "dry run: would create " : "created ") + path);
}

int Renderer::Fail(const Status& status, std::optional<int> exit_code) {
  const int code = exit_code ? *exit_code : ExitFor(status);
  Failure(status, code);
  Finish(false);
  return code;
}

void Renderer::Failure(const Status& status, int exit_code) {
  failure_ = std::make_pair(status, exit_code);
  if (!options_.json && !options_.json_lines) {
    std::fprintf(stderr, "%s\n",
                 Redact(Paint(kRed, "error: ") + Escaped(status.message(), true)).c_str());
  }
}

void Renderer::Finish(bool ok) {
  if (!options_.json && !options_.json_lines) {
    if (ok && command_ == "redo") {
      // planned_ and ran_ hold both passes: the rollback, then the same versions again.
      const size_t n = (dry_run_ ? planned_.size() : ran_.size()) / 2;
      Line(dry_run_
               ? std::to_string(n) + " migration(s) would be rolled back and applied again"
               : Paint(kGreen, std::to_string(n) + " migration(s) rolled back and applied again"));
    } else if (ok && (command_ == "up" || command_ == "down")) {
      const char* verb = direction_ == plan::Direction::kUp ? "applied" : "rolled back";
      if (dry_run_) {
        Line(std::to_string(planned_.size()) + " migration(s) would be " + verb);
      } else {
        Line(Paint(kGreen, std::to_string(ran_.size()) + " migration(s) " + verb));
      }
    }
    return;
  }
  using Json = nlohmann::ordered_json;
  Json out;
  if (options_.json_lines) out["event"] = "result";
  out["command"] = command_;
  out["ok"] = ok;
  if (!database_.empty()) {
    out["database"] = database_;
    out["uri"] = Redact(uri_);
  }
  if (command_ == "up" || command_ == "down" || command_ == "redo") {
    out["dryRun"] = dry_run_;
    out["planned"] = planned_;
    Json ran = Json::array();
    for (const Ran& r : ran_) {
      Json j{{"version", r.version},
             {"description", r.description},
             {"direction", r.direction},
             {"durationMs", r.duration_ms},
             {"ok", r.ok}};
      if (!r.ok) j["error"] = r.error;
      ran.push_back(j);
    }
    out["ran"] = ran;
    out["notes"] = notes_;
    if (!output_.empty()) out["output"] = output_;
  }
  if (have_status_) {
    Json rows = Json::array();
    for (const auto& r : status_) {
      Json j{{"version", r.version},
             {"description", r.description},
             {"file", r.file},
             {"state", std::string(plan::StateName(r.state))}};
      if (r.applied_at) j["appliedAt"] = FormatUtc(*r.applied_at);
      if (!r.detail.empty()) j["detail"] = Redact(r.detail);
      rows.push_back(j);
    }
    const plan::StateCounts c = plan::CountStates(status_);
    out["migrations"] = rows;
    out["applied"] = c.applied;
    out["total"] = c.files;
    out["counts"] = Json{{"applied", c.applied}, {"pending", c.pending},  {"failed", c.failed},
                         {"running", c.running}, {"changed", c.changed},  {"missing", c.missing},
                         {"ahead", c.ahead},     {"conflict", c.conflict}};
  }
  if (history_) {
    Json records = Json::array();
    for (const auto& e : *history_) {
      Json j{{"version", e.version}, {"status", e.status}, {"description", e.description}};
      j["when"] = e.when ? Json(FormatUtc(*e.when)) : Json(nullptr);
      j["by"] = e.by;
      j["durationMs"] = e.duration_ms ? Json(*e.duration_ms) : Json(nullptr);
      j["toolVersion"] = e.tool_version;
      if (!e.error.empty()) j["error"] = Redact(e.error);
      records.push_back(j);
    }
    out["records"] = records;
  }
  if (!lock_.empty()) out["lock"] = Json{{"holder", Redact(lock_)}, {"live", lock_live_}};
  if (!messages_.empty()) out["messages"] = messages_;
  if (!created_path_.empty()) {
    out["file"] = created_path_;
    out["version"] = created_version_;
  }
  for (const auto& [key, json] : json_fields_) {
    out[key] = Json::parse(Redact(json), nullptr, /*allow_exceptions=*/false);
  }
  if (failure_) {
    out["error"] = Json{{"message", Redact(failure_->first.message())},
                        {"code", failure_->first.code()},
                        {"exitCode", failure_->second}};
  }
  // File names, descriptions and errors are bytes from disks and other clients, not always
  // UTF-8: replace what is not (U+FFFD) instead of throwing type_error 316.
  std::printf(
      "%s\n",
      out.dump(options_.json_lines ? -1 : 2, ' ', false, Json::error_handler_t::replace).c_str());
}

}  // namespace mm::cli
