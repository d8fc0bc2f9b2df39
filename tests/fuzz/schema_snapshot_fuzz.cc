// libFuzzer: a schema snapshot file comes from a repository (a hand edit, a merge conflict) and
// a backup's collection file names from a disk. Any bytes give a snapshot or an error naming
// the file; never a crash. An accepted snapshot written back out reads again as itself, and
// differs from itself in nothing. A name escaped for a dump file fits a file name and unescapes
// to itself unless it had to be truncated.
#include <cstdint>
#include <string>

#include "backup/dump_layout.h"
#include "mongomigrate/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto snapshot = mm::ParseSnapshot(text, "/repo/schema.json");
  if (!snapshot.ok()) {
    if (snapshot.status().message().find("/repo/schema.json") == std::string::npos) {
      __builtin_trap();  // every error names the file
    }
  } else {
    const std::string written = mm::SnapshotJson(*snapshot);
    auto again = mm::ParseSnapshot(written, "/repo/schema.json");
    if (!again.ok() || mm::SnapshotJson(*again) != written) __builtin_trap();
    if (!mm::DiffSchemas(snapshot->schema, again->schema).empty()) __builtin_trap();
  }
  // At most 238 bytes; "%24" at 208 only where a long name was truncated ('%' itself is
  // escaped), and any other escaped name unescapes to itself.
  const std::string escaped = mm::backup::EscapeName(text);
  if (escaped.size() > 238) __builtin_trap();
  const bool truncated = escaped.size() == 238 && escaped.compare(208, 3, "%24") == 0;
  auto name = mm::backup::UnescapeName(escaped);
  if (!truncated && (!name || *name != text)) __builtin_trap();
  return 0;
}
