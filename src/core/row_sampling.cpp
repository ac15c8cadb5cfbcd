// Grouping rows by the value of one column.
#include "core/row_sampling.hpp"

#include <unordered_map>

namespace calm {

std::vector<std::vector<int64_t>> group_rows_by_value(const Column& col,
                                                      const std::vector<double>& values) {
  std::unordered_map<double, size_t> slot;
  for (size_t k = 0; k < values.size(); ++k) slot.emplace(values[k], k);
  std::vector<std::vector<int64_t>> groups(values.size());
  for (size_t i = 0; i < col.size(); ++i) {
    if (col.is_missing(i)) continue;
    auto it = slot.find(col.numeric(i));
    if (it != slot.end()) groups[it->second].push_back(static_cast<int64_t>(i));
  }
  return groups;
}

}  // namespace calm
