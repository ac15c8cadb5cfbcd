// AnnData (.h5ad) input: the HDF5 layout of anndata (encoding-type attributes, anndata 0.7-0.10):
// X as a dense array, a csr_matrix or a csc_matrix group; layers["counts"]; obs and var as
// dataframes of categoricals, strings, numbers, booleans and nullable integers/booleans, with
// their index as obs_names / var_names. The matrix stays sparse (CSR) in memory.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calm/core/cell_table.hpp"
#include "calm/core/sparse_matrix.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct AnnData {
  CsrMatrix x;                      // cells x genes
  std::optional<CsrMatrix> counts;  // layers["counts"], when present
  std::vector<std::string> obs_names, var_names;
  Table obs;  // per cell (may have no columns)
  Table var;  // per gene (may have no columns)
};

// IoError when the file cannot be opened; DataError naming the file and the element for a file
// that is not AnnData or holds an encoding calm does not read.
AnnData read_h5ad(const std::string& path);

// Writes `data` (X as csr_matrix; obs and var as dataframes) to `path` atomically (a temporary
// file renamed into place). var is written without columns.
void write_h5ad(const std::string& path, const AnnData& data);

// The table view of cells that the tabular methods, the CLI and CSV users see: one column per
// gene (int64 when the matrix holds counts, else float64), then the obs columns. `layer_counts`
// takes layers["counts"] instead of X. DataError when a gene and an obs column share a name, or
// when cells x genes exceeds `max_cells` (the dense view would not fit; the single-cell methods
// read the sparse matrix instead).
Table anndata_table(const AnnData& data, bool layer_counts = false,
                    size_t max_cells = size_t{1} << 31);

// The cells as the single-cell methods read them without a dense view (X, or layers["counts"]
// with `layer_counts`; genes integral when every stored value is a count). DataError for a gene
// name that occurs twice or is also an obs column.
CellTable anndata_cells(AnnData data, bool layer_counts = false);
// Cells as AnnData, to write: obs_names "0", "1", ... (as the .h5ad sink names rows); var
// without columns.
AnnData cells_anndata(CellTable cells);

}  // namespace calm
