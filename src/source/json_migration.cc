// The JSON migration format:
//   {"version": 1, "description": "…", "up": [STEP, …], "down": [STEP, …], "comment": "…"}
// A STEP is a database command ({"createIndexes": "users", …}) sent as is, or
//   {"command": {…}, "tolerate": ["IndexNotFound", 26]}
// which sends only the inner command and carries on when the server answers with one of the
// listed error code names or numbers. No MongoDB command is named "command", so the two
// shapes cannot be confused, and nothing extra ever reaches the server.
// "transaction": false runs the file's steps outside a transaction even where the deployment
// supports them; without it, a direction runs in one unless a step cannot (see
// TransactionBlocker).
// {"batchedUpdate": "users", "filter": …, "update": …, "batchSize": …} is a step the tool runs
// itself, batch by batch, resumable (mongomigrate/batched_update.h).
#include <algorithm>

#include "mongomigrate/batched_update.h"
#include "source/source.h"
#include "value/bson_codec.h"

namespace mm::source {
namespace {

struct Step {
  Document command;
  std::vector<std::string> tolerated_names;
  std::vector<int> tolerated_codes;
  std::optional<BatchedUpdate> batched;  // a batchedUpdate step (command holds it as written)
};

// What mongod runs inside a transaction (createIndexes only on a collection created in it).
constexpr std::string_view kTransactionalCommands[] = {
    "aggregate", "create", "delete", "distinct", "find", "findAndModify", "insert", "update"};

// Commands whose only collection is the one they name (renameCollection and aggregate are
// looked into). Anything else is assumed to touch everything.
constexpr std::string_view kKnownTargets[] = {
    "aggregate", "batchedUpdate",    "collMod", "count",       "create", "createIndexes",
    "delete",    "distinct",         "drop",    "dropIndexes", "find",   "findAndModify",
    "insert",    "renameCollection", "update"};

// Whether the aggregate `command` ends in $out or $merge into `name` (or somewhere unreadable).
bool WritesTo(const Document& command, const std::string& name) {
  const Value* pipeline = command.Get("pipeline");
  if (!pipeline || !pipeline->Is<Array>()) return false;
  for (const Value& stage : pipeline->As<Array>().items) {
    const Document* d = stage.If<Document>();
    if (!d || d->empty()) continue;
    const Field& op = d->fields().front();
    if (op.key != "$out" && op.key != "$merge") continue;
    if (op.value.Is<std::string>()) return op.value.As<std::string>() == name;
    return true;  // {db, coll} or {into: …}: treated as touching
  }
  return false;
}

class JsonAction : public MigrationAction {
 public:
  JsonAction(std::string file, std::string direction, std::vector<Step> steps)
      : file_(std::move(file)), direction_(std::move(direction)), steps_(std::move(steps)) {}

  Status Run(mongo::Database& db, const ActionOutput& out) const override {
    // Resuming a run that stopped inside a batched update: the steps before it all ran.
    size_t first = 0;
    if (out.resume) {
      const Value* step = out.resume->Get("step");
      auto i = step && step->IsNumber() ? step->AsExactInt64() : std::nullopt;
      if (i && *i >= 0 && static_cast<size_t>(*i) < steps_.size() &&
          steps_[static_cast<size_t>(*i)].batched) {
        first = static_cast<size_t>(*i);
        if (first > 0 && out.note) {
          out.note(file_ + ": " + direction_ + "[0.." + std::to_string(first - 1) +
                   "] ran before the interruption; resuming at " + direction_ + "[" +
                   std::to_string(first) + "] (batchedUpdate)");
        }
      }
    }
    for (size_t i = first; i < steps_.size(); ++i) {
      const Step& step = steps_[i];
      if (i > first && out.checkpoint) {
        Status go_on = out.checkpoint();
        if (!go_on.ok()) {
          return go_on.Reworded(go_on.message() + " before " + file_ + ": " + direction_ + "[" +
                                std::to_string(i) + "] (" + std::to_string(i) + " of " +
                                std::to_string(steps_.size()) + " steps ran)");
        }
      }
      if (step.batched) {
        Status ran = RunBatchedUpdate(db, *step.batched, out, static_cast<int>(i));
        if (ran.ok()) continue;
        return ran.Reworded(file_ + ": " + direction_ + "[" + std::to_string(i) +
                            "] (batchedUpdate) failed: " + ran.message());
      }
      auto reply = db.RunCommand(step.command);
      if (reply.ok()) continue;
      const Status& s = reply.status();
      std::string name = mongo::ErrorCodeName(s);
      bool tolerated =
          std::find(step.tolerated_codes.begin(), step.tolerated_codes.end(), s.code()) !=
              step.tolerated_codes.end() ||
          (!name.empty() && std::find(step.tolerated_names.begin(), step.tolerated_names.end(),
                                      name) != step.tolerated_names.end());
      std::string where = file_ + ": " + direction_ + "[" + std::to_string(i) + "] (" +
                          step.command.fields().front().key + ")";
      if (tolerated) {
        out.note(where + ": tolerated " + (name.empty() ? std::to_string(s.code()) : name) + ": " +
                 s.message());
        continue;
      }
      Document details = s.details();
      return Status(
                 s.code(),
                 where + " failed: " + s.message() +
                     (name.empty() ? "" : " (" + name + ", code " + std::to_string(s.code()) + ")"))
          .WithDetails(std::move(details));
    }
    return Status::Ok();
  }

