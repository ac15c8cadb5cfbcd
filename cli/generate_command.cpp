// `calm generate`: reads a CSV, runs RealGenerator::generate, writes <name>_synthetic.csv and the
// reports into the output folder. A --config JSON holds any generate() argument; flags override it.
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "calm/api/cell_generator.hpp"
#include "calm/api/real_block_generator.hpp"
#include "calm/calm.hpp"
#include "calm/io/anndata.hpp"
#include "calm/io/table_sink.hpp"
#include "cli/commands.hpp"
#include "cli/run_flags.hpp"

namespace calm::cli {
namespace {

struct GenerateArgs {
  RunFlags run;
  std::string data;
  std::string query;
  std::string method;
  std::string target;
  std::vector<std::string> params;
  std::vector<std::string> types;
  std::string block_column;
  int64_t chunk_size = 0;
  std::vector<std::string> samples_per_block;
  std::string save_model;
  bool adversarial = false;
  double holdout_fraction = 0;
  int64_t fit_rows = 0;
};

std::pair<std::string, std::string> split_key_value(const std::string& kv,
                                                    const std::string& flag) {
  auto eq = kv.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InvalidArgument(flag + " expects KEY=VALUE, got '" + kv + "'");
  return {kv.substr(0, eq), kv.substr(eq + 1)};
}

// The block strategy of RealBlockGenerator (original-behaviour.md §7): --block-column, or
// --chunk-size N, which numbers consecutive runs of N rows in a new column `chunk` (0, 1, ...).
std::optional<BlockOptions> block_options(const GenerateArgs& a, const CLI::App& cmd, Table& data) {
  const bool by_column = cmd.count("--block-column") > 0, by_chunk = cmd.count("--chunk-size") > 0;
  if (by_column && by_chunk)
    throw InvalidArgument("give one block strategy: --block-column or --chunk-size, not both");
  if (!by_column && !by_chunk) {
    if (!a.samples_per_block.empty())
      throw InvalidArgument("--samples-per-block needs --block-column or --chunk-size");
    return std::nullopt;
  }
  BlockOptions blocks;
  blocks.block_column = a.block_column;
  if (by_chunk) {
    if (a.chunk_size <= 0)
      throw InvalidArgument("--chunk-size must be a positive number of rows, got " +
                            std::to_string(a.chunk_size));
    if (data.has("chunk"))
      throw InvalidArgument(
          "the data already has a column 'chunk', which --chunk-size would "
          "create; rename it or use --block-column");
    std::vector<int64_t> chunk(data.num_rows());
    for (size_t i = 0; i < chunk.size(); ++i) chunk[i] = static_cast<int64_t>(i) / a.chunk_size;
    data = data.with_column(Column::int64("chunk", std::move(chunk)));
    blocks.block_column = "chunk";
  }
  if (!data.has(blocks.block_column))
    throw InvalidArgument("--block-column '" + blocks.block_column + "' is not a column");
  // --samples-per-block N (every block) or BLOCK=N (repeatable; blocks not named keep their size)
  blocks.block_sizes = Json::object();
  for (const auto& spec : a.samples_per_block) {
    const auto eq = spec.find('=');
    const std::string count = eq == std::string::npos ? spec : spec.substr(eq + 1);
    // at most 18 digits, so std::stoll cannot overflow into an internal error
    if (count.empty() || count.size() > 18 ||
        count.find_first_not_of("0123456789") != std::string::npos)
      throw InvalidArgument("--samples-per-block expects N or BLOCK=N with N >= 0, got '" + spec +
                            "'");
    const int64_t rows = std::stoll(count);
    if (eq != std::string::npos) {
      blocks.block_sizes[split_key_value(spec, "--samples-per-block").first] = rows;
      continue;
    }
    const Column& column = data.column(blocks.block_column);
    for (size_t i = 0; i < data.num_rows(); ++i)
      if (!column.is_missing(i)) blocks.block_sizes[column.text(i)] = rows;
  }
  if (blocks.block_sizes.empty()) blocks.block_sizes = Json();
  return blocks;
}

void run_generate(const GenerateArgs& a, const CLI::App& cmd) {
  Json config = run_config(a.run, cmd, !a.samples_per_block.empty());
  if (cmd.count("-m")) config["method"] = a.method;
  if (cmd.count("--target")) config["target_col"] = a.target;
  if (a.adversarial) config["adversarial_validation"] = true;
  if (cmd.count("--holdout-fraction")) config["holdout_fraction"] = a.holdout_fraction;
  if (cmd.count("--fit-rows")) config["fit_rows"] = a.fit_rows;
  Json& mp = config["model_params"];
  if (mp.is_null()) mp = Json::object();
  for (const auto& kv : a.params) {
    auto [k, v] = split_key_value(kv, "--param");
    // Structured values (dp's bounds/domain, lists) are written as JSON: KEY='{"age": [0, 120]}'.
    const bool structured = !v.empty() && (v.front() == '{' || v.front() == '[');
    Json parsed = structured ? Json::parse(v, nullptr, false) : Json();
    if (structured && parsed.is_discarded())
      throw InvalidArgument("--param " + k +
                            ": the value starts like JSON but does not parse: " + v);
    mp[k] = structured ? parsed : Json(v);
  }
  for (const auto& kv : a.types) {
    auto [k, v] = split_key_value(kv, "--type");
    config["column_types"][k] = v;
  }
  set_output(a.run, cmd, config);
  OutputGuard guard(config);
  GenerateOptions options = GenerateOptions::from_json(config);
  const GeneratorSettings settings = generator_settings(a.run);
  SourceOptions source;
  source.csv.threads = a.run.threads;
  const bool from_db =
      target_kind(a.data) == TargetKind::sqlite || target_kind(a.data) == TargetKind::postgres;
  if (from_db) {
    if (!a.run.table.empty()) source.table = a.run.table;
    if (!a.query.empty()) source.query = a.query;
  } else if (!a.query.empty()) {
    throw InvalidArgument(
        "--query reads from a database: the data must be a .sqlite/.db file or "
        "a postgresql:// URL");
  }
  // An AnnData file for a single-cell method: the cells stay a sparse matrix from the file to the
  // output (api/cell_generator.hpp), unless the run asks for what only table rows have.
  if (target_kind(a.data) == TargetKind::h5ad && runs_on_cells(options) && a.block_column.empty() &&
      a.chunk_size == 0 && a.samples_per_block.empty() && a.save_model.empty() &&
      a.run.table.empty()) {
    const CellTable cells = anndata_cells(read_h5ad(a.data));
    DatasetTarget target = open_dataset(a.run, cmd, config, false);
    const CellRunResult result = generate_cells(cells, options, settings);
    if (target.sink) {
      write_cells(*target.sink, result.synthetic);
      target.sink->commit();
    }
    guard.commit();
    print_files(target, result.files);
    return;
  }
  Table data = read_table(a.data, source);
  GenerateResult result;
  auto blocks = block_options(a, cmd, data);
  DatasetTarget target = open_dataset(a.run, cmd, config, from_db);
  // The dataset goes to the sink; write_outputs writes only the reports.
  options.save_dataset = false;
  if (blocks) {
    if (!a.save_model.empty())
      throw InvalidArgument(
          "--save-model keeps one fitted model; --block-column/--chunk-size fit one per "
          "block (leave one of them out)");
    if (target.stream.shard)
      throw InvalidArgument("--shard needs one model: leave out --block-column/--chunk-size");
    // One model per block: the whole output is put together in memory, then written.
    result = RealBlockGenerator(settings).run(data, options, *blocks);
    if (target.sink) {
      target.sink->write(result.synthetic);
      target.sink->commit();
    }
  } else {
    RealGenerator generator(settings);
    result = target.sink ? generator.run_streamed(data, options, target.stream)
                         : generator.run(data, options);
    if (!a.save_model.empty()) {
      generator.save(a.save_model);
      result.files.push_back(a.save_model);
    }
  }
  guard.commit();
  print_files(target, result.files);
}

}  // namespace

Json read_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw IoError("cannot open config file '" + path + "'");
  try {
    return Json::parse(in);
  } catch (const Json::exception& e) {
    throw InvalidArgument("config file '" + path + "' is not valid JSON: " + e.what());
  }
}

