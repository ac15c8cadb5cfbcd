// The cells path of generate() (cell_generator.hpp).
#include "calm/api/cell_generator.hpp"

#include <omp.h>

#include <chrono>
#include <filesystem>

#include "api/memory_guard.hpp"
#include "api/pipeline.hpp"
#include "calm/api/methods.hpp"
#include "calm/core/error.hpp"
#include "calm/core/registry.hpp"
#include "calm/core/rng.hpp"
#include "calm/post/conform_cells.hpp"

namespace calm {
namespace {

bool given(const Json& v) {
  return !v.is_null() && !(v.is_object() && v.empty()) && !(v.is_array() && v.empty());
}

// The options that are defined on table rows, by name, when `o` sets them.
std::vector<std::string> row_options(const GenerateOptions& o) {
  std::vector<std::string> set;
  if (given(o.custom_distributions)) set.push_back("custom_distributions");
  if (o.balance_target) set.push_back("balance_target");
  if (given(o.constraints)) set.push_back("constraints");
  if (o.date_start || o.date_col) set.push_back("date_start");
  if (given(o.drift_injection_config)) set.push_back("drift_injection_config");
  if (given(o.dynamics_config)) set.push_back("dynamics_config");
  if (o.block_column) set.push_back("block_column");
  if (!o.column_types.empty()) set.push_back("column_types");
  if (o.fit_rows != 0) set.push_back("fit_rows");
  if (o.holdout_fraction != 0) set.push_back("holdout_fraction");
  return set;
}

}  // namespace

bool runs_on_cells(const GenerateOptions& o) {
  const MethodInfo* m = method_registry().find(o.method);
  return m && m->available && m->family == kSingleCellFamily && row_options(o).empty();
}

CellRunResult generate_cells(const CellTable& real, const GenerateOptions& o,
                             const GeneratorSettings& settings) {
  if (settings.threads < 0)
    throw InvalidArgument("threads must be >= 0 (0 = all cores), got " +
                          std::to_string(settings.threads));
  const std::shared_ptr<Logger> logger =
      settings.logger ? settings.logger : std::make_shared<Logger>();
  const Logger& log = *logger;
  if (o.n_samples <= 0)
    throw InvalidArgument("n_samples must be a positive integer, got " +
                          std::to_string(o.n_samples));
  const MethodInfo& method = method_registry().get(o.method);
  if (method.family != kSingleCellFamily)
    throw InvalidArgument("method '" + o.method +
                          "' learns from tables; cells as a matrix are for the single-cell "
                          "methods (scvi, scgen)");
  if (const auto set = row_options(o); !set.empty())
    throw InvalidArgument(join_names(set) +
                          " apply to table rows; cells held as a matrix take none of them");
  if (o.target_col && !real.obs.has(*o.target_col))
    throw InvalidArgument("target_col '" + *o.target_col +
                          "' is not a cell metadata (obs) column; obs columns are: " +
                          join_names(real.obs.column_names()));
  if (o.output_dir && std::filesystem::exists(*o.output_dir) &&
      !std::filesystem::is_directory(*o.output_dir))
    throw InvalidArgument("output_dir '" + *o.output_dir + "' exists and is not a directory");
  real.check();
  const Params params = method.params.resolve(o.model_params, o.method);
  const Schema schema = infer_schema(real.obs);
  const uint64_t seed = seed_or_draw(settings.random_state, &log);
  const int threads = settings.threads > 0 ? settings.threads : omp_get_max_threads();

  check_cells_fit_memory(method, real, params);
  const auto t0 = std::chrono::steady_clock::now();
  std::unique_ptr<Synthesizer> model = method.create();
  if (!model->fits_cells())
    throw InternalError("method '" + o.method + "' is single-cell but cannot fit cells");
  model->fit_cells(real, FitContext{schema, o.target_col, params, seed, threads, log});
  const double fit_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  log.info("fitted '" + o.method + "' on " + std::to_string(real.cells()) + " cells x " +
           std::to_string(real.matrix().cols) + " genes (" + std::to_string(real.matrix().nnz()) +
           " stored values) in " + std::to_string(fit_s).substr(0, 5) + " s");

  CellRunResult result;
  result.seed = seed;
  result.synthetic =
      model->sample_cells(static_cast<size_t>(o.n_samples), SampleContext{seed, threads, log});
  // Each gene within its real range, as conform_to_schema keeps the table view's gene columns.
  result.synthetic.x = conform_cells(result.synthetic.x, real.matrix());
  if (!o.output_dir || !settings.auto_report) return result;
  create_output_dir(o);
  ReportRequest req =
      run_report_request(real.obs, result.synthetic.obs, schema, o, settings, threads, seed);
  req.real_genes = real.matrix();
  req.synthetic_genes = CsrView(result.synthetic.x);
  result.files = write_reports(req, log);
  return result;
}

}  // namespace calm
