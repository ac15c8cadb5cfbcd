// PendingFile (see pending_file.hpp): the temporary database file and its clean-up on errors and,
// through core's register_temp_file, on SIGINT/SIGTERM.
#include "io/pending_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "calm/core/atomic_file.hpp"
#include "calm/core/error.hpp"

namespace calm::db_detail {

namespace {

std::atomic<unsigned> temp_counter{0};

}  // namespace

PendingFile::PendingFile(const std::string& target) : target_(target) {
  const std::string folder = output_folder(target);
  for (int attempt = 0; attempt < 100; ++attempt) {
    temp_path_ = target + ".tmp-" + std::to_string(::getpid()) + "-db" +
                 std::to_string(temp_counter.fetch_add(1));
    tickets_[0] = register_temp_file(temp_path_);
    tickets_[1] = register_temp_file(temp_path_ + "-journal");
    const int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      return;
    }
    const int err = errno;
    for (int& t : tickets_) {
      unregister_temp_file(t);
      t = -1;
    }
    if (err != EEXIST)
      throw IoError("cannot create a temporary file in '" + folder + "': " + std::strerror(err));
  }
  throw IoError("cannot create a temporary file in '" + folder + "': names in use");
}

PendingFile::~PendingFile() {
  if (!committed_) {
    ::unlink(temp_path_.c_str());
    ::unlink((temp_path_ + "-journal").c_str());
  }
  for (int t : tickets_) unregister_temp_file(t);
}

void PendingFile::commit() {
  auto fail = [&](const std::string& what) {
    const int err = errno;
    ::unlink(temp_path_.c_str());
    throw IoError("cannot write '" + target_ + "': " + what + ": " + std::strerror(err));
  };
  const int fd = ::open(temp_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("reopening the temporary file failed");
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail("fsync failed");
  }
  ::close(fd);
  // link(2) instead of rename(2): a file that appeared under the target's name while this one was
  // written (another process, e.g. a second shard) is not replaced silently.
  if (::link(temp_path_.c_str(), target_.c_str()) == 0) {
    ::unlink(temp_path_.c_str());
  } else if (errno == EEXIST) {
    errno = EEXIST;
    fail(
        "another process created it while this one was writing (nothing was replaced; write "
        "again with if_exists 'append' or 'replace')");
  } else if (::rename(temp_path_.c_str(), target_.c_str()) != 0) {  // no hard links there
    fail("rename failed");
  }
  committed_ = true;
}

}  // namespace calm::db_detail
