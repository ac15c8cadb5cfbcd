// Flags shared by `calm generate` and `calm sample` (see run_flags.hpp).
#include "cli/run_flags.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "calm/core/error.hpp"
#include "calm/core/log.hpp"
#include "cli/commands.hpp"

namespace calm::cli {

void add_run_flags_head(CLI::App* cmd, RunFlags& f) {
  cmd->add_option("-n,--n-samples", f.n_samples, option_help("n_samples"));
  cmd->add_option("-o,--output-dir", f.output_dir, option_help("output_dir", "default ./output"));
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
  if (cmd.count("-o") || !config.contains("output_dir")) config["output_dir"] = f.output_dir;
  if (!config.contains("save_dataset")) config["save_dataset"] = true;
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
