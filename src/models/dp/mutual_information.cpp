// Mutual information scores for PrivBayes' structure search.
//
// Why s(D) = f(D) / g(n) has add/remove sensitivity <= 1 (f = n I, phi(c) = c ln c):
//   f(D) = phi(n) + sum_{x,p} phi(c_xp) - sum_x phi(c_x) - sum_p phi(c_p).
// Adding a row (x0, p0) to D (n rows) gives D' (n + 1 rows) with, for a = c_{x0 p0}, b = c_{x0},
// q = c_{p0} in D (0 <= a <= min(b, q), b + q - a <= n),
//   f(D') - f(D) = g(n) + g(a) - g(b) - g(q),   g(c) = phi(c + 1) - phi(c),
// g increasing and concave, g(0) = 0. Hence
//   (i)  f(D') - f(D) <= g(n)                                   (g(a) <= g(q), g(b) >= 0);
//   (ii) f(D) - f(D') <= 2 g(n / 2) - g(n)   (for fixed a, g(b) + g(q) <= 2 g((n + a) / 2) by
//        concavity; 2 g((n + a) / 2) - g(a) decreases in a since g' decreases; so a = 0).
// Then s(D') - s(D) = (f(D') - f(D)) / g(n + 1) - f(D) (g(n + 1) - g(n)) / (g(n) g(n + 1)),
// where the last term lies in [0, ln n / (g(n) g(n + 1))] because f(D) <= n ln n (I <= H(X) <=
// ln n), g(n + 1) - g(n) <= g'(n) = ln(1 + 1/n) and n ln(1 + 1/n) <= 1. So
//   s(D') - s(D) <= g(n) / g(n + 1) < 1, and
//   s(D) - s(D') <= [2 g(n/2) - g(n) + ln n / g(n)] / g(n + 1) < 1,
// the second because 2 g(n/2) + ln n / g(n) < g(n) + g(n + 1): the gap decreases in n towards
// 2 ln 2 - 1 = 0.386 (for large n the sides read 2 ln n + 2 - 2 ln 2 + ln n / (ln n + 1) + O(1/n)
// and 2 ln n + 2 + O(1/n)); the tests check it for n = 1 .. 10^6. For n = 0, s(D) = 0 = s(D')
// (one row carries no information). The bound is tight to first order: a new (x, p) added to a
// table with a single x and a single p value raises s by g(n) / g(n + 1).
#include "models/dp/mutual_information.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace calm::privbayes {

namespace {

constexpr size_t kPhiTable = 1 << 16;

// phi(c) = c ln c for the small counts most cells hold: one table lookup instead of a log.
const std::array<double, kPhiTable>& phi_table() {
  static const std::array<double, kPhiTable> table = [] {
    std::array<double, kPhiTable> t{};
    for (size_t c = 1; c < kPhiTable; ++c) t[c] = static_cast<double>(c) * std::log(c);
    return t;
  }();
  return table;
}

inline double phi(uint64_t c) {
  if (c < kPhiTable) return phi_table()[c];
  const double x = static_cast<double>(c);
  return x * std::log(x);
}

// Neumaier's compensated sum: f is a difference of terms of size n ln n that nearly cancel when
// the information is small, and the score's rounding has to stay far below the sensitivity
// margin PrivBayes adds (privbayes.cpp).
struct CompensatedSum {
  double sum = 0, carry = 0;
  void add(double v) {
    const double t = sum + v;
    carry += std::fabs(sum) >= std::fabs(v) ? (sum - t) + v : (v - t) + sum;
    sum = t;
  }
  double value() const { return sum + carry; }
};

}  // namespace

double information_increment(double n) {
  if (n <= 0) return 0;
  // (n + 1) ln(n + 1) - n ln n = ln(n + 1) + n ln(1 + 1/n), without the cancellation.
  return std::log1p(n) + n * std::log1p(1 / n);
}

double information_score(double joint_phi, double parent_phi, double child_phi, uint64_t n) {
  if (n <= 1) return 0;
  CompensatedSum f;
  f.add(phi(n));
  f.add(joint_phi);
  f.add(-parent_phi);
  f.add(-child_phi);
  return std::max(0.0, f.value()) / information_increment(static_cast<double>(n));
}

double PhiSum::operator()(const uint32_t* cell_of_row, size_t n, size_t cells) {
  CompensatedSum sum;
  // The dense counts stay under 256 MB per thread.
  if (cells <= std::min(std::max<size_t>(16 * n, size_t{1} << 22), size_t{1} << 26)) {
    if (counts_.size() < cells) counts_.resize(cells, 0);
    touched_.clear();
    for (size_t i = 0; i < n; ++i)
      if (counts_[cell_of_row[i]]++ == 0) touched_.push_back(cell_of_row[i]);
    for (uint32_t c : touched_) {
      sum.add(phi(counts_[c]));
      counts_[c] = 0;
    }
    return sum.value();
  }
  // LSD radix sort on 16-bit digits, then the runs of equal cells.
  sorted_.assign(cell_of_row, cell_of_row + n);
  buffer_.resize(n);
  for (int shift = 0; shift < 32; shift += 16) {
    std::vector<size_t> start((size_t{1} << 16) + 1, 0);
    for (uint32_t v : sorted_) ++start[((v >> shift) & 0xffff) + 1];
    for (size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
    for (uint32_t v : sorted_) buffer_[start[(v >> shift) & 0xffff]++] = v;
    sorted_.swap(buffer_);
  }
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && sorted_[j] == sorted_[i]) ++j;
    sum.add(phi(j - i));
    i = j;
  }
  return sum.value();
}

double total_information(const uint32_t* joint, size_t cells, size_t child_size) {
  std::vector<uint64_t> child(child_size, 0);
  CompensatedSum joint_phi, parent_phi, child_phi;
  uint64_t n = 0;
  for (size_t p = 0; p * child_size < cells; ++p) {
    const uint32_t* row = joint + p * child_size;
    uint64_t parent = 0;
    for (size_t x = 0; x < child_size; ++x) {
      parent += row[x];
      child[x] += row[x];
      joint_phi.add(phi(row[x]));
    }
    parent_phi.add(phi(parent));
    n += parent;
  }
  for (uint64_t c : child) child_phi.add(phi(c));
  CompensatedSum f;
  f.add(phi(n));
  f.add(joint_phi.value());
  f.add(-parent_phi.value());
  f.add(-child_phi.value());
  return f.value();
}

double information_score(const uint32_t* joint, size_t cells, size_t child_size) {
  uint64_t n = 0;
  for (size_t i = 0; i < cells; ++i) n += joint[i];
  return n <= 1 ? 0
                : std::max(0.0, total_information(joint, cells, child_size)) /
                      information_increment(static_cast<double>(n));
}

}  // namespace calm::privbayes
