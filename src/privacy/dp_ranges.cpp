// Private numeric ranges and bin edges (see dp_ranges.hpp).
#include "privacy/dp_ranges.hpp"

#include <algorithm>
#include <cmath>

#include "privacy/mechanisms.hpp"

namespace calm::privacy {
namespace {

// The log-scale cells: octaves 2^-20 .. 2^64 on each sign, 16 sub-cells each, one zero cell.
constexpr int kMinExp = -20, kMaxExp = 64, kSub = 16;
constexpr int kOctaves = kMaxExp - kMinExp;
constexpr int kZero = kOctaves * kSub;  // index of the zero cell
constexpr int kLogCells = 2 * kOctaves * kSub + 1;
constexpr int kEdgeCells = 1024;  // cells of the second (edges) histogram
constexpr double kLogSpan =
    1000;  // the edges histogram's log1p scale: x - low in units of span/1000

int magnitude_cell(double a) {  // a >= 2^kMinExp
  int k = std::clamp(static_cast<int>(std::floor(std::log2(a))), kMinExp, kMaxExp - 1);
  const double frac = a / std::ldexp(1.0, k) - 1;
  const int sub = std::clamp(static_cast<int>(frac * kSub), 0, kSub - 1);
  return (k - kMinExp) * kSub + sub;
}

int log_cell(double x) {
  const double a = std::fabs(x);
  if (a < std::ldexp(1.0, kMinExp)) return kZero;
  const int m = magnitude_cell(a);
  return x > 0 ? kZero + 1 + m : kZero - 1 - m;
}

// [lower, upper] of a log-scale cell.
Range log_cell_range(int cell) {
  if (cell == kZero) return {-std::ldexp(1.0, kMinExp), std::ldexp(1.0, kMinExp)};
  const int m = cell > kZero ? cell - kZero - 1 : kZero - 1 - cell;
  const int k = kMinExp + m / kSub, sub = m % kSub;
  const double lo = std::ldexp(1.0 + static_cast<double>(sub) / kSub, k);
  const double hi = std::ldexp(1.0 + static_cast<double>(sub + 1) / kSub, k);
  return cell > kZero ? Range{lo, hi} : Range{-hi, -lo};
}

// The edges histogram's scale: u = log1p((x - low) / c), c = (high - low) / kLogSpan, so cells are
// fine near low and at most ~0.7% of the range wide near high (skewed columns get resolution
// where their mass is).
struct EdgeScale {
  double low, c, umax;
  explicit EdgeScale(const Range& r)
      : low(r.low), c((r.high - r.low) / kLogSpan), umax(std::log1p(kLogSpan)) {}
  int cell(double x) const {
    const double u = std::log1p(std::max(0.0, x - low) / c);
    return std::clamp(static_cast<int>(u / umax * kEdgeCells), 0, kEdgeCells - 1);
  }
  double upper(int cell) const {
    return low + c * std::expm1(umax * static_cast<double>(cell + 1) / kEdgeCells);
  }
};

}  // namespace

NoisyHistogram noisy_histogram(const std::vector<int64_t>& counts, bool zcdp, double budget,
                               Rng& rng) {
  NoisyHistogram h;
  if (zcdp) {
    h.counts = gaussian_counts(counts, budget, 1.0, rng);
    h.noise_sd = std::sqrt(gaussian_sigma2(budget, 1.0));
  } else {
    h.counts = laplace_counts(counts, budget, 1.0, rng);
    h.noise_sd = std::sqrt(2.0) / budget;
    h.gaussian = false;
  }
  return h;
}

double NoisyHistogram::tail(double p) const {
  const double log_inverse = std::log(1 / p);
  return gaussian ? noise_sd * std::sqrt(2 * log_inverse) : noise_sd / std::sqrt(2.0) * log_inverse;
}

// The group of a log-scale cell when octaves are taken `span` at a time: 0 .. 2 G, G being the
// zero cell (G = ceil(kOctaves / span)).
int group_of(int cell, int span) {
  const int g = (kOctaves + span - 1) / span;
  if (cell == kZero) return g;
  const int m = cell > kZero ? cell - kZero - 1 : kZero - 1 - cell;
  return cell > kZero ? g + 1 + m / kSub / span : g - 1 - m / kSub / span;
}
int octave_of(int cell) {
  return group_of(cell, 1);
}

Range private_range(const std::vector<double>& values, bool zcdp, double budget, Rng& rng) {
  std::vector<int64_t> counts(kLogCells, 0);
  for (double v : values) ++counts[log_cell(v)];
  const NoisyHistogram h = noisy_histogram(counts, zcdp, budget, rng);
  // A cell stands out of the noise when its noisy count passes what pure noise reaches in any of
  // the cells with probability 0.1% (union bound over the kLogCells cells): a false cell far from
  // the data would stretch the range by orders of magnitude. Small tables spread over many
  // sub-cells pass no sub-cell, so whole octaves, then blocks of four octaves, are tested too, on
  // the sums of their noisy sub-cells (post-processing): m sub-cells hold m times the count for
  // sqrt(m) times the noise.
  const double b = h.noise_sd / std::sqrt(2.0);
  auto noise_bound = [&](int cells, double p) {
    const double m = cells, log_inverse = std::log(1 / p);
    // The sum of m noises: sub-Gaussian with m times the variance; the Laplace sum by Bernstein's
    // bound P(S > t) <= exp(-t^2 / (4 m b^2)) for t <= 2 m b.
    return h.gaussian ? h.noise_sd * std::sqrt(m * 2 * log_inverse)
                      : std::max(2 * b * std::sqrt(m * log_inverse), b * log_inverse);
  };
  // Levels: single cells (span 0), octaves, blocks of four octaves; the finest level at which
  // something stands out gives the range (a coarser level would only widen it).
  auto group = [](int c, int span) { return span == 0 ? c : group_of(c, span); };
  auto groups_at = [](int span) {
    return span == 0 ? kLogCells : 2 * ((kOctaves + span - 1) / span) + 1;
  };
  int first = -1, last = -1, level = 0;
  std::vector<double> sum;
  for (int span : {0, 1, 4}) {
    const int groups = groups_at(span);
    sum.assign(groups, 0.0);
    for (int c = 0; c < kLogCells; ++c) sum[group(c, span)] += h.counts[c];
    const double bound = noise_bound(span == 0 ? 1 : kSub * span, 1e-3 / groups);
    for (int c = 0; c < kLogCells; ++c)
      if (sum[group(c, span)] >= bound) {
        if (first < 0) first = c;
        last = c;
      }
    level = span;
    if (first >= 0) break;
  }
  if (first < 0) {
    // Nothing passes the 0.1% bar: the fullest octave (report-noisy-max, post-processing) when it
    // stands above what the largest of the noise sums reaches half the time; else give up.
    sum.assign(groups_at(1), 0.0);
    for (int c = 0; c < kLogCells; ++c) sum[octave_of(c)] += h.counts[c];
    const int best = static_cast<int>(std::max_element(sum.begin(), sum.end()) - sum.begin());
    if (sum[best] < noise_bound(kSub, 0.5 / groups_at(1))) return {0, 0, false};
    for (int c = 0; c < kLogCells; ++c)
      if (octave_of(c) == best) {
        if (first < 0) first = c;
        last = c;
      }
    level = 1;
  }
  // A passing octave or block would give the range its whole span, though its outer sub-cells
  // may hold next to nothing (a top bin stretched over them moves the mean): trim them while the
  // noisy sum of the trimmed sub-cells stays within what noise alone reaches (post-processing).
  const double p = 1e-3 / (2 * kOctaves + 1);
  auto trim = [&](int from, int step, int stop) {
    double total = 0;
    int cells = 0;
    for (int c = from; c != stop && group(c, level) == group(from, level); c += step) {
      total += h.counts[c];
      if (total >= noise_bound(++cells, p)) return c;
    }
    return from;
  };
  first = trim(first, 1, last);
  last = trim(last, -1, first);
  return {log_cell_range(first).low, log_cell_range(last).high};
}

std::vector<double> private_edges(const std::vector<double>& values, const Range& range, int bins,
                                  bool zcdp, double budget, Rng& rng) {
  const EdgeScale scale(range);
  std::vector<int64_t> counts(kEdgeCells, 0);
  for (double v : values) ++counts[scale.cell(std::clamp(v, range.low, range.high))];
  NoisyHistogram h = noisy_histogram(counts, zcdp, budget, rng);
  // Cells under two noise standard deviations count as empty: kept, the positive noise of the
  // ~1000 empty cells would outweigh a small table's rows and spread the edges over the range.
  double total = 0;
  for (double& c : h.counts) total += c = c >= 2 * h.noise_sd ? c : 0.0;
  if (!(total > 0)) return uniform_edges(range, bins);
  std::vector<double> edges{range.low};
  double cum = 0;
  int next = 1;
  for (int c = 0; c < kEdgeCells - 1 && next < bins; ++c) {
    cum += h.counts[c];
    if (cum >= total * next / bins) {
      const double e = scale.upper(c);
      if (e > edges.back() && e < range.high) edges.push_back(e);
      while (next < bins && cum >= total * next / bins) ++next;
    }
  }
  edges.push_back(range.high);
  return edges;
}

std::vector<double> uniform_edges(const Range& range, int bins) {
  std::vector<double> edges(static_cast<size_t>(bins) + 1);
  for (int b = 0; b <= bins; ++b)
    edges[b] = range.low + (range.high - range.low) * static_cast<double>(b) / bins;
  edges.back() = range.high;
  return edges;
}

std::vector<double> integer_edges(const std::vector<double>& edges, const Range& range, int bins) {
  const double lo = std::ceil(range.low), hi = std::floor(range.high);
  if (hi < lo) return {std::round(range.low) - 0.5, std::round(range.low) + 0.5};
  std::vector<double> out;
  if (hi - lo + 1 <= bins) {
    for (double v = lo; v <= hi + 0.5; v += 1) out.push_back(v - 0.5);
    out.push_back(hi + 0.5);
    return out;
  }
  out.push_back(lo - 0.5);
  for (size_t i = 1; i + 1 < edges.size(); ++i) {
    const double e = std::floor(edges[i]) + 0.5;
    if (e > out.back() && e < hi + 0.5) out.push_back(e);
  }
  out.push_back(hi + 0.5);
  return out;
}

}  // namespace calm::privacy
