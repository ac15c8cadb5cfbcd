// Marginals of a calibrated Private-PGM model (McKenna, Sheldon & Miklau, ICML 2019): from one
// junction clique's belief when the attributes share one, otherwise by variable elimination over
// the smallest subtree that covers them, written as the root's belief times each other clique's
// conditional given its separator (exact for a calibrated tree).
#include <algorithm>
#include <cmath>
#include <string>

#include "calm/core/error.hpp"
#include "models/dp/pgm/fast_exp.hpp"
#include "models/dp/pgm/graphical_model.hpp"

namespace calm::pgm {

std::vector<double> GraphicalModel::marginal(const Clique& attrs) const {
  for (size_t i = 0; i < attrs.size(); ++i) {
    if (attrs[i] < 0 || attrs[i] >= static_cast<int>(sizes_.size()))
      throw InvalidArgument("pgm: marginal over attribute " + std::to_string(attrs[i]) +
                            ", outside 0.." + std::to_string(sizes_.size() - 1));
    if (i > 0 && attrs[i] <= attrs[i - 1])
      throw InvalidArgument("pgm: marginal attributes must be ascending without repeats");
  }
  const int j = tree_.smallest_containing(sizes_, attrs);
  if (j < 0) return marginal_across_cliques(attrs);
  const std::vector<double>& b = beliefs_[j];
  std::vector<double> p(b.size());
  exp_shifted(b.data(), 0.0, p.data(), b.size());
  std::vector<double> out(table_cells(sizes_, attrs));
  sum_to(sizes_, tree_.cliques[j], p.data(), attrs, out.data());
  for (double& v : out) v *= total_;
  return out;
}

std::vector<double> GraphicalModel::marginal_across_cliques(const Clique& attrs) const {
  const auto& jc = tree_.cliques;
  const size_t k = jc.size();
  // Prune leaves that hold no wanted attribute outside their separator: by running intersection
  // their own attributes appear nowhere else, and they sum out to 1.
  std::vector<char> kept(k, 1);
  std::vector<int> degree(k);
  for (size_t c = 0; c < k; ++c) degree[c] = static_cast<int>(tree_.neighbours[c].size());
  size_t left = k;
  std::vector<int> queue;
  for (size_t c = 0; c < k; ++c)
    if (degree[c] <= 1) queue.push_back(static_cast<int>(c));
  while (!queue.empty() && left > 1) {
    const int c = queue.back();
    queue.pop_back();
    if (!kept[c] || degree[c] > 1) continue;
    int nb = -1;
    for (int d : tree_.neighbours[c])
      if (kept[d]) nb = d;
    const Clique own = nb >= 0 ? set_difference(jc[c], jc[nb]) : jc[c];
    if (!set_intersection(own, attrs).empty()) continue;
    kept[c] = 0;
    --left;
    if (nb >= 0 && --degree[nb] <= 1) queue.push_back(nb);
  }

  int root = -1;
  for (size_t c = 0; c < k && root < 0; ++c)
    if (kept[c]) root = static_cast<int>(c);
  const JunctionTree::Rooted r = tree_.rooted(root);
  std::vector<Factor> factors;
  Clique scope;
  for (const int c : r.order) {
    if (!kept[c]) continue;
    const std::vector<double>& b = beliefs_[c];
    Factor f{jc[c], std::vector<double>(b.size())};
    scope = set_union(scope, jc[c]);
    if (c == root) {
      for (size_t i = 0; i < b.size(); ++i) f.values[i] = std::exp(b[i]);
    } else {
      // Conditional of the clique given its separator, normalised slice by slice in log space.
      const Clique& s = r.separator[c];
      std::vector<double> mx(table_cells(sizes_, s), -HUGE_VAL), z(mx.size(), 0.0);
      const CellMap map(sizes_, jc[c], s);
      map.for_each([&](size_t i, size_t t) { mx[t] = std::max(mx[t], b[i]); });
      map.for_each([&](size_t i, size_t t) {
        f.values[i] = std::exp(b[i] - mx[t]);
        z[t] += f.values[i];
      });
      map.for_each([&](size_t i, size_t t) { f.values[i] /= z[t]; });
    }
    factors.push_back(std::move(f));
  }

  // Greedy elimination of the unwanted attributes, smallest product table first.
  Clique hidden = set_difference(scope, attrs);
  while (!hidden.empty()) {
    size_t best = 0;
    double best_cells = HUGE_VAL;
    for (size_t h = 0; h < hidden.size(); ++h) {
      Clique u;
      for (const Factor& f : factors)
        if (contains(f.attrs, hidden[h])) u = set_union(u, f.attrs);
      const double cells = table_cells_f(sizes_, u);
      if (cells < best_cells) {
        best = h;
        best_cells = cells;
      }
    }
    const int v = hidden[best];
    hidden.erase(hidden.begin() + static_cast<long>(best));
    Factor prod{{}, {1.0}};
    std::vector<Factor> rest;
    for (Factor& f : factors) {
      if (contains(f.attrs, v))
        prod = multiply(sizes_, prod, f);
      else
        rest.push_back(std::move(f));
    }
    rest.push_back(sum_to(sizes_, prod, set_difference(prod.attrs, {v})));
    factors = std::move(rest);
  }
  Factor out{{}, {1.0}};
  for (const Factor& f : factors) out = multiply(sizes_, out, f);
  for (double& v : out.values) v *= total_;
  return std::move(out.values);
}

}  // namespace calm::pgm
