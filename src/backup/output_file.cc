#include "backup/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace mm::backup {
namespace {

Status Failed(const std::string& what, const std::string& path) {
  return Status(kBadValue, "cannot " + what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

StatusOr<OutputFile> OutputFile::Create(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Failed("create", path);
  std::FILE* f = ::fdopen(fd, "wb");
  if (!f) {
    ::close(fd);
    return Failed("open", path);
  }
  return OutputFile(f, path);
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : f_(std::exchange(other.f_, nullptr)), path_(std::move(other.path_)) {}

OutputFile::~OutputFile() {
  if (f_) std::fclose(f_);
}

Status OutputFile::Write(std::string_view bytes) {
  if (bytes.empty()) return Status::Ok();
  if (std::fwrite(bytes.data(), 1, bytes.size(), f_) != bytes.size()) return Failed("write", path_);
  return Status::Ok();
}

Status OutputFile::Finish() {
  std::FILE* f = std::exchange(f_, nullptr);
  const bool flushed = std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  const int err = errno;
  const bool closed = std::fclose(f) == 0;
  if (!flushed) errno = err;
  return flushed && closed ? Status::Ok() : Failed("write", path_);
}

Status MakePrivateDirectory(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) return Status::Ok();
  return Failed("create the directory", path);
}

}  // namespace mm::backup
