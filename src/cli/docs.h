// The man page and the bash and zsh completions of a program, generated from its CLI11
// definition (the same one that parses its command line), so that they list every command and
// option it has and cannot drift from `--help`.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <utility>
#include <vector>

namespace mm::cli {

struct ManPageText {
  std::string name;     // "mongo-migrate"
  std::string summary;  // one line, after the name in NAME
  std::string version;  // "mongo-migrate 0.1.0"
  // Sections after the commands and options: {"EXIT STATUS", text}, {"FILES", text}, …;
  // paragraphs separated by blank lines; a paragraph of several lines is a term (its first
  // line) and its meaning.
  std::vector<std::pair<std::string, std::string>> sections;
  std::vector<std::string> see_also;  // "devmongod(1)"
};

// roff for man(1), section 1.
std::string ManPage(const CLI::App& app, const ManPageText& text);
std::string BashCompletion(const CLI::App& app);
std::string ZshCompletion(const CLI::App& app);

// `PROGRAM --man-page`, `PROGRAM --completion bash|zsh` (what the build installs): prints the
// generated text and returns 0 (2 for an unknown shell); -1 when argv asks for neither.
int GenerateDocs(const CLI::App& app, const ManPageText& text, int argc, char** argv);

}  // namespace mm::cli
