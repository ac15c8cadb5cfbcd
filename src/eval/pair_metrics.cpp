// Column-pair metrics (see pair_metrics.hpp).
// Pearson's r is computed two-pass (mean, then centred sums) like scipy.stats.pearsonr.
// Joint frequency tables are counted in O(n): a dense array of level_a x level_b cells when that
// is small, else sorted 64-bit cell keys. Cramer's V (scipy.stats.contingency.association,
// method="cramer", no continuity correction) uses the chi-square statistic over the observed rows
// and columns: chi2 = sum_nonzero (O - E)^2 / E + sum_zero E, and sum_zero E = n - sum_nonzero E.
#include "eval/pair_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace calm::eval {
namespace {

struct Pearson {
  bool enough = false;  // at least two complete rows (scipy raises otherwise)
  double r = std::nan("");
};

Pearson pearson(const NumericSide& x, const NumericSide& y) {
  const size_t n = x.n;
  size_t m = 0;
  double sx = 0, sy = 0;
  for (size_t i = 0; i < n; ++i) {
    const double a = x.values[i], b = y.values[i];
    if (std::isnan(a) || std::isnan(b)) continue;
    sx += a, sy += b, ++m;
  }
  Pearson p;
  if (m < 2) return p;
  p.enough = true;
  const double mx = sx / static_cast<double>(m), my = sy / static_cast<double>(m);
  double sxx = 0, syy = 0, sxy = 0;
  bool x_varies = false, y_varies = false;
  double x0 = 0, y0 = 0;
  bool first = true;
  for (size_t i = 0; i < n; ++i) {
    const double a = x.values[i], b = y.values[i];
    if (std::isnan(a) || std::isnan(b)) continue;
    if (first) x0 = a, y0 = b, first = false;
    x_varies = x_varies || a != x0;
    y_varies = y_varies || b != y0;
    const double da = a - mx, db = b - my;
    sxx += da * da, syy += db * db, sxy += da * db;
  }
  // A constant input (after dropping incomplete rows) has no correlation: scipy returns NaN.
  if (!x_varies || !y_varies) return p;
  p.r = std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
  return p;
}

std::string constant_error(const PreparedColumn& a, const PreparedColumn& b, int side) {
  std::vector<std::string> names;
  if (a.num[side].constant) names.push_back(a.name);
  if (b.num[side].constant) names.push_back(b.name);
  if (names.empty()) return {};
  const std::string prefix = side == 0 ? "real data" : "synthetic data";
  const std::string list = names.size() == 1 ? names[0] : names[0] + ", " + names[1];
  return "ConstantInputError: The " + prefix + " in column" + (names.size() > 1 ? "s" : "") + " '" +
         list + "' contains a constant value. Correlation is undefined for constant data.";
}

const char* kShortInput = "ValueError: `x` and `y` must have length at least 2.";

// Sorted (cell, count) list of a joint frequency table.
using Cells = std::vector<std::pair<uint64_t, uint64_t>>;

Cells count_cells(const LevelView& a, const LevelView& b, size_t rows) {
  const uint64_t lb = b.levels, cells = static_cast<uint64_t>(a.levels) * lb;
  Cells out;
  constexpr uint64_t kDenseLimit = uint64_t{1} << 22;
  if (cells <= kDenseLimit || cells <= 2 * rows) {
    std::vector<uint32_t> dense(cells, 0);
    for (size_t i = 0; i < rows; ++i) ++dense[a[i] * lb + b[i]];
    for (uint64_t k = 0; k < cells; ++k)
      if (dense[k]) out.emplace_back(k, dense[k]);
    return out;
  }
  std::vector<uint64_t> keys(rows);
  for (size_t i = 0; i < rows; ++i) keys[i] = a[i] * lb + b[i];
  std::sort(keys.begin(), keys.end());
  for (size_t i = 0; i < rows;) {
    size_t j = i;
    while (j < rows && keys[j] == keys[i]) ++j;
    out.emplace_back(keys[i], j - i);
    i = j;
  }
  return out;
}

// Cramer's V of the real joint table; nullopt when scipy cannot compute it (SDMetrics then
// returns a NaN score).
std::optional<double> cramers_v(const Cells& cells, uint32_t levels_a, uint32_t levels_b) {
  std::vector<double> row(levels_a, 0.0), col(levels_b, 0.0);
  double n = 0;
  for (const auto& [key, count] : cells) {
    row[key / levels_b] += static_cast<double>(count);
    col[key % levels_b] += static_cast<double>(count);
    n += static_cast<double>(count);
  }
  const auto nonzero = [](const std::vector<double>& v) {
    return std::count_if(v.begin(), v.end(), [](double x) { return x > 0; });
  };
  const auto r = nonzero(row), c = nonzero(col);
  if (n == 0 || std::min(r, c) < 2) return std::nullopt;
  double chi2 = n, expected_nonzero = 0;
  for (const auto& [key, count] : cells) {
    const double e = row[key / levels_b] * col[key % levels_b] / n;
    const double d = static_cast<double>(count) - e;
    chi2 += d * d / e;
    expected_nonzero += e;
  }
  chi2 = std::max(0.0, chi2 - expected_nonzero);
  return std::sqrt(chi2 / n / static_cast<double>(std::min(r, c) - 1));
}

}  // namespace

