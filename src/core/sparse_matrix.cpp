// CsrMatrix checks and conversions (see sparse_matrix.hpp).
#include "calm/core/sparse_matrix.hpp"

#include <cmath>

#include "calm/core/error.hpp"

namespace calm {

void CsrMatrix::check(const std::string& what) const {
  if (indptr.size() != rows + 1 || indices.size() != data.size())
    throw DataError(what + ": the sparse matrix's index arrays do not match its shape (" +
                    std::to_string(rows) + " x " + std::to_string(cols) + ", " +
                    std::to_string(data.size()) + " values)");
  CsrView(*this).check(what);
}

void CsrView::check(const std::string& what) const {
  if (!indptr || indptr[0] != 0 || static_cast<size_t>(indptr[rows]) != stored ||
      (stored > 0 && (!indices || !data)))
    throw DataError(what + ": the sparse matrix's index arrays do not match its shape (" +
                    std::to_string(rows) + " x " + std::to_string(cols) + ", " +
                    std::to_string(stored) + " values)");
  for (size_t r = 0; r < rows; ++r)
    if (indptr[r + 1] < indptr[r])
      throw DataError(what + ": the sparse matrix's row offsets decrease at row " +
                      std::to_string(r));
  for (size_t k = 0; k < stored; ++k)
    if (indices[k] < 0 || static_cast<size_t>(indices[k]) >= cols)
      throw DataError(what + ": a sparse matrix column index (" + std::to_string(indices[k]) +
                      ") is outside [0, " + std::to_string(cols) + ")");
}

CsrMatrix CsrMatrix::from_csc(size_t rows, size_t cols, std::vector<int64_t> colptr,
                              std::vector<int32_t> row_indices, std::vector<float> values) {
  CsrMatrix csc{cols, rows, std::move(colptr), std::move(row_indices), std::move(values)};
  csc.check("CSC matrix");
  CsrMatrix out;
  out.rows = rows;
  out.cols = cols;
  out.indptr.assign(rows + 1, 0);
  for (int32_t r : csc.indices) ++out.indptr[static_cast<size_t>(r) + 1];
  for (size_t r = 0; r < rows; ++r) out.indptr[r + 1] += out.indptr[r];
  out.indices.resize(csc.nnz());
  out.data.resize(csc.nnz());
  std::vector<int64_t> next(out.indptr.begin(), out.indptr.end() - 1);
  for (size_t c = 0; c < cols; ++c)
    for (int64_t k = csc.indptr[c]; k < csc.indptr[c + 1]; ++k) {
      const auto r = static_cast<size_t>(csc.indices[static_cast<size_t>(k)]);
      const auto at = static_cast<size_t>(next[r]++);
      out.indices[at] = static_cast<int32_t>(c);
      out.data[at] = csc.data[static_cast<size_t>(k)];
    }
  return out;
}

CsrMatrix CsrMatrix::from_dense(size_t rows, size_t cols, const std::vector<float>& values) {
  if (values.size() != rows * cols) throw InternalError("CsrMatrix::from_dense: wrong size");
  CsrMatrix out;
  out.rows = rows;
  out.cols = cols;
  out.indptr.assign(1, 0);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c)
      if (const float v = values[r * cols + c]; v != 0) {
        out.indices.push_back(static_cast<int32_t>(c));
        out.data.push_back(v);
      }
    out.indptr.push_back(static_cast<int64_t>(out.data.size()));
  }
  return out;
}

bool CsrMatrix::holds_counts() const {
  return CsrView(*this).holds_counts();
}

bool CsrView::holds_counts() const {
  for (size_t k = 0; k < stored; ++k)
    if (!(data[k] >= 0) || data[k] != std::floor(data[k])) return false;
  return true;
}

}  // namespace calm
