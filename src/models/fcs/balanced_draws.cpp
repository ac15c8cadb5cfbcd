// Dealing of leaf donors without replacement (see balanced_draws.hpp).
#include "models/fcs/balanced_draws.hpp"

#include <algorithm>

namespace calm::fcs {

namespace {

// The shuffled donors of one leaf and how many have been dealt.
struct Deck {
  std::vector<int32_t> cards;
  size_t next = 0;
};

}  // namespace

void deal_donors(const tree::Forest& forest, const std::vector<tree::LeafRef>& refs,
                 const std::vector<size_t>& rows, Rng& rng, tree::Donor* out) {
  // One deck per node of every tree, found by the tree's first node.
  std::vector<size_t> first(forest.trees().size() + 1, 0);
  for (size_t t = 0; t < forest.trees().size(); ++t)
    first[t + 1] = first[t] + forest.trees()[t].num_nodes();
  std::vector<Deck> decks(first.back());
  for (size_t k = 0; k < refs.size(); ++k) {
    const tree::LeafRef r = refs[k];
    Deck& d = decks[first[r.tree] + static_cast<size_t>(r.leaf)];
    if (d.next == d.cards.size()) {
      if (d.cards.empty()) {
        const auto donors = forest.donors(r);
        d.cards.assign(donors.begin(), donors.end());
      }
      // Fisher-Yates: a fresh uniformly random order for the next pass through the leaf.
      for (size_t i = d.cards.size(); i > 1; --i) std::swap(d.cards[i - 1], d.cards[rng.below(i)]);
      d.next = 0;
    }
    out[rows[k]] = {d.cards[d.next++], forest.bandwidth(r)};
  }
}

}  // namespace calm::fcs
