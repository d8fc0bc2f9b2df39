// count and distinct.
#include "server/commands/handlers.h"
#include "server/engine/path.h"
#include "server/engine/query.h"
#include "value/compare.h"

namespace mm::commands {
namespace {

StatusOr<Document> Count(const Document& cmd, CommandContext& ctx) {
  auto name = CollectionName(cmd);
  if (!name.ok()) return name.status();
  auto query = OptionalDocument(cmd, "query");
  if (!query.ok()) return query.status();
  auto skip = OptionalInt(cmd, "skip", 0);
  auto limit = OptionalInt(cmd, "limit", 0);
  if (!skip.ok()) return skip.status();
  if (!limit.ok()) return limit.status();
  if (*skip < 0) return Status(kBadValue, "skip value is negative in count query");
  if (*limit == INT64_MIN) return Status(kBadValue, "limit value for count cannot be min long");
  engine::QueryOptions options;
  if (*query) options.filter = **query;
  options.skip = *skip;
  options.limit = *limit < 0 ? -*limit : *limit;
  engine::Collection* coll = ctx.catalog.Find(ctx.db, *name);
  if (!coll) {
    auto m = engine::Matcher::Parse(options.filter);
    if (!m.ok()) return m.status();
    return Document{{"n", 0}, {"ok", 1.0}};
  }
  auto ids = engine::FindRecords(*coll, options);
  if (!ids.ok()) return ids.status();
  return Document{{"n", static_cast<int32_t>(ids->size())}, {"ok", 1.0}};
}

StatusOr<Document> Distinct(const Document& cmd, CommandContext& ctx) {
  auto name = CollectionName(cmd);
  if (!name.ok()) return name.status();
  const Value* key = cmd.Get("key");
  if (!key) return Status(40414, "BSON field 'distinct.key' is missing but a required field");
  if (!key->Is<std::string>()) return TypeMismatch("distinct", "key", "string", *key);
  auto query = OptionalDocument(cmd, "query");
  if (!query.ok()) return query.status();
  engine::QueryOptions options;
  if (*query) options.filter = **query;
  Array values;
  engine::Collection* coll = ctx.catalog.Find(ctx.db, *name);
  auto matcher = engine::Matcher::Parse(options.filter);
  if (!matcher.ok()) return matcher.status();
  if (coll) {
    auto ids = engine::FindRecords(*coll, options);
    if (!ids.ok()) return ids.status();
    auto path = engine::SplitPath(key->As<std::string>());
    std::vector<Value> seen;
    auto add = [&](const Value& v) {
      for (const Value& s : seen) {
        if (ValuesEqual(s, v)) return;
      }
      seen.push_back(v);
    };
    for (engine::RecordId id : *ids) {
      std::vector<engine::PathValue> found;
      bool missing = false;
      engine::CollectPathValues(*coll->Get(id), path, &found, &missing);
      for (const auto& pv : found) {
        if (const Array* a = pv.value->If<Array>()) {
          for (const Value& e : a->items) add(e);
        } else {
          add(*pv.value);
        }
      }
    }
    std::stable_sort(seen.begin(), seen.end(), ValueLess{});
    values.items = std::move(seen);
  }
  return Document{{"values", std::move(values)}, {"ok", 1.0}};
}

}  // namespace

CommandSpec CountCommand() {
  return CommandSpec{"count",
                     "Counts matching documents.",
                     {"query", "skip", "limit", "hint"},
                     {"collation"},
                     Count};
}

CommandSpec DistinctCommand() {
  return CommandSpec{"distinct",
                     "Lists the distinct values of a field.",
                     {"key", "query", "hint"},
                     {"collation"},
                     Distinct};
}

}  // namespace mm::commands
