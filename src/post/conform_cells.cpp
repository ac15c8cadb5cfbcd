// Gene ranges of the cells path (see conform_cells.hpp).
#include "calm/post/conform_cells.hpp"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#include "calm/core/error.hpp"

namespace calm {

CsrMatrix conform_cells(CsrView synthetic, CsrView real) {
  if (synthetic.cols != real.cols)
    throw InternalError("conform_cells: " + std::to_string(synthetic.cols) + " synthetic genes, " +
                        std::to_string(real.cols) + " real ones");
  const size_t genes = real.cols;
  std::vector<float> lo(genes, std::numeric_limits<float>::infinity()), hi(genes, -lo[0]);
  std::vector<size_t> stored(genes, 0);
  for (size_t k = 0; k < real.nnz(); ++k) {
    const auto g = static_cast<size_t>(real.indices[k]);
    lo[g] = std::min(lo[g], real.data[k]);
    hi[g] = std::max(hi[g], real.data[k]);
    ++stored[g];
  }
  std::vector<std::pair<int32_t, float>> filled;  // genes whose real minimum is above 0
  for (size_t g = 0; g < genes; ++g) {
    if (stored[g] < real.rows) lo[g] = std::min(lo[g], 0.0f), hi[g] = std::max(hi[g], 0.0f);
    if (real.rows == 0) lo[g] = hi[g] = 0;
    if (lo[g] > 0) filled.emplace_back(static_cast<int32_t>(g), lo[g]);
  }
  CsrMatrix out;
  out.rows = synthetic.rows;
  out.cols = genes;
  out.indptr.reserve(synthetic.rows + 1);
  out.indptr.push_back(0);
  out.indices.reserve(synthetic.nnz() + filled.size() * synthetic.rows);
  out.data.reserve(out.indices.capacity());
  std::vector<std::pair<int32_t, float>> row;
  for (size_t r = 0; r < synthetic.rows; ++r) {
    row.clear();
    for (auto k = synthetic.indptr[r]; k < synthetic.indptr[r + 1]; ++k) {
      const auto k_ = static_cast<size_t>(k);
      const auto g = static_cast<size_t>(synthetic.indices[k_]);
      row.emplace_back(synthetic.indices[k_], std::clamp(synthetic.data[k_], lo[g], hi[g]));
    }
    std::sort(row.begin(), row.end());
    // Genes never 0 in the real cells: a missing entry is a 0 raised to the minimum.
    size_t f = 0;
    const size_t given = row.size();
    for (size_t k = 0; k < given && f < filled.size(); ++k) {
      while (f < filled.size() && filled[f].first < row[k].first) row.push_back(filled[f++]);
      if (f < filled.size() && filled[f].first == row[k].first) ++f;
    }
    while (f < filled.size()) row.push_back(filled[f++]);
    if (row.size() != given) std::inplace_merge(row.begin(), row.begin() + given, row.end());
    for (const auto& [g, v] : row)
      if (v != 0) out.indices.push_back(g), out.data.push_back(v);
    out.indptr.push_back(static_cast<int64_t>(out.indices.size()));
  }
  return out;
}

}  // namespace calm
