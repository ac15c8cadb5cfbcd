// Flags shared by `calm generate` and `calm sample` (see run_flags.hpp).
#include "cli/run_flags.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "calm/core/error.hpp"
#include "calm/core/log.hpp"
#include "calm/core/row_blocks.hpp"
#include "cli/commands.hpp"

namespace calm::cli {

void add_run_flags_head(CLI::App* cmd, RunFlags& f) {
  cmd->add_option("-n,--n-samples", f.n_samples, option_help("n_samples"));
  cmd->add_option("-o,--output-dir", f.output_dir,
                  option_help("output_dir", "default ./output") +
                      "; or the dataset itself: FILE.csv, - (standard output), FILE.sqlite or "
                      "postgresql://... with --table");
  cmd->add_option("--name", f.name, option_help("generator_name"));
}

void add_run_flags_tail(CLI::App* cmd, RunFlags& f) {
  cmd->add_option("--seed", f.seed, "random_state: same seed, same output");
  cmd->add_option("--threads", f.threads, "Threads (0 = all cores); output does not depend on it");
  cmd->add_flag("--no-report", f.no_report, "Do not write reports (auto_report=False)");
  cmd->add_flag("--minimal-report", f.minimal_report,
                "Faster reports: column shapes and plots only, no pair trends, correlations, PCA "
                "or privacy (minimal_report=True)");
  cmd->add_flag("-q,--quiet", f.quiet, "Only warnings and errors");
  cmd->add_option("--log-level", f.log_level, "debug, info, warning, error, quiet");
  cmd->add_option("--table", f.table,
                  "Table of the database the data comes from (generate), else the table to write "
                  "when -o is a SQLite file or PostgreSQL URL");
  cmd->add_option("--output-table", f.output_table,
                  "Table to write when -o is a SQLite file or PostgreSQL URL (default: --table "
                  "when the data is not read from a database)");
  cmd->add_option("--if-exists", f.if_exists,
                  "When the output table exists: fail (default), replace or append");
  cmd->add_option(
      "--shard", f.shard,
      "Write only shard I of K (I/K, 0-based) of the rows; the K shards put one after "
      "the other equal the whole output (the CSV header: in the shard holding the first "
      "rows)");
  cmd->add_option("--report-dir", f.report_dir,
                  "Folder for the reports when -o names the dataset (default: no reports)");
  cmd->add_option("--report-rows", f.report_rows,
                  "Reports compare at most this many output rows (a seeded sample, stratified by "
                  "block)");
}

bool output_is_dataset(const RunFlags& f, const CLI::App& cmd) {
  if (!cmd.count("-o")) return false;
  if (target_kind(f.output_dir) != TargetKind::csv_file) return true;
  const std::filesystem::path p(f.output_dir);
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext == ".csv";
}

Json run_config(const RunFlags& f, const CLI::App& cmd, bool rows_from_blocks) {
  Json config = f.config.empty() ? Json::object() : read_config(f.config);
  if (!config.is_object()) throw InvalidArgument("config file must hold a JSON object");
  if (cmd.count("-n")) config["n_samples"] = f.n_samples;
  if (cmd.count("--name")) config["generator_name"] = f.name;
  // Per-block counts fix the total: n_samples 0 lets the block generator add them up.
  if (rows_from_blocks && !config.contains("n_samples")) config["n_samples"] = 0;
  if (!config.contains("n_samples"))
    throw InvalidArgument("-n/--n-samples is required (number of rows to generate)");
  // The data comes from the command line, never from the config.
  config.erase("data");
  return config;
}

void set_output(const RunFlags& f, const CLI::App& cmd, Json& config) {
  if (output_is_dataset(f, cmd)) {
    config["output_dir"] = f.report_dir.empty() ? Json() : Json(f.report_dir);
    config["save_dataset"] = true;
  } else {
    if (cmd.count("--report-dir"))
      throw InvalidArgument(
          "--report-dir is for an -o that names the dataset (FILE.csv, -, FILE.sqlite, "
          "postgresql://...); the reports already go to the output folder");
    if (cmd.count("-o") || !config.contains("output_dir")) config["output_dir"] = f.output_dir;
    if (!config.contains("save_dataset")) config["save_dataset"] = true;
  }
  const bool db_out =
      output_is_dataset(f, cmd) && (target_kind(f.output_dir) == TargetKind::sqlite ||
                                    target_kind(f.output_dir) == TargetKind::postgres);
  if (!f.output_table.empty() && !db_out)
    throw InvalidArgument("--output-table is for an -o that is a SQLite file or a PostgreSQL URL");
  if (f.report_rows == 0) throw InvalidArgument("--report-rows must be at least 1");
}

namespace {

std::optional<std::pair<size_t, size_t>> parse_shard(const std::string& s) {
  if (s.empty()) return std::nullopt;
  const auto slash = s.find('/');
  auto digits = [](const std::string& t) {
    return !t.empty() && t.size() <= 9 && t.find_first_not_of("0123456789") == std::string::npos;
  };
  if (slash == std::string::npos || !digits(s.substr(0, slash)) || !digits(s.substr(slash + 1)))
    throw InvalidArgument("--shard expects I/K (shard I of K, 0 <= I < K), got '" + s + "'");
  const size_t i = std::stoul(s.substr(0, slash)), k = std::stoul(s.substr(slash + 1));
  if (k == 0 || i >= k) throw InvalidArgument("--shard I/K needs 0 <= I < K, got '" + s + "'");
  return std::make_pair(i, k);
}

}  // namespace

DatasetTarget open_dataset(const RunFlags& f, const CLI::App& cmd, const Json& config,
                           bool table_names_input) {
  DatasetTarget t;
  t.stream.shard = parse_shard(f.shard);
  t.stream.report_rows = f.report_rows;
  if (!config.value("save_dataset", false)) {
    if (t.stream.shard) throw InvalidArgument("--shard writes rows: save_dataset must be true");
    return t;
  }
  SinkOptions options;
  options.table = !f.output_table.empty() ? f.output_table : table_names_input ? "" : f.table;
  options.if_exists = if_exists_from_string(f.if_exists);
  options.threads = f.threads;
  options.header =
      !t.stream.shard || shard_holds_first_block(static_cast<size_t>(config.value("n_samples", 0)),
                                                 t.stream.shard->first, t.stream.shard->second);
  std::string target;
  if (output_is_dataset(f, cmd)) {
    target = f.output_dir;
  } else {
    const std::string dir = config["output_dir"].get<std::string>();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw IoError("cannot create output folder '" + dir + "': " + ec.message());
    target = (std::filesystem::path(dir) /
              (config.value("generator_name", std::string("RealGenerator")) + "_synthetic.csv"))
                 .string();
  }
  const TargetKind kind = target_kind(target);
  t.to_stdout = kind == TargetKind::csv_stdout;
  if (kind == TargetKind::csv_file || kind == TargetKind::sqlite || kind == TargetKind::h5ad)
    t.path = target;
  t.sink = open_sink(target, options);
  t.stream.sink = t.sink.get();
  return t;
}

void print_files(const DatasetTarget& target, const std::vector<std::string>& files) {
  if (target.to_stdout) return;
  if (!target.path.empty()) std::cout << target.path << "\n";
  for (const auto& f : files) std::cout << f << "\n";
}

GeneratorSettings generator_settings(const RunFlags& f) {
  auto logger = std::make_shared<Logger>();
  logger->set_level(f.quiet ? LogLevel::warning : log_level_from_string(f.log_level));
  GeneratorSettings settings;
  settings.auto_report = !f.no_report;
  settings.minimal_report = f.minimal_report;
  settings.random_state = f.seed;
  settings.logger = logger;
  settings.threads = f.threads;
  return settings;
}

OutputGuard::OutputGuard(const Json& config) {
  namespace fs = std::filesystem;
  if (!config.contains("output_dir") || !config["output_dir"].is_string()) return;
  dir_ = config["output_dir"].get<std::string>();
  std::error_code ec;
  existed_ = fs::exists(dir_, ec);
  if (existed_ && fs::is_directory(dir_, ec))
    for (const auto& e : fs::directory_iterator(dir_, ec)) before_.push_back(e.path().string());
}

OutputGuard::~OutputGuard() {
  namespace fs = std::filesystem;
  if (committed_ || dir_.empty()) return;
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    const std::string p = e.path().string();
    if (std::find(before_.begin(), before_.end(), p) == before_.end()) fs::remove_all(p, ec);
  }
  if (!existed_ && fs::is_empty(dir_, ec)) fs::remove(dir_, ec);
}

}  // namespace calm::cli
