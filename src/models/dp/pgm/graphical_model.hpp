// Private-PGM (McKenna, Sheldon & Miklau, "Graphical-model based estimation and inference for
// differential privacy", ICML 2019): the distribution that best explains a set of noisy marginal
// measurements, as a Markov random field over given cliques, fitted by mirror descent on the
// clique potentials with marginals computed exactly by belief propagation on a junction tree
// (min-fill triangulation of the clique graph); synthetic rows are drawn from it. Shared by the
// `dp` synth_types mst and aim.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "calm/core/archive.hpp"
#include "models/dp/pgm/junction_tree.hpp"
#include "privacy/coded_table.hpp"

namespace calm::pgm {

using Clique = std::vector<int>;  // attribute indices, ascending, no repeats

// One noisy measurement: the counts of the marginal over `attrs` (cells row-major over attrs in
// ascending order, first attribute slowest) plus independent noise of standard deviation
// `sigma`; entries may be negative. Weighted in the loss by 1 / sigma.
struct Measurement {
  Clique attrs;
  std::vector<double> noisy;
  double sigma = 1;
};

struct EstimateOptions {
  int iterations = 1000;  // mirror-descent iterations (Armijo backtracking on each)
  // Called every few iterations with (iteration, loss); may be empty.
  std::function<void(int, double)> progress;
};

class GraphicalModel {
 public:
  GraphicalModel() = default;
  // A model over attributes of the given domain sizes with the given cliques (every attribute in
  // some clique; single-attribute cliques are added for attributes no clique names). Potentials
  // start at zero (uniform distribution), total at 1.
  GraphicalModel(std::vector<int> sizes, std::vector<Clique> cliques);

  // Fits the potentials and the total row count to the measurements (each measurement's attrs
  // must be a subset of one of the model's cliques). Starts from the current potentials, so a
  // model re-built with more cliques can be warm-started with adopt_potentials().
  void estimate(const std::vector<Measurement>& measurements, const EstimateOptions& options = {});
  // Copies the potentials of `other`'s cliques into the cliques of this model that contain them.
  void adopt_potentials(const GraphicalModel& other);

  // Estimated counts of the marginal over `attrs` (ascending), row-major, summing to total();
  // attrs need not lie inside one clique.
  std::vector<double> marginal(const Clique& attrs) const;
  double total() const { return total_; }
  const std::vector<int>& sizes() const { return sizes_; }
  const std::vector<Clique>& cliques() const { return cliques_; }
  // Log potential of each clique of cliques(), row-major over its attributes: the model's
  // distribution is proportional to exp(sum of the broadcast potentials).
  const std::vector<std::vector<double>>& potentials() const { return potentials_; }
  // The junction tree the model computes on (its maximal cliques cover every clique above).
  const JunctionTree& junction_tree() const { return tree_; }

  // Number of cells of the junction tree's clique tables for the given model: what AIM's model
  // size limit (in cells x 8 bytes) is checked against.
  static double junction_tree_cells(const std::vector<int>& sizes,
                                    const std::vector<Clique>& cliques);

  // n rows drawn from the model, [attribute][row], in chunks of kSampleChunk rows, chunk c from
  // Rng(seed, stream_id(StreamPurpose::sample, c)), so the output is the same for any `threads`.
  // With `fixed_attr` >= 0, that attribute's values are given (fixed_values, n entries) and the
  // others are drawn conditionally on them.
  std::vector<std::vector<int32_t>> sample(
      size_t n, uint64_t seed, int threads, int fixed_attr = -1,
      const std::vector<int32_t>* fixed_values = nullptr) const;

  void save(ArchiveWriter& out) const;
  void load(ArchiveReader& in);

 private:
  // Called by belief propagation once per junction-tree clique with its calibrated belief as
  // exp(log belief - shift) (`cells` entries) and the factor that normalises it to sum 1.
  using CliqueVisitor = std::function<void(int clique, const double* shifted, double inv_sum)>;

  // Derived state (junction tree, traversal, clique homes) from sizes_ and cliques_.
  void build_structure();
  // Buffers belief propagation reuses from call to call (messages, exponentiated table).
  struct BpScratch {
    std::vector<std::vector<double>> up, down;
    std::vector<double> shifted;
  };
  // Exact sum-product in log space over the junction tree for the given potentials (one table
  // per model clique; null for potentials_'s own). With `normalise`, leaves `beliefs` as
  // normalised log beliefs; otherwise as log beliefs up to a constant per clique.
  void propagate(const std::vector<const std::vector<double>*>& potentials,
                 std::vector<std::vector<double>>& beliefs, const CliqueVisitor& visit,
                 BpScratch& scratch, bool normalise) const;
  // beliefs_ from potentials_.
  void calibrate();
  std::vector<double> marginal_across_cliques(const Clique& attrs) const;

  std::vector<int> sizes_;
  std::vector<Clique> cliques_;
  double total_ = 1;
  std::vector<std::vector<double>> potentials_;  // log potential of each model clique
  JunctionTree tree_;
  JunctionTree::Rooted bp_order_;        // the traversal belief propagation uses (from clique 0)
  std::vector<int> home_;                // junction-tree clique each model clique's potential joins
  std::vector<std::vector<int>> homed_;  // the model cliques whose home each junction clique is
  std::vector<std::vector<double>> beliefs_;  // normalised log belief of each junction clique
};

}  // namespace calm::pgm
