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

double score_from(double f, uint64_t n) {
  if (n <= 1) return 0;
  return std::max(0.0, f) / information_increment(static_cast<double>(n));
}

}  // namespace

double information_increment(double n) {
  if (n <= 0) return 0;
  // (n + 1) ln(n + 1) - n ln n = ln(n + 1) + n ln(1 + 1/n), without the cancellation.
  return std::log1p(n) + n * std::log1p(1 / n);
}

double total_information(const uint32_t* joint, size_t cells, size_t child_size) {
  std::vector<uint64_t> child(child_size, 0);
  CompensatedSum f;
  uint64_t n = 0;
  for (size_t p = 0; p * child_size < cells; ++p) {
    const uint32_t* row = joint + p * child_size;
    uint64_t parent = 0;
    for (size_t x = 0; x < child_size; ++x) {
      if (row[x] == 0) continue;
      parent += row[x];
      child[x] += row[x];
      f.add(phi(row[x]));
    }
    if (parent) f.add(-phi(parent));
    n += parent;
  }
  for (uint64_t c : child)
    if (c) f.add(-phi(c));
  f.add(phi(n));
  return f.value();
}

double information_score(const uint32_t* joint, size_t cells, size_t child_size) {
  uint64_t n = 0;
  for (size_t i = 0; i < cells; ++i) n += joint[i];
  return score_from(total_information(joint, cells, child_size), n);
}

double information_score_of_rows(const std::vector<uint32_t>& cell_of_row, size_t cells,
                                 size_t child_size, std::vector<uint32_t>& scratch) {
  const size_t n = cell_of_row.size();
  // Dense counting touches every cell twice (clear, sum); sorting costs ~n log n: the switch
  // point is where the cells outnumber the rows by about that factor.
  if (cells <= 16 * n + 4096) {
    scratch.assign(cells, 0);
    for (uint32_t c : cell_of_row) ++scratch[c];
    return score_from(total_information(scratch.data(), cells, child_size), n);
  }
  scratch = cell_of_row;
  std::sort(scratch.begin(), scratch.end());
  std::vector<uint64_t> child(child_size, 0);
  CompensatedSum f;
  size_t i = 0;
  while (i < n) {
    const uint32_t parent_cell = scratch[i] / child_size;
    uint64_t parent = 0;
    while (i < n && scratch[i] / child_size == parent_cell) {
      const uint32_t cell = scratch[i];
      size_t j = i;
      while (j < n && scratch[j] == cell) ++j;
      const uint64_t c = j - i;
      f.add(phi(c));
      child[cell % child_size] += c;
      parent += c;
      i = j;
    }
    f.add(-phi(parent));
  }
  for (uint64_t c : child)
    if (c) f.add(-phi(c));
  f.add(phi(n));
  return score_from(f.value(), n);
}

}  // namespace calm::privbayes