  // A step touches the collection it names, where an aggregate writes ($out/$merge), and a
  // renameCollection's source or target; dropDatabase and any command not listed here may
  // touch anything.
  bool MayTouch(const std::string& name) const override {
    for (const Step& step : steps_) {
      const Field& first = step.command.fields().front();
      if (std::find(std::begin(kKnownTargets), std::end(kKnownTargets), first.key) ==
          std::end(kKnownTargets)) {
        return true;
      }
      if (first.value.Is<std::string>() && first.value.As<std::string>() == name) return true;
      if (first.key == "renameCollection") {
        const Value* to = step.command.Get("to");
        for (const Value* ns : {&first.value, to}) {
          if (!ns || !ns->Is<std::string>()) return true;
          const std::string& s = ns->As<std::string>();
          if (s.size() > name.size() && s.ends_with("." + name)) return true;
        }
      }
      if (first.key == "aggregate" && WritesTo(step.command, name)) return true;
    }
    return false;
  }

  std::optional<std::vector<std::string>> Collections() const override {
    std::vector<std::string> out;
    auto add = [&](const std::string& name) {
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    };
    for (const Step& step : steps_) {
      const Field& first = step.command.fields().front();
      if (std::find(std::begin(kKnownTargets), std::end(kKnownTargets), first.key) ==
              std::end(kKnownTargets) ||
          !first.value.Is<std::string>()) {
        return std::nullopt;
      }
      if (first.key == "renameCollection") {
        // Namespaces ("db.coll"): the collection is what follows the first dot.
        const Value* to = step.command.Get("to");
        for (const Value* ns : {&first.value, to}) {
          if (!ns || !ns->Is<std::string>()) return std::nullopt;
          const std::string& s = ns->As<std::string>();
          const size_t dot = s.find('.');
          if (dot == std::string::npos) return std::nullopt;
          add(s.substr(dot + 1));
        }
        continue;
      }
      add(first.value.As<std::string>());
      if (first.key != "aggregate") continue;
      const Value* pipeline = step.command.Get("pipeline");
      if (!pipeline || !pipeline->Is<Array>()) continue;
      for (const Value& stage : pipeline->As<Array>().items) {
        const Document* d = stage.If<Document>();
        if (!d || d->empty()) continue;
        const Field& op = d->fields().front();
        if (op.key != "$out" && op.key != "$merge") continue;
        if (!op.value.Is<std::string>()) return std::nullopt;  // another database, perhaps
        add(op.value.As<std::string>());
      }
    }
    return out;
  }

  std::vector<std::string> Describe() const override {
    std::vector<std::string> out;
    for (size_t i = 0; i < steps_.size(); ++i) {
      std::string line = direction_ + "[" + std::to_string(i) + "] ";
      if (steps_[i].batched) line += "(run by the tool, batch by batch) ";
      line += ToRelaxedJson(steps_[i].command);
      if (!steps_[i].tolerated_names.empty() || !steps_[i].tolerated_codes.empty()) {
        line += " (errors it tolerates are notes)";
      }
      out.push_back(std::move(line));
    }
    return out;
  }

  Status CheckBeforeRun(bool transactions) const override {
    for (size_t i = 0; i < steps_.size(); ++i) {
      const Field& first = steps_[i].command.fields().front();
      if (first.value.Is<std::string>() && first.value.As<std::string>() == kTemplateCollection) {
        return Status(kBadValue,
                      "edit " + file_ + " first: " + direction_ + "[" + std::to_string(i) +
                          "] is still the template's example (collection \"" + kTemplateCollection +
                          "\"); write the commands this migration runs");
      }
      if (!steps_[i].batched) continue;
      Status safe = CheckReapplySafe(*steps_[i].batched, transactions);
      if (!safe.ok()) {
        return Status(safe.code(),
                      file_ + ": " + direction_ + "[" + std::to_string(i) + "]: " + safe.message());
      }
    }
    return Status::Ok();
  }

  std::string TransactionBlocker() const override {
    std::vector<std::string> created;
    for (size_t i = 0; i < steps_.size(); ++i) {
      const Field& first = steps_[i].command.fields().front();
      std::string where = direction_ + "[" + std::to_string(i) + "] (" + first.key + ")";
      if (!steps_[i].tolerated_codes.empty() || !steps_[i].tolerated_names.empty()) {
        return where + " tolerates an error, and an error aborts a transaction";
      }
      if (steps_[i].batched) return where + " commits batch by batch";
      const std::string target = first.value.Is<std::string>() ? first.value.As<std::string>() : "";
      if (first.key == "create") created.push_back(target);
      if (first.key == "createIndexes" &&
          std::find(created.begin(), created.end(), target) != created.end()) {
        continue;
      }
      if (std::find(std::begin(kTransactionalCommands), std::end(kTransactionalCommands),
                    first.key) == std::end(kTransactionalCommands)) {
        return where + " cannot run in a transaction";
      }
    }
    return "";
  }

