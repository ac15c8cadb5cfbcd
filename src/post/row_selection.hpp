// Row selection shared by every drift method (the original's _get_target_rows): positional slices
// (start_index/end_index/index_step), blocks of a block column (blocks, block_index, block_start
// with n_blocks/block_step) and time windows of a time column (time_start/time_end, time_ranges,
// specific_times). Unlike the original, where the first kind given silently won, all criteria given
// are intersected. Formats: docs/drift.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/table.hpp"
#include "post/drift_weights.hpp"

namespace calm::drift {

// Declares the selection parameters on a method's ParamSpec.
void add_selection_params(ParamSpec& spec);

// Columns used when a step does not name its own time_col / block_column.
struct SelectionDefaults {
  std::optional<std::string> time_col;
  std::optional<std::string> block_column;
};

// Checks the selection parameters against the table's columns without selecting. A default time
// column absent from `table` is accepted (it is added later in the pipeline, e.g. by date
// injection); its values are then only checked for being dates or numbers.
void check_selection(const Params& p, const Table& table, const SelectionDefaults& defaults,
                     const std::string& where);

// Where `table` sits in the whole output: a block of a stream starts at row_offset of an output
// of total_rows rows (nullopt: endless). Positional criteria (start_index, end_index, index_step)
// count rows of the whole output.
struct RowFrame {
  size_t row_offset = 0;
  std::optional<size_t> total_rows;
};

// Positions of the selected rows in `table`, ascending. `span`, when given, receives where they
// sit in the whole output's selection: exact for positional criteria; with time or block
// criteria, or a positional selection with no end on an endless stream, the block's own rows
// (windows then span the block).
std::vector<size_t> select_rows(const Params& p, const Table& table,
                                const SelectionDefaults& defaults, const std::string& where,
                                const RowFrame& frame = {}, SelectionSpan* span = nullptr);

}  // namespace calm::drift
