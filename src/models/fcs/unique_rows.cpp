// Unique real rows by 64-bit row hashes, confirmed cell by cell (see unique_rows.hpp).
#include "models/fcs/unique_rows.hpp"

#include <cmath>
#include <cstring>

namespace calm::fcs {
namespace {

uint64_t mix(uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// One bit pattern per value: every NaN alike, -0 as 0.
uint64_t value_bits(double v) {
  if (std::isnan(v)) return 0x7ff8000000000001ULL;
  if (v == 0) v = 0;
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

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
  uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (size_t k = 0; k < columns_.size(); ++k)
    h = mix(h ^ mix(value_bits(t.column(columns_[k]).numeric(i)) + k));
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
