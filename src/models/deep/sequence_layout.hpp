// The output side shared by the deep sequence methods (par, dgan): which columns of the fitted
// table are the key, the time, the context and the varying columns, how fresh keys and time
// stamps are made, and the assembly of generated entities into a table. A method draws per
// entity its context values, length, start and span (time) and per row its varying columns'
// values and time steps; this file turns them into whole entities in time order, with fresh keys,
// stamps inside the context bounds (e.g. pbc's day <= futime) and time-determined columns looked
// up. Engine side: no libtorch.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"
#include "core/sequence_table.hpp"
#include "transform/column_model.hpp"
#include "transform/entity_keys.hpp"
#include "transform/sequence_time.hpp"

namespace calm {

struct SequenceLayout {
  std::vector<Column> prototypes;  // every column of the fitted table, no cells
  size_t key = 0;
  std::optional<size_t> time;
  std::vector<size_t> varying;  // generated step by step (time-determined columns excluded)
  std::vector<size_t> context;  // table columns constant within every entity
  Schema context_shape;         // the context columns as the output will hold them
  EntityKeys keys;
  std::optional<SequenceTime> timing;
  bool span_as_share = false;  // the span variable is a share of the room under the upper bound
  size_t max_length = 1;

  // Everything above but span_as_share (the method decides how it draws spans).
  static SequenceLayout fit(const Table& data, const SequenceTable& seq, const Schema& schema);

  bool irregular() const { return timing && !timing->spacing.regular; }

  // The context bounds of an entity's stamps (coordinates, NaN = none); `value(j)` is the entity's
  // value of table column j.
  template <typename Value>
  void time_bounds(const Value& value, double& lo, double& hi) const {
    lo = hi = std::numeric_limits<double>::quiet_NaN();
    if (!timing) return;
    for (const TimeBound& b : timing->bounds) {
      const double x = timing->axis.coordinate(value(b.column));
      if (std::isnan(x)) continue;
      double& bound = b.upper ? hi : lo;
      bound = std::isnan(bound) ? x : b.upper ? std::min(bound, x) : std::max(bound, x);
    }
  }

  // Per real entity: its start, span (a share of the room under its upper bound when
  // span_as_share would hold, which the return value says) and the time steps of its rows
  // (`deltas`, by table row; NaN at each entity's first row). The span of an entity longer than
  // `cut` rows ends at its row `cut` (a method that trains on the first `cut` rows). Needs timing.
  bool real_times(const Table& data, const SequenceTable& seq, std::vector<double>& starts,
                  std::vector<double>& spans, std::vector<double>& deltas,
                  size_t cut = std::numeric_limits<size_t>::max()) const;

  // The models of the steps: one per varying column (fitted on every row), then, for irregular
  // time, the time step's (fitted on `deltas`, as real_times() gives them).
  std::vector<ColumnModel> fit_step_models(const Table& data, const SequenceTable& seq,
                                           const Schema& schema, const std::vector<double>& deltas,
                                           std::optional<MarginalFamily> family, int threads) const;

  void save(ArchiveWriter& out) const;  // the fields in declaration order
  static SequenceLayout load(ArchiveReader& in, const char* method);
};

// What a method drew for a run of entities.
struct SequenceDraws {
  std::vector<size_t> length;                // rows per entity
  std::vector<std::vector<double>> context;  // [context column][entity], as the output holds them
  std::vector<double> start, span;           // per entity (time; span unused when regular)
  std::vector<double> lo, hi;                // per entity: its time bounds (NaN: none)
  std::vector<std::vector<double>> varying;  // [varying column][row], Column::numeric encoding
  std::vector<double> deltas;                // per row: the time steps (irregular time)

  // Entity `e`'s context values, time bounds and (span_as_share) span in coordinates, from its
  // drawn context values (already pushed to `context`), start and raw span; a regular series that
  // would cross its upper bound is cut (length[e]). Call once per entity, in order.
  void add_time(const SequenceLayout& layout, size_t e, double start, double raw_span);
};

// The table of the drawn entities: fresh keys, varying columns finished by their models
// (`varying_models`, one per layout.varying), context columns repeated over each entity's rows
// (`context_models`: one per layout.context; an id column gets one fresh id per entity), time
// stamps rebuilt and time-determined columns looked up.
Table assemble_sequences(const SequenceLayout& layout, const SequenceDraws& d,
                         const std::vector<const ColumnModel*>& varying_models,
                         const std::vector<const ColumnModel*>& context_models);

}  // namespace calm
