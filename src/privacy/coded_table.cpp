// Marginal counting over a CodedTable.
#include "privacy/coded_table.hpp"

namespace calm {

size_t CodedTable::cells(const std::vector<int>& attrs) const {
  size_t n = 1;
  for (int a : attrs) n *= static_cast<size_t>(sizes[a]);
  return n;
}

std::vector<int64_t> count_marginal(const CodedTable& t, const std::vector<int>& attrs) {
  std::vector<int64_t> counts(t.cells(attrs), 0);
  const size_t n = t.rows();
  if (attrs.empty()) {
    counts[0] = static_cast<int64_t>(n);
    return counts;
  }
  std::vector<size_t> cell(n, 0);
  for (int a : attrs) {
    const size_t k = static_cast<size_t>(t.sizes[a]);
    const int32_t* c = t.codes[a].data();
    for (size_t i = 0; i < n; ++i) cell[i] = cell[i] * k + static_cast<size_t>(c[i]);
  }
  for (size_t i = 0; i < n; ++i) ++counts[cell[i]];
  return counts;
}

}  // namespace calm
