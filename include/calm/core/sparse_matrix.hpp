// A compressed sparse row matrix of floats: single-cell counts (cells x genes) stay sparse from the
// file to the model, since a 100k x 20k matrix is mostly zeros (docs/single_cell.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace calm {

struct CsrMatrix {
  size_t rows = 0, cols = 0;
  std::vector<int64_t> indptr;   // rows + 1 offsets into indices/data, non-decreasing from 0
  std::vector<int32_t> indices;  // column of each stored value, in [0, cols)
  std::vector<float> data;       // the stored values

  size_t nnz() const { return data.size(); }
  // DataError naming `what` when the arrays do not form a valid matrix of this shape.
  void check(const std::string& what) const;
  // The transpose's layout: a CSC matrix's arrays read as CSR of the transposed shape, turned
  // into CSR of (cols x rows) -> (rows x cols). Used for CSC input.
  static CsrMatrix from_csc(size_t rows, size_t cols, std::vector<int64_t> colptr,
                            std::vector<int32_t> row_indices, std::vector<float> data);
  static CsrMatrix from_dense(size_t rows, size_t cols, const std::vector<float>& row_major);
  // Every stored value is a whole number >= 0 (counts).
  bool holds_counts() const;
};

}  // namespace calm