 private:
  std::string file_;
  std::string direction_;
  std::vector<Step> steps_;
};

Status Invalid(const std::string& file, const std::string& what) {
  return Status(kFailedToParse, file + ": " + what);
}

StatusOr<std::vector<Step>> ParseSteps(const std::string& file, const std::string& field,
                                       const Value& value) {
  if (!value.Is<Array>()) return Invalid(file, "\"" + field + "\" must be an array of commands");
  std::vector<Step> steps;
  const auto& items = value.As<Array>().items;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string where = field + "[" + std::to_string(i) + "]";
    if (!items[i].Is<Document>() || items[i].As<Document>().empty()) {
      return Invalid(file, where + " must be a command document, e.g. {\"create\": \"users\"}");
    }
    const Document& d = items[i].As<Document>();
    Step step;
    if (d.fields().front().key == "command") {
      for (const Field& f : d.fields()) {
        if (f.key != "command" && f.key != "tolerate") {
          return Invalid(file, where + ": unknown field \"" + f.key +
                                   "\" (a wrapped step has only \"command\" and \"tolerate\")");
        }
      }
      const Value* cmd = d.Get("command");
      if (!cmd->Is<Document>() || cmd->As<Document>().empty()) {
        return Invalid(file, where + ".command must be a command document");
      }
      step.command = cmd->As<Document>();
      if (const Value* t = d.Get("tolerate")) {
        if (!t->Is<Array>()) return Invalid(file, where + ".tolerate must be an array");
        for (const Value& e : t->As<Array>().items) {
          if (e.Is<std::string>()) {
            step.tolerated_names.push_back(e.As<std::string>());
          } else if (auto n = e.AsExactInt64(); e.IsNumber() && n) {
            step.tolerated_codes.push_back(static_cast<int>(*n));
          } else {
            return Invalid(file, where +
                                     ".tolerate entries must be error code names "
                                     "(\"IndexNotFound\") or numbers (27)");
          }
        }
      }
    } else {
      step.command = d;
    }
    if (step.command.fields().front().key == "batchedUpdate") {
      if (d.fields().front().key == "command") {
        return Invalid(file, where +
                                 ": a batchedUpdate step is run by the tool, not sent: it "
                                 "cannot be wrapped in \"command\"");
      }
      auto batched = ParseBatchedUpdate(step.command);
      if (!batched.ok()) return Invalid(file, where + ": " + batched.status().message());
      step.batched = std::move(batched).value();
    }
    if (step.command.fields().front().key.starts_with('$')) {
      return Invalid(file, where + ": a command's first field is its name, not \"" +
                               step.command.fields().front().key + "\"");
    }
    steps.push_back(std::move(step));
  }
  if (steps.empty() && field == "up") return Invalid(file, "\"up\" has no steps");
  return steps;
}

}  // namespace

StatusOr<Migration> ParseJsonMigration(const std::string& file, const std::string& bytes) {
  auto parsed = ParseExtendedJson(bytes);
  if (!parsed.ok()) return Invalid(file, parsed.status().message());
  const Document& doc = *parsed;
  for (const Field& f : doc.fields()) {
    if (f.key != "version" && f.key != "description" && f.key != "up" && f.key != "down" &&
        f.key != "comment" && f.key != "transaction") {
      return Invalid(file, "unknown field \"" + f.key +
                               "\" (a migration has version, description, up, down, "
                               "transaction, comment)");
    }
  }
  Migration m;
  m.file = file;
  m.checksum = FileChecksum(bytes);
  m.raw_checksum = Sha256Hex(bytes);
  const Value* version = doc.Get("version");
  auto v = version && version->IsNumber() ? version->AsExactInt64() : std::nullopt;
  if (!v || *v <= 0) return Invalid(file, "\"version\" must be a positive integer");
  m.version = *v;
  const Value* description = doc.Get("description");
  if (!description || !description->Is<std::string>() || description->As<std::string>().empty()) {
    return Invalid(file, "\"description\" must be a non-empty string");
  }
  m.description = description->As<std::string>();
  if (const Value* transaction = doc.Get("transaction")) {
    if (!transaction->Is<bool>()) {
      return Invalid(file,
                     "\"transaction\" must be true or false (false: run the steps outside "
                     "a transaction, for commands MongoDB refuses inside one)");
    }
    m.transactional = transaction->As<bool>();
  }
  const Value* up = doc.Get("up");
  if (!up) return Invalid(file, "\"up\" is missing: list the commands that apply this migration");
  auto up_steps = ParseSteps(file, "up", *up);
  if (!up_steps.ok()) return up_steps.status();
  m.up = std::make_shared<JsonAction>(file, "up", std::move(up_steps).value());
  if (const Value* down = doc.Get("down")) {
    auto down_steps = ParseSteps(file, "down", *down);
    if (!down_steps.ok()) return down_steps.status();
    m.down = std::make_shared<JsonAction>(file, "down", std::move(down_steps).value());
  }
  return m;
}

}  // namespace mm::source
