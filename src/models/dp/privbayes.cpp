// PrivBayes: a greedy Bayesian network chosen with the exponential mechanism, noisy conditional
// distributions, ancestral sampling.
//
// Privacy accounting. Pure epsilon-DP, neighbouring tables differ by one row added or removed (the
// relation of src/privacy/mechanisms.hpp); the row count is private, the domain sizes are public
// (the DP domain step released them). With eps = options.epsilon:
//  - rows, only with options.usefulness > 0 (and a network to learn): eps_rows = rows_share eps
//    for one discrete Laplace count of the rows (sensitivity 1, scale 1 / eps_rows), used only to
//    cap the cells of the candidates (theta-usefulness). Otherwise eps_rows = 0.
//  - structure: eps_s = structure_share (eps - eps_rows), spent in d - 1 exponential-mechanism
//    selections of eps_s / (d - 1) each (sequential composition). Each ranks candidate pairs
//    (X, Pi) by s = n I(X; Pi) / g(n), g(n) = (n+1) ln(n+1) - n ln n, whose add/remove
//    sensitivity is at most 1 for every n (proof in mutual_information.cpp); the mechanism is
//    given 1 + 1e-6 (the margin covers the scores' rounding, < 1e-7 for up to 10^8 rows). This
//    replaces Zhang et al.'s Lemma 4.1 / DataSynthesizer's calculate_sensitivity: their bounds
//    are for a replaced row with n public, and depend on n, so they cannot be used as constants
//    when n is private. In the exponent, s / 1 = I / (g(n) / n): I with "sensitivity"
//    g(n) / n ~ (ln n + 1) / n, Lemma 4.1's binary-case value at n + 1 rows up to (n + 1) / n.
//    The candidate sets depend only on the network chosen so far, the public sizes, the caps and
//    fresh randomness. With degree 0 or a single attribute there is nothing to learn: the order
//    is drawn at random, eps_s = 0 and everything goes to the conditionals.
//  - conditionals: eps_c = eps - eps_rows - eps_s over T count tables: the families
//    {X} + parents(X) that lie in no other family (DataSynthesizer's case: one (k+1)-way table for
//    the first k + 1 attributes and one table per later attribute, T = d - k). A row adds 1 to
//    one cell of every table, so each table has L1 sensitivity 1 and gets eps_c / T: discrete
//    Laplace of scale T / eps_c on its counts (DataSynthesizer's (d - k) / eps_c; the paper's
//    Lap(4 (d - k) / (n eps)) on normalised distributions with eps_c = eps / 2 is the same share
//    with the sensitivity 2 / n of a replaced row).
// Clamping, marginalising a table onto a smaller family, normalising and sampling are
// post-processing. Total: eps_rows + eps_s + eps_c = eps.
#include "models/dp/privbayes.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "calm/core/error.hpp"
#include "core/parallel.hpp"
#include "models/dp/mutual_information.hpp"
#include "privacy/mechanisms.hpp"

