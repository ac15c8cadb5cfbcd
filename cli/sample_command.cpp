// `calm sample`: loads a model saved by `calm generate --save-model` and writes n synthetic rows
// (<name>_synthetic.csv) through the same post-processing as generate. A --config JSON holds the
// post-processing options (custom_distributions, constraints, dates, drift, dynamics); --data
// gives the real table for the reports, which are skipped without it.
#include <iostream>
#include <memory>

#include "calm/calm.hpp"
#include "cli/commands.hpp"
#include "cli/run_flags.hpp"

namespace calm::cli {
namespace {

struct SampleArgs {
  RunFlags run;
  std::string model;
  std::string data;
};

void run_sample(const SampleArgs& a, const CLI::App& cmd) {
  Json config = run_config(a.run, cmd);
  set_output(a.run, cmd, config);
  OutputGuard guard(config);
  GenerateOptions options = GenerateOptions::from_json(config);
  RealGenerator generator = RealGenerator::load(a.model, generator_settings(a.run));
  std::optional<Table> real;
  if (!a.data.empty()) {
    CsvReadOptions read_options;
    read_options.threads = a.run.threads;
    real = read_csv(a.data, read_options);
  }
  GenerateResult result = generator.run_fitted(options, real ? &*real : nullptr);
  guard.commit();
  for (const auto& f : result.files) std::cout << f << "\n";
}

}  // namespace

void add_sample_command(CLI::App& app) {
  auto args = std::make_shared<SampleArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sample", "Write synthetic rows from a model saved by generate --save-model");
  // Not CLI::ExistingFile: a missing model is reported by the loader, naming the file.
  cmd->add_option("model", args->model, "Model file (calm generate --save-model)")->required();
  add_run_flags_head(cmd, args->run);
  cmd->add_option("--config", args->run.config,
                  "JSON file with post-processing options (custom_distributions, constraints, "
                  "date_start, drift_injection_config, dynamics_config, ...)");
  cmd->add_option("--data", args->data,
                  "The real data (CSV) the model was fitted on: enables the reports");
  add_run_flags_tail(cmd, args->run);
  cmd->callback([args, cmd] { run_sample(*args, *cmd); });
}

}  // namespace calm::cli
