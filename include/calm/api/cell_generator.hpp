// generate() on cells held as a matrix (an AnnData file, io/anndata.hpp's anndata_cells): a
// single-cell method (scvi, scgen) learns with fit_cells and writes with sample_cells, so that the
// expression matrix is never dense, whatever its size (docs/single_cell.md, "Large AnnData
// files"); then the reports: the single-cell metrics on the two matrices, every other part on
// the obs columns.
#pragma once

#include <string>
#include <vector>

#include "calm/api/real_generator.hpp"
#include "calm/core/cell_table.hpp"

namespace calm {

struct CellRunResult {
  CellTable synthetic;
  std::vector<std::string> files;  // reports written to output_dir
  uint64_t seed = 0;
};

// True when `o` can run on cells as a matrix: o.method is a single-cell method and `o` asks for
// nothing that is defined on table rows (custom_distributions, balance_target, constraints,
// dates, drift, dynamics, block_column, column_types, fit_rows, holdout_fraction). The other
// runs take the table view.
bool runs_on_cells(const GenerateOptions& o);

// Fits o.method on `real` and samples o.n_samples cells. InvalidArgument for the options
// runs_on_cells refuses (naming them) and the checks generate() makes (n_samples, target_col in
// obs, output_dir); save_dataset is ignored (the caller writes the cells where it wants them).
CellRunResult generate_cells(const CellTable& real, const GenerateOptions& o,
                             const GeneratorSettings& settings);

}  // namespace calm
