// `backup DIR`, `restore DIR` and `up --backup DIR` (mongomigrate/backup.h).
#pragma once

#include "cli/options.h"
#include "cli/render.h"
#include "mongomigrate/runner.h"

namespace mm::cli {

// `backup [--collections A,B] DIR`; returns the exit code.
int BackupCommand(mongo::Database& db, Runner& runner, const Options& o, Renderer& out);
// `restore DIR [--drop]`; returns the exit code.
int RestoreCommand(mongo::Database& db, Runner& runner, const Options& o, Renderer& out);
// For `up --backup DIR`: RunnerOptions::before_run dumping what the plan touches.
std::function<Status(const plan::Plan&)> BackupBeforeRun(mongo::Database& db, const Options& o,
                                                         Renderer& out);

}  // namespace mm::cli
