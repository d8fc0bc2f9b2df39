#include "server/commands/read_concern.h"

#include <algorithm>
#include <array>

#include "value/bson_codec.h"

namespace mm::commands {
namespace {

constexpr std::array<std::string_view, 5> kLevels = {"local", "majority", "linearizable",
                                                     "available", "snapshot"};

StatusOr<Timestamp> TimestampField(const Document& rc, const std::string& field) {
  const Value* v = rc.Get(field);
  if (!v->Is<Timestamp>()) {
    return Status(kTypeMismatch, "\"" + field +
                                     "\" had the wrong type. Expected timestamp, found " +
                                     std::string(TypeAlias(v->type())));
  }
  return v->As<Timestamp>();
}

bool WritesOutput(const Document& cmd) {
  const Value* pipeline = cmd.Get("pipeline");
  if (!pipeline || !pipeline->Is<Array>() || pipeline->As<Array>().items.empty()) return false;
  const Value& last = pipeline->As<Array>().items.back();
  return last.Is<Document>() && !last.As<Document>().empty() &&
         (last.As<Document>().fields().front().key == "$out" ||
          last.As<Document>().fields().front().key == "$merge");
}

}  // namespace

StatusOr<ReadConcern> ParseReadConcern(const Document& cmd) {
  ReadConcern out;
  const Value* value = cmd.Get("readConcern");
  if (!value) return out;
  const Document* rc = value->If<Document>();
  if (!rc) return Status(kFailedToParse, "readConcern field should be an object");
  std::optional<Timestamp> after;
  bool after_op_time = false;
  for (const Field& f : rc->fields()) {
    if (f.key == "level") {
      if (!f.value.Is<std::string>()) {
        return Status(kTypeMismatch, "\"level\" had the wrong type. Expected string, found " +
                                         std::string(TypeAlias(f.value.type())));
      }
      out.level = f.value.As<std::string>();
      if (std::find(kLevels.begin(), kLevels.end(), out.level) == kLevels.end()) {
        return Status(kFailedToParse,
                      "readConcern.level must be either 'local', 'majority', 'linearizable', "
                      "'available', or 'snapshot'");
      }
    } else if (f.key == "atClusterTime") {
      auto t = TimestampField(*rc, f.key);
      if (!t.ok()) return t.status();
      out.at_cluster_time = *t;
    } else if (f.key == "afterClusterTime") {
      auto t = TimestampField(*rc, f.key);
      if (!t.ok()) return t.status();
      after = *t;
    } else if (f.key == "afterOpTime") {
      after_op_time = true;
    } else if (f.key != "provenance") {
      return Status(kInvalidOptions, "Unrecognized option in readConcern: " + f.key);
    }
  }
  if (after && after_op_time) {
    return Status(kInvalidOptions, "Can not specify both afterClusterTime and afterOpTime");
  }
  if (after && out.at_cluster_time) {
    return Status(kInvalidOptions,
                  "Specifying a timestamp for readConcern snapshot in a causally consistent "
                  "session is not allowed.");
  }
  if (after && (out.level == "available" || out.level == "linearizable")) {
    return Status(kInvalidOptions,
                  "afterClusterTime field can be set only if level is equal to "
                  "majority, local, or snapshot");
  }
  if (out.at_cluster_time && !out.snapshot()) {
    return Status(kInvalidOptions,
                  "atClusterTime field can be set only if level is equal to snapshot");
  }
  if (out.at_cluster_time && out.at_cluster_time->t == 0 && out.at_cluster_time->i == 0) {
    return Status(kInvalidOptions, "atClusterTime cannot be a null timestamp");
  }
  return out;
}

Status CheckReadConcernSupported(const Document& cmd, const ReadConcern& rc,
                                 const ServerOptions& options) {
  if (rc.level.empty() || rc.level == "local") return Status::Ok();
  const std::string& name = cmd.fields().front().key;
  if ((rc.level == "linearizable" || rc.snapshot()) && options.repl_set.empty()) {
    return Status(kNotAReplicaSet, "node needs to be a replica set member to use read concern");
  }
  const bool reads = name == "find" || name == "aggregate" || name == "distinct" || name == "count";
  const bool writes =
      name == "insert" || name == "update" || name == "delete" || name == "findAndModify";
  auto unsupported = [&] {
    return Status(kInvalidOptions, "Command " + name + " does not support { readConcern: " +
                                       ToRelaxedJson(*cmd.Get("readConcern")) + " }");
  };
  if (writes) return unsupported();
  if (rc.snapshot() && !(name == "find" || name == "aggregate" || name == "distinct")) {
    return reads ? unsupported() : Status::Ok();
  }
  if (name == "aggregate" && rc.level == "linearizable" && WritesOutput(cmd)) {
    return Status(kInvalidOptions,
                  "$out and $merge cannot be used with a 'linearizable' read concern level");
  }
  return Status::Ok();
}

}  // namespace mm::commands
