// `dp` synth_type aim (see marginal_methods.hpp for the algorithm and its paper).
// Privacy: rho-zCDP for the model's share rho: the 1-way marginals with sigma, then rounds each
// costing epsilon^2/8 (exponential mechanism, bounded range) + 1/(2 sigma^2) (Gaussian, L2
// sensitivity 1), with sigma and epsilon set from the rounds left (sigma^2 = T / (2 * 0.9 rho),
// epsilon^2 = 8 * 0.1 rho / T), annealed (sigma halved, epsilon doubled) and a last round that
// takes exactly what remains; the ledger checks that the total never exceeds rho.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "calm/core/error.hpp"
#include "models/dp/marginal_methods.hpp"
#include "privacy/mechanisms.hpp"
#include "privacy/zcdp.hpp"

namespace calm {
namespace {

using pgm::Clique;

void subsets(const Clique& c, size_t from, Clique& cur, std::set<Clique>& out) {
  if (!cur.empty()) out.insert(cur);
  for (size_t i = from; i < c.size(); ++i) {
    cur.push_back(c[i]);
    subsets(c, i + 1, cur, out);
    cur.pop_back();
  }
}

std::set<Clique> downward_closure(const std::vector<Clique>& cliques) {
  std::set<Clique> out;
  Clique cur;
  for (const auto& c : cliques) subsets(c, 0, cur, out);
  return out;
}

void combinations(int d, int k, int from, Clique& cur, std::vector<Clique>& out) {
  if (static_cast<int>(cur.size()) == k) {
    out.push_back(cur);
    return;
  }
  for (int a = from; a < d; ++a) {
    cur.push_back(a);
    combinations(d, k, a + 1, cur, out);
    cur.pop_back();
  }
}

double l1(const std::vector<int64_t>& x, const std::vector<double>& y) {
  double s = 0;
  for (size_t i = 0; i < x.size(); ++i) s += std::fabs(static_cast<double>(x[i]) - y[i]);
  return s;
}

double l1(const std::vector<double>& x, const std::vector<double>& y) {
  double s = 0;
  for (size_t i = 0; i < x.size(); ++i) s += std::fabs(x[i] - y[i]);
  return s;
}

}  // namespace

Json AimSynthesizer::fit_model(const ModelFit& fit) {
  const CodedTable& data = fit.data;
  const int d = static_cast<int>(data.attributes());
  const double rho = fit.budget;
  const int degree = std::min(d, static_cast<int>(fit.params.get_int("degree")));
  const double max_cells = fit.params.get_double("max_cells");
  const double max_model_mb = fit.params.get_double("max_model_size");
  const int rounds =
      fit.params.is_null("rounds") ? 16 * d : static_cast<int>(fit.params.get_int("rounds"));
  const int round_iterations = static_cast<int>(fit.params.get_int("round_iterations"));
  compressed_ = {};
  for (int a = 0; a < d; ++a) {  // aim models the domain as it is
    compressed_.sizes.push_back(data.sizes[a]);
    compressed_.to_small.emplace_back(data.sizes[a]);
    for (int v = 0; v < data.sizes[a]; ++v) compressed_.to_small.back()[v] = v;
    compressed_.merged.emplace_back();
    compressed_.merged_cumulative.emplace_back();
  }

  // The workload: every degree-way marginal small enough, and the candidates it implies with
  // their weights (how many workload attributes they cover).
  std::vector<Clique> workload, all;
  Clique cur;
  combinations(d, std::max(1, degree), 0, cur, all);
  for (auto& w : all)
    if (static_cast<double>(data.cells(w)) <= max_cells) workload.push_back(w);
  if (workload.empty())
    for (int a = 0; a < d; ++a) workload.push_back({a});
  std::map<Clique, double> weight;
  for (const auto& c : downward_closure(workload)) {
    double w = 0;
    for (const auto& q : workload) {
      Clique both;
      std::set_intersection(c.begin(), c.end(), q.begin(), q.end(), std::back_inserter(both));
      w += static_cast<double>(both.size());
    }
    weight[c] = w;
  }
  std::map<Clique, std::vector<int64_t>> answers;
  for (const auto& [c, w] : weight) answers[c] = count_marginal(data, c);

  privacy::ZcdpLedger ledger(rho);
  double sigma = std::sqrt(static_cast<double>(rounds) / (2 * 0.9 * rho));
  double epsilon = std::sqrt(8 * 0.1 * rho / rounds);
  std::vector<pgm::Measurement> measurements;
  for (int a = 0; a < d; ++a) {
    const double r1 = 1 / (2 * sigma * sigma);
    measurements.push_back({{a}, privacy::gaussian_counts(answers[{a}], r1, 1, fit.rng), sigma});
    ledger.spend(r1, "1-way marginal");
  }
  const double rho_oneway = ledger.spent();
  std::vector<Clique> cliques;
  model_ = pgm::GraphicalModel(compressed_.sizes, cliques);
  estimate(measurements, round_iterations, fit.log);

  double rho_select = 0, rho_measure = 0;
  int t = 0;
  for (bool last = false; !last;) {
    ++t;
    const double remaining = ledger.remaining();
    if (remaining < 2 * (0.5 / (sigma * sigma) + epsilon * epsilon / 8)) {
      sigma = std::sqrt(1 / (2 * 0.9 * remaining));
      epsilon = std::sqrt(8 * 0.1 * remaining);
      last = true;
    }
    const double measure_rho = 0.5 / (sigma * sigma), select_rho = epsilon * epsilon / 8;
    const double used_after = ledger.spent() + measure_rho + select_rho;
    const double size_limit = max_model_mb * used_after / rho;
    const auto free_cliques = downward_closure(cliques);
    std::vector<Clique> candidates;
    std::vector<double> errors;
    double max_weight = 0;
    for (const auto& [c, w] : weight) {
      std::vector<Clique> with = cliques;
      with.push_back(c);
      const bool small =
          pgm::GraphicalModel::junction_tree_cells(compressed_.sizes, with) * 8 / 1048576.0 <=
          size_limit;
      if (!small && !free_cliques.count(c)) continue;
      const double bias = std::sqrt(2 / M_PI) * sigma * static_cast<double>(data.cells(c));
      candidates.push_back(c);
      errors.push_back(w * (l1(answers[c], model_.marginal(c)) - bias));
      max_weight = std::max(max_weight, w);
    }
    if (candidates.empty()) break;  // nothing fits: the budget left stays unspent
    const Clique chosen =
        candidates[privacy::exponential_mechanism(errors, epsilon, max_weight, fit.rng)];
    ledger.spend(select_rho, "selection");
    rho_select += select_rho;
    measurements.push_back(
        {chosen, privacy::gaussian_counts(answers[chosen], measure_rho, 1, fit.rng), sigma});
    ledger.spend(measure_rho, "measurement");
    rho_measure += measure_rho;
    const std::vector<double> before = model_.marginal(chosen);
    if (std::find(cliques.begin(), cliques.end(), chosen) == cliques.end() &&
        !free_cliques.count(chosen)) {
      cliques.push_back(chosen);
      pgm::GraphicalModel grown(compressed_.sizes, cliques);
      grown.adopt_potentials(model_);
      model_ = std::move(grown);
    }
    estimate(measurements, round_iterations, fit.log);
    const std::vector<double> after = model_.marginal(chosen);
    std::string names;
    for (int a : chosen) {
      if (!names.empty()) names += ',';
      names += std::to_string(a);
    }
    fit.log.info("aim: round " + std::to_string(t) + " measured marginal {" + names +
                 "}, budget used " + std::to_string(static_cast<int>(100 * ledger.spent() / rho)) +
                 "%");
    if (!last && l1(after, before) <= sigma * std::sqrt(2 / M_PI) * data.cells(chosen)) {
      sigma /= 2;
      epsilon *= 2;
    }
  }
  fit.log.info("aim: final fit of " + std::to_string(measurements.size()) + " measurements");
  estimate(std::move(measurements), static_cast<int>(fit.params.get_int("iterations")), fit.log);
  return Json::array(
      {{{"what", "1-way marginals of " + std::to_string(d) + " attributes"}, {"rho", rho_oneway}},
       {{"what", std::to_string(t) + " rounds: selection by the exponential mechanism"},
        {"rho", rho_select}},
       {{"what", std::to_string(t) + " rounds: measured marginals"}, {"rho", rho_measure}}});
}

}  // namespace calm
