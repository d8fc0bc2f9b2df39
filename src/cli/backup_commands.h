// `backup DIR`, `restore DIR` and `up --backup DIR` (mongomigrate/backup.h).
#pragma once

#include "cli/options.h"
#include "cli/render.h"
#include "mongomigrate/runner.h"

namespace mm::cli {

// `backup [--collections A,B] DIR`; returns the exit code.
// `interrupted` as RunnerOptions'.
int BackupCommand(mongo::Database& db, Runner& runner, const Options& o, Renderer& out,
                  const std::function<int()>& interrupted);
// `restore DIR [--drop]`; returns the exit code.
int RestoreCommand(mongo::Database& db, Runner& runner, const Options& o, Renderer& out,
                   const std::function<int()>& interrupted);
// For `up --backup DIR`: RunnerOptions::before_run dumping what the plan touches.
std::function<Status(const plan::Plan&)> BackupBeforeRun(mongo::Database& db, const Options& o,
                                                         Renderer& out,
                                                         std::function<int()> interrupted);

}  // namespace mm::cli
