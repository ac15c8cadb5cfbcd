// The post-processing steps after synthesis, in the original's order: dynamics -> dates -> drift
// (constraints are met during sampling, before all of them). Configs are validated before fitting.
#include <algorithm>
#include <numeric>

#include "api/pipeline.hpp"
#include "calm/core/apportion.hpp"
#include "calm/core/error.hpp"
#include "calm/core/row_blocks.hpp"
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
                   size_t row_offset, size_t total_rows) {
  if (row_offset != 0 && post_needs_whole_output(o))
    throw InternalError("dynamics apply to the whole output, not to a block");
  // Drift and dates are applied block by block (core/row_blocks.hpp), each block with its own
  // random stream and the whole output's row positions, so that an output held in memory, a
  // stream and its shards agree row for row. Dynamics span the whole output.
  if (!given(o.dynamics_config) && row_offset == 0 && synthetic.num_rows() > kRowBlock) {
    std::vector<Table> parts;
    for (size_t begin = 0; begin < synthetic.num_rows(); begin += kRowBlock) {
      std::vector<int64_t> rows(std::min(kRowBlock, synthetic.num_rows() - begin));
      std::iota(rows.begin(), rows.end(), static_cast<int64_t>(begin));
      parts.push_back(post_process(synthetic.take_rows(rows), o, v, seed, log, drift_windows, begin,
                                   synthetic.num_rows()));
    }
    if (drift_windows) merge_drift_windows(*drift_windows);
    return concat_rows(parts);
  }
  Table out = synthetic;
  if (given(o.dynamics_config))
    out = apply_dynamics_config(out, o.dynamics_config,
                                DynamicsContext{derive_seed(seed, 0xD7A41C5), &log});
  if (v.dates) out = inject_dates(out, *v.dates, row_offset);
  if (given(o.drift_injection_config)) {
    DriftContext ctx = drift_context(o, row_block_seed(seed, row_offset / kRowBlock), &log);
    ctx.row_offset = row_offset;
    if (total_rows != kEndless)
      ctx.total_rows = total_rows == 0 ? row_offset + out.num_rows() : total_rows;
    out = apply_drift_config(out, o.drift_injection_config, ctx, drift_windows);
  }
  return out;
}

bool post_needs_whole_output(const GenerateOptions& o) {
  return given(o.dynamics_config);
}

void merge_drift_windows(std::vector<DriftWindow>& windows) {
  // One window per (column, method) run of blocks: the blocks of one step follow each other.
  std::vector<DriftWindow> merged;
  for (const auto& w : windows) {
    auto it = std::find_if(merged.begin(), merged.end(), [&](const DriftWindow& m) {
      return m.column == w.column && m.method == w.method;
    });
    if (it == merged.end()) {
      merged.push_back(w);
    } else {
      it->start = std::min(it->start, w.start);
      it->end = std::max(it->end, w.end);
    }
  }
  windows = std::move(merged);
}

}  // namespace calm
