// `dp` synth_type mst (see marginal_methods.hpp for the algorithm and its paper).
// Privacy: rho-zCDP for the model's share rho of the budget: rho/3 for the d 1-way marginals
// (each with rho/(3d), L2 sensitivity 1), rho/3 for the r-1 exponential-mechanism draws
// (each epsilon_sel = sqrt(8 (rho/3) / (r-1)), epsilon_sel^2/8 zCDP by bounded range), rho/3 for
// the r-1 2-way marginals. Everything else (compression, the estimate, sampling) reads only the
// noisy measurements.
#include <cmath>
#include <numeric>

#include "models/dp/marginal_methods.hpp"
#include "privacy/mechanisms.hpp"

namespace calm {
namespace {

struct DisjointSets {
  std::vector<int> parent;
  explicit DisjointSets(int n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  int find(int x) { return parent[x] == x ? x : parent[x] = find(parent[x]); }
  bool join(int a, int b) {
    a = find(a);
    b = find(b);
    if (a == b) return false;
    parent[a] = b;
    return true;
  }
};

// MST's compression of one attribute from its noisy 1-way counts: levels below 3 sigma merge into
// one level (placed last), unless fewer than two would merge. Returns the re-expressed
// measurement (the merged cell holds the sum of its noisy counts).
std::vector<double> compress_attribute(const std::vector<double>& noisy, double sigma,
                                       std::vector<int32_t>& to_small, std::vector<int32_t>& merged,
                                       std::vector<double>& cumulative, int& size) {
  const int k = static_cast<int>(noisy.size());
  std::vector<int32_t> rare;
  for (int v = 0; v < k; ++v)
    if (noisy[v] < 3 * sigma) rare.push_back(v);
  to_small.assign(k, 0);
  merged.clear();
  if (rare.size() < 2) {
    std::iota(to_small.begin(), to_small.end(), 0);
    size = k;
    return noisy;
  }
  std::vector<double> y;
  int next = 0;
  for (int v = 0; v < k; ++v)
    if (noisy[v] >= 3 * sigma) {
      to_small[v] = next++;
      y.push_back(noisy[v]);
    }
  double rest = 0;
  for (int32_t v : rare) {
    to_small[v] = next;
    rest += noisy[v];
  }
  y.push_back(rest);
  merged = rare;
  cumulative.clear();
  double acc = 0;
  for (int32_t v : rare) cumulative.push_back(acc += std::max(0.0, noisy[v]));
  size = next + 1;
  return y;
}

CodedTable compressed_table(const CodedTable& t, const CompressedDomain& c) {
  CodedTable out;
  out.sizes = c.sizes;
  out.codes.resize(t.attributes());
  for (size_t a = 0; a < t.attributes(); ++a) {
    out.codes[a].resize(t.rows());
    for (size_t i = 0; i < t.rows(); ++i) out.codes[a][i] = c.to_small[a][t.codes[a][i]];
  }
  return out;
}

}  // namespace

Json MstSynthesizer::fit_model(const ModelFit& fit) {
  const int d = static_cast<int>(fit.data.attributes());
  const double rho = fit.budget;
  const bool tree = d > 1;
  const double rho_one = tree ? rho / 3 : rho;
  Json spends = Json::array();

  // 1-way marginals, then the compression they allow.
  const double rho_each = rho_one / d;
  const double sigma1 = std::sqrt(privacy::gaussian_sigma2(rho_each, 1));
  compressed_ = {};
  compressed_.to_small.resize(d);
  compressed_.merged.resize(d);
  compressed_.merged_cumulative.resize(d);
  compressed_.sizes.resize(d);
  std::vector<pgm::Measurement> measurements;
  for (int a = 0; a < d; ++a) {
    const auto noisy =
        privacy::gaussian_counts(count_marginal(fit.data, {a}), rho_each, 1, fit.rng);
    auto y = compress_attribute(noisy, sigma1, compressed_.to_small[a], compressed_.merged[a],
                                compressed_.merged_cumulative[a], compressed_.sizes[a]);
    measurements.push_back({{a}, std::move(y), sigma1});
  }
  spends.push_back(
      {{"what", "1-way marginals of " + std::to_string(d) + " attributes"}, {"rho", rho_one}});
  const CodedTable data = compressed_table(fit.data, compressed_);

  std::vector<pgm::Clique> edges;
  if (tree) {
    // The independent estimate from the 1-way measurements (what Private-PGM returns for them).
    std::vector<std::vector<double>> p(d);
    double total = 0;
    for (int a = 0; a < d; ++a) {
      double s = 0;
      for (double v : measurements[a].noisy) s += std::max(0.0, v);
      total += s / d;
      p[a].resize(measurements[a].noisy.size());
      for (size_t v = 0; v < p[a].size(); ++v)
        p[a][v] = s > 0 ? std::max(0.0, measurements[a].noisy[v]) / s : 1.0 / p[a].size();
    }
    std::vector<std::pair<int, int>> candidates;
    std::vector<double> weights;
    for (int a = 0; a < d; ++a)
      for (int b = a + 1; b < d; ++b) {
        const auto x = count_marginal(data, {a, b});
        const size_t kb = data.sizes[b];
        double err = 0;
        for (size_t cell = 0; cell < x.size(); ++cell)
          err +=
              std::fabs(static_cast<double>(x[cell]) - total * p[a][cell / kb] * p[b][cell % kb]);
        candidates.push_back({a, b});
        weights.push_back(err);
      }
    const int r = d;  // components before the tree (no edge given)
    const double eps_sel = std::sqrt(8 * (rho / 3) / (r - 1));
    DisjointSets sets(d);
    for (int i = 0; i < r - 1; ++i) {
      std::vector<size_t> open;
      std::vector<double> w;
      for (size_t c = 0; c < candidates.size(); ++c)
        if (sets.find(candidates[c].first) != sets.find(candidates[c].second)) {
          open.push_back(c);
          w.push_back(weights[c]);
        }
      const auto& e = candidates[open[privacy::exponential_mechanism(w, eps_sel, 1.0, fit.rng)]];
      sets.join(e.first, e.second);
      edges.push_back({e.first, e.second});
    }
    spends.push_back({{"what", "maximum spanning tree: " + std::to_string(r - 1) +
                                   " edges by the exponential mechanism"},
                      {"rho", rho / 3}});
    const double rho_edge = (rho / 3) / (r - 1);
    const double sigma2 = std::sqrt(privacy::gaussian_sigma2(rho_edge, 1));
    for (const auto& e : edges)
      measurements.push_back(
          {e, privacy::gaussian_counts(count_marginal(data, e), rho_edge, 1, fit.rng), sigma2});
    spends.push_back({{"what", "2-way marginals of the " + std::to_string(r - 1) + " tree edges"},
                      {"rho", rho / 3}});
  }
  model_ = pgm::GraphicalModel(compressed_.sizes, edges);
  fit.log.info("mst: fitting the tree model to " + std::to_string(measurements.size()) +
               " noisy marginals");
  estimate(std::move(measurements), static_cast<int>(fit.params.get_int("iterations")), fit.log);
  return spends;
}

}  // namespace calm
