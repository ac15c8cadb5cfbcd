// Prediction metrics and seeded splits shared by adversarial validation and ML efficacy:
// rank-based ROC-AUC (the Mann-Whitney U statistic, ties counted one half — Hanley & McNeil
// 1982), accuracy, macro F1, R^2, MAE, and stratified splits drawn from Philox streams.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "learn/xgb_booster.hpp"

namespace calm::eval {

// P(score of a positive > score of a negative); nullopt when one class is absent.
std::optional<double> roc_auc(const std::vector<float>& scores,
                              const std::vector<uint8_t>& positive);

// Multiclass: one-vs-rest AUC averaged over the classes that occur in `truth` (and do not make up
// all of it) — sklearn's roc_auc_score(multi_class="ovr", average="macro") on those classes.
// `prob` is rows x k row-major; k == 1 means binary with prob = P(class 1).
std::optional<double> roc_auc_ovr(const std::vector<float>& prob, size_t k,
                                  const std::vector<int>& truth);

double accuracy(const std::vector<int>& predicted, const std::vector<int>& truth);
// Macro F1 over the classes in truth or predicted (sklearn's f1_score(average="macro")).
double macro_f1(const std::vector<int>& predicted, const std::vector<int>& truth);
// R^2 = 1 - SS_res / SS_tot (nullopt when the truth is constant) and mean absolute error.
std::optional<double> r2(const std::vector<double>& predicted, const std::vector<double>& truth);
double mae(const std::vector<double>& predicted, const std::vector<double>& truth);

// Fold (0..folds-1) of each row: within each class the rows are shuffled with Philox stream
// (seed, stream) and dealt round-robin, so every fold holds each class in proportion.
std::vector<int> stratified_folds(const std::vector<int>& classes, int folds, uint64_t seed,
                                  uint64_t stream);

// `count` distinct indices of [0, n), ascending, drawn uniformly (all of them when count >= n).
std::vector<int64_t> sample_indices(size_t n, size_t count, uint64_t seed, uint64_t stream);

// The boosters' settings for evaluation: 100 rounds at learning rate 0.1, 31 leaves grown
// leaf-wise, depth at most 6 — strong defaults that need no tuning per data set.
xgb::BoosterParams evaluation_booster(xgb::Objective objective, int num_class, uint64_t seed);

// Worker threads for an evaluation option (<= 0: all cores).
int resolve_threads(int threads);

}  // namespace calm::eval
