// PrivBayes (Zhang, Cormode, Procopiuc, Srivastava & Xiao, "PrivBayes: Private Data Release via
// Bayesian Networks", SIGMOD 2014 / TODS 2017), as DataSynthesizer's correlated attribute mode
// runs it (Ping, Stoyanovich & Howe, SSDBM 2017): a Bayesian network in which every attribute has
// at most k parents, built greedily with the exponential mechanism choosing each
// (attribute, parent set) pair by its mutual information (sensitivity from Zhang et al., Lemma
// 4.1), then the noisy conditional distributions (discrete Laplace on the joint counts of each
// attribute with its parents), and ancestral sampling. Pure epsilon-DP (delta = 0): a share
// `structure_share` of epsilon for the network, the rest for the conditionals (after the small
// row-count share of the optional usefulness rule). The accounting: top of privbayes.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/rng.hpp"
#include "privacy/coded_table.hpp"

namespace calm {

struct PrivBayesOptions {
  int degree = 5;                // k: most parents per attribute (the seed's default)
  double epsilon = 1.0;          // total for structure + conditionals
  double structure_share = 0.5;  // share of epsilon spent on the network (DataSynthesizer: 0.5)
  // Attribute placed first in the network (the root), e.g. the target so that it can be sampled
  // conditionally; -1: drawn at random as DataSynthesizer does.
  int root = -1;
  std::function<void(const std::string&)> progress;  // one line per attribute added; may be empty
  std::vector<std::string> names;  // attribute names for the progress lines (empty: indices)
  int threads = 1;                 // for the mutual information scores; results do not depend on it
  // Largest conditional table |dom(X)| x |dom(parents)| a candidate may have: parent sets over it
  // are never proposed (data-independent, from the public domain sizes), and an attribute whose
  // every k-subset is too big gets the largest number of parents that fits. Bounds the memory and
  // the noise: a table of far more cells than rows is mostly noise.
  size_t max_cells = 1000000;
  // Most (attribute, parent set) candidates scored per step; over it a uniform random subset of
  // the valid candidates is scored (data-independent, so it costs no privacy).
  size_t max_candidates = 2000;
  // theta > 0: PrivBayes' theta-usefulness rule (Zhang et al., TODS 2017, Section 4.4) as a
  // further cap on the cells, |dom(X, parents)| <= n eps_conditionals / (d theta), where n is
  // estimated with a share `rows_share` of epsilon (discrete Laplace count). The paper suggests
  // theta = 4. 0: off (DataSynthesizer's behaviour, degree fixed).
  double usefulness = 0;
  double rows_share = 0.02;
};

// What fit() spent (pure epsilon-DP, one row added or removed; the parts add up to epsilon).
struct PrivBayesSpend {
  double rows = 0;          // noisy row count for the usefulness rule (0 when it is off)
  double structure = 0;     // exponential mechanism, split evenly over `choices` selections
  double conditionals = 0;  // discrete Laplace, split evenly over `tables` count tables
  int choices = 0;
  int tables = 0;
  double count_scale = 0;  // discrete Laplace scale on each table's counts: tables / conditionals
};

class PrivBayes {
 public:
  void fit(const CodedTable& data, const PrivBayesOptions& options, Rng& rng);

  // n rows [attribute][row]: chunks of kSampleChunk rows, chunk c from
  // Rng(seed, stream_id(StreamPurpose::sample, c)); identical for any `threads`. With
  // root_values (n entries), the root attribute takes those values and the others are drawn given
  // them (exact conditioning, since the root has no parents).
  std::vector<std::vector<int32_t>> sample(size_t n, uint64_t seed, int threads,
                                           const std::vector<int32_t>* root_values = nullptr) const;

  // The network: attribute order and each attribute's parents.
  const std::vector<int>& order() const { return order_; }
  const std::vector<std::vector<int>>& parents() const { return parents_; }  // by attribute
  int root() const { return order_.empty() ? -1 : order_.front(); }
  const PrivBayesSpend& spend() const { return spend_; }
  // P(attribute = x | parents in parent cell p), p row-major over parents()[attribute].
  double conditional(int attribute, size_t parent_cell, int x) const;

  void save(ArchiveWriter& out) const;
  void load(ArchiveReader& in);

 private:
  std::vector<int> sizes_;
  std::vector<int> order_;
  std::vector<std::vector<int>> parents_;
  // Conditional distribution of each attribute given its parents: rows over parent cells
  // (row-major over parents_ in order), each a cumulative distribution over the attribute.
  std::vector<std::vector<double>> cumulative_;
  PrivBayesSpend spend_;
};

}  // namespace calm
