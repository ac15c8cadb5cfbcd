// The form every marginal-based DP method learns from: each column mapped onto a small public
// domain {0, .., size-1} (categories, bins of a numeric range, a missing level) by the privacy
// family's domain step (dp_domain.hpp), stored column by column. Marginal counts over a set of
// attributes are the only statistics the methods read from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace calm {

struct CodedTable {
  std::vector<int> sizes;                   // domain size of each attribute (>= 1)
  std::vector<std::vector<int32_t>> codes;  // [attribute][row], each in [0, sizes[attribute])

  size_t rows() const { return codes.empty() ? 0 : codes.front().size(); }
  size_t attributes() const { return sizes.size(); }
  // Product of the sizes of `attrs` (the number of cells of their marginal).
  size_t cells(const std::vector<int>& attrs) const;
};

// Counts of the joint values of `attrs` (in the given order), row-major: the first attribute
// varies slowest. Size cells(attrs). attrs may be empty (one cell: the row count).
std::vector<int64_t> count_marginal(const CodedTable& t, const std::vector<int>& attrs);

}  // namespace calm
