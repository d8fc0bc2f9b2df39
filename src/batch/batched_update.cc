#include "mongomigrate/batched_update.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <thread>

#include "runner/fault_point.h"

namespace mm {
namespace {

using Clock = std::chrono::steady_clock;

Status Invalid(const std::string& what) { return Status(kFailedToParse, "batchedUpdate: " + what); }

std::optional<int64_t> WholeNumber(const Value& v) {
  return v.IsNumber() ? v.AsExactInt64() : std::nullopt;
}

// The update operators that change a document again when applied again.
constexpr std::string_view kRepeatSensitive[] = {"$inc", "$mul", "$push", "$pop", "$bit"};

std::string RepeatSensitiveOperator(const Value& update) {
  const Document* d = update.If<Document>();
  if (!d) return "";
  for (const Field& f : d->fields()) {
    if (std::find(std::begin(kRepeatSensitive), std::end(kRepeatSensitive), f.key) !=
        std::end(kRepeatSensitive)) {
      return f.key;
    }
  }
  return "";
}

// MongoDB compares values of different types by type bracket (numbers, then strings, then
// objects…), and a range like {$gt: 5} stays inside its bracket. The walk moves to the next
// bracket with $type; these are the BSON type codes of each bracket, in sort order.
const std::vector<std::vector<int>>& Brackets() {
  static const std::vector<std::vector<int>> brackets = {
      {-1}, {10, 6}, {1, 16, 18, 19}, {2, 14}, {3}, {4}, {5}, {7}, {8}, {9},
      {17}, {11},    {13, 15},        {127}};
  return brackets;
}

size_t BracketOf(const Value& v) {
  const int code = static_cast<int>(v.type());
  const auto& brackets = Brackets();
  for (size_t i = 0; i < brackets.size(); ++i) {
    if (std::find(brackets[i].begin(), brackets[i].end(), code) != brackets[i].end()) return i;
  }
  return brackets.size() - 1;
}

Document And(Document clause, const Document& filter) {
  if (filter.empty()) return clause;
  if (clause.empty()) return filter;
  return Document{{"$and", Array{{Value(std::move(clause)), Value(filter)}}}};
}

// Up to `limit` _ids matching `query`, in _id order.
Status FindIds(mongo::Database& db, const std::string& collection, const Document& query,
               int64_t limit, std::vector<Value>* ids, int64_t skip = 0) {
  auto reply = db.RunCommand(Document{{"find", collection},
                                      {"filter", query},
                                      {"sort", Document{{"_id", 1}}},
                                      {"projection", Document{{"_id", 1}}},
                                      {"skip", skip},
                                      {"limit", limit},
                                      {"batchSize", limit},
                                      {"singleBatch", true}});
  if (!reply.ok()) return reply.status();
  auto batch = mongo::FirstBatch(*reply, "find");
  if (!batch.ok()) return batch.status();
  for (const Document& d : *batch) {
    if (const Value* id = d.Get("_id")) ids->push_back(*id);
  }
  return Status::Ok();
}

// The documents of one batch: the _id range (last, high] inside one type bracket — only its
// last _id crosses the wire — or, for the first batch, one that would cross a bracket and the
// tail, the _ids themselves.
struct Batch {
  Document selector;  // {_id: …} of the batch, without the user's filter
  Value high;         // its last _id: where the next batch starts
};

// GCC 12 at -Os (MinSizeRel), inlining this into RunBatchedUpdate, warns that a temporary
// Value "may be used uninitialized" at the closing brace: a false positive (every Value is
// constructed before use); silenced for this function only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
// The _ids after `last` (from the start when null), at most one batch of them.
StatusOr<std::vector<Value>> NextIds(mongo::Database& db, const BatchedUpdate& spec,
                                     const Value* last) {
  std::vector<Value> ids;
  Document after = last ? Document{{"_id", Document{{"$gt", *last}}}} : Document{};
  MM_RETURN_IF_ERROR(FindIds(db, spec.collection, And(after, spec.filter), spec.batch_size, &ids));
  if (!last || static_cast<int64_t>(ids.size()) == spec.batch_size) return ids;
  // The rest of this type bracket is done: carry on with the brackets that sort after it.
  Array later;
  const auto& brackets = Brackets();
  for (size_t b = BracketOf(*last) + 1; b < brackets.size(); ++b) {
    for (int code : brackets[b]) later.items.emplace_back(code);
  }
  if (later.items.empty()) return ids;
  MM_RETURN_IF_ERROR(
      FindIds(db, spec.collection,
              And(Document{{"_id", Document{{"$type", std::move(later)}}}}, spec.filter),
              spec.batch_size - static_cast<int64_t>(ids.size()), &ids));
  return ids;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

// A write conflict, or an error the server labels TransientTransactionError: the whole
// transaction may simply be tried again.
bool IsTransient(const Status& s) {
  if (s.code() == kWriteConflict) return true;
  const Value* labels = s.details().Get("errorLabels");
  if (!labels || !labels->Is<Array>()) return false;
  for (const Value& l : labels->As<Array>().items) {
    if (l.Is<std::string>() && l.As<std::string>() == "TransientTransactionError") return true;
  }
  return false;
}

StatusOr<std::optional<Batch>> NextBatch(mongo::Database& db, const BatchedUpdate& spec,
                                         const Value* last) {
  if (last) {
    // The batch's last _id, found by the server (skip batch_size - 1): a range to update.
    std::vector<Value> high;
    MM_RETURN_IF_ERROR(FindIds(db, spec.collection,
                               And(Document{{"_id", Document{{"$gt", *last}}}}, spec.filter), 1,
                               &high, spec.batch_size - 1));
    if (!high.empty() && BracketOf(high.front()) == BracketOf(*last)) {
      return std::optional<Batch>(
          Batch{Document{{"_id", Document{{"$gt", *last}, {"$lte", high.front()}}}}, high.front()});
    }
  }
  auto ids = NextIds(db, spec, last);
  if (!ids.ok()) return ids.status();
  if (ids->empty()) return std::optional<Batch>();
  Value high = ids->back();
  Array in;
  in.items = std::move(*ids);
  return std::optional<Batch>(
      Batch{Document{{"_id", Document{{"$in", std::move(in)}}}}, std::move(high)});
}

// Applies the update to `ids` and records `progress`: in one transaction where there are
// transactions; else one after the other.
// `*matched` is how many documents the update matched.
Status ApplyBatch(mongo::Database& db, const BatchedUpdate& spec, const ActionOutput& out,
                  const Batch& b, int64_t done_before, int ordinal, int64_t batch,
                  int64_t* matched) {
  Document command{
      {"update", spec.collection},
      {"updates",
       Array{{Value(
           Document{{"q", And(b.selector, spec.filter)}, {"u", spec.update}, {"multi", true}})}}}};
  auto update = [&](mongo::Database& through) -> Status {
    auto reply = through.RunCommand(command);
    if (!reply.ok()) return reply.status();
    const Value* n = reply->Get("n");
    *matched = n && n->IsNumber() ? n->AsExactInt64().value_or(0) : 0;
    return Status::Ok();
  };
  auto progress = [&] {
    return Document{{"step", ordinal}, {"lastId", b.high}, {"done", done_before + *matched}};
  };
  if (!out.transactions) {
    MM_RETURN_IF_ERROR(update(db));
    runner::FaultPoint("batch-before-progress", batch);
    return out.save_progress ? out.save_progress(db, progress()) : Status::Ok();
  }
  // A transient conflict (a killed run's transaction still holds these documents until the
  // server aborts it: transactionLifetimeLimitSeconds) is retried, as the drivers'
  // withTransaction does, for up to two minutes.
  const auto give_up = Clock::now() + std::chrono::minutes(2);
  auto backoff = std::chrono::milliseconds(20);
  while (true) {
    auto session = mongo::Session::Start(*db.client());
    if (!session.ok()) return session.status();
    MM_RETURN_IF_ERROR((*session)->StartTransaction());
    mongo::Database in_transaction = db.InSession(session->get());
    Status s = update(in_transaction);
    if (s.ok()) runner::FaultPoint("batch-before-progress", batch);
    if (s.ok() && out.save_progress) s = out.save_progress(in_transaction, progress());
    if (s.ok()) s = (*session)->CommitTransaction();
    if (s.ok()) return s;
    (void)(*session)->AbortTransaction();
    if (!IsTransient(s) || Clock::now() + backoff > give_up) return s;
    if (out.checkpoint) MM_RETURN_IF_ERROR(out.checkpoint());
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
  }
}

}  // namespace

Status CheckReapplySafe(const BatchedUpdate& spec, bool transactions) {
  if (transactions || spec.allow_reapply) return Status::Ok();
  std::string op = RepeatSensitiveOperator(spec.update);
  if (op.empty()) return Status::Ok();
  return Status(kBadValue,
                "batchedUpdate of " + spec.collection + " uses " + op +
                    ": on a deployment without transactions, a run killed between a batch's "
                    "update and its progress record applies that batch again when it resumes, "
                    "and " +
                    op +
                    " would change those documents twice. Use $set, run it on a replica set, or "
                    "add \"allowReapply\": true if a repeated batch is acceptable");
}

StatusOr<BatchedUpdate> ParseBatchedUpdate(const Document& step) {
  BatchedUpdate spec;
  for (const Field& f : step.fields()) {
    const Value& v = f.value;
    if (f.key == "batchedUpdate") {
      if (!v.Is<std::string>() || v.As<std::string>().empty()) {
        return Invalid("\"batchedUpdate\" must name the collection, e.g. \"users\"");
      }
      spec.collection = v.As<std::string>();
    } else if (f.key == "filter") {
      if (!v.Is<Document>()) return Invalid("\"filter\" must be a query document, e.g. {}");
      spec.filter = v.As<Document>();
    } else if (f.key == "update") {
      const bool document = v.Is<Document>() && !v.As<Document>().empty() &&
                            v.As<Document>().fields().front().key.starts_with('$');
      const bool pipeline = v.Is<Array>() && !v.As<Array>().items.empty();
      if (!document && !pipeline) {
        return Invalid(
            "\"update\" must be update operators ({\"$set\": {…}}) or a non-empty pipeline "
            "([{\"$set\": {…}}]); a replacement document cannot be applied to many documents");
      }
      spec.update = v;
    } else if (f.key == "batchSize") {
      auto n = WholeNumber(v);
      if (!n || *n < 1 || *n > kMaxBatchSize) {
        return Invalid("\"batchSize\" must be a whole number from 1 to 100000");
      }
      spec.batch_size = *n;
    } else if (f.key == "maxDocsPerSecond") {
      if (!v.IsNumber() || !std::isfinite(v.AsDouble()) || v.AsDouble() < 0) {
        return Invalid("\"maxDocsPerSecond\" must be a positive number (0: no limit)");
      }
      spec.max_docs_per_second = v.AsDouble();
    } else if (f.key == "pauseMS") {
      auto n = WholeNumber(v);
      if (!n || *n < 0 || *n > 3600000) {
        return Invalid("\"pauseMS\" must be a whole number of milliseconds from 0 to 3600000");
      }
      spec.pause_ms = *n;
    } else if (f.key == "allowReapply") {
      if (!v.Is<bool>()) return Invalid("\"allowReapply\" must be true or false");
      spec.allow_reapply = v.As<bool>();
    } else {
      return Invalid("unknown field \"" + f.key +
                     "\" (a batched update has batchedUpdate, filter, update, batchSize, "
                     "maxDocsPerSecond, pauseMS, allowReapply)");
    }
  }
  if (spec.collection.empty()) return Invalid("\"batchedUpdate\" must name the collection");
  if (std::holds_alternative<Null>(spec.update.v)) {
    return Invalid("\"update\" is missing: the update operators or pipeline to apply");
  }
  return spec;
}

Status RunBatchedUpdate(mongo::Database& db, const BatchedUpdate& spec, const ActionOutput& out,
                        int ordinal) {
  // Where an interrupted run of this migration stopped.
  std::optional<Value> last;
  int64_t done = 0;
  if (out.resume) {
    const Value* step = out.resume->Get("step");
    auto resumed_ordinal = step ? WholeNumber(*step) : std::nullopt;
    if (resumed_ordinal && ordinal < *resumed_ordinal) return Status::Ok();  // finished then
    if (resumed_ordinal && ordinal == *resumed_ordinal) {
      if (const Value* id = out.resume->Get("lastId")) last = *id;
      if (const Value* n = out.resume->Get("done")) done = WholeNumber(*n).value_or(0);
    }
  }
  // Resumable without transactions: a batch may be applied twice.
  if (out.save_progress) MM_RETURN_IF_ERROR(CheckReapplySafe(spec, out.transactions));
  BatchProgress progress;
  progress.collection = spec.collection;
  progress.done = done;
  if (out.progress) {
    auto counted = db.RunCommand(Document{{"count", spec.collection}, {"query", spec.filter}});
    if (!counted.ok()) return counted.status();
    const Value* n = counted->Get("n");
    if (n && n->IsNumber()) progress.total = done + (n->AsExactInt64().value_or(0));
    if (last) {
      // The documents at or below the resumed position that still match were counted too.
      auto below = db.RunCommand(
          Document{{"count", spec.collection},
                   {"query", And(Document{{"_id", Document{{"$lte", *last}}}}, spec.filter)}});
      if (below.ok() && progress.total) {
        const Value* b = below->Get("n");
        if (b && b->IsNumber()) *progress.total -= b->AsExactInt64().value_or(0);
      }
    }
    out.progress(progress);
  }
  const auto start = Clock::now();
  const int64_t done_before = done;
  while (true) {
    if (progress.batches > 0 && out.checkpoint) MM_RETURN_IF_ERROR(out.checkpoint());
    auto batch = NextBatch(db, spec, last ? &*last : nullptr);
    if (!batch.ok()) return batch.status();
    if (!*batch) break;
    int64_t matched = 0;
    MM_RETURN_IF_ERROR(
        ApplyBatch(db, spec, out, **batch, done, ordinal, progress.batches + 1, &matched));
    done += matched;
    last = (*batch)->high;
    ++progress.batches;
    runner::FaultPoint("after-batch", progress.batches);
    progress.done = done;
    progress.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (out.progress) out.progress(progress);
    // Throttle: no faster than maxDocsPerSecond over this run, and the pause between batches.
    auto wait = std::chrono::milliseconds(spec.pause_ms);
    if (spec.max_docs_per_second > 0) {
      const double due = static_cast<double>(done - done_before) / spec.max_docs_per_second;
      const double ahead = due - progress.seconds;
      if (ahead > 0) wait += std::chrono::milliseconds(static_cast<int64_t>(ahead * 1000));
    }
    if (wait.count() > 0) std::this_thread::sleep_for(wait);
  }
  // Finished: the record no longer says where to resume (a later step killed is not resumable).
  if (out.save_progress) MM_RETURN_IF_ERROR(out.save_progress(db, Document{}));
  progress.finished = true;
  progress.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (out.progress) out.progress(progress);
  return Status::Ok();
}

}  // namespace mm
