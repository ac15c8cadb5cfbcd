// Test helper: a CSR matrix read back as a dense row-major array, to compare or edit cells.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "calm/core/sparse_matrix.hpp"

namespace calm::test {

inline std::vector<float> dense(const CsrMatrix& m) {
  std::vector<float> d(m.rows * m.cols, 0.0f);
  for (size_t r = 0; r < m.rows; ++r)
    for (int64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k)
      d[r * m.cols + static_cast<size_t>(m.indices[static_cast<size_t>(k)])] =
          m.data[static_cast<size_t>(k)];
  return d;
}

}  // namespace calm::test
