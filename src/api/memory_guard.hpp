// The api layer's memory guards (issue 21; the budget: calm/core/memory_budget.hpp): fitting a
// method and holding a whole output in memory fail early, naming the estimate and the option that
// helps, instead of meeting the kernel's OOM killer.
#pragma once

#include <cstddef>

#include "calm/core/cell_table.hpp"
#include "calm/core/registry.hpp"
#include "calm/core/table.hpp"

namespace calm {

// The method's estimate (MethodInfo::memory) for fitting on `data`, or the generic one: the table,
// its encoded copy and the method's working arrays, ~3 x rows x columns x 8 bytes.
MemoryEstimate fit_memory(const MethodInfo& method, size_t rows, size_t columns,
                          const Params& params);

// DataError when fitting `method` on `data` would not fit the budget. The message gives the
// estimate, what it grows with, the largest fit_rows (--fit-rows) that fits, and the parameters
// that lower it.
void check_fit_memory(const MethodInfo& method, const Table& data, const Params& params);

// The same for cells held as a matrix (api/cell_generator.hpp): a few copies of the stored values
// (the file's matrix, the method's working copy, the cells it keeps) and the method's networks
// and batches as its estimate gives them for one batch of cells. The advice: fewer cells, or the
// parameters the estimate names.
void check_cells_fit_memory(const MethodInfo& method, const CellTable& cells, const Params& params);

// DataError when `rows` output rows of `columns` columns held in memory at once (with their
// post-processed copy) would not fit; the advice is fewer rows or a streamed output.
void check_output_memory(size_t rows, size_t columns);

}  // namespace calm