namespace calm {

namespace {

// The score's sensitivity bound (1) plus a margin for its floating-point error (see above).
constexpr double kScoreSensitivity = 1.0 + 1e-6;
// Candidate spaces up to this many pairs are listed exhaustively (then subsampled uniformly if
// over max_candidates); larger ones are sampled by rejection.
constexpr long double kEnumerateLimit = 200000;
// Rejection sampling gives up after this many draws per wanted candidate (when few subsets fit
// the cell cap) and keeps what it found.
constexpr size_t kRejectionTries = 32;
constexpr size_t kMaxCellsLimit = size_t{1} << 31;  // cell indices are 32-bit

std::string num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

std::string label(const PrivBayesOptions& o, int a) {
  return "'" + (o.names.empty() ? std::to_string(a) : o.names[a]) + "'";
}

void check_input(const CodedTable& data, const PrivBayesOptions& o) {
  if (!std::isfinite(o.epsilon) || o.epsilon <= 0)
    throw InvalidArgument("PrivBayes: epsilon must be a finite number > 0, got " + num(o.epsilon));
  if (!(o.structure_share > 0 && o.structure_share < 1))
    throw InvalidArgument("PrivBayes: structure_share must be in (0, 1), got " +
                          num(o.structure_share));
  if (o.degree < 0)
    throw InvalidArgument("PrivBayes: degree must be an integer >= 0, got " +
                          std::to_string(o.degree));
  if (o.max_cells < 1 || o.max_cells > kMaxCellsLimit)
    throw InvalidArgument("PrivBayes: max_cells must be in [1, 2^31], got " +
                          std::to_string(o.max_cells));
  if (o.max_candidates < 1) throw InvalidArgument("PrivBayes: max_candidates must be >= 1, got 0");
  if (!std::isfinite(o.usefulness) || o.usefulness < 0)
    throw InvalidArgument("PrivBayes: usefulness (theta) must be a finite number >= 0, got " +
                          num(o.usefulness));
  if (o.usefulness > 0 && !(o.rows_share > 0 && o.rows_share < 1))
    throw InvalidArgument("PrivBayes: rows_share must be in (0, 1) when usefulness > 0, got " +
                          num(o.rows_share));
  const size_t d = data.attributes(), n = data.rows();
  if (d == 0 || n == 0)
    throw InvalidArgument("PrivBayes: data must have at least one attribute and one row, got " +
                          std::to_string(d) + " attributes and " + std::to_string(n) + " rows");
  if (n >= (uint64_t{1} << 32) - 1)
    throw InvalidArgument("PrivBayes: data must have fewer than 2^32 - 1 rows, got " +
                          std::to_string(n));
  if (data.codes.size() != d)
    throw InvalidArgument("PrivBayes: data has " + std::to_string(d) + " sizes but " +
                          std::to_string(data.codes.size()) + " code columns");
  for (size_t a = 0; a < d; ++a) {
    const int k = data.sizes[a];
    if (k < 1)
      throw InvalidArgument("PrivBayes: data.sizes[" + std::to_string(a) + "] must be >= 1, got " +
                            std::to_string(k));
    if (data.codes[a].size() != n)
      throw InvalidArgument("PrivBayes: data.codes[" + std::to_string(a) + "] has " +
                            std::to_string(data.codes[a].size()) + " rows, expected " +
                            std::to_string(n));
    for (int32_t c : data.codes[a])
      if (c < 0 || c >= k)
        throw InvalidArgument("PrivBayes: data.codes[" + std::to_string(a) + "] holds " +
                              std::to_string(c) + ", outside [0, " + std::to_string(k) + ")");
  }
  if (o.root < -1 || o.root >= static_cast<int>(d))
    throw InvalidArgument("PrivBayes: root must be -1 (random) or an attribute in [0, " +
                          std::to_string(d) + "), got " + std::to_string(o.root));
  if (!o.names.empty() && o.names.size() != d)
    throw InvalidArgument("PrivBayes: names must be empty or name all " + std::to_string(d) +
                          " attributes, got " + std::to_string(o.names.size()));
}

struct Candidate {
  std::vector<int> parents;  // ascending
  int child = -1;
  bool operator<(const Candidate& o) const {
    return parents != o.parents ? parents < o.parents : child < o.child;
  }
  bool operator==(const Candidate& o) const { return child == o.child && parents == o.parents; }
};

long double binomial(size_t m, size_t r) {
  if (r > m) return 0;
  long double c = 1;
  for (size_t i = 0; i < r; ++i) c = c * static_cast<long double>(m - i) / (i + 1);
  return c;
}

// Calls emit for every r-subset of pool (ascending) with base x product of sizes <= cap, in
// lexicographic order; a prefix already over the cap is not extended (sizes are >= 1).
void for_each_fitting_subset(const std::vector<int>& pool, const std::vector<int>& sizes, size_t r,
                             double base, double cap, std::vector<int>& current, size_t start,
                             const std::function<void(const std::vector<int>&)>& emit) {
  if (current.size() == r) {
    emit(current);
    return;
  }
  for (size_t i = start; i + (r - current.size()) <= pool.size(); ++i) {
    const double b = base * sizes[pool[i]];
    if (b > cap) continue;
    current.push_back(pool[i]);
    for_each_fitting_subset(pool, sizes, r, b, cap, current, i + 1, emit);
    current.pop_back();
  }
}

// The candidates of one step: for each attribute X not yet in the network, parent sets of
// r_X = min(degree, |network|) network attributes (DataSynthesizer's combinations), or fewer
// when no r_X-subset keeps |dom(X)| x |dom(parents)| within `cap`; at most max_candidates of
// them, uniformly at random over the fitting pairs. Uses only public sizes and `rng`.
std::vector<Candidate> step_candidates(const std::vector<int>& network,
                                       const std::vector<int>& rest, const std::vector<int>& sizes,
                                       int degree, double cap, size_t max_candidates, Rng& rng) {
  std::vector<int> pool = network;
  std::sort(pool.begin(), pool.end());
  std::vector<double> smallest;  // sizes of the pool, ascending
  for (int a : pool) smallest.push_back(sizes[a]);
  std::sort(smallest.begin(), smallest.end());

  const size_t r_max = std::min(static_cast<size_t>(degree), pool.size());
  std::vector<size_t> r(rest.size());
  std::vector<long double> space(rest.size());
  long double total = 0;
  for (size_t j = 0; j < rest.size(); ++j) {
    // The r smallest pool sizes give the smallest r-subset table: r fits iff that one does.
    size_t rx = 0;
    double cells = sizes[rest[j]];
    while (rx < r_max && cells * smallest[rx] <= cap) cells *= smallest[rx++];
    r[j] = rx;
    space[j] = binomial(pool.size(), rx);
    total += space[j];
  }

  std::vector<Candidate> out;
  std::vector<int> current;
  if (total <= kEnumerateLimit) {
    for (size_t j = 0; j < rest.size(); ++j)
      for_each_fitting_subset(pool, sizes, r[j], sizes[rest[j]], cap, current, 0,
                              [&](const std::vector<int>& s) {
                                out.push_back({s, rest[j]});
                              });
    if (out.size() > max_candidates) {
      std::vector<size_t> keep(out.size());
      for (size_t i = 0; i < keep.size(); ++i) keep[i] = i;
      keep_random_subset(keep, max_candidates, rng);
      std::vector<Candidate> kept;
      for (size_t i : keep) kept.push_back(std::move(out[i]));
      out = std::move(kept);
    }
  } else {
    // Uniform pairs: X with probability proportional to its number of r_X-subsets, then a
    // uniform r_X-subset; those over the cap and repeats are rejected.
    std::set<Candidate> seen;
    for (size_t t = 0; t < kRejectionTries * max_candidates && out.size() < max_candidates; ++t) {
      long double u = static_cast<long double>(rng.uniform()) * total;
      size_t j = 0;
      while (j + 1 < rest.size() && u >= space[j]) u -= space[j++];
      std::vector<int> s = pool;
      keep_random_subset(s, r[j], rng);
      double cells = sizes[rest[j]];
      for (int a : s) cells *= sizes[a];
      Candidate c{std::move(s), rest[j]};
      if (cells > cap || !seen.insert(c).second) continue;
      out.push_back(std::move(c));
    }
    if (out.empty()) {
      // Too few subsets fit to be found by chance: each X with its r_X smallest-domain
      // attributes, which fit by construction of r_X.
      for (size_t j = 0; j < rest.size(); ++j) {
        std::vector<int> by_size = pool;
        std::stable_sort(by_size.begin(), by_size.end(),
                         [&](int a, int b) { return sizes[a] < sizes[b]; });
        by_size.resize(r[j]);
        std::sort(by_size.begin(), by_size.end());
        out.push_back({by_size, rest[j]});
      }
    }
  }
  // Grouped by parent set, so that the parents' cell of every row is computed once per group.
  std::sort(out.begin(), out.end());
  return out;
}

// Scores of the candidates (sorted by parent set), in parallel over parent sets; each score is
// computed alone, so the result does not depend on `threads`. Of f = phi(n) + joint - parents -
// child, the child term depends on the attribute only and the parents term on the group only.
std::vector<double> score_candidates(const CodedTable& data, const std::vector<Candidate>& cands,
                                     const std::vector<double>& child_phi, int threads) {
  std::vector<size_t> group_begin;
  for (size_t i = 0; i < cands.size(); ++i)
    if (i == 0 || cands[i].parents != cands[i - 1].parents) group_begin.push_back(i);
  group_begin.push_back(cands.size());
  std::vector<double> scores(cands.size());
  const size_t n = data.rows();
  std::vector<privbayes::PhiSum> workspace(std::max(1, threads));
  parallel_tasks(group_begin.size() - 1, threads, [&](size_t g) {
    privbayes::PhiSum& phi_sum = workspace[omp_get_thread_num()];
    const std::vector<int>& parents = cands[group_begin[g]].parents;
    std::vector<uint32_t> parent_cell(n, 0), cell(n);
    size_t parent_cells = 1;
    for (int p : parents) {
      const uint32_t k = static_cast<uint32_t>(data.sizes[p]);
      const int32_t* code = data.codes[p].data();
      for (size_t i = 0; i < n; ++i)
        parent_cell[i] = parent_cell[i] * k + static_cast<uint32_t>(code[i]);
      parent_cells *= k;
    }
    const double parent_phi = phi_sum(parent_cell.data(), n, parent_cells);
    for (size_t c = group_begin[g]; c < group_begin[g + 1]; ++c) {
      const int x = cands[c].child;
      const uint32_t k = static_cast<uint32_t>(data.sizes[x]);
      const int32_t* code = data.codes[x].data();
      for (size_t i = 0; i < n; ++i) cell[i] = parent_cell[i] * k + static_cast<uint32_t>(code[i]);
      const double joint_phi = phi_sum(cell.data(), n, parent_cells * k);
      scores[c] = privbayes::information_score(joint_phi, parent_phi, child_phi[x], n);
    }
  });
  return scores;
}

size_t cells_of(const std::vector<int>& sizes, const std::vector<int>& attrs) {
  size_t c = 1;
  for (int a : attrs) c *= static_cast<size_t>(sizes[a]);
  return c;
}

// The sums of `values` (cells row-major over `from`, first slowest) onto `to` (a subset of
// `from`, in its own order, row-major likewise).
std::vector<double> project(const std::vector<double>& values, const std::vector<int>& from,
                            const std::vector<int>& to, const std::vector<int>& sizes) {
  // stride[i]: how far the target index moves per step of from[i] (0 when summed out).
  std::vector<size_t> stride(from.size(), 0);
  size_t s = 1;
  for (size_t j = to.size(); j-- > 0;) {
    const size_t i = std::find(from.begin(), from.end(), to[j]) - from.begin();
    stride[i] = s;
    s *= static_cast<size_t>(sizes[to[j]]);
  }
  std::vector<double> out(s, 0.0);
  std::vector<int> digit(from.size(), 0);
  size_t target = 0;
  for (double v : values) {
    out[target] += v;
    for (size_t i = from.size(); i-- > 0;) {  // mixed-radix increment, last attribute fastest
      target += stride[i];
      if (++digit[i] < sizes[from[i]]) break;
      target -= stride[i] * static_cast<size_t>(digit[i]);
      digit[i] = 0;
    }
  }
  return out;
}

bool contains(const std::vector<int>& super, const std::vector<int>& sub) {
  for (int a : sub)
    if (std::find(super.begin(), super.end(), a) == super.end()) return false;
  return true;
}

std::string parents_text(const PrivBayesOptions& o, const std::vector<int>& parents) {
  if (parents.empty()) return "no parents";
  std::string s = "parents ";
  for (size_t i = 0; i < parents.size(); ++i) s += (i ? ", " : "") + label(o, parents[i]);
  return s;
}

}  // namespace

void PrivBayes::fit(const CodedTable& data, const PrivBayesOptions& options, Rng& rng) {
  check_input(data, options);
  const int d = static_cast<int>(data.attributes());
  const size_t n = data.rows();
  sizes_ = data.sizes;
  order_.clear();
  parents_.assign(d, {});
  cumulative_.assign(d, {});
  spend_ = {};

  const bool learn = options.degree > 0 && d > 1;
  double eps = options.epsilon;
  double cap = static_cast<double>(options.max_cells);
  if (learn && options.usefulness > 0) {
    spend_.rows = options.rows_share * options.epsilon;
    eps = options.epsilon - spend_.rows;
    const double rows =
        privacy::laplace_counts({static_cast<int64_t>(n)}, spend_.rows, 1.0, rng).front();
    // theta-usefulness: average count per cell n / cells against the count noise scale
    // T / eps_c >= theta, with T <= d tables (the network, hence T, is not known yet).
    const double eps_c = (1 - options.structure_share) * eps;
    cap = std::min(cap, std::max(1.0, rows) * eps_c / (d * options.usefulness));
  }
  spend_.structure = learn ? options.structure_share * eps : 0;
  spend_.conditionals = eps - spend_.structure;
  spend_.choices = learn ? d - 1 : 0;

  // The network.
  const int root = options.root >= 0 ? options.root : static_cast<int>(rng.below(d));
  order_.push_back(root);
  if (options.progress) options.progress("added " + label(options, root) + " as the root");
  std::vector<int> rest;
  for (int a = 0; a < d; ++a)
    if (a != root) rest.push_back(a);
  std::map<std::vector<int>, double> known;  // (parents..., child) -> score: I never changes
  std::vector<double> child_phi(d);
  if (learn) {
    privbayes::PhiSum phi_sum;
    for (int a = 0; a < d; ++a)
      child_phi[a] = phi_sum(reinterpret_cast<const uint32_t*>(data.codes[a].data()), n, sizes_[a]);
  }
  while (!rest.empty()) {
    Candidate chosen;
    size_t offered = 1;
    if (learn) {
      std::vector<Candidate> cands =
          step_candidates(order_, rest, sizes_, options.degree, cap, options.max_candidates, rng);
      offered = cands.size();
      std::vector<Candidate> missing;
      for (const Candidate& c : cands) {
        std::vector<int> key = c.parents;
        key.push_back(c.child);
        if (!known.count(key)) missing.push_back(c);
      }
      const std::vector<double> fresh = score_candidates(data, missing, child_phi, options.threads);
      for (size_t i = 0; i < missing.size(); ++i) {
        std::vector<int> key = missing[i].parents;
        key.push_back(missing[i].child);
        known.emplace(std::move(key), fresh[i]);
      }
      std::vector<double> scores;
      for (const Candidate& c : cands) {
        std::vector<int> key = c.parents;
        key.push_back(c.child);
        scores.push_back(known.at(key));
      }
      const double eps_step = spend_.structure / spend_.choices;
      chosen = cands[privacy::exponential_mechanism(scores, eps_step, kScoreSensitivity, rng)];
    } else {
      chosen.child = rest[rng.below(rest.size())];
    }
    parents_[chosen.child] = chosen.parents;
    order_.push_back(chosen.child);
    rest.erase(std::find(rest.begin(), rest.end(), chosen.child));
    if (options.progress)
      options.progress("added " + label(options, chosen.child) + " with " +
                       parents_text(options, chosen.parents) + " (" + std::to_string(offered) +
                       " candidates)");
  }

  // The count tables: families (parents..., X) contained in no other family. Families are
  // distinct sets (two equal ones would make X and Y parents of each other).
  std::vector<std::vector<int>> family(d);
  for (int a = 0; a < d; ++a) {
    family[a] = parents_[a];
    family[a].push_back(a);
  }
  std::vector<int> tables;  // attributes whose family is a table, in network order
  for (int a : order_) {
    bool inside = false;
    for (int b = 0; b < d && !inside; ++b)
      inside = b != a && family[b].size() > family[a].size() && contains(family[b], family[a]);
    if (!inside) tables.push_back(a);
  }
  spend_.tables = static_cast<int>(tables.size());
  const double eps_table = spend_.conditionals / spend_.tables;
  spend_.count_scale = spend_.tables / spend_.conditionals;
  std::map<int, std::vector<double>> noisy;
  for (int t : tables) {
    std::vector<double> v =
        privacy::laplace_counts(count_marginal(data, family[t]), eps_table, 1.0, rng);
    for (double& x : v) x = std::max(0.0, x);
    noisy.emplace(t, std::move(v));
  }

  // Each conditional from the smallest table holding its family (a cell of a projection sums the
  // noise of the cells it covers, so fewer is better).
  for (int a = 0; a < d; ++a) {
    int host = -1;
    for (int t : tables)
      if (contains(family[t], family[a]) &&
          (host < 0 || cells_of(sizes_, family[t]) < cells_of(sizes_, family[host])))
        host = t;
    const std::vector<double> joint = project(noisy.at(host), family[host], family[a], sizes_);
    const std::vector<double> marginal = project(noisy.at(host), family[host], {a}, sizes_);
    double marginal_total = 0;
    for (double v : marginal) marginal_total += v;
    const size_t k = static_cast<size_t>(sizes_[a]);
    std::vector<double>& cum = cumulative_[a];
    cum.resize(joint.size());
    for (size_t p = 0; p * k < joint.size(); ++p) {
      const double* row = joint.data() + p * k;
      double total = 0;
      for (size_t x = 0; x < k; ++x) total += row[x];
      // A parent cell with no noisy mass falls back on X's noisy marginal, then on uniform.
      const double* w = total > 0 ? row : marginal_total > 0 ? marginal.data() : nullptr;
      const double sum = total > 0 ? total : marginal_total > 0 ? marginal_total : k;
      double run = 0;
      for (size_t x = 0; x < k; ++x) {
        run += (w ? w[x] : 1.0) / sum;
        cum[p * k + x] = run;
      }
    }
  }
}

double PrivBayes::conditional(int attribute, size_t parent_cell, int x) const {
  if (attribute < 0 || attribute >= static_cast<int>(sizes_.size()))
    throw InvalidArgument("PrivBayes::conditional: attribute must be in [0, " +
                          std::to_string(sizes_.size()) + "), got " + std::to_string(attribute));
  const size_t k = static_cast<size_t>(sizes_[attribute]);
  const std::vector<double>& cum = cumulative_[attribute];
  if (x < 0 || static_cast<size_t>(x) >= k || parent_cell >= cum.size() / k)
    throw InvalidArgument("PrivBayes::conditional: parent cell " + std::to_string(parent_cell) +
                          " / value " + std::to_string(x) + " outside [0, " +
                          std::to_string(cum.size() / k) + ") x [0, " + std::to_string(k) + ")");
  const size_t i = parent_cell * k + static_cast<size_t>(x);
  return cum[i] - (x > 0 ? cum[i - 1] : 0.0);
}

std::vector<std::vector<int32_t>> PrivBayes::sample(size_t n, uint64_t seed, int threads,
                                                    const std::vector<int32_t>* root_values) const {
  if (order_.empty())
    throw InvalidArgument("PrivBayes::sample: the model is not fitted (fit or load it first)");
  const int root = order_.front();
  if (root_values) {
    if (root_values->size() != n)
      throw InvalidArgument("PrivBayes::sample: root_values must have n = " + std::to_string(n) +
                            " entries, got " + std::to_string(root_values->size()));
    for (int32_t v : *root_values)
      if (v < 0 || v >= sizes_[root])
        throw InvalidArgument("PrivBayes::sample: root_values holds " + std::to_string(v) +
                              ", outside the root's domain [0, " + std::to_string(sizes_[root]) +
                              ")");
  }
  std::vector<std::vector<int32_t>> out(sizes_.size(), std::vector<int32_t>(n));
  const size_t chunks = (n + kSampleChunk - 1) / kSampleChunk;
  parallel_tasks(chunks, threads, [&](size_t c) {
    Rng rng(seed, stream_id(StreamPurpose::sample, c));
    const size_t begin = c * kSampleChunk, end = std::min(n, begin + kSampleChunk);
    for (int a : order_) {
      int32_t* col = out[a].data();
      if (root_values && a == root) {
        std::copy(root_values->begin() + begin, root_values->begin() + end, col + begin);
        continue;
      }
      const std::vector<int>& pa = parents_[a];
      const double* cum = cumulative_[a].data();
      const size_t k = static_cast<size_t>(sizes_[a]);
      for (size_t i = begin; i < end; ++i) {
        size_t p = 0;
        for (int q : pa) p = p * static_cast<size_t>(sizes_[q]) + static_cast<size_t>(out[q][i]);
        col[i] = static_cast<int32_t>(rng.categorical(cum + p * k, k));
      }
    }
  });
  return out;
}

void PrivBayes::save(ArchiveWriter& out) const {
  out.tag("privbayes");
  out.i32s(std::vector<int32_t>(sizes_.begin(), sizes_.end()));
  out.i32s(std::vector<int32_t>(order_.begin(), order_.end()));
  for (size_t a = 0; a < sizes_.size(); ++a) {
    out.i32s(std::vector<int32_t>(parents_[a].begin(), parents_[a].end()));
    out.f64s(cumulative_[a]);
  }
  out.f64(spend_.rows);
  out.f64(spend_.structure);
  out.f64(spend_.conditionals);
  out.i64(spend_.choices);
  out.i64(spend_.tables);
  out.f64(spend_.count_scale);
  out.tag("privbayes_end");
}

void PrivBayes::load(ArchiveReader& in) {
  in.tag("privbayes");
  const std::vector<int32_t> sizes = in.i32s(), order = in.i32s();
  const size_t d = sizes.size();
  auto corrupt = [](const std::string& why) { throw DataError("PrivBayes archive: " + why); };
  if (d == 0 || order.size() != d) corrupt("the network order does not cover the attributes");
  for (int32_t k : sizes)
    if (k < 1) corrupt("a domain size < 1");
  std::vector<int> position(d, -1);
  for (size_t i = 0; i < d; ++i) {
    if (order[i] < 0 || order[i] >= static_cast<int32_t>(d) || position[order[i]] >= 0)
      corrupt("the network order is not a permutation of the attributes");
    position[order[i]] = static_cast<int>(i);
  }
  std::vector<std::vector<int>> parents(d);
  std::vector<std::vector<double>> cumulative(d);
  for (size_t a = 0; a < d; ++a) {
    const std::vector<int32_t> pa = in.i32s();
    size_t cells = static_cast<size_t>(sizes[a]);
    for (int32_t p : pa) {
      if (p < 0 || p >= static_cast<int32_t>(d) || position[p] >= position[a])
        corrupt("a parent that does not precede its child in the network");
      cells *= static_cast<size_t>(sizes[p]);
    }
    parents[a].assign(pa.begin(), pa.end());
    cumulative[a] = in.f64s();
    if (cumulative[a].size() != cells) corrupt("a conditional table of the wrong size");
  }
  PrivBayesSpend spend;
  spend.rows = in.f64();
  spend.structure = in.f64();
  spend.conditionals = in.f64();
  spend.choices = static_cast<int>(in.i64());
  spend.tables = static_cast<int>(in.i64());
  spend.count_scale = in.f64();
  in.tag("privbayes_end");
  sizes_.assign(sizes.begin(), sizes.end());
  order_.assign(order.begin(), order.end());
  parents_ = std::move(parents);
  cumulative_ = std::move(cumulative);
  spend_ = spend;
}

}  // namespace calm
