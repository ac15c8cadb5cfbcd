// Cells as the single-cell methods read and write them without a dense view: the expression
// matrix (cells x genes, CSR) with the gene names, and the per-cell metadata (AnnData's obs) as a
// Table. A 100k x 20k matrix held as table columns would take 16 GB; as CSR it takes what its
// non-zero values take (docs/single_cell.md, "Large AnnData files").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/core/sparse_matrix.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct CellTable {
  CsrMatrix x;  // cells x genes, held here (empty when `borrowed` is set)
  // The matrix when its arrays belong to the caller (an AnnData's X from Python): the methods read
  // it in place. Readers of a CellTable go through matrix().
  std::optional<CsrView> borrowed;
  std::vector<std::string> genes;  // matrix().cols names
  bool integer_genes = true;       // genes read and written as counts (int64 in a table view)
  Table obs;                       // matrix().rows rows (or no columns)

  CsrView matrix() const { return borrowed ? *borrowed : CsrView(x); }
  size_t cells() const { return matrix().rows; }
  // DataError naming the problem when the parts disagree (gene names vs columns, obs rows vs
  // cells, a gene name repeated or also an obs column).
  void check() const;
  // Cells [begin, end) as table rows: one column per gene (int64 when integer_genes, else
  // float64), then the obs columns -- the table view of AnnData (io/anndata.hpp), a block at a
  // time for writers that take rows.
  Table rows(size_t begin, size_t end) const;
};

}  // namespace calm
