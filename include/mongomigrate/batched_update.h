// A data migration over millions of documents, applied in batches instead of one updateMany
// that holds for an hour: the documents matching `filter` are visited in _id order, `batch_size`
// at a time, and `update` is applied to each batch. After every batch its progress (the last
// _id) is recorded in the migration's history record, so a killed or interrupted run resumes
// after the last finished batch instead of starting again.
//
// Exactly once per batch: where the deployment runs transactions (a replica set, a sharded
// cluster), a batch's update and its progress commit together. On a standalone, a run killed
// between the two applies that one batch again when it resumes, so the update must be
// idempotent: $set, $unset, $rename, $min/$max, $addToSet, $pull are; $inc, $mul, $push,
// $pop and $bit are refused there unless `allow_reapply` says a repeated batch is acceptable.
//
// Documents inserted during the run with an _id below the walk are not visited; documents
// whose _id mixes types are visited in MongoDB's sort order (numbers, strings, objects,
// ObjectIds, …).
//
// In a JSON migration it is a step:
//   {"batchedUpdate": "users", "filter": {…}, "update": {…} | [pipeline], "batchSize": 1000,
//    "maxDocsPerSecond": 5000, "pauseMS": 0, "allowReapply": false}
// in JavaScript, db.collection('users').batchedUpdate(filter, update, {batchSize, …}).
#pragma once

#include <cstdint>
#include <string>

#include "mongomigrate/migration.h"
#include "mongomigrate/mongo.h"
#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm {

struct BatchedUpdate {
  std::string collection;
  Document filter;
  Value update;                    // an update document ({$set: …}) or a pipeline ([…])
  int64_t batch_size = 1000;       // 1 … 100,000
  double max_docs_per_second = 0;  // 0: as fast as the server answers
  int64_t pause_ms = 0;            // between two batches, 0 … 3,600,000
  bool allow_reapply = false;      // see above
};

constexpr int64_t kMaxBatchSize = 100000;

// Reads the JSON step (or the JS helper's arguments gathered in one document); an error names
// the field and what it must be.
StatusOr<BatchedUpdate> ParseBatchedUpdate(const Document& step);

// Why `spec` cannot run resumably on a deployment without transactions (an update that changes
// documents again when a batch is applied again), or Ok.
Status CheckReapplySafe(const BatchedUpdate& spec, bool transactions);

// Runs `spec` as the `ordinal`-th batched update of the running migration (its step index in
// a JSON file; the order of the calls in JavaScript or C++). With `out.resume` from an
// interrupted run: an update before the one it names already finished and is skipped; the one
// it names resumes after its last finished batch. Between batches, `out.checkpoint` may stop
// it (progress recorded: the next run resumes).
Status RunBatchedUpdate(mongo::Database& db, const BatchedUpdate& spec, const ActionOutput& out,
                        int ordinal);

}  // namespace mm
