// The single-cell view of a Table, shared by scvi and scgen (no torch): which columns are genes
// and which are cell metadata, the expression matrix as float32 CSR built straight from the gene
// columns (never a dense double copy), the checks on counts, group labels (cell type, batch,
// condition), and the output table (generated genes + metadata taken from donor cells).
//
// Gene columns: model_param gene_columns when given; otherwise every int64/float64 column except
// target_col, condition_col, batch_key and model_param obs_columns. Every other column is
// metadata, re-attached from a real cell.
#pragma once

#include <string>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/cell_table.hpp"
#include "calm/core/sparse_matrix.hpp"
#include "calm/core/table.hpp"

namespace calm {

// Group labels of one column: a code per cell into `labels` (the cell's text; "" when missing).
struct CellGroups {
  std::vector<int32_t> code;
  std::vector<std::string> labels;
  size_t size() const { return labels.size(); }
  // The code of `label`, -1 when no cell has it.
  int32_t find(const std::string& label) const;
};
CellGroups cell_groups(const Column& c);

struct SingleCellLayout {
  std::vector<std::string> names;  // every column, in table order
  std::vector<StorageType> types;
  std::vector<int64_t> gene_of;  // per column: its gene index, or -1 for metadata
  std::vector<size_t> genes;     // table column of each gene
  std::vector<size_t> metadata;  // table columns that are metadata

  // DataError naming `method` for unknown or non-numeric gene columns, no gene column, or a
  // `reserved` column (target/condition/batch) that is not in the table.
  static SingleCellLayout of(const Table& t, const std::vector<std::string>& gene_columns,
                             const std::vector<std::string>& obs_columns,
                             const std::vector<std::string>& reserved, const std::string& method);
  // The layout of cells given as a matrix: the genes in matrix order (int64 when
  // cells.integer_genes), then every obs column as metadata -- the column order of AnnData's
  // table view (io/anndata.hpp). DataError naming `method` for a `reserved` column absent from
  // obs, or for gene_columns / obs_columns (they pick columns of a table; a matrix's genes are its
  // columns).
  static SingleCellLayout of(const CellTable& cells, const std::vector<std::string>& gene_columns,
                             const std::vector<std::string>& obs_columns,
                             const std::vector<std::string>& reserved, const std::string& method);
  bool genes_are_int() const;  // every gene column has int64 storage
  void save(ArchiveWriter& out) const;
  static SingleCellLayout load(ArchiveReader& in, const std::string& method);
};

struct CellMatrix {
  CsrMatrix owned;  // the matrix when built here (from table columns, or a subset of the cells)
  CsrView x;        // cells x genes: `owned`, or the caller's matrix read in place
  std::vector<double> library;  // per cell: the sum of its values
  bool counts = true;           // every value a whole number >= 0
  bool negative = false;        // some value < 0

  CellMatrix() = default;
  CellMatrix(CellMatrix&&) = default;  // `x` stays valid: a moved vector keeps its buffer
  CellMatrix& operator=(CellMatrix&&) = default;
  CellMatrix(const CellMatrix&) = delete;  // a copy's `x` would point into the original
  // Keeps `m` and reads it as the matrix.
  void own(CsrMatrix m);
};
// DataError naming the gene for a missing value.
CellMatrix cell_matrix(const Table& t, const SingleCellLayout& layout, const std::string& method);
// The same from a matrix, read in place (no copy: it must outlive the result; its values taken
// as they are; DataError for a non-finite one).
CellMatrix cell_matrix(CsrView x, const std::string& method);

// The rows of `m` whose library is > 0 (cells with zero total counts carry no information for a
// count likelihood); DataError when there is none.
std::vector<int64_t> cells_with_counts(const CellMatrix& m, const std::string& method);
// The matrix restricted to `rows`.
CsrMatrix take_rows(CsrView m, const std::vector<int64_t>& rows);

// The output: each gene column from `genes` (cells x genes; rounded into int64 columns when the
// input's were int64) and each metadata column taken from `metadata` (the training
// cells' metadata columns, in layout order) at `donor`.
Table single_cell_output(const SingleCellLayout& layout, const CsrMatrix& genes,
                         const Table& metadata, const std::vector<int64_t>& donor);
// The same cells as a CellTable: `genes` kept sparse, obs = the metadata taken at `donor`.
CellTable single_cell_cells(const SingleCellLayout& layout, CsrMatrix genes, const Table& metadata,
                            const std::vector<int64_t>& donor);

// Sampled expression, a decoded block of cells at a time, appended as CSR rows: what scvi and
// scgen sample never exists as a dense cells x genes matrix beyond one block.
class SparseRowsBuilder {
 public:
  explicit SparseRowsBuilder(size_t genes);
  // `k` cells, row-major k x genes.
  void append(const float* rows, size_t k);
  CsrMatrix take() { return std::move(m_); }

 private:
  CsrMatrix m_;
};

}  // namespace calm
