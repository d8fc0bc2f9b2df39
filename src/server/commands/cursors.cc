// getMore and killCursors.
#include "server/commands/handlers.h"
#include "server/commands/tailable_cursors.h"

namespace mm::commands {
namespace {

StatusOr<Document> GetMore(const Document& cmd, CommandContext& ctx) {
  const Value& id_value = cmd.fields().front().value;
  if (!id_value.Is<int64_t>()) return TypeMismatch("getMore", "getMore", "long", id_value);
  const Value* coll = cmd.Get("collection");
  if (!coll)
    return Status(40414, "BSON field 'getMore.collection' is missing but a required field");
  if (!coll->Is<std::string>()) return TypeMismatch("getMore", "collection", "string", *coll);
  auto batch_size = OptionalInt(cmd, "batchSize", 0);
  if (!batch_size.ok()) return batch_size.status();
  int64_t id = id_value.As<int64_t>();
  std::string ns = ctx.db + "." + coll->As<std::string>();
  const CursorStore::Tail* tail = ctx.cursors.TailOf(id);
  if (cmd.Has("maxTimeMS") && !(tail && tail->await_data)) {
    return Status(kBadValue, "cannot set maxTimeMS on getMore command for a non-awaitData cursor");
  }
  MM_RETURN_IF_ERROR(RefillTail(ctx.cursors, id, ctx.catalog));
  bool exhausted = false;
  auto batch = ctx.cursors.Next(id, ns, *batch_size, &exhausted);
  if (!batch) return Status(kCursorNotFound, "cursor id " + std::to_string(id) + " not found");
  return CursorReply(ns, exhausted ? 0 : id, std::move(*batch), false);
}

StatusOr<Document> KillCursors(const Document& cmd, CommandContext& ctx) {
  const Value* cursors = cmd.Get("cursors");
  if (!cursors)
    return Status(40414, "BSON field 'killCursors.cursors' is missing but a required field");
  if (!cursors->Is<Array>()) return TypeMismatch("killCursors", "cursors", "array", *cursors);
  Array killed, not_found;
  for (const Value& v : cursors->As<Array>().items) {
    if (!v.Is<int64_t>()) return TypeMismatch("killCursors", "cursors", "long", v);
    (ctx.cursors.Kill(v.As<int64_t>()) ? killed : not_found).items.push_back(v);
  }
  return Document{{"cursorsKilled", std::move(killed)},
                  {"cursorsNotFound", std::move(not_found)},
                  {"cursorsAlive", Array{}},
                  {"cursorsUnknown", Array{}},
                  {"ok", 1.0}};
}

}  // namespace

CommandSpec GetMoreCommand() {
  return CommandSpec{"getMore",
                     "Returns the next batch of an open cursor.",
                     {"collection", "batchSize", "maxTimeMS"},
                     {"term", "lastKnownCommittedOpTime"},
                     GetMore};
}

CommandSpec KillCursorsCommand() {
  return CommandSpec{"killCursors", "Closes open cursors.", {"cursors"}, {}, KillCursors};
}

}  // namespace mm::commands
