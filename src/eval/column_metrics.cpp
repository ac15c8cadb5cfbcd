// Single-column metrics (see column_metrics.hpp). KS is the sort-and-merge form of
// scipy.stats.ks_2samp: D = max over all sample points of |F_real(x) - F_synth(x)| with
// F(x) = #{values <= x} / n, each fraction computed as scipy does (count / n in double).
#include "eval/column_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "eval/radix_sort.hpp"

namespace calm::eval {
namespace {

// pandas Series.round(14) on float64 = numpy's multiply, rint, divide.
inline double round14(double v) {
  constexpr double kScale = 1e14;
  return std::nearbyint(v * kScale) / kScale;
}

// Sorted order keys of the non-missing values: exact int64 when `exact`, else doubles (rounded
// to 14 decimals when pandas holds them as float64).
std::vector<uint64_t> sorted_keys(const NumericSide& s, bool exact) {
  std::vector<uint64_t> keys;
  keys.reserve(s.n - s.missing);
  for (size_t i = 0; i < s.n; ++i) {
    const double v = s.values[i];
    if (std::isnan(v)) continue;
    keys.push_back(exact ? order_key(s.ints[i]) : order_key(s.pandas_float ? round14(v) : v));
  }
  radix_sort(keys);
  return keys;
}

double ks_statistic(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  const size_t n1 = a.size(), n2 = b.size();
  const double d1 = static_cast<double>(n1), d2 = static_cast<double>(n2);
  double max_diff = -std::numeric_limits<double>::infinity();
  double min_diff = std::numeric_limits<double>::infinity();
  size_t i = 0, j = 0;
  while (i < n1 || j < n2) {
    const uint64_t v = (j >= n2 || (i < n1 && a[i] <= b[j])) ? a[i] : b[j];
    while (i < n1 && a[i] <= v) ++i;
    while (j < n2 && b[j] <= v) ++j;
    const double diff = static_cast<double>(i) / d1 - static_cast<double>(j) / d2;
    max_diff = std::max(max_diff, diff);
    min_diff = std::min(min_diff, diff);
  }
  const double min_s = std::clamp(-min_diff, 0.0, 1.0);
  return min_s > max_diff ? min_s : max_diff;
}

std::vector<int64_t> counts_of(const DiscreteSide& s, int32_t cardinality, size_t& present) {
  std::vector<int64_t> counts(cardinality, 0);
  present = 0;
  for (int32_t c : s.codes)
    if (c >= 0) ++counts[c], ++present;
  return counts;
}

Outcome ratio(size_t valid, size_t total) {
  if (total == 0) return {};
  return {static_cast<double>(valid) / static_cast<double>(total), {}};
}

}  // namespace

Outcome ks_complement(const NumericSide& real, const NumericSide& synthetic) {
  if (real.missing == real.n || synthetic.missing == synthetic.n) return {};
  // Two int64 columns are compared exactly (pandas keeps int64); otherwise numpy promotes to
  // float64.
  const bool exact = real.ints && synthetic.ints && !real.pandas_float && !synthetic.pandas_float;
  return {1.0 - ks_statistic(sorted_keys(real, exact), sorted_keys(synthetic, exact)), {}};
}

Outcome tv_complement(const DiscreteSide& real, const DiscreteSide& synthetic,
                      int32_t cardinality) {
  size_t nr = 0, ns = 0;
  const auto rc = counts_of(real, cardinality, nr);
  const auto sc = counts_of(synthetic, cardinality, ns);
  if (nr == 0 || ns == 0)
    return {std::nullopt,
            "IncomputableMetricError: The TVComplement metric must have 1 or more "
            "non-null values."};
  constexpr double kPseudo = 1e-6;  // get_frequencies' regularisation for unseen values
  double real_total = static_cast<double>(nr);
  for (int32_t k = 0; k < cardinality; ++k)
    if (rc[k] == 0 && sc[k] > 0) real_total += kPseudo;
  double tv = 0;
  for (int32_t k = 0; k < cardinality; ++k) {
    if (rc[k] == 0 && sc[k] == 0) continue;
    const double r = rc[k] > 0 ? static_cast<double>(rc[k]) : kPseudo;
    tv += std::abs(static_cast<double>(sc[k]) / static_cast<double>(ns) - r / real_total);
  }
  return {1.0 - 0.5 * tv, {}};
}

Outcome boundary_adherence(const NumericSide& real, const NumericSide& synthetic) {
  const bool nullable = real.missing > 0;
  const bool real_empty = real.missing == real.n;  // min/max are NaN: nothing is inside
  const bool exact = real.ints && synthetic.ints;
  int64_t imin = 0, imax = 0;
  if (exact && !real_empty) {
    imin = std::numeric_limits<int64_t>::max(), imax = std::numeric_limits<int64_t>::min();
    for (size_t i = 0; i < real.n; ++i)
      if (!std::isnan(real.values[i]))
        imin = std::min(imin, real.ints[i]), imax = std::max(imax, real.ints[i]);
  }
  size_t valid = 0;
  for (size_t i = 0; i < synthetic.n && !real_empty; ++i) {
    const double v = synthetic.values[i];
    if (std::isnan(v)) continue;
    valid += exact ? (synthetic.ints[i] >= imin && synthetic.ints[i] <= imax)
                   : (v >= real.min && v <= real.max);
  }
  return ratio(valid, nullable ? synthetic.n - synthetic.missing : synthetic.n);
}

Outcome category_adherence(const DiscreteSide& real, const DiscreteSide& synthetic,
                           int32_t cardinality) {
  std::vector<uint8_t> seen(cardinality, 0);
  for (int32_t c : real.codes)
    if (c >= 0) seen[c] = 1;
  const bool nullable = real.missing > 0;
  size_t valid = 0;
  for (int32_t c : synthetic.codes) valid += c >= 0 ? seen[c] : nullable;
  return ratio(valid, synthetic.codes.size());
}

Outcome key_uniqueness(const DiscreteSide& synthetic, int32_t cardinality) {
  std::vector<uint8_t> seen(cardinality, 0);
  size_t distinct = 0;
  for (int32_t c : synthetic.codes)
    if (c >= 0 && !seen[c]) seen[c] = 1, ++distinct;
  return ratio(distinct, synthetic.codes.size());
}

}  // namespace calm::eval
