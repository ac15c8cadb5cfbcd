// MWEM: Hardt, Ligett & McSherry, "A Simple and Practical Algorithm for Differentially Private
// Data Release", NeurIPS 2012, run cube by cube as smartnoise-synth's MWEMSynthesizer does for
// many columns (opendp/smartnoise-sdk, synth/snsynth/mwem.py).
//
// Privacy accounting: pure epsilon-DP (delta = 0) for neighbouring tables that differ by one row
// added or removed, by sequential composition of the steps below (every cube reads every row,
// so parallel composition does NOT apply across cubes: the budget is divided among them). The
// domain sizes are public (the DP domain step releases them and accounts for its own budget).
//   1. eps_n = total_share * eps: the row count N with discrete Laplace noise (sensitivity 1);
//      n_hat = max(1, noisy N) is the total every histogram is kept at. The exact N is never
//      used as a public number (only inside the mechanisms, as scores and counts).
//   2. eps_k = select_share * eps, only when keep_together is given and the attributes do not
//      all fit in its cube: its cube mates are picked one by one with the exponential mechanism,
//      eps_k / min(split_factor - 1, d - 1) each, a pick among a single candidate being free.
//      Score of attribute a: sum over cells of |N(t, a) - N(t) N(a) / N| (the L1 distance of the
//      2-way counts from independence), sensitivity < 4: one row moves the counts by 1 in L1 and
//      the independence table r s^T / N by (3N + 1) / (N + 1) < 3.
//   3. The rest, eps - eps_n - eps_k, split equally among the C cubes: eps_c each. A cube runs
//      T_c = min(iterations, workload size) rounds; each round measures the chosen query with
//      discrete Laplace noise at eps_m (L1 sensitivity 1: a marginal's cells are disjoint, a box
//      is one count), and every round that has a choice (all but a last round left with one
//      unmeasured query) picks it with the exponential mechanism at eps_s (score: the query's
//      L1 error, sensitivity 1; minus a public constant). eps_s = eps_m = eps_c / (rounds with a
//      choice + T_c), MWEM's even split of each round between selection and measurement.
//   Total: eps_n + eps_k + C * eps_c = eps. The cube partition depends only on public sizes and
//   step 2's output, the random boxes on fresh randomness, the multiplicative-weights updates
//   and sampling only on released measurements: post-processing.
//
// Departures from smartnoise, all DP-neutral:
//   - the workload is every marginal of 1 .. marginal_width of the cube's attributes, each one
//     query measured as a whole vector (smartnoise's cuboids), plus `queries` random boxes; a
//     query is measured at most once (smartnoise retries the exponential mechanism when it picks
//     a measured one, which is not an exponential mechanism any more; here the measured ones are
//     simply left out of the candidates);
//   - the score subtracts the expected L1 noise of measuring the query (scale * cells), as AIM
//     does (McKenna, Mullins, Sheldon & Miklau, VLDB 2022), so that a large marginal whose
//     measurement would be mostly noise is not picked only for its size (smartnoise divides the
//     error by the cell count instead, which under-rates large marginals that are badly off);
//   - after the last round the multiplicative-weights passes go on (final_passes) until the
//     answers stop moving or sit within the expected noise of the measurements: with MWEM's
//     step of 1 / (2 n) and 20 passes a round, small cells are still far from their measured
//     values (on the tests' table, 2-way TVD 0.036 -> 0.001 at a large epsilon);
//   - the total is the noisy count (step 1) instead of the exact row count, the iteration count
//     does not depend on the exact count either, and a round without a choice spends nothing on
//     selection;
//   - keep_together's cube is chosen under DP (step 2) instead of by column order.
#include "models/dp/mwem.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numeric>
#include <sstream>

#include "calm/core/error.hpp"
#include "core/parallel.hpp"
#include "privacy/mechanisms.hpp"

