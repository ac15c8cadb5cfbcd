// PendingFile (see pending_file.hpp): the temporary database file and its clean-up on errors and
// on SIGINT/SIGTERM. The signal side copies calm::AtomicFile's: fixed slots holding the paths (no
// allocation in the handler), unlink(2) only (async-signal-safe).
#include "io/pending_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "calm/core/atomic_file.hpp"
#include "calm/core/error.hpp"

namespace calm::db_detail {

namespace {

std::atomic<unsigned> temp_counter{0};

constexpr int kSlots = 16;
constexpr size_t kPathMax = 4096;
struct Slot {
  std::atomic<bool> used{false};
  std::atomic<bool> ready{false};
  char path[kPathMax];
  char journal[kPathMax];
};
Slot slots[kSlots];

// The handlers that were in place when ours was installed, called after ours.
struct sigaction chained_int, chained_term;

int claim_slot(const std::string& path) {
  const std::string journal = path + "-journal";
  if (journal.size() >= kPathMax) return -1;
  for (int s = 0; s < kSlots; ++s) {
    bool expected = false;
    if (slots[s].used.compare_exchange_strong(expected, true)) {
      std::memcpy(slots[s].path, path.c_str(), path.size() + 1);
      std::memcpy(slots[s].journal, journal.c_str(), journal.size() + 1);
      slots[s].ready.store(true);
      return s;
    }
  }
  return -1;  // more concurrent database files than slots: that one is not cleaned on a signal
}

void release_slot(int s) {
  if (s < 0) return;
  slots[s].ready.store(false);
  slots[s].used.store(false);
}

extern "C" void remove_pending_files_and_chain(int sig) {
  for (auto& slot : slots) {
    if (!slot.ready.load()) continue;
    ::unlink(slot.path);
    ::unlink(slot.journal);
  }
  const struct sigaction& next = sig == SIGINT ? chained_int : chained_term;
  if (next.sa_handler != SIG_DFL && next.sa_handler != SIG_IGN) {
    next.sa_handler(sig);  // calm's own handler: removes its files and re-raises
    return;
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// The handler calm::remove_temp_files_on_interrupt() installs, learnt once by installing it and
// putting the previous handlers back (core keeps it private).
void (*core_handler())(int) {
  static void (*handler)(int) = [] {
    struct sigaction before_int, before_term, core;
    sigaction(SIGINT, nullptr, &before_int);
    sigaction(SIGTERM, nullptr, &before_term);
    remove_temp_files_on_interrupt();
    sigaction(SIGINT, nullptr, &core);
    sigaction(SIGINT, &before_int, nullptr);
    sigaction(SIGTERM, &before_term, nullptr);
    return core.sa_handler;
  }();
  return handler;
}

// Chains our handler in front of calm's where the front end installed calm's (the CLI does).
void chain_signal_handlers() {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  void (*core)(int) = core_handler();
  for (int sig : {SIGINT, SIGTERM}) {
    struct sigaction current;
    sigaction(sig, nullptr, &current);
    if ((current.sa_flags & SA_SIGINFO) || current.sa_handler != core) continue;
    (sig == SIGINT ? chained_int : chained_term) = current;
    struct sigaction ours = {};
    ours.sa_handler = remove_pending_files_and_chain;
    sigemptyset(&ours.sa_mask);
    sigaddset(&ours.sa_mask, SIGINT);
    sigaddset(&ours.sa_mask, SIGTERM);
    sigaction(sig, &ours, nullptr);
  }
}

}  // namespace

PendingFile::PendingFile(const std::string& target) : target_(target) {
  namespace fs = std::filesystem;
  const fs::path path(target);
  if (path.filename().empty())
    throw IoError("cannot write '" + target + "': the path names a folder, not a file");
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw IoError("cannot write '" + target + "': folder '" + folder.string() + "' does not exist");
  chain_signal_handlers();
  for (int attempt = 0; attempt < 100; ++attempt) {
    temp_path_ = target + ".tmp-" + std::to_string(::getpid()) + "-db" +
                 std::to_string(temp_counter.fetch_add(1));
    slot_ = claim_slot(temp_path_);
    const int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      return;
    }
    const int err = errno;
    release_slot(slot_);
    slot_ = -1;
    if (err != EEXIST)
      throw IoError("cannot create a temporary file in '" + folder.string() +
                    "': " + std::strerror(err));
  }
  throw IoError("cannot create a temporary file in '" + folder.string() + "': names in use");
}

PendingFile::~PendingFile() {
  if (!committed_) {
    ::unlink(temp_path_.c_str());
    ::unlink((temp_path_ + "-journal").c_str());
  }
  release_slot(slot_);
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
