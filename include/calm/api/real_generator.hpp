// calm::RealGenerator — the seed's RealGenerator: learn a real table, generate a synthetic one.
// generate() validates every argument first (nothing is fitted or written on bad input), then
// fits the chosen method, samples, shapes the output like the input, applies post-processing,
// and writes the dataset and reports to output_dir.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm {

// The seed's constructor arguments (plus the thread count).
struct GeneratorSettings {
  bool auto_report = true;               // write reports when output_dir is given
  bool minimal_report = false;           // skip pair metrics, correlations and PCA in reports
  std::optional<uint64_t> random_state;  // nullopt: a fresh seed each run (logged)
  std::shared_ptr<Logger> logger;        // nullptr: stderr at level info
  int threads = 0;                       // 0: all cores; the output never depends on it
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

  // Every key of a JSON config (CLI --config, Python kwargs); unknown keys are an error that
  // lists the valid ones.
  static GenerateOptions from_json(const Json& config);
  static std::vector<std::string> option_names();
};

struct GenerateResult {
  Table synthetic;
  Schema schema;                   // of the real data
  std::vector<std::string> files;  // written to output_dir
  uint64_t seed = 0;               // the seed used (random_state or the drawn one)
};

class RealGenerator {
 public:
  explicit RealGenerator(GeneratorSettings settings = {});

  Table generate(const Table& data, const GenerateOptions& options);
  // The same, returning what was written and the seed as well.
  GenerateResult run(const Table& data, const GenerateOptions& options);

  const GeneratorSettings& settings() const { return settings_; }
  const Logger& logger() const { return *logger_; }

 private:
  GeneratorSettings settings_;
  std::shared_ptr<Logger> logger_;
};

}  // namespace calm
