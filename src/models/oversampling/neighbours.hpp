// The neighbourhood work of SMOTE / SMOTE-NC (Chawla et al. 2002) and ADASYN (He et al. 2008),
// done at sampling time and only for the classes that need synthetic rows: the k nearest
// same-class neighbours of the seeds actually drawn, their SMOTE-NC votes for every discrete
// feature, and ADASYN's density ratio r_i (the share of other-class rows among the K nearest rows
// of the whole data). Queries are exact and independent, so results do not depend on the thread
// count.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/oversampling/feature_space.hpp"
#include "transform/knn.hpp"

namespace calm {

// One class of the training data, as fit() groups it.
struct ClassGroup {
  std::vector<uint32_t> rows;  // training rows of the class, increasing
  size_t k = 0;                // neighbours used: min(k, rows - 1)
  std::vector<double> fill;    // per numeric feature: the class median (distance only)
};

// Neighbours of the drawn seeds of one class.
struct SeedNeighbours {
  std::vector<int64_t> position;     // per class member: its row below, -1 when not a seed
  std::vector<uint32_t> neighbours;  // seeds x k, training row numbers, closest first
  std::vector<int32_t> votes;        // seeds x q: most frequent level among the k neighbours
};

// `is_seed[m]` marks the class members that were drawn as seeds. Requires g.k > 0.
SeedNeighbours seed_neighbours(const FeatureMatrix& f, const ClassGroup& g,
                               const std::vector<uint8_t>& is_seed, int threads);

// ADASYN's r_i over the whole labelled data: built once, queried per class.
class DensityRatios {
 public:
  DensityRatios(const FeatureMatrix& f, const std::vector<ClassGroup>& classes, size_t k);
  // r_i of every member of class c, in class order.
  std::vector<double> of_class(size_t c, int threads) const;
  size_t k() const { return k_; }

 private:
  std::vector<size_t> offset_;  // first index of each class in the index
  std::vector<int> group_;      // class of each indexed point
  size_t k_ = 0;
  std::unique_ptr<KnnIndex> index_;
};

}  // namespace calm
