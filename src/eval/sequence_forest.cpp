// Forest classifier and regressor of the sequence metrics (see sequence_forest.hpp).
#include "eval/sequence_forest.hpp"

#include <cmath>
#include <limits>

#include "calm/core/rng.hpp"
#include "eval/ml_efficacy_metrics.hpp"
#include "learn/forest.hpp"

namespace calm::eval {
namespace {

constexpr uint64_t kFoldStream = 0x5E0F0000, kForestStream = 0x5E0F1000;

tree::ForestParams forest_params(int trees, bool classification) {
  tree::ForestParams p;
  p.n_estimators = trees;
  p.bootstrap = true;
  p.max_features.kind =
      classification ? tree::MaxFeatures::Kind::sqrt : tree::MaxFeatures::Kind::fraction;
  p.max_features.value = 1.0 / 3.0;
  p.tree.min_samples_leaf = classification ? 1 : 5;
  return p;
}

// Mean over the trees of the mean of `value` over the training rows in the leaf `row` reaches.
double predict(const tree::Forest& forest, const uint8_t* row, const double* value) {
  double sum = 0;
  for (const auto& t : forest.trees()) {
    double s = 0;
    const auto donors = t.donors(t.leaf(row));
    for (int32_t d : donors) s += value[d];
    sum += donors.empty() ? 0 : s / static_cast<double>(donors.size());
  }
  return sum / static_cast<double>(forest.trees().size());
}

std::vector<int> all_features(const tree::BinnedData& x) {
  std::vector<int> f(x.cols);
  for (size_t c = 0; c < x.cols; ++c) f[c] = static_cast<int>(c);
  return f;
}

}  // namespace

tree::BinnedData bin_features(const FeatureMatrix& f, int threads) {
  std::vector<Column> cols;
  for (size_t j = 0; j < f.names.size(); ++j)
    cols.push_back(Column::float64(f.names[j], f.columns[j]));
  std::vector<const Column*> ptrs;
  for (const Column& c : cols) ptrs.push_back(&c);
  return tree::BinnedData::build(ptrs, f.categorical, threads);
}

std::vector<float> forest_oof_probability(const tree::BinnedData& x, const std::vector<int>& label,
                                          int folds, int trees, uint64_t seed, int threads) {
  const std::vector<int> fold = stratified_folds(label, folds, seed, kFoldStream);
  std::vector<uint8_t> labels(label.begin(), label.end());
  std::vector<double> value(label.begin(), label.end());
  tree::TreeTarget target;
  target.num_classes = 2;
  target.labels = labels.data();
  std::vector<float> p(label.size(), 0.5f);
  for (int f = 0; f < folds; ++f) {
    std::vector<int32_t> train, test;
    for (size_t i = 0; i < label.size(); ++i)
      (fold[i] == f ? test : train).push_back(static_cast<int32_t>(i));
    if (train.empty() || test.empty()) continue;
    tree::Forest forest;
    forest.fit(x, all_features(x), target, train, forest_params(trees, true), seed,
               kForestStream + static_cast<uint64_t>(f) * 4096, threads);
    for (int32_t r : test) p[r] = static_cast<float>(predict(forest, x.row(r), value.data()));
  }
  return p;
}

std::vector<double> forest_predict(const tree::BinnedData& x, const std::vector<double>& target,
                                   const std::vector<int32_t>& train,
                                   const std::vector<int32_t>& test, int trees, uint64_t seed,
                                   uint64_t stream, int threads) {
  std::vector<int32_t> rows;
  for (int32_t r : train)
    if (!std::isnan(target[r])) rows.push_back(r);
  std::vector<double> out(test.size(), std::numeric_limits<double>::quiet_NaN());
  if (rows.empty()) return out;
  tree::TreeTarget t;
  t.values = target.data();
  tree::Forest forest;
  forest.fit(x, all_features(x), t, rows, forest_params(trees, false), seed,
             kForestStream + stream * 65536, threads);
  for (size_t i = 0; i < test.size(); ++i) out[i] = predict(forest, x.row(test[i]), target.data());
  return out;
}

}  // namespace calm::eval
