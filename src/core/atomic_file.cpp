// write_file_atomically: the contents go to a fresh temporary file in the target's folder, are
// flushed to disk, then rename(2)d over the target — readers see the old file or the new one, never
// a partial one. Any failure removes the temporary file.
#include "calm/core/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "calm/core/error.hpp"

namespace calm {

namespace {

std::atomic<unsigned> temp_counter{0};

std::string errno_text(int err) {
  return std::strerror(err);
}

// Opens a temporary file next to `target` that did not exist before (O_EXCL).
int open_temp(const std::filesystem::path& target, std::string& temp_path) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    temp_path = target.string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                std::to_string(temp_counter.fetch_add(1));
    int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& contents) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  if (target.filename().empty())
    throw IoError("cannot write '" + path + "': the path names a folder, not a file");
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw IoError("cannot write '" + path + "': folder '" + folder.string() + "' does not exist");

  std::string temp_path;
  int fd = open_temp(target, temp_path);
  if (fd < 0)
    throw IoError("cannot create a temporary file in '" + folder.string() +
                  "': " + errno_text(errno));
  auto fail = [&](const std::string& what, int err) {
    if (fd >= 0) ::close(fd);
    ::unlink(temp_path.c_str());
    throw IoError("cannot write '" + path + "': " + what + ": " + errno_text(err));
  };
  const char* p = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed", errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) fail("fsync failed", errno);
  int closed = ::close(fd);
  fd = -1;
  if (closed != 0) fail("close failed", errno);
  if (::rename(temp_path.c_str(), path.c_str()) != 0) fail("rename failed", errno);
}

}  // namespace calm
