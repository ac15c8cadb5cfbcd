// The standalone injectors over post/drift and post/dynamics (see calm/api/injectors.hpp).
#include "calm/api/injectors.hpp"

#include "calm/core/rng.hpp"
#include "calm/post/drift.hpp"
#include "calm/post/dynamics.hpp"

namespace calm {

Table inject_drift(const Table& table, const Json& config, const InjectOptions& options) {
  DriftContext ctx;
  ctx.seed = seed_or_draw(options.seed, options.log);
  ctx.time_col = options.time_col;
  ctx.block_column = options.block_column;
  ctx.target_col = options.target_col;
  ctx.log = options.log;
  validate_drift_config(config, table, ctx);
  return apply_drift_config(table, config, ctx);
}

Table inject_dynamics(const Table& table, const Json& config, const InjectOptions& options) {
  DynamicsContext ctx;
  ctx.seed = seed_or_draw(options.seed, options.log);
  ctx.log = options.log;
  validate_dynamics_config(config, table);
  return apply_dynamics_config(table, config, ctx);
}

Json drift_catalogue() {
  return drift_methods_catalogue();
}

}  // namespace calm
