// Sum-product belief propagation on the junction tree (Shafer-Shenoy form, log space) for
// Private-PGM (McKenna, Sheldon & Miklau, ICML 2019): one upward and one downward pass give every
// junction clique's exact marginal of the model's distribution.
#include <algorithm>
#include <cmath>

#include "models/dp/pgm/fast_exp.hpp"
#include "models/dp/pgm/graphical_model.hpp"

namespace calm::pgm {

namespace {

// Sums are taken of exp(x - max) over a table, so they are relative to its largest cell; a
// separator cell whose whole slice underflows gets this tiny relative mass instead of log(0), so
// messages stay finite (no -inf - -inf) at a cost below 1e-300 of the table's mass.
constexpr double kRelativeFloor = 1e-300;

double shifted_exp(const std::vector<double>& log_table, std::vector<double>& out) {
  const double m = max_value(log_table.data(), log_table.size());
  out.resize(log_table.size());
  exp_shifted(log_table.data(), m, out.data(), log_table.size());
  return m;
}

}  // namespace

void GraphicalModel::propagate(const std::vector<const std::vector<double>*>& potentials,
                               std::vector<std::vector<double>>& beliefs,
                               const CliqueVisitor& visit, BpScratch& scratch,
                               bool normalise) const {
  const auto& jc = tree_.cliques;
  const size_t k = jc.size();
  beliefs.resize(k);
  for (size_t j = 0; j < k; ++j) {
    std::vector<double>& b = beliefs[j];
    b.resize(table_cells(sizes_, jc[j]));
    if (homed_[j].empty()) std::fill(b.begin(), b.end(), 0.0);
    for (size_t h = 0; h < homed_[j].size(); ++h) {
      const int c = homed_[j][h];
      const std::vector<double>& p = potentials[c] ? *potentials[c] : potentials_[c];
      if (h == 0)
        broadcast(sizes_, jc[j], b.data(), cliques_[c], p.data());
      else
        add_broadcast(sizes_, jc[j], b.data(), cliques_[c], p.data());
    }
  }

  const auto& order = bp_order_.order;
  const auto& parent = bp_order_.parent;
  const auto& sep = bp_order_.separator;
  std::vector<std::vector<double>>&up = scratch.up, &down = scratch.down;
  up.resize(k);
  down.resize(k);
  std::vector<double>& shifted = scratch.shifted;
  // Log of the sums onto `onto` of the exponentiated table; returns the sum of all its cells.
  auto log_sums = [&](const Clique& attrs, double shift, const Clique& onto,
                      std::vector<double>& out) {
    out.resize(table_cells(sizes_, onto));
    sum_to(sizes_, attrs, shifted.data(), onto, out.data());
    double all = 0;
    for (double& v : out) {
      all += v;
      v = shift + std::log(std::max(v, kRelativeFloor));
    }
    return all;
  };

  // Upward: each clique (children first) sends its potential times its children's messages,
  // summed onto the separator, to its parent.
  for (size_t at = order.size(); at-- > 1;) {
    const int j = order[at], p = parent[j];
    const double shift = shifted_exp(beliefs[j], shifted);
    log_sums(jc[j], shift, sep[j], up[j]);
    add_broadcast(sizes_, jc[p], beliefs[p].data(), sep[j], up[j].data());
  }
  // Downward: a clique whose parent's message has arrived holds its full belief; what it sends a
  // child is that belief summed onto their separator, less what the child sent up.
  for (const int j : order) {
    if (parent[j] >= 0) add_broadcast(sizes_, jc[j], beliefs[j].data(), sep[j], down[j].data());
    const double shift = shifted_exp(beliefs[j], shifted);
    double z = -1;
    for (const int c : tree_.neighbours[j]) {
      if (parent[c] != j) continue;
      const double all = log_sums(jc[j], shift, sep[c], down[c]);
      if (z < 0) z = all;
      for (size_t s = 0; s < down[c].size(); ++s) down[c][s] -= up[c][s];
    }
    if (z < 0) sum_to(sizes_, jc[j], shifted.data(), {}, &z);
    if (visit) visit(j, shifted.data(), 1.0 / z);
    if (normalise) {
      const double log_z = shift + std::log(z);
      for (double& v : beliefs[j]) v -= log_z;
    }
  }
}

void GraphicalModel::calibrate() {
  BpScratch scratch;
  propagate(std::vector<const std::vector<double>*>(cliques_.size(), nullptr), beliefs_, nullptr,
            scratch, true);
}

}  // namespace calm::pgm
