// Private numeric ranges and bin edges (see dp_ranges.hpp).
#include "privacy/dp_ranges.hpp"

#include <algorithm>
#include <cmath>

#include "privacy/mechanisms.hpp"

namespace calm::privacy {
namespace {

// The octave cells, in the order of the real line: negative octaves from -2^kMaxExp up to
// -2^kMinExp, the zero cell (|x| < 2^kMinExp), positive octaves from 2^kMinExp up to 2^kMaxExp.
constexpr int kMinExp = -20, kMaxExp = 64;
constexpr int kOctaves = kMaxExp - kMinExp;
constexpr int kZero = kOctaves;  // index of the zero cell
constexpr int kCells = 2 * kOctaves + 1;
constexpr int kMinEdgeCells = 16, kMaxEdgeCells = 1024;
constexpr double kLogSpan = 1000;  // log1p edge cells: x - low in units of (high - low) / 1000
constexpr double kPriceSds = 1;    // an octave's price in noise standard deviations

int octave_cell(double x) {
  const double a = std::fabs(x);
  if (a < std::ldexp(1.0, kMinExp)) return kZero;
  const int k = std::clamp(static_cast<int>(std::floor(std::log2(a))), kMinExp, kMaxExp - 1);
  return x > 0 ? kZero + 1 + (k - kMinExp) : kZero - 1 - (k - kMinExp);
}

// [lower, upper] of an octave cell.
Range cell_range(int cell) {
  if (cell == kZero) return {-std::ldexp(1.0, kMinExp), std::ldexp(1.0, kMinExp)};
  const int k = kMinExp + (cell > kZero ? cell - kZero - 1 : kZero - 1 - cell);
  const double lo = std::ldexp(1.0, k), hi = std::ldexp(1.0, k + 1);
  return cell > kZero ? Range{lo, hi} : Range{-hi, -lo};
}

// The cells [first, last] of a sign with the largest sum of `net` (maximum-sum subarray).
struct Window {
  int first = -1, last = -1;
  double score = -INFINITY, mass = 0;
};
Window best_window(const std::vector<double>& net, const std::vector<double>& counts, int from,
                   int to) {
  Window best, run;
  for (int c = from; c < to; ++c) {
    if (run.first < 0 || run.score < 0) run = {c, c, 0, 0};
    run.last = c;
    run.score += net[c];
    run.mass += counts[c];
    if (run.score > best.score) best = run;
  }
  return best;
}

// The edges histogram's scale: on a log1p scale u = log1p((x - low) / c), c = (high - low) /
// kLogSpan, cells are fine near low and at most ~0.7% of the range wide near high (skewed
// non-negative columns get resolution where their mass is); linear otherwise.
struct EdgeScale {
  double low, high, c, umax;
  int cells;
  bool log;
  EdgeScale(const Range& r, int cells_)
      : low(r.low),
        high(r.high),
        cells(cells_),
        log(r.low >= 0 && (r.low == 0 || r.high / r.low > 8)) {
    c = log ? (r.high - r.low) / kLogSpan : r.high - r.low;
    umax = log ? std::log1p(kLogSpan) : 1.0;
  }
  double u(double x) const {
    const double d = std::max(0.0, x - low) / c;
    return log ? std::log1p(d) : d;
  }
  int cell(double x) const {
    return std::clamp(static_cast<int>(u(x) / umax * cells), 0, cells - 1);
  }
  double bound(int i) const {  // lower bound of cell i (i = cells: high)
    if (i <= 0) return low;
    if (i >= cells) return high;
    const double v = umax * static_cast<double>(i) / cells;
    return low + c * (log ? std::expm1(v) : v);
  }
};

// Quantiles of the best window score (net of the price) that pure noise reaches on one sign, in
// noise standard deviations, by simulation: data-independent, so choosing by them is
// post-processing. Computed once per noise law.
struct NoiseBars {
  double likely, rare;  // exceeded with probability 10% / 0.1%
};
NoiseBars noise_bars(bool gaussian) {
  static const auto simulate = [](bool g) {
    constexpr int kDraws = 4000;
    Rng rng(0x5eed, g ? 1 : 2);
    std::vector<double> best(kDraws), counts(kCells), net(kCells);
    for (double& b : best) {
      for (int c = 0; c < kCells; ++c) {
        // Unit-variance Gaussian or Laplace (scale 1 / sqrt 2).
        const double x =
            g ? rng.normal()
              : (std::log(rng.uniform_open()) - std::log(rng.uniform_open())) / std::sqrt(2.0);
        counts[c] = x;
        net[c] = x - kPriceSds;
      }
      b = std::max(best_window(net, counts, 0, kZero).score,
                   best_window(net, counts, kZero + 1, kCells).score);
    }
    std::sort(best.begin(), best.end());
    return NoiseBars{best[kDraws * 9 / 10], best[kDraws - 4]};
  };
  static const NoiseBars gauss = simulate(true), laplace = simulate(false);
  return gaussian ? gauss : laplace;
}

double noise_sd_of(bool zcdp, double budget) {
  return zcdp ? std::sqrt(gaussian_sigma2(budget, 1.0)) : std::sqrt(2.0) / budget;
}

}  // namespace

NoisyHistogram noisy_histogram(const std::vector<int64_t>& counts, bool zcdp, double budget,
                               Rng& rng) {
  NoisyHistogram h;
  h.counts =
      zcdp ? gaussian_counts(counts, budget, 1.0, rng) : laplace_counts(counts, budget, 1.0, rng);
  h.noise_sd = noise_sd_of(zcdp, budget);
  h.gaussian = zcdp;
  return h;
}

double NoisyHistogram::tail(double p) const {
  const double log_inverse = std::log(1 / p);
  return gaussian ? noise_sd * std::sqrt(2 * log_inverse) : noise_sd / std::sqrt(2.0) * log_inverse;
}

Range private_range(const std::vector<double>& values, bool zcdp, double budget, Rng& rng) {
  std::vector<int64_t> counts(kCells, 0);
  for (double v : values) ++counts[octave_cell(v)];
  const NoisyHistogram h = noisy_histogram(counts, zcdp, budget, rng);
  struct Sides {
    Window negative, zero, positive;
    const Window* strongest() const {
      const Window* s = &negative;
      if (zero.score > s->score) s = &zero;
      if (positive.score > s->score) s = &positive;
      return s;
    }
  };
  std::vector<double> net(kCells);
  auto windows = [&](double price) {
    for (int c = 0; c < kCells; ++c) net[c] = h.counts[c] - price;
    return Sides{best_window(net, h.counts, 0, kZero),
                 {kZero, kZero, net[kZero], h.counts[kZero]},
                 best_window(net, h.counts, kZero + 1, kCells)};
  };
  // The bars a window's score must clear: what the best window of pure noise reaches with
  // probability 10% (the strongest window: the data is somewhere), or 0.1% (the others).
  const NoiseBars bars = noise_bars(h.gaussian);
  const double likely = bars.likely * h.noise_sd, rare = bars.rare * h.noise_sd;
  const Sides first = windows(kPriceSds * h.noise_sd);
  if (!(first.strongest()->score >= likely)) return {0, 0, false, 0};
  // With little noise for the mass found, one noise standard deviation would let a stray count
  // of two add an octave: the price rises to 2% of that mass, up to what noise reaches in any
  // cell with probability 0.1% (a real octave short of that is too thin to matter).
  const double price = std::min(h.tail(1e-3 / kCells),
                                std::max(kPriceSds * h.noise_sd, 0.02 * first.strongest()->mass));
  const Sides found = windows(price);
  const Window &negative = found.negative, &zero = found.zero, &positive = found.positive;
  const Window* sides[] = {&negative, &zero, &positive};
  const Window* strongest = found.strongest();
  Range r{
      cell_range(strongest->first).low,  cell_range(strongest->last).high, true, strongest->mass,
      cell_range(strongest->first).high, cell_range(strongest->last).low};
  for (const Window* w : sides) {
    if (w == strongest || !(w->score >= rare)) continue;
    if (cell_range(w->first).low < r.low)
      r.low = cell_range(w->first).low, r.inner_low = cell_range(w->first).high;
    if (cell_range(w->last).high > r.high)
      r.high = cell_range(w->last).high, r.inner_high = cell_range(w->last).low;
    r.mass += w->mass;
  }
  // Zero cell below the 0.1% bar next to a window of many octaves (counts, amounts: 0 is part of
  // their natural domain): taken once it pays its price; the edges histogram trims it if empty.
  auto wide = [](const Window& w) { return w.last - w.first >= 3; };
  if (zero.score > 0) {
    if (strongest == &positive && wide(positive) && r.low > 0) r.inner_low = r.low, r.low = 0;
    if (strongest == &negative && wide(negative) && r.high < 0) r.inner_high = r.high, r.high = 0;
  }
  return r;
}

std::vector<double> private_edges(const std::vector<double>& values, const Range& range, int bins,
                                  bool zcdp, double budget, Rng& rng) {
  // As many cells as the noisy mass fills with four noise standard deviations each.
  const double sd = noise_sd_of(zcdp, budget);
  int cells = kMinEdgeCells;
  while (cells < kMaxEdgeCells && range.mass / (2.0 * cells) >= 4 * sd) cells *= 2;
  const EdgeScale scale(range, cells);
  std::vector<int64_t> counts(cells, 0);
  for (double v : values) ++counts[scale.cell(std::clamp(v, range.low, range.high))];
  NoisyHistogram h = noisy_histogram(counts, zcdp, budget, rng);
  // The range ends where the noisy mass summed from each side first stands two standard
  // deviations out of the noise (m cells' noise sums to sqrt(m) times one cell's): a lenient
  // bar, since clipping a real tail costs more than keeping an empty stretch, and trimming stops
  // anyway at the inner bound of the range's outermost octave, which held enough mass to pay its
  // price.
  const std::vector<double> raw = h.counts;
  // Cells under two noise standard deviations count as empty: kept, the positive noise of the
  // empty cells would outweigh a small table's rows and spread the edges over the range.
  double total = 0;
  for (double& x : h.counts) total += x = x >= 2 * h.noise_sd ? x : 0.0;
  if (!(total > 0)) return uniform_edges(range, bins);
  auto outermost = [&](int from, int step) {
    double cum = 0;
    for (int c = from, m = 1;; c += step, ++m) {
      const bool inner =
          step > 0 ? scale.bound(c + 1) >= range.inner_low : scale.bound(c) <= range.inner_high;
      if ((cum += raw[c]) >= 2 * h.noise_sd * std::sqrt(m) || inner || c + step < 0 ||
          c + step >= cells)
        return c;
    }
  };
  const int first = outermost(0, 1), last = std::max(first, outermost(cells - 1, -1));
  std::vector<double> edges{scale.bound(first)};
  const double high = scale.bound(last + 1);
  double cum = 0;
  int next = 1;
  for (int c = first; c < last && next < bins; ++c) {
    cum += h.counts[c];
    if (cum >= total * next / bins) {
      const double e = scale.bound(c + 1);
      if (e > edges.back() && e < high) edges.push_back(e);
      while (next < bins && cum >= total * next / bins) ++next;
    }
  }
  edges.push_back(high);
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
