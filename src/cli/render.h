// How the CLI shows what happens: text for people (colour and symbols on a terminal, plain
// when piped), or one JSON document on stdout for CI (--json).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mongomigrate/runner.h"

namespace mm::cli {

struct OutputOptions {
  bool json = false;
  // One JSON document per event, on stdout as it happens (started, progress, finished, …),
  // then the --json document as the last line ("event": "result").
  bool json_lines = false;
  bool terminal = false;  // stdout is a terminal: progress redraws one line
  bool verbose = false;   // status -v: a failed or unfinished record's whole error
  bool quiet = false;
  bool color = false;  // ANSI colours and symbols (a terminal without --no-color/NO_COLOR)
  // The URI's password as written and percent-decoded: replaced by **** in every line printed
  // (as is any other URI's password, mongo::RedactSecrets).
  std::vector<std::string> secrets;
};

// `data` safe for a terminal: control characters (ESC, CR, BEL, C1 controls, and newlines
// unless `keep_newlines`) written as visible escapes (\x1b, \r, \u009b), so that a
// description or an error from a file or a record cannot move the cursor or rewrite a line.
std::string Escaped(std::string_view data, bool keep_newlines = false);

class Renderer {
 public:
  Renderer(OutputOptions options, std::string command);

  // `origin`: the project file and environment in use ("staging, from mongo-migrate.toml").
  void Context(const std::string& database, const std::string& redacted_uri, bool dry_run,
               const std::string& origin = "");
  // The runner's events (up/down).
  void Event(const RunEvent& event);
  void StatusTable(const std::vector<plan::StatusRow>& rows);
  // `history`: every record, in the order they last changed; errors whole.
  void HistoryTable(const std::vector<HistoryEntry>& entries);
  // "Locked by …" under the status table (nothing when there is no lock document).
  void LockLine(const std::optional<LockInfo>& lock);
  // A plain result line (force, baseline, repair, unlock, validate).
  void Message(const std::string& text);
  void Created(const std::string& path, int64_t version, bool dry_run = false);
  enum class Tone { kPlain, kGood, kWarning, kBad, kDim };
  // A line of a command's own report (verify, diff), in text mode only: its --json content
  // goes through JsonField.
  void ReportLine(const std::string& text, Tone tone = Tone::kPlain);
  // Whether a report may use symbols (✓ ✗): a terminal, with colour.
  bool symbols() const { return options_.color; }
  // Adds `key` to the --json document, with `json` (a JSON text) as its value.
  void JsonField(const std::string& key, const std::string& json);
  // Ends the command with `status` (Failure, then Finish): returns the exit code, `exit_code` or
  // the one its kind maps to (exit_codes.h).
  int Fail(const Status& status, std::optional<int> exit_code = std::nullopt);
  // The failure that ends the run; `exit_code` is what the process returns.
  void Failure(const Status& status, int exit_code);
  // Prints the JSON document (with --json) or the closing text line; call once at the end.
  void Finish(bool ok);

 private:
  std::string Paint(const char* code, const std::string& text) const;
  void Progress(const RunEvent& e);
  void JsonLine(const RunEvent& e) const;
  void Line(const std::string& text, bool to_stderr = false) const;
  std::string Redact(std::string text) const;

  OutputOptions options_;
  std::string command_;
  struct Ran {
    int64_t version;
    std::string description;
    std::string direction;
    int64_t duration_ms;
    bool ok;
    std::string error;
  };
  std::vector<Ran> ran_;
  std::vector<int64_t> planned_;
  std::vector<std::string> notes_;
  std::vector<std::string> output_;  // what migrations printed (console.log), "NNN | line"
  std::vector<plan::StatusRow> status_;
  std::optional<std::vector<HistoryEntry>> history_;
  bool have_status_ = false;
  std::string database_;
  std::string uri_;
  bool dry_run_ = false;
  std::optional<std::pair<Status, int>> failure_;
  std::string created_path_;
  std::string lock_;
  bool lock_live_ = false;
  std::vector<std::string> messages_;
  std::vector<std::pair<std::string, std::string>> json_fields_;
  int64_t created_version_ = 0;
  double last_progress_line_ = -1;  // seconds into the batched update of the last piped line
  bool progress_open_ = false;      // a terminal progress line waits for its newline
  plan::Direction direction_ = plan::Direction::kUp;
};

}  // namespace mm::cli
