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

// A read-only CSR matrix over arrays held elsewhere: a CsrMatrix, or a caller's buffers (a numpy
// array's, from Python) that the single-cell methods then read in place, never copied. The
// arrays must outlive the view.
struct CsrView {
  size_t rows = 0, cols = 0;
  const int64_t* indptr = nullptr;   // rows + 1 offsets
  const int32_t* indices = nullptr;  // `stored` columns
  const float* data = nullptr;       // `stored` values
  size_t stored = 0;

  CsrView() = default;
  CsrView(const CsrMatrix& m)  // NOLINT(google-explicit-constructor): a matrix is a view of itself
      : rows(m.rows),
        cols(m.cols),
        indptr(m.indptr.data()),
        indices(m.indices.data()),
        data(m.data.data()),
        stored(m.data.size()) {}
  CsrView(size_t rows_, size_t cols_, const int64_t* indptr_, const int32_t* indices_,
          const float* data_, size_t stored_)
      : rows(rows_),
        cols(cols_),
        indptr(indptr_),
        indices(indices_),
        data(data_),
        stored(stored_) {}

  size_t nnz() const { return stored; }
  // As CsrMatrix::check (the offsets are read only after `indptr` is known to be non-null).
  void check(const std::string& what) const;
  bool holds_counts() const;
};

}  // namespace calm
