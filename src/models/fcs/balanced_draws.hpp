// Balanced donor draws for the FCS engine. synthpop draws each synthetic value independently and
// uniformly from the donors of its leaf (sampling with replacement), so a real row's value appears
// Poisson(1) times in a same-size synthetic table: 37% of the real values, the extremes included,
// are never drawn and others come two, three or more times. Statistics that hinge on a few rows
// then vary from seed to seed — SDMetrics' Column Pair Trends bins every numeric column between
// its own minimum and maximum, so one missing extreme moves every bin edge (diamonds' cut-depth
// pair scored .22 to .996 by seed), and a repeated outlier (y = 58.9) bends a correlation.
// Here the synthetic rows that reach a leaf are dealt that leaf's donors like cards: in a shuffled
// order without replacement, reshuffled when the leaf runs out (systematic resampling, as in the
// residual/stratified resampling of particle filters — Douc, Cappé & Moulines 2005). Each single
// draw is still uniform over the leaf's donors, so every conditional distribution is unchanged;
// only the Monte Carlo noise between draws shrinks: a donor is used floor or ceil of (rows
// reaching the leaf / leaf size) times. Values never leave the data.
#pragma once

#include <cstddef>
#include <vector>

#include "calm/core/rng.hpp"
#include "learn/forest.hpp"

namespace calm::fcs {

// For k = 0..rows.size(): out[rows[k]] = a donor of leaf refs[k] of `forest`, dealt as above in
// the order of k (so the result depends only on rng and the inputs, not on threads).
void deal_donors(const tree::Forest& forest, const std::vector<tree::LeafRef>& refs,
                 const std::vector<size_t>& rows, Rng& rng, tree::Donor* out);

}  // namespace calm::fcs
