// The junction tree of a Private-PGM model (McKenna, Sheldon & Miklau, ICML 2019): the clique
// graph (attributes joined when they share a model clique) triangulated by greedy elimination
// with the smallest table first (the domain-size product of the eliminated attribute and its
// neighbours, as Private-PGM's greedy order; fewest fill edges, then lowest index, break ties),
// its maximal cliques joined by a maximum spanning tree on separator size. Components that share
// no attribute are joined by empty separators, so the result is always one tree.
#pragma once

#include <vector>

#include "models/dp/pgm/factor.hpp"

namespace calm::pgm {

struct JunctionTree {
  std::vector<Clique> cliques;               // maximal cliques of the triangulated graph
  std::vector<std::vector<int>> neighbours;  // tree adjacency

  // A traversal from `root`: `order` lists every clique with parents before children;
  // parent[root] = -1; separator[c] = cliques[c] ∩ cliques[parent[c]] (empty for the root).
  struct Rooted {
    std::vector<int> order;
    std::vector<int> parent;
    std::vector<Clique> separator;
  };
  Rooted rooted(int root) const;

  // Index of the clique with the fewest cells that holds every attribute of `attrs`; -1 if none.
  int smallest_containing(const std::vector<int>& sizes, const Clique& attrs) const;
  double cells(const std::vector<int>& sizes) const;
};

// Every attribute of sizes is covered (one not in any clique becomes a clique of its own).
JunctionTree build_junction_tree(const std::vector<int>& sizes, const std::vector<Clique>& cliques);

}  // namespace calm::pgm
