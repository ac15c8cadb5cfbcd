// Early failure before fitting or sampling more than memory holds (see api/memory_guard.hpp).
#include "api/memory_guard.hpp"

#include <algorithm>
#include <string>

namespace calm {

MemoryEstimate fit_memory(const MethodInfo& method, size_t rows, size_t columns,
                          const Params& params) {
  if (method.memory) return method.memory(rows, columns, params);
  return table_fit_memory(rows, columns);
}

void check_fit_memory(const MethodInfo& method, const Table& data, const Params& params) {
  const size_t rows = data.num_rows(), columns = data.num_columns();
  const MemoryEstimate need = fit_memory(method, rows, columns, params);
  if (fits_memory(need.bytes)) return;
  // The most rows that fit (estimates grow with the rows): a binary search over [2, rows).
  size_t lo = 0, hi = rows;
  while (lo + 1 < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    (fits_memory(fit_memory(method, mid, columns, params).bytes) ? lo : hi) = mid;
  }
  std::string advice;
  if (lo >= 2)
    advice = "fit on a seeded sample of the rows with --fit-rows " + std::to_string(lo) +
             " (fit_rows=" + std::to_string(lo) + ")";
  if (!need.params.empty()) advice += (advice.empty() ? "lower " : ", or lower ") + need.params;
  if (advice.empty()) advice = "use a machine with more memory or fewer columns";
  check_memory(need,
               "fitting '" + method.name + "' on " + std::to_string(rows) + " rows x " +
                   std::to_string(columns) + " columns",
               advice);
}

void check_cells_fit_memory(const MethodInfo& method, const CellTable& cells,
                            const Params& params) {
  const CsrView x = cells.matrix();
  const double stored = static_cast<double>(x.nnz()) * 8 +
                        static_cast<double>(cells.cells()) * 8 * 4;  // values + row arrays
  const double batch =
      params.json().contains("batch_size") && params.json()["batch_size"].is_number()
          ? params.json()["batch_size"].get<double>()
          : 128.0;
  const size_t batch_cells = std::min(cells.cells(), static_cast<size_t>(std::max(1.0, batch)));
  const MemoryEstimate networks = fit_memory(method, batch_cells, x.cols, params);
  // The methods read the cells in place; what they add is a copy of the cells with counts when
  // some have none, and the synthetic matrix (as many cells by default).
  check_memory({2 * stored + networks.bytes,
                "2 x the stored values (" + std::to_string(x.nnz()) + "), and " + networks.driver,
                networks.params},
               "fitting '" + method.name + "' on " + std::to_string(cells.cells()) + " cells x " +
                   std::to_string(x.cols) + " genes",
               "fit on fewer cells (a subsample of the AnnData file)" +
                   (networks.params.empty() ? std::string() : ", or lower " + networks.params));
}

void check_output_memory(size_t rows, size_t columns) {
  const double cells = static_cast<double>(rows) * static_cast<double>(columns);
  check_memory({cells * 8 * 2, "rows x columns, and a post-processed copy", ""},
               "holding " + std::to_string(rows) + " output rows x " + std::to_string(columns) +
                   " columns in memory",
               "ask for fewer rows (n_samples), or stream them to a file or database in blocks "
               "(calm generate -o FILE.csv; docs/streaming.md)");
}

}  // namespace calm
