// `smote` and `adasyn`: class-balanced resampling in which the missing rows of a class are
// synthesised by interpolating between a real row and one of its k nearest neighbours of the same
// class — SMOTE (Chawla, Bowyer, Hall & Kegelmeyer 2002, JAIR 16) with SMOTE-NC for categorical
// features, and ADASYN (He, Bai, Garcia & Li 2008, IJCNN), which seeds more points from rows whose
// K nearest neighbours in the whole data are mostly of other classes.
//
// n_samples semantics: the output has exactly n_samples rows. Each class gets a target count:
// n_samples split equally over the classes (remainders to the first classes in value order), or
// the shares requested on the target column (custom_distributions / balance_target;
// can_condition() is true for the target column only). A class keeps its real rows up to its
// target and synthesises only the shortfall, like imbalanced-learn's fit_resample (with
// n_samples = classes x majority count the output is exactly its balanced resample). A class with
// more real rows than its target returns a uniform random subset of them (without replacement),
// so a small n_samples gives a stratified, balanced subsample. With synthetic_only=true no real
// row is returned: every row is synthetic (majority classes too).
// Row order: the kept real rows in input order, then the synthetic rows class by class.
//
// One synthetic row of class c: a seed row s of class c (SMOTE: uniform; ADASYN: with probability
// r_s / sum r, where r_s is the share of other-class rows among its K nearest neighbours in the
// whole data, so the number of points each seed makes is r_hat_s * G in expectation); a neighbour
// t drawn uniformly among the k nearest rows of class c to s; a gap u ~ U(0, 1). Numeric features
// are s + u (t - s), every feature with the same u, so the point lies on the segment [s, t].
// Categorical and boolean features take the most frequent value among s's k neighbours (ties: the
// lowest value; SMOTE-NC). Datetimes interpolate as numbers; ids get fresh keys (all rows).
// Neighbour searches run only for the classes that need synthetic rows, at sampling time.
//
// Degenerate inputs: a class with a single row yields copies of it (with a warning); a class with
// m <= k rows uses k = m - 1 (with a warning). A constant column stays constant. With only
// categorical features the distance counts mismatches (SMOTE-NC with Med = 1). A missing numeric
// value is replaced by its class median for the distance only; in the output a feature missing in
// s stays missing, and one missing in t (present in s) copies s's value. Rows whose class is
// missing are not used.
#pragma once

#include <optional>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/synthesizer.hpp"
#include "models/oversampling/feature_space.hpp"
#include "models/oversampling/neighbours.hpp"
#include "models/oversampling/resample_output.hpp"
#include "transform/mixed_layout.hpp"

namespace calm {

enum class OversamplingKind { smote, adasyn };

class OversamplingSynthesizer final : public Synthesizer {
 public:
  explicit OversamplingSynthesizer(OversamplingKind kind) : kind_(kind) {}
  static ParamSpec param_spec(OversamplingKind kind);

  void fit(const Table& data, const FitContext& ctx) override;
  Table sample(size_t n, const SampleContext& ctx) const override;
  bool can_condition() const override { return true; }
  bool concurrent_sampling() const override { return true; }
  // The fitted state of an instance-based method is its training table (and the schema that
  // splits it into features), so that is what is saved; load() redoes fit's O(n) preparation.
  void save(ArchiveWriter& out) const override;
  void load(ArchiveReader& in) override;

  // Per class (in class_values() order): the class's training rows and the k actually used
  // (min(k, members - 1)).
  const std::vector<double>& class_values() const { return class_values_; }
  const std::vector<uint32_t>& class_rows(size_t c) const { return classes_[c].rows; }
  size_t neighbours_used(size_t c) const { return classes_[c].k; }
  // ADASYN's r_i of every member of class c.
  std::vector<double> density_ratios(size_t c, int threads = 1) const;

 private:
  void prepare(const Logger& log);
  std::vector<size_t> class_targets(size_t n, const SampleContext& ctx) const;
  ResamplePlan plan(const std::vector<size_t>& targets, const SampleContext& ctx) const;

  OversamplingKind kind_;
  // What fit() was given and chose.
  Table data_;
  Schema schema_;
  size_t target_ = 0, k_ = 5;
  bool synthetic_only_ = false;
  // Derived from the above by prepare().
  FeatureMatrix features_;
  std::vector<double> class_values_;  // Column::numeric encoding, increasing
  std::vector<ClassGroup> classes_;
  std::vector<OutputColumn> columns_;
};

}  // namespace calm
