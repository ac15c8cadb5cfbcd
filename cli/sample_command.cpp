// `calm sample`: loads a model saved by `calm generate --save-model` and writes n synthetic rows
// (<name>_synthetic.csv) through the same post-processing as generate. A --config JSON holds the
// post-processing options (custom_distributions, constraints, dates, drift, dynamics); --data
// gives the real table for the reports, which are skipped without it.
#include <iostream>
#include <memory>

#include "calm/calm.hpp"
#include "cli/commands.hpp"

namespace calm::cli {
namespace {

struct SampleArgs {
  std::string model;
  int64_t n_samples = 0;
  std::string output_dir = "output";
  std::string name;
  std::string config;
  std::string data;
  std::optional<uint64_t> seed;
  int threads = 0;
  bool no_report = false, minimal_report = false, quiet = false;
  std::string log_level = "info";
};

void run_sample(const SampleArgs& a, const CLI::App& cmd) {
  Json config = a.config.empty() ? Json::object() : read_config(a.config);
  if (!config.is_object()) throw InvalidArgument("config file must hold a JSON object");
  if (cmd.count("-n")) config["n_samples"] = a.n_samples;
  if (cmd.count("--name")) config["generator_name"] = a.name;
  if (!config.contains("n_samples"))
    throw InvalidArgument("-n/--n-samples is required (number of rows to generate)");
  config.erase("data");
  if (cmd.count("-o") || !config.contains("output_dir")) config["output_dir"] = a.output_dir;
  if (!config.contains("save_dataset")) config["save_dataset"] = true;
  GenerateOptions options = GenerateOptions::from_json(config);

  auto logger = std::make_shared<Logger>();
  logger->set_level(a.quiet ? LogLevel::warning : log_level_from_string(a.log_level));
  GeneratorSettings settings;
  settings.auto_report = !a.no_report;
  settings.minimal_report = a.minimal_report;
  settings.random_state = a.seed;
  settings.logger = logger;
  settings.threads = a.threads;
  RealGenerator generator = RealGenerator::load(a.model, settings);
  std::optional<Table> real;
  if (!a.data.empty()) {
    CsvReadOptions read_options;
    read_options.threads = a.threads;
    real = read_csv(a.data, read_options);
  }
  GenerateResult result = generator.run_fitted(options, real ? &*real : nullptr);
  for (const auto& f : result.files) std::cout << f << "\n";
}

}  // namespace

void add_sample_command(CLI::App& app) {
  auto args = std::make_shared<SampleArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sample", "Write synthetic rows from a model saved by generate --save-model");
  // Not CLI::ExistingFile: a missing model is reported by the loader, naming the file.
  cmd->add_option("model", args->model, "Model file (calm generate --save-model)")->required();
  cmd->add_option("-n,--n-samples", args->n_samples, "Rows to generate");
  cmd->add_option("-o,--output-dir", args->output_dir, "Output folder (default: ./output)");
  cmd->add_option("--name", args->name, "generator_name: base name of output files");
  cmd->add_option("--config", args->config,
                  "JSON file with post-processing options (custom_distributions, constraints, "
                  "date_start, drift_injection_config, dynamics_config, ...)");
  cmd->add_option("--data", args->data,
                  "The real data (CSV) the model was fitted on: enables the reports");
  cmd->add_option("--seed", args->seed, "random_state: same seed, same output");
  cmd->add_option("--threads", args->threads,
                  "Threads (0 = all cores); output does not depend on it");
  cmd->add_flag("--no-report", args->no_report, "Do not write reports (auto_report=False)");
  cmd->add_flag("--minimal-report", args->minimal_report, "Faster reports (minimal_report=True)");
  cmd->add_flag("-q,--quiet", args->quiet, "Only warnings and errors");
  cmd->add_option("--log-level", args->log_level, "debug, info, warning, error, quiet");
  cmd->callback([args, cmd] { run_sample(*args, *cmd); });
}

}  // namespace calm::cli
