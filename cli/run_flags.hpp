// Flags shared by the commands that run the generator (generate, sample): output folder and name,
// seed, threads, reports and logging, and what they set in a run's config and settings.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calm/api/real_generator.hpp"
#include "calm/core/params.hpp"
#include "calm/io/table_sink.hpp"

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
  // Where the rows go: -o as a file or database target (see table_sink.hpp), else output_dir.
  std::string table, output_table, if_exists = "fail", shard, report_dir;
  size_t report_rows = StreamOptions{}.report_rows;
};

// The run's dataset target, from -o and save_dataset: a sink to stream the rows into (null when
// save_dataset is false), and where the reports go (output_dir in the config, set by set_output).
struct DatasetTarget {
  std::unique_ptr<TableSink> sink;
  StreamOptions stream;
  bool to_stdout = false;  // the rows go to standard output: nothing else may be printed there
  std::string path;        // the CSV or SQLite file, for the list of files written
};

// -n, -o, --name before the command's own options; see add_run_flags_tail for the rest.
// --table, --if-exists, --shard, --report-dir, --report-rows are added by the tail too.
void add_run_flags_head(CLI::App* cmd, RunFlags& flags);
// --seed, --threads, --no-report, --minimal-report, -q, --log-level.
void add_run_flags_tail(CLI::App* cmd, RunFlags& flags);

// The --config file (or {}) with -n and --name written over it; -n is required in one or the other.
Json run_config(const RunFlags& flags, const CLI::App& cmd, bool rows_from_blocks = false);
// True when -o names the dataset itself ("-", a .csv/.sqlite/.sqlite3/.db file or a
// postgresql:// URL) rather than the output folder.
bool output_is_dataset(const RunFlags& flags, const CLI::App& cmd);
// Output placement: -o wins over the config's output_dir; save_dataset defaults to true. When -o
// names the dataset, the reports go to --report-dir (none without it).
void set_output(const RunFlags& flags, const CLI::App& cmd, Json& config);
// Opens the dataset's sink (after set_output and every other check: opening claims the target).
// `table_names_input`: --table names the table the data was read from, not the one to write.
DatasetTarget open_dataset(const RunFlags& flags, const CLI::App& cmd, const Json& config,
                           bool table_names_input = false);
// Writes what the run wrote (the dataset first) to standard output, unless it holds the rows.
void print_files(const DatasetTarget& target, const std::vector<std::string>& files);
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
