// `calm sample`: loads a model saved by `calm generate --save-model` and writes n synthetic rows
// (<name>_synthetic.csv) through the same post-processing as generate. A --config JSON holds the
// post-processing options (custom_distributions, constraints, dates, drift, dynamics); --data
// gives the real table for the reports, which are skipped without it.
#include <iostream>
#include <memory>

#include "calm/calm.hpp"
#include "calm/core/row_blocks.hpp"
#include "calm/io/table_sink.hpp"
#include "cli/commands.hpp"
#include "cli/run_flags.hpp"

namespace calm::cli {
namespace {

struct SampleArgs {
  RunFlags run;
  std::string model;
  std::string data;
  bool stream = false;
};

// --stream: RowStream's rows, block by block, to standard output (or the -o dataset), without
// end unless -n is given; no reports.
void run_stream(const SampleArgs& a, const CLI::App& cmd) {
  if (cmd.count("--shard") || cmd.count("--report-dir") || cmd.count("--data"))
    throw InvalidArgument("--stream writes rows only: leave out --shard, --report-dir and --data");
  if (cmd.count("-o") && !output_is_dataset(a.run, cmd))
    throw InvalidArgument(
        "--stream writes to -o - (the default), a .csv/.sqlite file or a "
        "postgresql:// URL, not a folder");
  Json config = a.run.config.empty() ? Json::object() : read_config(a.run.config);
  if (!config.is_object()) throw InvalidArgument("config file must hold a JSON object");
  config["n_samples"] = cmd.count("-n") ? a.run.n_samples : 0;
  config.erase("output_dir");
  config["save_dataset"] = false;
  RealGenerator generator = RealGenerator::load(a.model, generator_settings(a.run));
  RowStream rows(generator, GenerateOptions::from_json(config));
  if (!rows.size() && cmd.count("-o") && target_kind(a.run.output_dir) != TargetKind::csv_stdout)
    throw InvalidArgument(
        "an endless --stream can only go to standard output; give -n to "
        "write a file or a table");
  SinkOptions options;
  options.table = a.run.table;
  options.if_exists = if_exists_from_string(a.run.if_exists);
  options.threads = a.run.threads;
  auto sink = open_sink(cmd.count("-o") ? a.run.output_dir : "-", options);
  for (size_t begin = 0; !rows.size() || begin < *rows.size(); begin += kRowBlock)
    sink->write(rows.rows(begin, begin + kRowBlock));
  sink->commit();
}

void run_sample(const SampleArgs& a, const CLI::App& cmd) {
  if (a.stream) return run_stream(a, cmd);
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
  DatasetTarget target = open_dataset(a.run, cmd, config);
  options.save_dataset = false;  // the dataset goes to the sink
  GenerateResult result =
      target.sink ? generator.run_fitted_streamed(options, real ? &*real : nullptr, target.stream)
                  : generator.run_fitted(options, real ? &*real : nullptr);
  guard.commit();
  print_files(target, result.files);
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
  cmd->add_flag("--stream", args->stream,
                "Write rows block by block to standard output (or -o FILE/URL) without end "
                "unless -n is given (StreamGenerator's CLI form; no reports)");
  add_run_flags_tail(cmd, args->run);
  cmd->callback([args, cmd] { run_sample(*args, *cmd); });
}

}  // namespace calm::cli
