// Scenario dynamics (the original library's ScenarioInjector, dynamics_config):
// {"evolve_features": {col: {"type": "linear"|"exponential"|"cycle"|"random_walk"|"step"|..., ...}},
//  "construct_target": {"target_col", "formula", "noise_std", "task_type", "threshold"}}.
// Math: docs/dynamics.md.
#pragma once

#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct DynamicsContext {
  uint64_t seed = 0;
  const Logger* log = nullptr;
};

void validate_dynamics_config(const Json& config, const Table& columns_like);
Table apply_dynamics_config(const Table& table, const Json& config, const DynamicsContext& ctx);

}  // namespace calm
