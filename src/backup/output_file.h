// A new file that only its owner may read (backups hold personal data), written through a
// buffer and synced to disk when finished.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "mongomigrate/status.h"

namespace mm::backup {

class OutputFile {
 public:
  // Creates `path` (0600); refuses one that exists.
  static StatusOr<OutputFile> Create(const std::string& path);
  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&&) = delete;
  ~OutputFile();

  Status Write(std::string_view bytes);
  // Flushes, syncs and closes; the file is complete only once this returns Ok.
  Status Finish();

 private:
  OutputFile(std::FILE* f, std::string path) : f_(f), path_(std::move(path)) {}
  std::FILE* f_;
  std::string path_;
};

// Creates `path` (0700) if it does not exist.
Status MakePrivateDirectory(const std::string& path);

}  // namespace mm::backup
