// Drift injection (the original library's DriftInjector): a list of drift operations applied in
// order to a generated table. Formats, parameters and math: docs/drift.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/core/drift_window.hpp"
#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct DriftContext {
  uint64_t seed = 0;                        // drift randomness uses StreamPurpose::post streams
  std::optional<std::string> time_col;      // for time-based row selection
  std::optional<std::string> block_column;  // for block-based row selection
  std::optional<std::string> target_col;    // default column of label/concept drifts
  const Logger* log = nullptr;
  // A block of a stream: the table starts at row_offset of an output of total_rows rows
  // (nullopt: endless); positional selections and windows count rows of the whole output.
  size_t row_offset = 0;
  std::optional<size_t> total_rows;
};

// Validates the whole config first (unknown method or parameter -> InvalidArgument listing the
// valid ones), then applies each step in order. Accepts {"method": m, "params": {...}} and the flat
// form {"method": m, ...params}. Returns a new table; the input is not modified. When `applied` is
// given, one DriftWindow per (step, column the step changed) is appended to it, in step order.
Table apply_drift_config(const Table& table, const Json& config, const DriftContext& ctx,
                         std::vector<DriftWindow>* applied = nullptr);

// Throws InvalidArgument if the config is malformed, without applying anything (used by generate()
// before fitting, so bad configs fail fast). `ctx` supplies the default time/block/target columns;
// a default time_col missing from `columns_like` is accepted (date injection adds it later).
void validate_drift_config(const Json& config, const Table& columns_like,
                           const DriftContext& ctx = {});

// Every drift method with its summary, required parameters and parameter declarations
// (name, type, default, doc, aliases, choices), for docs and `calm methods`-style listings.
Json drift_methods_catalogue();

}  // namespace calm
