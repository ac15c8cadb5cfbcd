// Junction tree construction for Private-PGM (McKenna, Sheldon & Miklau, ICML 2019).
#include "models/dp/pgm/junction_tree.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace calm::pgm {

JunctionTree build_junction_tree(const std::vector<int>& sizes,
                                 const std::vector<Clique>& cliques) {
  const int n = static_cast<int>(sizes.size());
  std::vector<std::vector<char>> adj(n, std::vector<char>(n, 0));
  for (const Clique& c : cliques)
    for (int a : c)
      for (int b : c)
        if (a != b) adj[a][b] = 1;

  // Greedy elimination; the clique each elimination creates ({v} and its remaining neighbours)
  // includes every maximal clique of the triangulated graph.
  std::vector<char> alive(n, 1);
  std::vector<Clique> formed;
  for (int step = 0; step < n; ++step) {
    int best = -1;
    double best_cost = 0;
    long best_fill = 0;
    for (int v = 0; v < n; ++v) {
      if (!alive[v]) continue;
      double cost = sizes[v];
      std::vector<int> nb;
      for (int u = 0; u < n; ++u)
        if (alive[u] && adj[v][u]) {
          cost *= sizes[u];
          nb.push_back(u);
        }
      long fill = 0;
      for (size_t i = 0; i < nb.size(); ++i)
        for (size_t j = i + 1; j < nb.size(); ++j) fill += !adj[nb[i]][nb[j]];
      if (best < 0 || std::tie(cost, fill) < std::tie(best_cost, best_fill)) {
        best = v;
        best_cost = cost;
        best_fill = fill;
      }
    }
    Clique c{best};
    for (int u = 0; u < n; ++u)
      if (alive[u] && adj[best][u]) c.push_back(u);
    for (size_t i = 1; i < c.size(); ++i)
      for (size_t j = 1; j < c.size(); ++j)
        if (i != j) adj[c[i]][c[j]] = 1;
    alive[best] = 0;
    std::sort(c.begin(), c.end());
    formed.push_back(std::move(c));
  }

  JunctionTree jt;
  // Larger first, so that a clique is dropped when an earlier (larger or equal) one holds it.
  std::stable_sort(formed.begin(), formed.end(),
                   [](const Clique& a, const Clique& b) { return a.size() > b.size(); });
  for (Clique& c : formed) {
    bool held = false;
    for (const Clique& k : jt.cliques)
      if (is_subset(c, k)) {
        held = true;
        break;
      }
    if (!held) jt.cliques.push_back(std::move(c));
  }
  std::sort(jt.cliques.begin(), jt.cliques.end());

  // Kruskal on separator size, heaviest first; zero-weight edges join separate components.
  const int k = static_cast<int>(jt.cliques.size());
  std::vector<std::tuple<int, int, int>> edges;  // (-weight, i, j): sorts heaviest first
  for (int i = 0; i < k; ++i)
    for (int j = i + 1; j < k; ++j)
      edges.emplace_back(-static_cast<int>(set_intersection(jt.cliques[i], jt.cliques[j]).size()),
                         i, j);
  std::sort(edges.begin(), edges.end());
  std::vector<int> root(k);
  std::iota(root.begin(), root.end(), 0);
  auto find = [&](int x) {
    while (root[x] != x) x = root[x] = root[root[x]];
    return x;
  };
  jt.neighbours.assign(k, {});
  for (const auto& [w, i, j] : edges) {
    const int ri = find(i), rj = find(j);
    if (ri == rj) continue;
    root[ri] = rj;
    jt.neighbours[i].push_back(j);
    jt.neighbours[j].push_back(i);
  }
  return jt;
}

JunctionTree::Rooted JunctionTree::rooted(int root) const {
  Rooted r;
  const size_t k = cliques.size();
  r.parent.assign(k, -1);
  r.separator.assign(k, {});
  std::vector<char> seen(k, 0);
  r.order.push_back(root);
  seen[root] = 1;
  for (size_t at = 0; at < r.order.size(); ++at) {
    const int c = r.order[at];
    for (int d : neighbours[c])
      if (!seen[d]) {
        seen[d] = 1;
        r.parent[d] = c;
        r.separator[d] = set_intersection(cliques[d], cliques[c]);
        r.order.push_back(d);
      }
  }
  return r;
}

int JunctionTree::smallest_containing(const std::vector<int>& sizes, const Clique& attrs) const {
  int best = -1;
  double best_cells = 0;
  for (size_t i = 0; i < cliques.size(); ++i) {
    if (!is_subset(attrs, cliques[i])) continue;
    const double c = table_cells_f(sizes, cliques[i]);
    if (best < 0 || c < best_cells) {
      best = static_cast<int>(i);
      best_cells = c;
    }
  }
  return best;
}

double JunctionTree::cells(const std::vector<int>& sizes) const {
  double total = 0;
  for (const Clique& c : cliques) total += table_cells_f(sizes, c);
  return total;
}

}  // namespace calm::pgm