namespace calm {
namespace {

// Multiplicative-weights exponents are clipped to this: a measurement noisier than the total
// (small epsilon, few rows) must not overflow a cell; harmless otherwise (|error| / 2n <= 1/2
// for exact answers).
constexpr double kMaxExponent = 30;
// Cells never drop below this, so that repeated shrinking cannot reach denormals (slow) or zero
// (a slice with no mass could not be sampled from).
constexpr double kFloor = 1e-250;

struct CubeShape {
  std::vector<size_t> sizes;    // of the cube's attributes, in cube order
  std::vector<size_t> strides;  // row-major: the first attribute varies slowest
  size_t cells = 1;
};

CubeShape make_shape(const std::vector<int>& sizes, const std::vector<int>& attrs) {
  CubeShape s;
  s.sizes.resize(attrs.size());
  s.strides.resize(attrs.size());
  for (size_t k = attrs.size(); k-- > 0;) {
    s.sizes[k] = static_cast<size_t>(sizes[attrs[k]]);
    s.strides[k] = s.cells;
    s.cells *= s.sizes[k];
  }
  return s;
}

// One linear query of a cube's workload: a marginal (a vector of disjoint cell counts) or a box
// (one count).
struct Query {
  bool box = false;
  std::vector<size_t> positions;  // marginal: cube positions, ascending
  std::vector<size_t> qstride;    // marginal: per cube position, 0 when not in the marginal
  size_t cells = 1;               // marginal's cells; 1 for a box
  std::vector<size_t> lo, hi;     // box: [lo, hi) per cube position
};

Query make_marginal(const CubeShape& shape, const std::vector<size_t>& positions) {
  Query q;
  q.positions = positions;
  q.qstride.assign(shape.sizes.size(), 0);
  for (size_t i = positions.size(); i-- > 0;) {
    q.qstride[positions[i]] = q.cells;
    q.cells *= shape.sizes[positions[i]];
  }
  return q;
}

// fn(x, len, m) for every block [x, x + len) of consecutive cells of the cube that fall into
// the same cell m of marginal q: the attributes after q's last one vary fastest, so they span
// one block (len = that attribute's stride); an odometer carries the attributes before it.
template <typename Fn>
void for_each_block(const CubeShape& shape, const Query& q, Fn&& fn) {
  const size_t p = q.positions.back();
  const size_t len = shape.strides[p], inner = shape.sizes[p];
  std::vector<size_t> idx(p, 0);
  size_t m0 = 0;
  for (size_t x = 0; x < shape.cells; x += inner * len) {
    for (size_t j = 0; j < inner; ++j) fn(x + j * len, len, m0 + j);
    size_t k = p;
    while (k-- > 0) {
      m0 += q.qstride[k];
      if (++idx[k] < shape.sizes[k]) break;
      m0 -= q.qstride[k] * shape.sizes[k];
      idx[k] = 0;
    }
  }
}

// fn(x) for every cell x inside a box.
template <typename Fn>
void for_each_box_cell(const CubeShape& shape, const Query& q, Fn&& fn) {
  const size_t d = shape.sizes.size();
  std::vector<size_t> idx(q.lo.begin(), q.lo.end());
  size_t x = 0;
  for (size_t k = 0; k < d; ++k) x += q.lo[k] * shape.strides[k];
  const size_t a = q.lo[d - 1], b = q.hi[d - 1];
  const size_t row0 = x - a;  // cell of the current row's code 0 in the last attribute
  size_t row = row0;
  while (true) {
    for (size_t j = a; j < b; ++j) fn(row + j);
    size_t k = d - 1;
    while (k-- > 0) {
      row += shape.strides[k];
      if (++idx[k] < q.hi[k]) break;
      row -= shape.strides[k] * (q.hi[k] - q.lo[k]);
      idx[k] = q.lo[k];
    }
    if (k == static_cast<size_t>(-1)) return;  // every attribute wrapped: done
  }
}

// The query's answer on a histogram over the cube (counts or the model's weights).
template <typename T>
std::vector<double> answer(const CubeShape& shape, const Query& q, const std::vector<T>& h) {
  if (q.box) {
    double s = 0;
    for_each_box_cell(shape, q, [&](size_t x) { s += static_cast<double>(h[x]); });
    return {s};
  }
  std::vector<double> out(q.cells, 0.0);
  for_each_block(shape, q, [&](size_t x, size_t len, size_t m) {
    double t = 0;
    for (size_t i = 0; i < len; ++i) t += static_cast<double>(h[x + i]);
    out[m] += t;
  });
  return out;
}

// One multiplicative-weights step (MWEM's update rule): A(x) *= exp(q(x) (m - q(A)) / (2 n)),
// then A rescaled to total n. For a marginal every cell is its own 0/1 query; their supports are
// disjoint, so the cells are updated at once with the same result as one after another.
struct Step {
  double moved = 0;     // largest change of one of the query's cells
  double residual = 0;  // L1 distance of the query's answer from the measurement, before
};

Step mw_update(const CubeShape& shape, const Query& q, const std::vector<double>& measured,
               double total, std::vector<double>& a) {
  const std::vector<double> now = answer(shape, q, a);
  std::vector<double> factor(now.size());
  double after = 0;  // the total once the factors are applied
  double inside = 0;
  Step step;
  for (size_t m = 0; m < now.size(); ++m) {
    step.residual += std::abs(measured[m] - now[m]);
    const double e = std::clamp((measured[m] - now[m]) / (2 * total), -kMaxExponent, kMaxExponent);
    factor[m] = std::exp(e);
    after += now[m] * factor[m];
    inside += now[m];
  }
  if (q.box) {
    after += total - inside;  // the cells outside the box keep their weight
    const double scale = total / after;
    const double f = factor[0] * scale;
    for (auto& v : a) v *= scale;
    for_each_box_cell(shape, q, [&](size_t x) { a[x] = std::max(a[x] / scale * f, kFloor); });
    step.moved = std::abs(inside * (f - 1));
    return step;
  }
  const double scale = total / after;
  for (size_t m = 0; m < now.size(); ++m) {
    factor[m] *= scale;
    step.moved = std::max(step.moved, std::abs(now[m] * (factor[m] - 1)));
  }
  for_each_block(shape, q, [&](size_t x, size_t len, size_t m) {
    const double f = factor[m];
    for (size_t i = x; i < x + len; ++i) a[i] = std::max(a[i] * f, kFloor);
  });
  return step;
}

double l1_error(const std::vector<double>& x, const std::vector<double>& y) {
  double s = 0;
  for (size_t i = 0; i < x.size(); ++i) s += std::abs(x[i] - y[i]);
  return s;
}

std::string join_ints(const std::vector<int>& v) {
  std::ostringstream s;
  for (size_t i = 0; i < v.size(); ++i) s << (i ? "," : "") << v[i];
  return s.str();
}

void check_options(const CodedTable& data, const MwemOptions& o) {
  auto bad = [](const std::string& m) { throw InvalidArgument(m); };
  if (!(o.epsilon > 0) || !std::isfinite(o.epsilon))
    bad("mwem: epsilon must be a finite number > 0, got " + std::to_string(o.epsilon));
  if (o.iterations < 1) bad("mwem: iterations must be >= 1, got " + std::to_string(o.iterations));
  if (o.queries < 0) bad("mwem: queries must be >= 0, got " + std::to_string(o.queries));
  if (o.marginal_width < 1)
    bad("mwem: marginal_width must be >= 1, got " + std::to_string(o.marginal_width));
  if (o.mult_weights_iterations < 1)
    bad("mwem: mult_weights_iterations must be >= 1, got " +
        std::to_string(o.mult_weights_iterations));
  if (o.split_factor < 1)
    bad("mwem: split_factor must be >= 1, got " + std::to_string(o.split_factor));
  if (o.max_cells < 1) bad("mwem: max_cells must be >= 1, got 0");
  if (!(o.total_share > 0 && o.total_share < 1))
    bad("mwem: total_share must be in (0, 1), got " + std::to_string(o.total_share));
  if (!(o.select_share >= 0 && o.select_share < 1 - o.total_share))
    bad("mwem: select_share must be in [0, 1 - total_share), got " +
        std::to_string(o.select_share));
  const size_t d = data.attributes();
  if (d == 0 || data.codes.size() != d)
    bad("mwem: the coded table (data) must have >= 1 attribute and one code column per size; got " +
        std::to_string(d) + " sizes and " + std::to_string(data.codes.size()) + " columns");
  if (data.rows() == 0) bad("mwem: the coded table (data) must have >= 1 row, got 0");
  if (o.keep_together < -1 || o.keep_together >= static_cast<int>(d))
    bad("mwem: keep_together must be -1 or an attribute in [0, " + std::to_string(d) + "), got " +
        std::to_string(o.keep_together));
  if (o.threads < 0) bad("mwem: threads must be >= 0, got " + std::to_string(o.threads));
  for (size_t a = 0; a < d; ++a) {
    if (data.sizes[a] < 1)
      bad("mwem: data.sizes[" + std::to_string(a) + "] must be >= 1, got " +
          std::to_string(data.sizes[a]));
    if (data.codes[a].size() != data.rows())
      bad("mwem: data.codes[" + std::to_string(a) + "] has " +
          std::to_string(data.codes[a].size()) + " rows, attribute 0 has " +
          std::to_string(data.rows()));
    for (int32_t c : data.codes[a])
      if (c < 0 || c >= data.sizes[a])
        bad("mwem: data.codes[" + std::to_string(a) + "] holds " + std::to_string(c) +
            ", outside [0, " + std::to_string(data.sizes[a]) + ")");
  }
}

// Score of step 2: L1 distance of the (t, a) counts from the independence table.
double dependence(const CodedTable& data, int t, int a) {
  const std::vector<int64_t> c = count_marginal(data, {t, a});
  const size_t st = static_cast<size_t>(data.sizes[t]), sa = static_cast<size_t>(data.sizes[a]);
  std::vector<double> r(st, 0.0), s(sa, 0.0);
  for (size_t i = 0; i < st; ++i)
    for (size_t j = 0; j < sa; ++j) {
      r[i] += static_cast<double>(c[i * sa + j]);
      s[j] += static_cast<double>(c[i * sa + j]);
    }
  const double n = static_cast<double>(data.rows());
  double f = 0;
  for (size_t i = 0; i < st; ++i)
    for (size_t j = 0; j < sa; ++j)
      f += std::abs(static_cast<double>(c[i * sa + j]) - r[i] * s[j] / n);
  return f;
}

struct CubeFit {
  std::vector<double> hist;
  double epsilon = 0;
  size_t rounds = 0, workload = 0;
};

// MWEM on one cube at budget eps_c.
CubeFit fit_cube(const CodedTable& data, const std::vector<int>& attrs, double total, double eps_c,
                 const MwemOptions& o, Rng& rng) {
  const CubeShape shape = make_shape(data.sizes, attrs);
  const size_t d = attrs.size();

  // Workload: every marginal of 1 .. width attributes (subsets in increasing size, then
  // lexicographic), then the random boxes.
  std::vector<Query> work;
  const size_t width = std::min(d, static_cast<size_t>(o.marginal_width));
  for (size_t mask = 1; mask < (size_t{1} << d); ++mask) {
    if (static_cast<size_t>(__builtin_popcountll(mask)) > width) continue;
    std::vector<size_t> pos;
    for (size_t k = 0; k < d; ++k)
      if (mask >> k & 1) pos.push_back(k);
    work.push_back(make_marginal(shape, pos));
  }
  std::stable_sort(work.begin(), work.end(), [](const Query& x, const Query& y) {
    return x.positions.size() < y.positions.size();
  });
  for (int i = 0; i < o.queries; ++i) {
    Query q;
    q.box = true;
    for (size_t k = 0; k < d; ++k) {
      const size_t u = rng.below(shape.sizes[k]), v = rng.below(shape.sizes[k]);
      q.lo.push_back(std::min(u, v));
      q.hi.push_back(std::max(u, v) + 1);
    }
    work.push_back(std::move(q));
  }

  const size_t rounds = std::min(work.size(), static_cast<size_t>(o.iterations));
  const size_t choosing = rounds == work.size() ? rounds - 1 : rounds;
  const double eps_step = eps_c / static_cast<double>(choosing + rounds);
  const double scale = 1.0 / eps_step;  // Laplace scale of a measurement (sensitivity 1)

  std::vector<int64_t> h = count_marginal(data, attrs);
  std::vector<std::vector<double>> truth(work.size());
  for (size_t i = 0; i < work.size(); ++i) truth[i] = answer(shape, work[i], h);

  std::vector<double> a(shape.cells, total / static_cast<double>(shape.cells));
  std::vector<size_t> measured;
  std::vector<std::vector<double>> values;
  std::vector<char> done(work.size(), 0);
  for (size_t r = 0; r < rounds; ++r) {
    std::vector<size_t> cand;
    for (size_t i = 0; i < work.size(); ++i)
      if (!done[i]) cand.push_back(i);
    size_t pick = cand.front();
    if (cand.size() > 1) {
      std::vector<double> score(cand.size());
      for (size_t j = 0; j < cand.size(); ++j) {
        const Query& q = work[cand[j]];
        score[j] =
            l1_error(answer(shape, q, a), truth[cand[j]]) - scale * static_cast<double>(q.cells);
      }
      pick = cand[privacy::exponential_mechanism(score, eps_step, 1.0, rng)];
    }
    std::vector<int64_t> exact(truth[pick].size());
    for (size_t m = 0; m < exact.size(); ++m) exact[m] = std::llround(truth[pick][m]);
    values.push_back(privacy::laplace_counts(exact, eps_step, 1.0, rng));
    measured.push_back(pick);
    done[pick] = 1;
    for (int pass = 0; pass < o.mult_weights_iterations; ++pass)
      for (size_t i = 0; i < measured.size(); ++i)
        mw_update(shape, work[measured[i]], values[i], total, a);
  }
  // MWEM's repeated updates, run on towards convergence once every measurement is in. They stop
  // early when nothing moves any more, or when the answers are as close to the measurements as
  // the noise itself is expected to be (L1: scale per cell), since fitting closer only fits the
  // noise (the discrepancy principle).
  for (int pass = 0; pass < o.final_passes; ++pass) {
    double moved = 0;
    bool within_noise = true;
    for (size_t i = 0; i < measured.size(); ++i) {
      const Step st = mw_update(shape, work[measured[i]], values[i], total, a);
      moved = std::max(moved, st.moved);
      within_noise &= st.residual <= scale * static_cast<double>(work[measured[i]].cells);
    }
    if (moved < o.converge_tolerance * total || within_noise) break;
  }
  CubeFit out;
  out.hist = std::move(a);
  out.epsilon = eps_c;
  out.rounds = rounds;
  out.workload = work.size();
  return out;
}

}  // namespace

void Mwem::fit(const CodedTable& data, const MwemOptions& o, Rng& rng) {
  check_options(data, o);
  const int d = static_cast<int>(data.attributes());
  sizes_ = data.sizes;
  cubes_.clear();
  hist_.clear();

  // 1. The total.
  const double eps_n = o.total_share * o.epsilon;
  const int64_t n = static_cast<int64_t>(data.rows());
  total_ = std::max(1.0, privacy::laplace_counts({n}, eps_n, 1.0, rng)[0]);
  double spent = eps_n;

  // 2. keep_together's cube.
  // Whether a cube of `cells` cells still has room for attribute a (no overflow: cells <= max).
  const auto fits = [&](size_t cells, int a) {
    return static_cast<size_t>(data.sizes[a]) <= o.max_cells / cells;
  };
  std::vector<char> placed(static_cast<size_t>(d), 0);
  double eps_k = 0;
  if (o.keep_together >= 0) {
    const int t = o.keep_together;
    std::vector<int> cube = {t};
    placed[t] = 1;
    size_t all_cells = 1;
    bool all_fit = d <= o.split_factor;
    for (int a = 0; a < d && all_fit; ++a) {
      all_fit = fits(all_cells, a);
      all_cells *= static_cast<size_t>(data.sizes[a]);
    }
    // With room for everything there is nothing to choose (and nothing to spend).
    const size_t picks = all_fit ? 0 : static_cast<size_t>(std::min(o.split_factor - 1, d - 1));
    if (all_fit)
      for (int a = 0; a < d; ++a)
        if (a != t) cube.push_back(a), placed[a] = 1;
    if (picks > 0) eps_k = o.select_share * o.epsilon;
    size_t cells = static_cast<size_t>(data.sizes[t]);
    for (size_t p = 0; p < picks; ++p) {
      std::vector<int> cand;
      for (int a = 0; a < d; ++a)
        if (!placed[a] && fits(cells, a)) cand.push_back(a);
      if (cand.empty()) break;
      int pick = cand.front();
      if (cand.size() > 1) {
        std::vector<double> score(cand.size());
        for (size_t j = 0; j < cand.size(); ++j) score[j] = dependence(data, t, cand[j]);
        const double eps_pick = eps_k / static_cast<double>(picks);
        pick = cand[privacy::exponential_mechanism(score, eps_pick, 4.0, rng)];
        spent += eps_pick;
      }
      cube.push_back(pick);
      placed[pick] = 1;
      cells *= static_cast<size_t>(data.sizes[pick]);
    }
    cubes_.push_back(cube);
  }

  // The remaining attributes, consecutive ones packed while they fit.
  std::vector<int> cube;
  size_t cells = 1;
  for (int a = 0; a < d; ++a) {
    if (placed[a]) continue;
    if (!cube.empty() && (static_cast<int>(cube.size()) >= o.split_factor || !fits(cells, a))) {
      cubes_.push_back(cube);
      cube.clear();
      cells = 1;
    }
    cube.push_back(a);
    cells *= static_cast<size_t>(data.sizes[a]);
  }
  if (!cube.empty()) cubes_.push_back(cube);

  // 3. MWEM on each cube, each from its own stream so that the thread count does not matter.
  const double eps_c = (o.epsilon - eps_n - eps_k) / static_cast<double>(cubes_.size());
  const uint64_t seed = rng.next_u64();
  std::vector<CubeFit> fitted(cubes_.size());
  std::mutex progress_mutex;
  parallel_tasks(cubes_.size(), o.threads, [&](size_t c) {
    Rng cube_rng(seed, stream_id(StreamPurpose::fit, c));
    fitted[c] = fit_cube(data, cubes_[c], total_, eps_c, o, cube_rng);
    if (o.progress) {
      std::ostringstream line;
      line << "mwem: cube " << c + 1 << "/" << cubes_.size() << " [" << join_ints(cubes_[c])
           << "], " << fitted[c].hist.size() << " cells, " << fitted[c].rounds << " of "
           << fitted[c].workload << " queries measured, epsilon " << eps_c;
      std::lock_guard<std::mutex> lock(progress_mutex);
      o.progress(line.str());
    }
  });
  for (auto& f : fitted) {
    hist_.push_back(std::move(f.hist));
    spent += f.epsilon;
  }
  epsilon_spent_ = spent;
}

std::vector<std::vector<int32_t>> Mwem::sample(size_t n, uint64_t seed, int threads, int fixed_attr,
                                               const std::vector<int32_t>* fixed_values) const {
  const int d = static_cast<int>(sizes_.size());
  if (cubes_.empty()) throw InvalidArgument("mwem: sample() before fit() or load()");
  if (fixed_attr < -1 || fixed_attr >= d)
    throw InvalidArgument("mwem: fixed_attr must be -1 or an attribute in [0, " +
                          std::to_string(d) + "), got " + std::to_string(fixed_attr));
  if (fixed_attr >= 0) {
    if (!fixed_values || fixed_values->size() != n)
      throw InvalidArgument("mwem: fixed_values must hold n = " + std::to_string(n) +
                            " codes with fixed_attr, got " +
                            (fixed_values ? std::to_string(fixed_values->size()) : "none"));
    for (int32_t v : *fixed_values)
      if (v < 0 || v >= sizes_[fixed_attr])
        throw InvalidArgument("mwem: fixed_values holds " + std::to_string(v) + ", outside [0, " +
                              std::to_string(sizes_[fixed_attr]) + ")");
  }

  // Cumulative weights of every cube; for the cube of fixed_attr, one per value of it over the
  // cells holding that value (its slice).
  const size_t nc = cubes_.size();
  std::vector<CubeShape> shapes(nc);
  std::vector<std::vector<double>> cum(nc);
  size_t fixed_cube = nc, fixed_stride = 1, fixed_size = 1, slice = 0;
  std::vector<std::vector<double>> slice_cum;
  for (size_t c = 0; c < nc; ++c) {
    shapes[c] = make_shape(sizes_, cubes_[c]);
    for (size_t k = 0; k < cubes_[c].size(); ++k)
      if (cubes_[c][k] == fixed_attr) {
        fixed_cube = c;
        fixed_stride = shapes[c].strides[k];
        fixed_size = shapes[c].sizes[k];
      }
    if (c == fixed_cube) {
      slice = shapes[c].cells / fixed_size;
      slice_cum.assign(fixed_size, std::vector<double>(slice));
      for (size_t v = 0; v < fixed_size; ++v) {
        double s = 0;
        for (size_t j = 0; j < slice; ++j) {
          const size_t x =
              (j / fixed_stride) * fixed_size * fixed_stride + v * fixed_stride + j % fixed_stride;
          s += hist_[c][x];
          slice_cum[v][j] = s;
        }
      }
    } else {
      cum[c].resize(hist_[c].size());
      std::partial_sum(hist_[c].begin(), hist_[c].end(), cum[c].begin());
    }
  }

  std::vector<std::vector<int32_t>> out(static_cast<size_t>(d), std::vector<int32_t>(n));
  const size_t chunks = (n + kSampleChunk - 1) / kSampleChunk;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads > 0 ? threads : 1)
  for (size_t ch = 0; ch < chunks; ++ch) {
    Rng rng(seed, stream_id(StreamPurpose::sample, ch));
    const size_t end = std::min(n, (ch + 1) * kSampleChunk);
    for (size_t i = ch * kSampleChunk; i < end; ++i)
      for (size_t c = 0; c < nc; ++c) {
        size_t x;
        if (c == fixed_cube) {
          const size_t v = static_cast<size_t>((*fixed_values)[i]);
          const size_t j = rng.categorical(slice_cum[v].data(), slice);
          x = (j / fixed_stride) * fixed_size * fixed_stride + v * fixed_stride + j % fixed_stride;
        } else {
          x = rng.categorical(cum[c].data(), cum[c].size());
        }
        const CubeShape& s = shapes[c];
        for (size_t k = 0; k < cubes_[c].size(); ++k)
          out[cubes_[c][k]][i] = static_cast<int32_t>(x / s.strides[k] % s.sizes[k]);
      }
  }
  return out;
}

