// Crash safety of the CLI's outputs: an interrupted `calm generate` never leaves a file that looks
// complete. SIGINT while the synthetic CSV is being written removes its temporary file and no
// <name>_synthetic.csv appears; kill -9 at any moment leaves either no CSV or the complete one
// (byte-identical to an uninterrupted run), plus at most a <target>.tmp-<pid>-<n> leftover.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "cli_test_support.hpp"

extern char** environ;
namespace fs = std::filesystem;
using namespace calm::cli_test;

namespace {

pid_t start(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(kCli.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  EXPECT_EQ(posix_spawn(&pid, kCli.c_str(), &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int finish(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  if (fs::exists(dir))
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  return out;
}

std::vector<std::string> generate_args(const fs::path& out) {
  return {"generate", kPenguins, "-n",          "400000", "-m", "resample",
          "--seed",   "3",       "--no-report", "-q",     "-o", out.string()};
}

}  // namespace

TEST(CrashSafety, SigintWhileWritingRemovesTheTemporaryFile) {
  TempDir d;
  bool caught = false;
  int interrupted = 0;
  for (int attempt = 0; attempt < 10 && interrupted == 0; ++attempt) {
    const fs::path out = d.path / std::string("int").append(std::to_string(attempt));
    const pid_t pid = start(generate_args(out));
    // Wait for the temporary file of the CSV, then interrupt.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      bool writing = false;
      for (const auto& f : files_in(out)) writing |= f.find(".tmp-") != std::string::npos;
      if (writing) {
        kill(pid, SIGINT);
        caught = true;
        break;
      }
      if (waitpid(pid, nullptr, WNOHANG) == pid) break;  // finished before we saw it
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    if (!caught) continue;
    caught = false;
    const int status = finish(pid);
    if (!WIFSIGNALED(status)) continue;  // the write completed just before the signal
    ++interrupted;
    EXPECT_EQ(WTERMSIG(status), SIGINT);
    for (const auto& f : files_in(out)) {
      EXPECT_EQ(f.find(".tmp-"), std::string::npos) << "temporary file left: " << f;
      EXPECT_EQ(f.find("_synthetic.csv"), std::string::npos) << "a CSV appeared: " << f;
    }
  }
  EXPECT_TRUE(interrupted > 0 || caught) << "never saw the temporary file being written";
  EXPECT_GT(interrupted, 0) << "no attempt was interrupted while writing";
}

TEST(CrashSafety, KillDashNineNeverLeavesACompleteLookingPartialFile) {
  TempDir d;
  const fs::path ref = d.path / "ref";
  ASSERT_EQ(finish(start(generate_args(ref))), 0);
  const std::string complete = slurp(ref / "RealGenerator_synthetic.csv");
  ASSERT_GT(complete.size(), 1000000u);
  for (int delay_ms : {0, 5, 20, 60, 120, 250, 500}) {
    const fs::path out = d.path / std::string("k").append(std::to_string(delay_ms));
    const pid_t pid = start(generate_args(out));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    finish(pid);
    for (const auto& f : files_in(out)) {
      if (f == "RealGenerator_synthetic.csv")
        EXPECT_EQ(slurp(out / f), complete) << "a partial CSV after kill -9 at " << delay_ms;
      else
        EXPECT_NE(f.find(".tmp-"), std::string::npos) << "unexpected file " << f;
    }
  }
}

// Streamed runs (docs/streaming.md): SIGINT or SIGTERM in the middle of a long `calm generate`
// into a CSV file or a SQLite table leaves neither the target nor a temporary file.
TEST(CrashSafety, InterruptingAStreamLeavesNothingThatLooksComplete) {
  TempDir d;
  for (const char* target : {"out.csv", "out.sqlite"})
    for (int sig : {SIGINT, SIGTERM}) {
      const fs::path dir = d.path / std::string(target).append(std::to_string(sig));
      fs::create_directories(dir);
      std::vector<std::string> args = {
          "generate", kPenguins, "-n",          "50000000", "--seed",
          "1",        "-q",      "--no-report", "-o",       (dir / target).string()};
      if (std::string(target) == "out.sqlite") args.insert(args.end(), {"--table", "t"});
      const pid_t pid = start(args);
      // Wait until rows are being written (a temporary file exists), then signal.
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      bool writing = false;
      while (!writing && std::chrono::steady_clock::now() < deadline) {
        for (const auto& f : files_in(dir)) writing |= f.find(".tmp-") != std::string::npos;
        std::this_thread::sleep_for(std::chrono::milliseconds(writing ? 300 : 5));
      }
      ASSERT_TRUE(writing) << "no temporary file appeared for " << target;
      kill(pid, sig);
      const int status = finish(pid);
      EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << target << " " << sig;
      EXPECT_TRUE(files_in(dir).empty())
          << target << ": left " << (files_in(dir).empty() ? "" : files_in(dir).front());
    }
}