void add_generate_command(CLI::App& app) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* cmd = app.add_subcommand("generate", "Learn a CSV table and write a synthetic one");
  // Not CLI::ExistingFile: a database URL is not a file; a missing file is reported by the reader.
  cmd->add_option("data", args->data,
                  "Real data: a CSV file, a SQLite file (.sqlite/.sqlite3/.db) with --table or "
                  "--query, or a postgresql:// URL with --table or --query")
      ->required();
  cmd->add_option("--query", args->query, "SQL query whose result is the real data (databases)");
  add_run_flags_head(cmd, args->run);
  cmd->add_option("-m,--method", args->method, option_help("method"));
  cmd->add_option("--target", args->target, option_help("target_col"));
  cmd->add_option("--param", args->params,
                  option_help("model_params", "model_params KEY=VALUE, repeatable"));
  cmd->add_option("--type", args->types,
                  option_help("column_types", "column_types COLUMN=TYPE, repeatable"));
  cmd->add_option("--config", args->run.config,
                  "JSON file with any generate() option (`calm options` lists them)");
  cmd->add_option(
      "--block-column", args->block_column,
      "One model per value of this column (RealBlockGenerator); rows split by block size");
  cmd->add_option("--chunk-size", args->chunk_size,
                  "One model per run of N consecutive rows, numbered in a new column `chunk`");
  cmd->add_option("--samples-per-block", args->samples_per_block,
                  "Rows per block: N for every block, or BLOCK=N (repeatable; others keep their "
                  "real size); -n may then be left out");
  cmd->add_option("--save-model", args->save_model,
                  "Also save the fitted model to this file (sample from it with `calm sample`)");
  cmd->add_flag("--adversarial-validation", args->adversarial,
                option_help("adversarial_validation", "adversarial_validation=True"));
  cmd->add_option("--holdout-fraction", args->holdout_fraction, option_help("holdout_fraction"));
  cmd->add_option("--fit-rows", args->fit_rows, option_help("fit_rows"));
  add_run_flags_tail(cmd, args->run);
  cmd->callback([args, cmd] { run_generate(*args, *cmd); });
}

}  // namespace calm::cli
