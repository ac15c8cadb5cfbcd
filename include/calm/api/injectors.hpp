// The standalone injectors — the original library's DriftInjector and ScenarioInjector — on any
// table, outside generate(): the whole config is validated first (nothing is applied on a bad one),
// then applied; the input is not modified. Formats: docs/drift.md, docs/dynamics.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct InjectOptions {
  std::optional<uint64_t> seed;             // nullopt: a fresh seed, logged
  std::optional<std::string> time_col;      // drift: time-based row selection
  std::optional<std::string> block_column;  // drift: block-based row selection
  std::optional<std::string> target_col;    // drift: default column of label/concept drifts
  const Logger* log = nullptr;              // nullptr: silent
};

// drift_injection_config applied to `table`.
Table inject_drift(const Table& table, const Json& config, const InjectOptions& options);
// dynamics_config applied to `table` (time_col, block_column and target_col are not used).
Table inject_dynamics(const Table& table, const Json& config, const InjectOptions& options);
// Every drift method with its summary and parameters (what the Python DriftInjector documents).
Json drift_catalogue();

}  // namespace calm
