// mongo-migrate's command line, defined once: main() parses with it, and the man page and the
// shell completions are generated from it (docs.h), so that none of them can drift.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "cli/docs.h"
#include "cli/options.h"

namespace mm::cli {

// What parsing fills in.
struct CliState {
  Options options;
  std::string help_topic;                  // help COMMAND
  std::string init_scheme = "sequential";  // init --scheme
};

// Every command, option and help text of mongo-migrate, bound to `state`.
void DefineCli(CLI::App& app, CliState& state);

// The exit-code table, as the top-level help and the man page show it.
extern const char* const kExitCodes;

// What mongo-migrate(1) says beyond the commands and options: exit status, files, environment.
ManPageText ManText();

}  // namespace mm::cli