void Mwem::save(ArchiveWriter& out) const {
  out.tag("mwem");
  std::vector<int32_t> sizes(sizes_.begin(), sizes_.end());
  out.i32s(sizes);
  out.f64(total_);
  out.f64(epsilon_spent_);
  out.u64(cubes_.size());
  for (size_t c = 0; c < cubes_.size(); ++c) {
    out.i32s(std::vector<int32_t>(cubes_[c].begin(), cubes_[c].end()));
    out.f64s(hist_[c]);
  }
  out.tag("mwem_end");
}

void Mwem::load(ArchiveReader& in) {
  in.tag("mwem");
  const std::vector<int32_t> sizes = in.i32s();
  const double total = in.f64();
  const double spent = in.f64();
  const size_t nc = static_cast<size_t>(in.u64());
  if (nc == 0 || nc > sizes.size()) throw DataError("mwem archive: a cube count out of range");
  std::vector<std::vector<int>> cubes(nc);
  std::vector<std::vector<double>> hist(nc);
  std::vector<char> seen(sizes.size(), 0);
  auto corrupt = [](const std::string& why) { throw DataError("mwem archive: " + why); };
  for (int32_t s : sizes)
    if (s < 1) corrupt("an attribute size < 1");
  for (size_t c = 0; c < nc; ++c) {
    const std::vector<int32_t> attrs = in.i32s();
    if (attrs.empty()) corrupt("an empty cube");
    size_t cells = 1;
    for (int32_t a : attrs) {
      if (a < 0 || static_cast<size_t>(a) >= sizes.size() || seen[a])
        corrupt("a cube attribute out of range or repeated");
      seen[a] = 1;
      cells *= static_cast<size_t>(sizes[a]);
    }
    cubes[c].assign(attrs.begin(), attrs.end());
    hist[c] = in.f64s();
    if (hist[c].size() != cells) corrupt("a histogram of the wrong size");
    double s = 0;
    for (double v : hist[c]) {
      if (!(v > 0) || !std::isfinite(v)) corrupt("a histogram cell not finite and > 0");
      s += v;
    }
    if (!std::isfinite(s)) corrupt("a histogram of infinite mass");
  }
  for (char k : seen)
    if (!k) corrupt("an attribute in no cube");
  in.tag("mwem_end");
  sizes_.assign(sizes.begin(), sizes.end());
  cubes_ = std::move(cubes);
  hist_ = std::move(hist);
  total_ = total;
  epsilon_spent_ = spent;
}

}  // namespace calm
