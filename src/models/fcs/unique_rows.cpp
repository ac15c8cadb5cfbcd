// Unique real rows by 64-bit row hashes, confirmed cell by cell (see unique_rows.hpp).
#include "models/fcs/unique_rows.hpp"

#include <cmath>

#include "models/fcs/cell_hash.hpp"

namespace calm::fcs {
namespace {

bool same_value(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

}  // namespace

UniqueRows::UniqueRows(const Table& real, std::vector<size_t> columns)
    : real_(real), columns_(std::move(columns)) {
  for (size_t r = 0; r < real_.num_rows(); ++r) {
    auto [it, fresh] = unique_.emplace(row_hash(real_, r), static_cast<int64_t>(r));
    if (!fresh) it->second = -1;
  }
}

uint64_t UniqueRows::row_hash(const Table& t, size_t i) const {
  uint64_t h = 0;
  for (size_t k = 0; k < columns_.size(); ++k)
    h = combine(h, k, value_hash(t.column(columns_[k]), i));
  return h;
}

bool UniqueRows::same_row(const Table& synthetic, size_t i, size_t real_row) const {
  for (size_t c : columns_)
    if (!same_value(synthetic.column(c).numeric(i), real_.column(c).numeric(real_row)))
      return false;
  return true;
}

std::vector<size_t> UniqueRows::copies(const Table& synthetic) const {
  std::vector<size_t> out;
  for (size_t i = 0; i < synthetic.num_rows(); ++i) {
    auto it = unique_.find(row_hash(synthetic, i));
    // A repeated hash is a repeated real row (or, astronomically rarely, a collision): not unique.
    if (it != unique_.end() && it->second >= 0 &&
        same_row(synthetic, i, static_cast<size_t>(it->second)))
      out.push_back(i);
  }
  return out;
}

}  // namespace calm::fcs
