// The random forests of the sequence metrics, on learn/'s CART forest (Breiman 2001): a
// classifier's out-of-fold probabilities (the discriminator) and a regressor's predictions
// (the predictive score). A leaf's prediction is the mean label / value of the training rows
// that reach it; the forest's is the mean over its trees.
#pragma once

#include <cstdint>
#include <vector>

#include "eval/sequence_features.hpp"
#include "learn/binning.hpp"

namespace calm::eval {

tree::BinnedData bin_features(const FeatureMatrix& f, int threads);

// P(label 1) of each row from a forest fitted on the other folds (stratified k-fold).
std::vector<float> forest_oof_probability(const tree::BinnedData& x, const std::vector<int>& label,
                                          int folds, int trees, uint64_t seed, int threads);

// Predictions for the `test` rows of a regression forest fitted on the `train` rows whose target
// is not NaN; NaN predictions when no training row has a target.
std::vector<double> forest_predict(const tree::BinnedData& x, const std::vector<double>& target,
                                   const std::vector<int32_t>& train,
                                   const std::vector<int32_t>& test, int trees, uint64_t seed,
                                   uint64_t stream, int threads);

}  // namespace calm::eval
