// Flags shared by the commands that run the generator (generate, sample): output folder and name,
// seed, threads, reports and logging, and what they set in a run's config and settings.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calm/api/real_generator.hpp"
#include "calm/core/params.hpp"

namespace calm::cli {

struct RunFlags {
  std::string config;  // --config JSON file
  int64_t n_samples = 0;
  std::string output_dir = "output";
  std::string name;
  std::optional<uint64_t> seed;
  int threads = 0;
  bool no_report = false, minimal_report = false, quiet = false;
  std::string log_level = "info";
};

// -n, -o, --name before the command's own options; see add_run_flags_tail for the rest.
void add_run_flags_head(CLI::App* cmd, RunFlags& flags);
// --seed, --threads, --no-report, --minimal-report, -q, --log-level.
void add_run_flags_tail(CLI::App* cmd, RunFlags& flags);

// The --config file (or {}) with -n and --name written over it; -n is required in one or the other.
Json run_config(const RunFlags& flags, const CLI::App& cmd, bool rows_from_blocks = false);
// Output placement: -o wins over the config's output_dir; save_dataset defaults to true.
void set_output(const RunFlags& flags, const CLI::App& cmd, Json& config);
GeneratorSettings generator_settings(const RunFlags& flags);

// A failed run leaves no partial set of outputs: files that appear in the output folder (and the
// folder itself, if the run created it) are removed unless commit() was called. Files that
// existed before are left alone (an overwrite is atomic, so they hold their old or new bytes).
class OutputGuard {
 public:
  explicit OutputGuard(const Json& config);
  ~OutputGuard();
  OutputGuard(const OutputGuard&) = delete;
  OutputGuard& operator=(const OutputGuard&) = delete;
  void commit() { committed_ = true; }

 private:
  std::string dir_;
  bool existed_ = false, committed_ = false;
  std::vector<std::string> before_;
};

}  // namespace calm::cli
