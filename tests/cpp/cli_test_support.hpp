// What the tests of the calm executable share (test_cli.cpp, test_bad_inputs.cpp,
// test_crash_safety.cpp): its path, a temporary folder, running it and reading files back.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace calm::cli_test {

namespace fs = std::filesystem;

inline const std::string kCli = CALM_CLI_PATH;
inline const std::string kPenguins = std::string(CALM_SOURCE_DIR) + "/examples/penguins.csv";

// A fresh folder under the system temp folder, removed with everything in it.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("calm_cli_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // Writes `bytes` to the file `name` in the folder; returns its path.
  std::string file(const std::string& name, const std::string& bytes) const {
    std::ofstream(path / name, std::ios::binary) << bytes;
    return (path / name).string();
  }
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `calm ARGS` through the shell, after `prefix` (e.g. "ulimit -f 64; "), with stdout and
// stderr into *output when given; returns the exit code (128 + the signal when one ended it).
inline int run(const std::string& args, std::string* output = nullptr,
               const std::string& prefix = "") {
  const std::string log =
      (fs::temp_directory_path() / ("calm_cli_out_" + std::to_string(::getpid()))).string();
  const int status = std::system((prefix + kCli + " " + args + " >" + log + " 2>&1").c_str());
  if (output) *output = slurp(log);
  fs::remove(log);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace calm::cli_test
