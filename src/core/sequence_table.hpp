// Sequences in a flat table, the one reading shared by every sequence method (par, timegan, dgan,
// copula_temporal), the pipeline and the sequence metrics: rows grouped into entities by a key
// column, each entity's rows ordered by an optional time column, the columns split into context
// (constant within every entity: an entity's attributes) and varying ones (its sequence), and the
// checks that make bad input a clear error (docs/sequences.md).
//
// The options are the sequence methods' model_params, declared once here: sequence_key (the
// entity column), time_col (the ordering column; SDV calls it sequence_index), context_columns,
// max_sequence_length. `sequence_index` keeps both of the seed's meanings
// (shared/original-behaviour.md 1.7): with sequence_key it is the time column (SV, SDV), without
// it the entity key (the legacy releases up to 7b006a5).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/table.hpp"

namespace calm {

// The family name the registry gives sequence methods: the pipeline treats their output as whole
// entities (docs/sequences.md).
inline constexpr const char* kSequenceFamily = "time-series";

struct SequenceColumns {
  std::string key;
  std::optional<std::string> time;
  std::optional<std::vector<std::string>> context;  // nullopt: detected
  size_t max_length = 0;                            // 0: no limit
  bool legacy_key_alias = false;  // the key came from sequence_index (legacy meaning)
};

// sequence_key, sequence_index, time_col, context_columns, max_sequence_length.
std::vector<ParamDef> sequence_param_defs();
// The columns named by a sequence method's resolved params. InvalidArgument when no key is named,
// or sequence_index and time_col name two different time columns.
SequenceColumns sequence_columns(const Params& params, const std::string& method);
// InvalidArgument unless every named column is in `t` (listing its columns), and the key, the
// time column and the context columns are distinct.
void check_sequence_columns(const SequenceColumns& s, const Table& t);

class SequenceTable {
 public:
  // Groups `t` into entities (in order of first appearance) and orders each entity's rows by time
  // (stable: equal times keep their file order). DataError for a key with missing cells, a key
  // that gives every entity one row, a time column that is not numbers/dates/datetimes or has
  // missing cells, an entity longer than s.max_length, and named context columns that vary
  // within an entity. Rows out of time order are sorted (unsorted_entities() counts them).
  static SequenceTable build(const Table& t, const SequenceColumns& s);

  const SequenceColumns& spec() const { return spec_; }
  size_t key_column() const { return key_; }
  std::optional<size_t> time_column() const { return time_; }
  // Columns other than key and time, by index into the table: constant within every entity
  // (detected unless named), and the others.
  const std::vector<size_t>& context_columns() const { return context_; }
  const std::vector<size_t>& varying_columns() const { return varying_; }
  std::vector<std::string> context_names(const Table& t) const;

  size_t entities() const { return offsets_.size() - 1; }
  size_t length(size_t e) const { return offsets_[e + 1] - offsets_[e]; }
  size_t max_length() const;
  // Row id of step k (0-based) of entity e.
  int64_t row(size_t e, size_t k) const { return order_[offsets_[e] + k]; }
  // Every row id, entity by entity in time order.
  const std::vector<int64_t>& order() const { return order_; }
  // First position in order() of entity e.
  size_t offset(size_t e) const { return offsets_[e]; }
  size_t unsorted_entities() const { return unsorted_; }

 private:
  SequenceColumns spec_;
  size_t key_ = 0;
  std::optional<size_t> time_;
  std::vector<size_t> context_, varying_;
  std::vector<int64_t> order_;
  std::vector<size_t> offsets_{0};
  size_t unsorted_ = 0;
};

// A context column bounding an entity's time stamps: time <= column (upper) or time >= column.
struct TimeBound {
  size_t column = 0;  // table column (a context column)
  bool upper = true;
};
// The context columns of the time column's kind (numbers for numbers, datetimes for datetimes)
// that bound every stamp of the real entities, kept when the bound is reached: some entity's last
// (first) stamp lies within `reach` times the range of the values of the bound. How a relation
// such as "visit day <= follow-up time" is found, kept by the methods and checked by the metrics.
std::vector<TimeBound> detect_time_bounds(const Table& t, const SequenceTable& s,
                                          double reach = 0.02);

// Gives the entities of `keys` (runs of equal values, in row order) the numbers first, first+1,
// ...: an integer or float key becomes the number; a text key gets its last run of digits
// replaced by the number, zero-padded to that run's width (a key without digits gets the number
// appended). How a sequence method's block b (core/row_blocks.hpp) or a constraints round keeps its
// keys apart from the others'.
Column renumber_entity_keys(const Column& keys, size_t first);
// Entities of `keys` as runs of equal values: the first row of each, plus keys.size().
std::vector<size_t> entity_runs(const Column& keys);

}  // namespace calm
