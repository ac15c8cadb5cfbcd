// `smote` and `adasyn`: synthetic rows made by interpolating between a real row and one of its k
// nearest neighbours of the same class — SMOTE (Chawla, Bowyer, Hall & Kegelmeyer 2002, JAIR 16)
// with SMOTE-NC for categorical features, and ADASYN (He, Bai, Garcia & Li 2008, IJCNN), which
// seeds more points from rows whose K nearest neighbours in the whole data are mostly of other
// classes.
//
// n_samples semantics: the output has exactly n_samples rows, and every row is synthetic. The
// class mix is balanced (each class n_samples / classes rows, remainders to the first classes in
// value order), or follows the shares requested on the target column (custom_distributions /
// balance_target; can_condition() is true for the target column only). Rows of all classes,
// majority included, are SMOTE points of that class's real rows; rows are shuffled across classes.
//
// One synthetic row of class c: a seed row s of class c (SMOTE: uniform; ADASYN: with probability
// r_s / sum r, where r_s is the share of other-class rows among its K nearest neighbours in the
// whole data, so the number of points each seed makes is r_hat_s * G in expectation); a neighbour
// t drawn uniformly among the k nearest rows of class c to s; a gap u ~ U(0, 1). Numeric features
// are s + u (t - s), every feature with the same u, so the point lies on the segment [s, t].
// Categorical and boolean features take the most frequent value among s's k neighbours (ties: the
// lowest value; SMOTE-NC). Datetimes interpolate as numbers; ids get fresh keys.
//
// Degenerate inputs: a class with a single row yields copies of it (with a warning); a class with
// m <= k rows uses k = m - 1. A constant column stays constant. With only categorical features the
// distance counts mismatches (SMOTE-NC with Med = 1). A missing numeric value is replaced by its
// class median for the distance only; in the output a feature missing in s stays missing, and one
// missing in t (present in s) copies s's value. Rows whose class is missing are not used.
#pragma once

#include <memory>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/synthesizer.hpp"
#include "models/mixture/mixed_layout.hpp"
#include "models/oversampling/feature_space.hpp"
#include "transform/knn.hpp"

namespace calm {

enum class OversamplingKind { smote, adasyn };

class OversamplingSynthesizer final : public Synthesizer {
 public:
  explicit OversamplingSynthesizer(OversamplingKind kind) : kind_(kind) {}
  static ParamSpec param_spec(OversamplingKind kind);

  void fit(const Table& data, const FitContext& ctx) override;
  Table sample(size_t n, const SampleContext& ctx) const override;
  bool can_condition() const override { return true; }

  // Per class (in class_values() order): the class's rows and, for ADASYN, each row's r_i.
  const std::vector<double>& class_values() const { return class_values_; }
  const std::vector<uint32_t>& class_rows(size_t c) const { return classes_[c].rows; }
  const std::vector<double>& density_ratios(size_t c) const { return classes_[c].ratio; }
  // The k actually used for class c (min(k, members - 1)).
  size_t neighbours_used(size_t c) const { return classes_[c].k; }

 private:
  struct ClassModel {
    std::vector<uint32_t> rows;       // training rows of the class
    std::unique_ptr<KnnIndex> index;  // over the class's rows (local indices)
    size_t k = 0;
    std::vector<double> ratio;       // ADASYN r_i, per member
    std::vector<double> cumulative;  // seed selection weights, cumulative (empty: uniform)
  };
  std::vector<size_t> class_counts(size_t n, const SampleContext& ctx) const;

  OversamplingKind kind_;
  MixedLayout layout_;
  FeatureMatrix features_;
  std::vector<size_t> feature_discretes_;  // layout discrete index of each feature discrete
  int target_discrete_ = -1;               // layout discrete index of the class column
  std::string target_name_;
  std::vector<double> class_values_;  // Column::numeric encoding, increasing
  std::vector<int> class_levels_;     // layout level index of each class
  std::vector<ClassModel> classes_;
};

}  // namespace calm
