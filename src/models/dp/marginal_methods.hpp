// The `dp` synth_types built on Private-PGM (pgm/graphical_model.hpp):
//   mst: McKenna, Miklau & Sheldon, "Winning the NIST Contest: A scalable and general approach to
//     differentially private synthetic data", Journal of Privacy and Confidentiality 11(3), 2021.
//     One third of rho measures every 1-way marginal (Gaussian); values whose noisy count is below
//     3 sigma are merged into one level (domain compression); one third selects a maximum
//     spanning tree of the pairs by Kruskal's algorithm with each edge drawn by the exponential
//     mechanism on the L1 error of the independent estimate; one third measures the tree's 2-way
//     marginals; Private-PGM fits the tree model to all measurements and rows are drawn from it.
//   aim: McKenna, Mullins, Sheldon & Miklau, "AIM: An Adaptive and Iterative Mechanism for
//     Differentially Private Synthetic Data", VLDB 2022. Starting from the 1-way marginals, each
//     round picks, by the exponential mechanism (10% of the round's budget), the workload marginal
//     (downward closure of all `degree`-way marginals, weighted by overlap) worst explained by the
//     current model after subtracting the noise's expected error, among those that keep the model
//     under a size limit growing with the budget spent; measures it with Gaussian noise (90%);
//     re-fits the model warm-started; halves sigma when a measurement taught the model little
//     (budget annealing); stops when the budget is spent.
#pragma once

#include "models/dp/pgm/graphical_model.hpp"
#include "privacy/coded_synthesizer.hpp"

namespace calm {

// A value map that merges the rare levels of each attribute into one (MST's compression), kept
// so that sampled codes can be mapped back: a merged level becomes one of its values drawn in
// proportion to their noisy counts (MST draws them uniformly, which turns a level that never
// occurs, such as the missing level of a complete column, into as many rows as a rare one).
struct CompressedDomain {
  std::vector<std::vector<int32_t>> to_small;          // [attr][original code] -> compressed code
  std::vector<std::vector<int32_t>> merged;            // [attr]: original codes of the merged level
  std::vector<std::vector<double>> merged_cumulative;  // [attr]: their cumulative noisy counts
  std::vector<int> sizes;                              // compressed sizes
};

class PgmSynthesizer : public CodedDpSynthesizer {
 protected:
  DomainAccounting accounting() const override { return DomainAccounting::zcdp; }
  Codes sample_model(size_t n, uint64_t seed, int threads, int fixed_attr,
                     const std::vector<int32_t>* fixed_values) const override;
  void save_model(ArchiveWriter& out) const override;
  void load_model(ArchiveReader& in) override;
  // Fits model_ to the measurements with progress lines on the log.
  void estimate(std::vector<pgm::Measurement> measurements, int iterations, const Logger& log);

  CompressedDomain compressed_;  // identity maps when nothing was merged
  pgm::GraphicalModel model_;
};

class MstSynthesizer final : public PgmSynthesizer {
 protected:
  const char* mechanism() const override { return "mst"; }
  Json fit_model(const ModelFit& fit) override;
};

class AimSynthesizer final : public PgmSynthesizer {
 protected:
  const char* mechanism() const override { return "aim"; }
  Json fit_model(const ModelFit& fit) override;
};

}  // namespace calm
