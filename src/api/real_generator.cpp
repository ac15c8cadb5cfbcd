// The generate() pipeline: validate everything -> infer schema -> fit -> sample -> conform ->
// post-processing (dates) -> write dataset and reports. Nothing is fitted or written before all
// arguments have been checked, so bad input never leaves a partial output behind.
#include "calm/api/real_generator.hpp"

#include <omp.h>

#include <chrono>
#include <filesystem>

#include "api/column_shares.hpp"
#include "calm/core/error.hpp"
#include "calm/core/registry.hpp"
#include "calm/core/rng.hpp"
#include "calm/io/csv.hpp"
#include "calm/post/conform.hpp"
#include "calm/post/dates.hpp"
#include "calm/report/reports.hpp"

namespace calm {
namespace {

bool given(const Json& v) { return !v.is_null() && !(v.is_array() && v.empty()) && !(v.is_object() && v.empty()); }

// Features of the seed that later releases build: validated as present, refused clearly.
void refuse_unbuilt_features(const GenerateOptions& o) {
  if (given(o.drift_injection_config))
    throw NotAvailable("not available yet: drift_injection_config (drift injection)");
  if (given(o.dynamics_config))
    throw NotAvailable("not available yet: dynamics_config (scenario dynamics)");
  if (given(o.constraints)) throw NotAvailable("not available yet: constraints");
  if (o.adversarial_validation)
    throw NotAvailable("not available yet: adversarial_validation (real-vs-synthetic classifier)");
}

void check_data(const Table& data, const Schema& schema) {
  if (data.num_rows() < 2)
    throw DataError("the table has " + std::to_string(data.num_rows()) +
                    " row; at least 2 rows are needed to learn a distribution");
  for (const auto& c : schema.columns)
    if (c.missing == data.num_rows())
      throw DataError("column '" + c.name + "' has no values (every cell is missing); drop it");
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

RealGenerator::RealGenerator(GeneratorSettings settings)
    : settings_(std::move(settings)),
      logger_(settings_.logger ? settings_.logger : std::make_shared<Logger>()) {
  if (settings_.threads < 0)
    throw InvalidArgument("threads must be >= 0 (0 = all cores), got " +
                          std::to_string(settings_.threads));
}

Table RealGenerator::generate(const Table& data, const GenerateOptions& options) {
  return run(data, options).synthetic;
}

GenerateResult RealGenerator::run(const Table& data, const GenerateOptions& o) {
  const Logger& log = *logger_;
  // 1. Validate every argument.
  if (o.n_samples <= 0)
    throw InvalidArgument("n_samples must be a positive integer, got " + std::to_string(o.n_samples));
  const MethodInfo& method = Registry::global().get(o.method);
  Params params = method.params.resolve(o.model_params, o.method);
  if (o.target_col && !data.has(*o.target_col))
    throw InvalidArgument("target_col '" + *o.target_col + "' is not a column; columns are: " +
                          join_names(data.column_names()));
  if (method.needs_target && !o.target_col)
    throw InvalidArgument("method '" + o.method + "' needs target_col (the class column)");
  if (o.save_dataset && !o.output_dir)
    throw InvalidArgument("save_dataset=True needs output_dir");
  if (o.output_dir && !std::filesystem::is_directory(*o.output_dir) &&
      std::filesystem::exists(*o.output_dir))
    throw InvalidArgument("output_dir '" + *o.output_dir + "' exists and is not a directory");
  if (o.generator_name.empty() || o.generator_name.find('/') != std::string::npos)
    throw InvalidArgument("generator_name must be a non-empty file name without '/', got '" +
                          o.generator_name + "'");
  refuse_unbuilt_features(o);
  std::optional<DateInjection> dates;
  if (o.date_start)
    dates = parse_date_injection(o.date_col.value_or("timestamp"), *o.date_start, o.date_step,
                                 o.date_every);
  else if (!o.date_step.is_null() || o.date_every != 1)
    throw InvalidArgument("date_step/date_every need date_start (the first date)");
  SchemaOptions schema_options;
  for (const auto& [col, type] : o.column_types)
    schema_options.overrides[col] = semantic_type_from_string(type);
  Schema schema = infer_schema(data, schema_options);
  check_data(data, schema);
  auto shares = parse_custom_distributions(data, o.custom_distributions, o.target_col,
                                           o.balance_target);
  if (shares.size() > 1)
    throw NotAvailable("not available yet: custom_distributions on several columns at once (" +
                       std::to_string(shares.size()) + " given); give one column");
  auto synth = method.create();
  if (!shares.empty() && !synth->can_condition())
    throw NotAvailable("not available yet: custom_distributions with method '" + o.method +
                       "' (it cannot condition its sampling); use resample or gaussian_copula");

  // 2. Fit and sample.
  const uint64_t seed = settings_.random_state.value_or(entropy_seed());
  if (!settings_.random_state)
    log.info("no random_state given; using seed " + std::to_string(seed) +
             " (pass it as random_state to repeat this run)");
  const int threads = settings_.threads > 0 ? settings_.threads : omp_get_max_threads();
  auto t0 = std::chrono::steady_clock::now();
  FitContext fit_ctx{schema, o.target_col, params, seed, threads, log};
  synth->fit(data, fit_ctx);
  log.info("fitted '" + o.method + "' on " + std::to_string(data.num_rows()) + " rows x " +
           std::to_string(data.num_columns()) + " columns in " +
           std::to_string(seconds_since(t0)).substr(0, 5) + " s");
  t0 = std::chrono::steady_clock::now();
  SampleContext sample_ctx{seed, threads, log, shares.empty() ? nullptr : &shares.front()};
  Table synthetic = synth->sample(static_cast<size_t>(o.n_samples), sample_ctx);
  synthetic = conform_to_schema(synthetic, schema);
  log.info("sampled " + std::to_string(synthetic.num_rows()) + " rows in " +
           std::to_string(seconds_since(t0)).substr(0, 5) + " s");

  // 3. Post-processing.
  if (dates) synthetic = inject_dates(synthetic, *dates);

  // 4. Outputs.
  GenerateResult result{synthetic, schema, {}, seed};
  if (o.output_dir) {
    std::error_code ec;
    std::filesystem::create_directories(*o.output_dir, ec);
    if (ec) throw IoError("cannot create output_dir '" + *o.output_dir + "': " + ec.message());
    if (settings_.auto_report) {
      ReportRequest req{data, synthetic, schema, o.target_col, *o.output_dir, o.generator_name,
                        o.method, settings_.minimal_report, threads, seed};
      auto files = write_reports(req, log);
      result.files.insert(result.files.end(), files.begin(), files.end());
    }
    if (o.save_dataset) {
      std::string path =
          (std::filesystem::path(*o.output_dir) / (o.generator_name + "_synthetic.csv")).string();
      write_csv(synthetic, path);
      result.files.push_back(path);
      log.info("wrote " + path);
    }
  }
  return result;
}

}  // namespace calm
