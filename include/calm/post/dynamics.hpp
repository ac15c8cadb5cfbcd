// Scenario dynamics (the original library's ScenarioInjector, dynamics_config):
// {"time_col": optional numeric/datetime column (default: t = row position 0..n-1),
//  "evolve_features": {col: {"type": "linear"|"exponential"|"decay"|"cycle"|"sigmoid"|
//                            "random_walk"|"step"|"noise" (+ aliases), ...}},
//  "construct_target": {"target_col", "formula", "noise_std", "task_type", "threshold"}}.
// Features evolve first, then the target is built from the evolved features. Math:
// docs/dynamics.md.
#pragma once

#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct DynamicsContext {
  uint64_t seed = 0;  // random_walk / noise / target noise use StreamPurpose::post streams
  const Logger* log = nullptr;
};

// Throws InvalidArgument (naming the valid keys, types, parameters or columns) if the config is
// malformed; applies nothing.
void validate_dynamics_config(const Json& config, const Table& columns_like);
// Validates, then returns the evolved table; the input is not modified.
Table apply_dynamics_config(const Table& table, const Json& config, const DynamicsContext& ctx);

}  // namespace calm
