// The post-processing steps after synthesis, in the original's order: dynamics -> dates -> drift
// (constraints are met during sampling, before all of them). Configs are validated before fitting.
#include "api/pipeline.hpp"
#include "calm/core/apportion.hpp"
#include "calm/core/error.hpp"
#include "calm/post/drift.hpp"
#include "calm/post/dynamics.hpp"

namespace calm {
namespace {

bool given(const Json& v) {
  return !v.is_null() && !(v.is_array() && v.empty()) && !(v.is_object() && v.empty());
}

// Drift selects rows by the injected date column, the block column and the target by default.
DriftContext drift_context(const GenerateOptions& o, uint64_t seed, const Logger* log) {
  DriftContext ctx;
  ctx.seed = derive_seed(seed, 0xD21F7);
  if (o.date_start) ctx.time_col = o.date_col.value_or("timestamp");
  ctx.block_column = o.block_column;
  ctx.target_col = o.target_col;
  ctx.log = log;
  return ctx;
}

}  // namespace

void validate_post_configs(const Table& data, const GenerateOptions& o) {
  if (given(o.dynamics_config)) validate_dynamics_config(o.dynamics_config, data);
  if (given(o.drift_injection_config))
    validate_drift_config(o.drift_injection_config, data, drift_context(o, 0, nullptr));
}

Table post_process(const Table& synthetic, const GenerateOptions& o, const ValidatedRun& v,
                   uint64_t seed, const Logger& log, std::vector<DriftWindow>* drift_windows,
                   size_t row_offset) {
  if (row_offset != 0 && post_needs_whole_output(o))
    throw InternalError("dynamics and drift apply to the whole output, not to a block");
  Table out = synthetic;
  if (given(o.dynamics_config))
    out = apply_dynamics_config(out, o.dynamics_config,
                                DynamicsContext{derive_seed(seed, 0xD7A41C5), &log});
  if (v.dates) out = inject_dates(out, *v.dates, row_offset);
  if (given(o.drift_injection_config))
    out = apply_drift_config(out, o.drift_injection_config, drift_context(o, seed, &log),
                             drift_windows);
  return out;
}

bool post_needs_whole_output(const GenerateOptions& o) {
  return given(o.dynamics_config) || given(o.drift_injection_config);
}

}  // namespace calm
