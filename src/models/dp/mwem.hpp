// MWEM (Hardt, Ligett & McSherry, "A Simple and Practical Algorithm for Differentially Private
// Data Release", NeurIPS 2012) over integer-coded data, for many columns as smartnoise-synth runs
// it: the attributes are split into cubes whose full joint histograms are learnt each on its own
// (exponential mechanism to pick the worst-answered query of the cube's workload, a discrete
// Laplace measurement of it, multiplicative-weights updates over every measurement so far), and
// rows are drawn cube by cube. Pure epsilon-DP (delta = 0); the accounting is at the top of
// mwem.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/rng.hpp"
#include "privacy/coded_table.hpp"

namespace calm {

struct MwemOptions {
  double epsilon = 1.0;  // total: row count + keep_together's cube + every cube's MWEM rounds
  // MWEM rounds T per cube; a cube runs min(iterations, its workload's size) rounds, since a
  // query is measured at most once (re-measuring splits the budget for no gain under Laplace).
  int iterations = 10;
  // Random range (box) queries added to each cube's workload besides its marginals; worth it
  // for ordered codes (binned numerics), little for categories.
  int queries = 0;
  // Each cube's workload holds every marginal over 1 .. marginal_width of its attributes.
  int marginal_width = 3;
  int mult_weights_iterations = 20;  // passes over all measurements after each round
  // More passes after the last round (MWEM's step of 1 / (2 n) moves small cells slowly), until
  // no cell of a measured answer moves by converge_tolerance * total in a pass or every answer
  // is within its expected noise of its measurement. Post-processing: costs no budget.
  int final_passes = 300;
  double converge_tolerance = 1e-6;
  int split_factor = 5;       // most attributes per cube
  size_t max_cells = 100000;  // most cells of a cube's histogram (a lone attribute wider
                              // than this still gets a cube of its own)
  double total_share = 0.05;  // share of epsilon for the noisy row count (the histograms' total)
  // Share of epsilon for choosing keep_together's cube mates (spent only when there is a
  // choice to make).
  double select_share = 0.1;
  // Attribute that must share a cube with the attributes most related to it (e.g. the target,
  // so that sampling given it is informative); -1: the cubes are consecutive attributes.
  int keep_together = -1;
  int threads = 1;  // cubes fitted in parallel; the model is identical for any value
  std::function<void(const std::string&)> progress;  // one line per cube; may be empty
};

class Mwem {
 public:
  // Throws InvalidArgument for options out of range or an empty / malformed table.
  void fit(const CodedTable& data, const MwemOptions& options, Rng& rng);

  // n rows [attribute][row]: chunks of kSampleChunk rows, chunk c from
  // Rng(seed, stream_id(StreamPurpose::sample, c)); identical for any `threads`. Cubes are
  // independent of each other. With fixed_attr >= 0 and fixed_values (n entries, codes of that
  // attribute), the attribute takes those values and the rest of its cube is drawn from the
  // histogram's conditional given it; the other cubes as without.
  std::vector<std::vector<int32_t>> sample(
      size_t n, uint64_t seed, int threads, int fixed_attr = -1,
      const std::vector<int32_t>* fixed_values = nullptr) const;

  // The attributes of each cube (the first is keep_together's when it was given).
  const std::vector<std::vector<int>>& cubes() const { return cubes_; }
  // The learnt joint histogram of a cube, row-major over cubes()[c] (first attribute slowest),
  // summing to total().
  const std::vector<double>& histogram(size_t c) const { return hist_[c]; }
  double total() const { return total_; }  // the noisy row count
  // Epsilon actually consumed (<= options.epsilon: a keep_together selection with fewer picks
  // than planned leaves some unspent).
  double epsilon_spent() const { return epsilon_spent_; }

  void save(ArchiveWriter& out) const;
  void load(ArchiveReader& in);

 private:
  std::vector<int> sizes_;
  std::vector<std::vector<int>> cubes_;
  std::vector<std::vector<double>> hist_;
  double total_ = 0;
  double epsilon_spent_ = 0;
};

}  // namespace calm
