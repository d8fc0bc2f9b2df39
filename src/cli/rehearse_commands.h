// The commands that snapshot, compare and rehearse: `schema`, `diff`, `verify`, the snapshot
// `up`/`down` rewrite, and `validate`'s drift check.
#pragma once

#include <functional>
#include <string>

#include "cli/options.h"
#include "cli/render.h"
#include "mongomigrate/runner.h"
#include "mongomigrate/schema.h"

namespace mm::cli {

// A schema snapshot file, read and checked; errors name it (and how to write one).
StatusOr<SchemaSnapshot> ReadSnapshotFile(const std::string& path);

// The live database's schema and the applied versions it reflects (with their checksums).
StatusOr<SchemaSnapshot> LiveSnapshot(mongo::Database& db, Runner& runner, const Options& o);

// `schema [--out FILE]`; returns the exit code.
int SchemaCommand(mongo::Database& db, Runner& runner, const Options& o, Renderer& out);
// `diff`: the live schema against the snapshot file; 1 on drift.
int DiffCommand(mongo::Database& db, Runner& runner, const Options& o, Renderer& out);
// After a successful up/down/redo: rewrites schema_file when one is set. A file it cannot write
// (a read-only image) is a warning, never a failure.
void RewriteSnapshot(mongo::Database& db, Runner& runner, const Options& o, Renderer& out);
// validate's part: the live schema against the snapshot, when both are at the same version.
// Returns the differences found as lines (none: no drift, or nothing to compare, said in
// `note`).
StatusOr<std::vector<std::string>> SchemaDrift(mongo::Database& db, Runner& runner,
                                               const Options& o, std::string& note);
// `verify`: needs no database unless --from-live. `interrupted` as RunnerOptions'.
int VerifyCommand(const Options& o, Renderer& out, const std::function<int()>& interrupted);

}  // namespace mm::cli
