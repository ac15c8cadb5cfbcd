// calm::RealGenerator — the seed's RealGenerator: learn a real table, generate a synthetic one.
// generate() validates every argument first (nothing is fitted or written on bad input), then
// fits the chosen method, samples, shapes the output like the input, applies post-processing,
// and writes the dataset and reports to output_dir.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm {

// The seed's constructor arguments (plus the thread count).
struct GeneratorSettings {
  bool auto_report = true;      // write reports when output_dir is given
  bool minimal_report = false;  // reports without pair metrics, correlations, PCA and privacy
  std::optional<uint64_t> random_state;  // nullopt: a fresh seed each run (logged)
  std::shared_ptr<Logger> logger;        // nullptr: stderr at level info
  int threads = 0;                       // 0: all cores; the output never depends on it
};

// One option of generate(), as declared in src/api/generate_options.cpp (the single declaration:
// the JSON reader, `calm options`, the CLI help, the Python docstring and the checks of the Python
// signature and stub all read it).
struct GenerateOptionInfo {
  std::string name;
  std::string type;    // "int", "float", "bool", "str", "str or None", "json", "dict[str, str]"
  Json default_value;  // the GenerateOptions member's initial value; null when required
  std::string doc;     // one sentence
  std::string python_annotation;  // in Python's generate(); empty: not a Python keyword
  std::string cli_flag;           // of `calm generate` ("-n,--n-samples"); empty: --config only
  bool required = false;
  bool names_column = false;  // a column name: Python passes labels as text
};

// The seed's generate() arguments, same names and defaults.
struct GenerateOptions {
  int64_t n_samples = 0;  // required, > 0
  std::string method = "cart";
  std::optional<std::string> target_col;
  std::optional<std::string> output_dir;
  std::string generator_name = "RealGenerator";
  bool save_dataset = false;
  Json custom_distributions;              // {"col": {value: share, ...} | "balanced"}
  std::optional<std::string> date_col;    // default "timestamp" when date_start is given
  std::optional<std::string> date_start;  // "YYYY-MM-DD" or ISO datetime
  Json date_step;                         // e.g. {"days": 1}; default {"days": 1}
  int64_t date_every = 1;
  Json drift_injection_config;              // list of {"method": ..., params}
  std::optional<std::string> block_column;  // block context of drift row selection
  Json dynamics_config;
  Json model_params;  // the method's ParamSpec
  Json constraints;   // list of dicts, docs/constraints.md
  bool adversarial_validation = false;
  bool balance_target = false;
  std::map<std::string, std::string> column_types;  // per-column schema overrides (calm extension)
  // Share of the real rows held out of fitting (seeded by the run's seed), in [0, 0.9]; 0 = off.
  // The reports then attack membership with them (eval/membership.hpp). Calm extension.
  double holdout_fraction = 0.0;
  // Fit on a seeded uniform sample of this many real rows (stratified by target_col when given);
  // 0 = all rows. Calm extension, for tables too big to fit whole in the time at hand.
  int64_t fit_rows = 0;

  // Every key of a JSON config (CLI --config, Python kwargs); unknown keys are an error that
  // lists the valid ones.
  static GenerateOptions from_json(const Json& config);
  // Every option by name, the inverse of from_json (from_json(o.to_json()) gives o back).
  Json to_json() const;

  // The declaration, in the seed's signature order followed by calm's extensions.
  static const std::vector<GenerateOptionInfo>& declared_options();
  static const GenerateOptionInfo& option(const std::string& name);  // InternalError if unknown
  static std::vector<std::string> option_names();
  // [{name, type, default, required, doc, python, cli, column}]: `calm options --json`.
  static Json declaration_json();
};

struct GenerateResult {
  Table synthetic;
  Schema schema;                   // of the real data
  std::vector<std::string> files;  // written to output_dir
  uint64_t seed = 0;               // the seed used (random_state or the drawn one)
};

class TableSink;  // calm/io/table_sink.hpp

// Streaming runs (run_streamed, run_fitted_streamed): the rows go to `sink` block by block
// (core/row_blocks.hpp) in flat memory instead of being returned.
struct StreamOptions {
  TableSink* sink = nullptr;  // required; committed when every block is written
  // Shard i of k (0-based): only the blocks of that shard are written; the shards' outputs put
  // one after the other equal the whole run's output byte for byte.
  std::optional<std::pair<size_t, size_t>> shard;
  // The reports are computed on a uniform sample of this many output rows (stratified by block,
  // seeded), or on all rows when there are fewer.
  size_t report_rows = 100000;
};

struct FittedModel;  // src/api/model_file.hpp

class RealGenerator {
 public:
  explicit RealGenerator(GeneratorSettings settings = {});

  // Fits options.method on `data` and samples; the fitted model is kept for save() and sample().
  Table generate(const Table& data, const GenerateOptions& options);
  // The same, returning what was written and the seed as well.
  GenerateResult run(const Table& data, const GenerateOptions& options);

  // Persistence (docs/persistence.md). save() writes the model kept by the last generate()/run()
  // (or load()) to `path` atomically; InvalidArgument when nothing has been fitted.
  // `front_end_info` is opaque text a front end keeps with the model (Python: the pandas dtypes
  // and settings), returned by front_end_info() after load().
  void save(const std::string& path, const std::string& front_end_info = {}) const;
  // A generator holding the model saved at `path`. IoError when the file is missing, DataError
  // naming the file when it is not a calm model, is truncated, or has another format version.
  static RealGenerator load(const std::string& path, GeneratorSettings settings = {});
  bool is_fitted() const { return fitted_ != nullptr; }
  // The fitted method and target_col (InvalidArgument when nothing has been fitted).
  const std::string& fitted_method() const;
  const std::optional<std::string>& fitted_target() const;
  const std::string& front_end_info() const;
  // A generator with other settings that shares this one's fitted model (read-only).
  RealGenerator with_settings(GeneratorSettings settings) const;

  // options.n_samples rows from the kept model, through the same conforming and post-processing
  // as generate(): custom_distributions, constraints, dynamics, dates, drift, dataset and reports.
  // Fit-time options (method, model_params, column_types, target_col) come from the model; a
  // method or target_col that differs from it is an InvalidArgument. `real`, when given, is the
  // training table: reports need it (without it they are skipped, with a log line) and so do
  // fixed_combinations constraints. For the same seed the output is byte-identical to that of the
  // generator that fitted the model, saved or not.
  Table sample(const GenerateOptions& options, const Table* real = nullptr);
  GenerateResult run_fitted(const GenerateOptions& options, const Table* real = nullptr);

  // run() and run_fitted() with the output written to stream.sink instead of being held in
  // memory (memory stays flat when no drift or dynamics config needs the whole output). The
  // result's `synthetic` is the reports' sample (StreamOptions::report_rows). save_dataset is
  // ignored: the sink is the dataset.
  GenerateResult run_streamed(const Table& data, const GenerateOptions& options,
                              const StreamOptions& stream);
  GenerateResult run_fitted_streamed(const GenerateOptions& options, const Table* real,
                                     const StreamOptions& stream);

  const GeneratorSettings& settings() const { return settings_; }
  const Logger& logger() const { return *logger_; }

 private:
  friend class RowStream;  // reads the fitted model
  GeneratorSettings settings_;
  std::shared_ptr<Logger> logger_;
  std::shared_ptr<const FittedModel> fitted_;
  GenerateResult run_impl(const Table& data, const GenerateOptions& options,
                          const StreamOptions* stream);
  GenerateResult run_fitted_impl(const GenerateOptions& options, const Table* real,
                                 const StreamOptions* stream);
};

}  // namespace calm
