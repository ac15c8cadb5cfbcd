// `calm drift` and `calm dynamics`: the standalone injectors (the original library's DriftInjector
// and ScenarioInjector) on any CSV, outside generate(). Formats: docs/drift.md, docs/dynamics.md.
#include <iostream>
#include <memory>

#include "calm/api/injectors.hpp"
#include "calm/calm.hpp"
#include "cli/commands.hpp"

namespace calm::cli {
namespace {

struct InjectArgs {
  std::string data, config, output;
  std::optional<uint64_t> seed;
  std::string time_col, block_column, target;
};

CLI::App* add_inject_command(CLI::App& app, const std::string& name, const std::string& help,
                             std::shared_ptr<InjectArgs> args) {
  CLI::App* cmd = app.add_subcommand(name, help);
  cmd->add_option("data", args->data, "Input table (CSV)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--config", args->config, "JSON config")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "Output CSV (written atomically)")->required();
  cmd->add_option("--seed", args->seed, "Random seed: same seed, same output");
  return cmd;
}

}  // namespace

void add_inject_commands(CLI::App& app) {
  auto drift = std::make_shared<InjectArgs>();
  CLI::App* d =
      add_inject_command(app, "drift", "Inject drift into a CSV (drift_injection_config)", drift);
  d->add_option("--time-col", drift->time_col, "Time column for time-based row selection");
  d->add_option("--block-column", drift->block_column, "Block column for block-based selection");
  d->add_option("--target", drift->target, "Default column of label/concept drifts");
  d->callback([drift] {
    const Logger log;
    InjectOptions options{.seed = drift->seed, .log = &log};
    if (!drift->time_col.empty()) options.time_col = drift->time_col;
    if (!drift->block_column.empty()) options.block_column = drift->block_column;
    if (!drift->target.empty()) options.target_col = drift->target;
    write_csv(inject_drift(read_csv(drift->data), read_config(drift->config), options),
              drift->output);
    std::cout << drift->output << "\n";
  });
  auto dyn = std::make_shared<InjectArgs>();
  CLI::App* s = add_inject_command(
      app, "dynamics", "Evolve features / construct a target in a CSV (dynamics_config)", dyn);
  s->callback([dyn] {
    const Logger log;
    const InjectOptions options{.seed = dyn->seed, .log = &log};
    write_csv(inject_dynamics(read_csv(dyn->data), read_config(dyn->config), options), dyn->output);
    std::cout << dyn->output << "\n";
  });
}

}  // namespace calm::cli
