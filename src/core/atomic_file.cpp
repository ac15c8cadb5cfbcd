// write_file_atomically: the contents go to a fresh temporary file in the target's folder, are
// flushed to disk, then rename(2)d over the target — readers see the old file or the new one, never
// a partial one. Any failure removes the temporary file.
#include "calm/core/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "calm/core/error.hpp"

namespace calm {

namespace {

std::atomic<unsigned> temp_counter{0};

// The temporary files being written, for the signal handler: fixed slots (no allocation in the
// handler), each claimed by a writer for the time of one write.
constexpr int kSlots = 64;
constexpr size_t kPathMax = 4096;
struct TempSlot {
  std::atomic<bool> used{false};
  std::atomic<bool> ready{false};
  char path[kPathMax];
};
TempSlot temp_slots[kSlots];

int claim_slot(const std::string& path) {
  if (path.size() >= kPathMax) return -1;
  for (int s = 0; s < kSlots; ++s) {
    bool expected = false;
    if (temp_slots[s].used.compare_exchange_strong(expected, true)) {
      std::memcpy(temp_slots[s].path, path.c_str(), path.size() + 1);
      temp_slots[s].ready.store(true);
      return s;
    }
  }
  return -1;  // more concurrent writes than slots: that one is not cleaned on a signal
}

void release_slot(int s) {
  if (s < 0) return;
  temp_slots[s].ready.store(false);
  temp_slots[s].used.store(false);
}

extern "C" void remove_temp_files_and_reraise(int sig) {
  bool removed = false;
  for (auto& slot : temp_slots)
    if (slot.ready.load()) removed |= ::unlink(slot.path) == 0;  // async-signal-safe
  static const char kMessage[] = "calm: interrupted; the unfinished output was removed\n";
  static const char kPlain[] = "calm: interrupted\n";
  const ssize_t ignored = removed ? ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1)
                                  : ::write(STDERR_FILENO, kPlain, sizeof kPlain - 1);
  (void)ignored;
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

std::string errno_text(int err) {
  return std::strerror(err);
}

// Opens a temporary file next to `target` that did not exist before (O_EXCL). Its slot is
// claimed before the file exists, so that a signal can never find a file it does not know.
int open_temp(const std::filesystem::path& target, std::string& temp_path, int& slot) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    temp_path = target.string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                std::to_string(temp_counter.fetch_add(1));
    slot = claim_slot(temp_path);
    int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    const int err = errno;
    release_slot(slot);
    if (err != EEXIST) {
      errno = err;
      return -1;
    }
  }
  errno = EEXIST;
  return -1;
}

}  // namespace

std::string output_folder(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  if (target.filename().empty())
    throw IoError("cannot write '" + path + "': the path names a folder, not a file");
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw IoError("cannot write '" + path + "': folder '" + folder.string() + "' does not exist");
  return folder.string();
}

AtomicFile::AtomicFile(const std::string& path) : path_(path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path folder = output_folder(path);
  fd_ = open_temp(target, temp_path_, slot_);
  if (fd_ < 0)
    throw IoError("cannot create a temporary file in '" + folder.string() +
                  "': " + errno_text(errno));
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
  release_slot(slot_);
}

void AtomicFile::fail(const std::string& what, int err) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(temp_path_.c_str());
  throw IoError("cannot write '" + path_ + "': " + what + ": " + errno_text(err));
}

void AtomicFile::append(std::string_view bytes) {
  if (fd_ < 0) throw IoError("cannot write '" + path_ + "': the file is already closed");
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed", errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

void AtomicFile::commit() {
  if (fd_ < 0) throw IoError("cannot write '" + path_ + "': the file is already closed");
  if (::fsync(fd_) != 0) fail("fsync failed", errno);
  const int closed = ::close(fd_);
  fd_ = -1;
  if (closed != 0) fail("close failed", errno);
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) fail("rename failed", errno);
  committed_ = true;
}

int register_temp_file(const std::string& path) {
  return claim_slot(path);
}

void unregister_temp_file(int ticket) {
  release_slot(ticket);
}

void write_file_atomically(const std::string& path, const std::string& contents) {
  AtomicFile file(path);
  file.append(contents);
  file.commit();
}

void remove_temp_files_on_interrupt() {
  std::signal(SIGINT, remove_temp_files_and_reraise);
  std::signal(SIGTERM, remove_temp_files_and_reraise);
}

}  // namespace calm
