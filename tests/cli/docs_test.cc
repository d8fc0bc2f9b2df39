// The man page and the completions list everything the command line has: every option of every
// command, walked from the CLI definition itself (src/cli/app.cc), not from `--help`.
#include <gtest/gtest.h>

#include "cli/app.h"
#include "cli/docs.h"

namespace {

// How the man page writes a name (roff: a hyphen is \-).
std::string InRoff(const std::string& name) {
  std::string out;
  for (char c : name) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

TEST(Docs, EveryCommandAndOptionIsInTheManPageAndTheCompletions) {
  CLI::App app{"mongo-migrate: versioned migrations for MongoDB", "mongo-migrate"};
  mm::cli::CliState state;
  mm::cli::DefineCli(app, state);
  const std::string man = mm::cli::ManPage(app, mm::cli::ManText());
  const std::string bash = mm::cli::BashCompletion(app);
  const std::string zsh = mm::cli::ZshCompletion(app);
  size_t checked = 0;
  auto check = [&](const CLI::App& owner, const std::string& where) {
    for (const CLI::Option* o : owner.get_options([](const CLI::Option*) { return true; })) {
      if (o->get_positional()) {
        EXPECT_NE(man.find(o->get_name()), std::string::npos) << where << " " << o->get_name();
        continue;
      }
      for (const std::string& l : o->get_lnames()) {
        SCOPED_TRACE(where + " --" + l);
        EXPECT_NE(man.find(InRoff("--" + l)), std::string::npos);
        EXPECT_NE(bash.find("--" + l), std::string::npos);
        EXPECT_NE(zsh.find("--" + l), std::string::npos);
        ++checked;
      }
      for (const std::string& s : o->get_snames()) {
        SCOPED_TRACE(where + " -" + s);
        EXPECT_NE(man.find(InRoff("-" + s)), std::string::npos);
        EXPECT_TRUE(bash.find(" -" + s + " ") != std::string::npos ||
                    bash.find("'-" + s + " ") != std::string::npos);
        EXPECT_NE(zsh.find("-" + s + "["), std::string::npos);
      }
    }
  };
  check(app, "global");
  const auto commands = app.get_subcommands([](const CLI::App*) { return true; });
  ASSERT_GE(commands.size(), 13u);
  for (const CLI::App* command : commands) {
    EXPECT_NE(man.find(".B " + InRoff(command->get_name())), std::string::npos)
        << command->get_name();
    EXPECT_NE(bash.find(" " + command->get_name() + ")"), std::string::npos) << command->get_name();
    EXPECT_NE(zsh.find("'" + command->get_name() + ":"), std::string::npos) << command->get_name();
    check(*command, command->get_name());
  }
  EXPECT_GE(checked, 30u);
  // The sections a reader looks for.
  for (const char* section : {".SH EXIT STATUS", ".SH FILES", ".SH ENVIRONMENT", "MONGODB_URI",
                              "mongo\\-migrate.toml", "MONGO_MIGRATE_ENVIRONMENT"}) {
    EXPECT_NE(man.find(section), std::string::npos) << section;
  }
}

}  // namespace