PairOutcome correlation_similarity(const PreparedColumn& a, const PreparedColumn& b,
                                   double threshold) {
  PairOutcome out;
  for (int side = 0; side < 2; ++side) {
    out.error = constant_error(a, b, side);
    if (!out.error.empty()) return out;
  }
  const Pearson real = pearson(a.num[0], b.num[0]);
  if (!real.enough) {
    out.error = kShortInput;
    return out;
  }
  if (!std::isnan(real.r)) out.real_correlation = real.r;
  // SDMetrics tests |r| <= threshold even when the threshold is 0 (then only r == 0 fails).
  if (std::abs(real.r) <= threshold) {
    out.meets_threshold = threshold <= 0;
    out.note = "real |correlation| is not above the threshold; the pair does not count";
    return out;
  }
  const Pearson synth = pearson(a.num[1], b.num[1]);
  if (!synth.enough) {
    out.error = kShortInput;
    out.real_correlation.reset();
    return out;
  }
  if (!std::isnan(synth.r)) out.synthetic_correlation = synth.r;
  out.meets_threshold = threshold <= 0 || (!std::isnan(real.r) && std::abs(real.r) > threshold);
  if (std::isnan(real.r) || std::isnan(synth.r)) {
    out.note = "a column has one distinct value over the complete rows: no correlation";
    return out;
  }
  out.score = 1.0 - std::abs(real.r - synth.r) / 2.0;
  return out;
}

PairOutcome contingency_similarity(const LevelView& real_a, const LevelView& real_b,
                                   size_t real_rows, const LevelView& synth_a,
                                   const LevelView& synth_b, size_t synth_rows, double threshold) {
  PairOutcome out;
  const Cells real = count_cells(real_a, real_b, real_rows);
  if (threshold > 0) {
    out.meets_threshold = false;
    const auto v = cramers_v(real, real_a.levels, real_b.levels);
    if (!v) {
      out.note = "the real data has fewer than two distinct values in a column: no association";
      return out;
    }
    out.real_association = *v;
    if (*v <= threshold) {
      out.note =
          "real association (Cramer's V) is not above the threshold; the pair does not "
          "count";
      return out;
    }
  }
  out.meets_threshold = true;
  // Both tables number the levels alike (shared codes, or the same 12 bins), so equal cell keys
  // are equal (value, value) pairs.
  const Cells synth = count_cells(synth_a, synth_b, synth_rows);
  const double nr = static_cast<double>(real_rows), ns = static_cast<double>(synth_rows);
  double tv = 0;
  size_t i = 0, j = 0;
  while (i < real.size() || j < synth.size()) {
    double pr = 0, ps = 0;
    if (j >= synth.size() || (i < real.size() && real[i].first < synth[j].first)) {
      pr = static_cast<double>(real[i++].second) / nr;
    } else if (i >= real.size() || synth[j].first < real[i].first) {
      ps = static_cast<double>(synth[j++].second) / ns;
    } else {
      pr = static_cast<double>(real[i++].second) / nr;
      ps = static_cast<double>(synth[j++].second) / ns;
    }
    tv += std::abs(pr - ps);
  }
  out.score = 1.0 - tv / 2.0;
  return out;
}

}  // namespace calm::eval
