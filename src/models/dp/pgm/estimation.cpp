// Estimation for Private-PGM (McKenna, Sheldon & Miklau, "Graphical-model based estimation and
// inference for differential privacy", ICML 2019, Algorithm 1): mirror descent on the clique
// potentials for L(mu) = sum over measurements of 1/2 ||(mu_attrs - y) / sigma||^2, with the
// marginals mu computed exactly by belief propagation and an Armijo line search on each step.
#include <algorithm>
#include <cmath>
#include <string>

#include "calm/core/error.hpp"
#include "models/dp/pgm/graphical_model.hpp"

namespace calm::pgm {

namespace {

// The line search halves a rejected step this many times before giving up on the iteration.
constexpr int kBacktracks = 25;
constexpr int kProgressEvery = 50;
constexpr double kGrowth = 1.1;

// Private-PGM's estimate of the number of rows: the minimum-variance combination of each
// measurement's noisy sum (variance sigma^2 x cells), at least 1.
double estimate_total(const std::vector<Measurement>& ms) {
  if (ms.empty()) return 1;
  double weighted = 0, weights = 0;
  for (const Measurement& m : ms) {
    double sum = 0;
    for (double v : m.noisy) sum += v;
    const double w = 1.0 / (m.sigma * m.sigma * static_cast<double>(m.noisy.size()));
    weighted += w * sum;
    weights += w;
  }
  return std::max(1.0, weighted / weights);
}

}  // namespace

void GraphicalModel::estimate(const std::vector<Measurement>& measurements,
                              const EstimateOptions& options) {
  // Each measurement belongs to the smallest model clique that holds it (as Private-PGM groups
  // them); only those cliques' potentials move.
  const size_t nm = measurements.size();
  std::vector<int> owner(nm, -1);
  for (size_t i = 0; i < nm; ++i) {
    const Measurement& m = measurements[i];
    for (size_t a = 0; a < m.attrs.size(); ++a)
      if (m.attrs[a] < 0 || m.attrs[a] >= static_cast<int>(sizes_.size()) ||
          (a > 0 && m.attrs[a] <= m.attrs[a - 1]))
        throw InvalidArgument("pgm: measurement " + std::to_string(i) +
                              ": attributes must be ascending, without repeats, in 0.." +
                              std::to_string(sizes_.size() - 1));
    if (m.noisy.size() != table_cells(sizes_, m.attrs))
      throw InvalidArgument("pgm: measurement " + std::to_string(i) + " has " +
                            std::to_string(m.noisy.size()) + " values for a marginal of " +
                            std::to_string(table_cells(sizes_, m.attrs)) + " cells");
    if (!(m.sigma > 0) || !std::isfinite(m.sigma))
      throw InvalidArgument("pgm: measurement " + std::to_string(i) + " has sigma " +
                            std::to_string(m.sigma) + "; it must be positive and finite");
    double best_cells = 0;
    for (size_t c = 0; c < cliques_.size(); ++c) {
      if (!is_subset(m.attrs, cliques_[c])) continue;
      const double cells = table_cells_f(sizes_, cliques_[c]);
      if (owner[i] < 0 || cells < best_cells) {
        owner[i] = static_cast<int>(c);
        best_cells = cells;
      }
    }
    if (owner[i] < 0)
      throw InvalidArgument("pgm: measurement " + std::to_string(i) +
                            " lies in no clique of the model");
  }
  total_ = estimate_total(measurements);
  if (nm == 0 || options.iterations <= 0) {
    calibrate();
    return;
  }

  std::vector<int> active;                 // model cliques with measurements
  std::vector<std::vector<size_t>> group;  // their measurements
  std::vector<int> slot(cliques_.size(), -1);
  for (size_t i = 0; i < nm; ++i) {
    const int c = owner[i];
    if (slot[c] < 0) {
      slot[c] = static_cast<int>(active.size());
      active.push_back(c);
      group.emplace_back();
    }
    group[slot[c]].push_back(i);
  }
  std::vector<std::vector<int>> active_at(tree_.cliques.size());  // active slots per junction
  for (size_t s = 0; s < active.size(); ++s)
    active_at[home_[active[s]]].push_back(static_cast<int>(s));

  // mu (one table per measurement) and the loss for the given active potentials.
  std::vector<std::vector<double>> clique_mu(active.size());
  BpScratch scratch;
  auto evaluate = [&](const std::vector<std::vector<double>>& theta,
                      std::vector<std::vector<double>>& mu) {
    std::vector<const std::vector<double>*> pots(cliques_.size(), nullptr);
    for (size_t s = 0; s < active.size(); ++s) pots[active[s]] = &theta[s];
    mu.resize(nm);
    propagate(
        pots, beliefs_,
        [&](int j, const double* shifted, double inv_sum) {
          for (const int s : active_at[j]) {
            const Clique& c = cliques_[active[s]];
            clique_mu[s].resize(table_cells(sizes_, c));
            sum_to(sizes_, tree_.cliques[j], shifted, c, clique_mu[s].data());
            for (double& v : clique_mu[s]) v *= total_ * inv_sum;
            for (const size_t i : group[s]) {
              mu[i].resize(measurements[i].noisy.size());
              sum_to(sizes_, c, clique_mu[s].data(), measurements[i].attrs, mu[i].data());
            }
          }
        },
        scratch, false);
    double loss = 0;
    for (size_t i = 0; i < nm; ++i) {
      const Measurement& m = measurements[i];
      double sq = 0;
      for (size_t t = 0; t < mu[i].size(); ++t) {
        const double d = mu[i][t] - m.noisy[t];
        sq += d * d;
      }
      loss += 0.5 * sq / (m.sigma * m.sigma);
    }
    return loss;
  };

  std::vector<std::vector<double>> theta(active.size()), trial(active.size()), grad(active.size());
  for (size_t s = 0; s < active.size(); ++s) theta[s] = potentials_[active[s]];
  std::vector<std::vector<double>> mu, trial_mu;
  double loss = evaluate(theta, mu);

  // Private-PGM starts mirror descent at step 2 / (total L) for a loss of Lipschitz constant L in
  // the entropy geometry; for this loss L <= sum of 1/sigma^2. Each iteration first tries twice
  // the last accepted step (FactoredInference's doubling) until the line search first has to
  // halve one, then only kGrowth times it: doubling finds the scale in a few iterations, but once
  // there it fails about every other iteration, and each failure costs a belief propagation
  // (measured on an AIM-like model: the same loss per iteration at 1.1 instead of 2 propagations).
  double inv_var = 0;
  for (const Measurement& m : measurements) inv_var += 1.0 / (m.sigma * m.sigma);
  double alpha = 1.0 / (total_ * inv_var);
  bool backtracked = false;
  for (int it = 1; it <= options.iterations && loss > 0; ++it) {
    // dL/dmu of each active clique: each measurement's residual / sigma^2, broadcast.
    for (size_t s = 0; s < active.size(); ++s) {
      const Clique& c = cliques_[active[s]];
      grad[s].assign(table_cells(sizes_, c), 0.0);
      for (const size_t i : group[s]) {
        const Measurement& m = measurements[i];
        std::vector<double> r(m.noisy.size());
        for (size_t t = 0; t < r.size(); ++t) r[t] = (mu[i][t] - m.noisy[t]) / (m.sigma * m.sigma);
        add_broadcast(sizes_, c, grad[s].data(), m.attrs, r.data());
      }
    }
    double step = (backtracked ? kGrowth : 2.0) * alpha;
    for (int b = 0; b < kBacktracks; ++b, step *= 0.5) {
      for (size_t s = 0; s < active.size(); ++s) {
        trial[s].resize(theta[s].size());
        for (size_t t = 0; t < theta[s].size(); ++t) trial[s][t] = theta[s][t] - step * grad[s][t];
      }
      const double trial_loss = evaluate(trial, trial_mu);
      // <dL/dmu, mu - mu_trial> over the measured marginals (the gradient is zero elsewhere).
      double dot = 0;
      for (size_t i = 0; i < nm; ++i) {
        const Measurement& m = measurements[i];
        for (size_t t = 0; t < mu[i].size(); ++t)
          dot += (mu[i][t] - m.noisy[t]) / (m.sigma * m.sigma) * (mu[i][t] - trial_mu[i][t]);
      }
      if (trial_loss <= loss && loss - trial_loss >= 0.5 * step * dot) {
        theta.swap(trial);
        mu.swap(trial_mu);
        loss = trial_loss;
        alpha = step;
        break;
      }
      alpha = step * 0.5;
      backtracked = true;
    }
    if (options.progress && (it % kProgressEvery == 0 || it == options.iterations))
      options.progress(it, loss);
  }
  for (size_t s = 0; s < active.size(); ++s) potentials_[active[s]] = std::move(theta[s]);
  calibrate();
}

}  // namespace calm::pgm
