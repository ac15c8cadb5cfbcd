// Adversarial validation (see include/calm/eval/adversarial.hpp): the "discriminator" test of
// synthetic data — if a strong classifier cannot tell synthetic rows from real ones, their joint
// distributions agree in every way the classifier can see (the idea behind two-sample classifier
// tests, Lopez-Paz & Oquab 2017, "Revisiting classifier two-sample tests").
//
// Features: every non-id column of the schema, one feature per column (see
// learn/feature_encoding.hpp: numbers shifted, datetimes in days, categorical/boolean
// levels as codes split natively as sets of levels), so the importance of a feature is the
// importance of its column. Rows are weighted so both sides carry equal total weight, which
// keeps the 0.5 threshold of accuracy meaningful when the two tables differ in size.
#include "calm/eval/adversarial.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "core/parallel.hpp"
#include "eval/ml_efficacy_metrics.hpp"
#include "learn/feature_encoding.hpp"

namespace calm {

namespace {

constexpr uint64_t kRealSample = 1, kSyntheticSample = 2, kFolds = 3, kBoosters = 16;

std::vector<std::string> feature_columns(const Table& real, const Table& synthetic,
                                         const Schema& schema) {
  std::vector<std::string> cols;
  for (const auto& s : schema.columns) {
    if (s.semantic == SemanticType::id) continue;
    for (const Table* t : {&real, &synthetic})
      if (!t->has(s.name))
        throw DataError("adversarial validation: the " +
                        std::string(t == &real ? "real" : "synthetic") + " table has no column '" +
                        s.name + "' of the schema; its columns: " + join_names(t->column_names()));
    cols.push_back(s.name);
  }
  if (cols.empty())
    throw DataError("adversarial validation needs at least one non-id column in the schema");
  return cols;
}

std::string interpret(double auc, const std::string& top) {
  std::string verdict;
  if (auc < 0.4)
    verdict =
        "below chance (AUC < 0.4): typical of synthetic rows that copy real rows — a held-out "
        "real row's synthetic twin is among the training rows with the other label; check the "
        "privacy metrics (distance to closest record)";
  else if (auc <= 0.6)
    verdict = "indistinguishable: the classifier does little better than chance (AUC <= 0.6)";
  else if (auc <= 0.7)
    verdict = "hard to distinguish: weak differences a classifier can pick up (0.6 < AUC <= 0.7)";
  else if (auc <= 0.8)
    verdict = "partly distinguishable: clear differences in some columns (0.7 < AUC <= 0.8)";
  else if (auc <= 0.9)
    verdict = "easily distinguishable (0.8 < AUC <= 0.9)";
  else
    verdict = "trivially distinguishable: the synthetic rows are recognisable (AUC > 0.9)";
  if (auc > 0.6 && !top.empty()) verdict += "; the most telling column is '" + top + "'";
  return verdict;
}

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double stdev(const std::vector<double>& v) {
  const double m = mean(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size()));
}

}  // namespace

Json adversarial_validation(const Table& real, const Table& synthetic, const Schema& schema,
                            const AdversarialOptions& options) {
  if (options.folds < 2)
    throw InvalidArgument("adversarial validation needs folds >= 2, got " +
                          std::to_string(options.folds));
  if (options.max_rows_per_side < 2)
    throw InvalidArgument("adversarial validation needs max_rows_per_side >= 2, got " +
                          std::to_string(options.max_rows_per_side));
  const std::vector<std::string> cols = feature_columns(real, synthetic, schema);
  const size_t fewest = std::min(real.num_rows(), synthetic.num_rows());
  if (fewest < 2)
    throw DataError("adversarial validation needs at least 2 rows on each side; got " +
                    std::to_string(real.num_rows()) + " real and " +
                    std::to_string(synthetic.num_rows()) + " synthetic");

  const uint64_t base = stream_id(StreamPurpose::eval, 0);
  const Table r = real.take_rows(eval::sample_indices(real.num_rows(), options.max_rows_per_side,
                                                      options.seed, base + kRealSample));
  const Table s = synthetic.take_rows(eval::sample_indices(
      synthetic.num_rows(), options.max_rows_per_side, options.seed, base + kSyntheticSample));
  xgb::FeatureEncoder enc = xgb::FeatureEncoder::fit(r, schema, cols);
  enc.add_levels(s);
  const xgb::DenseMatrix xr = enc.encode(r), xs = enc.encode(s);
  xgb::DenseMatrix x;
  x.rows = xr.rows + xs.rows;
  x.cols = xr.cols;
  x.categorical = xr.categorical;
  x.values = xr.values;
  x.values.insert(x.values.end(), xs.values.begin(), xs.values.end());
  std::vector<int> label(x.rows, 0);
  std::fill(label.begin() + static_cast<ptrdiff_t>(xr.rows), label.end(), 1);
  const float w_real = static_cast<float>(x.rows) / (2.0f * static_cast<float>(xr.rows));
  const float w_synth = static_cast<float>(x.rows) / (2.0f * static_cast<float>(xs.rows));

  const int folds = static_cast<int>(std::min<size_t>(options.folds, std::min(xr.rows, xs.rows)));
  const std::vector<int> fold = eval::stratified_folds(label, folds, options.seed, base + kFolds);
  std::vector<double> auc(folds), acc(folds), bal(folds);
  std::vector<std::vector<double>> gain(folds);
  std::vector<int> all_cols(x.cols);
  std::iota(all_cols.begin(), all_cols.end(), 0);
  parallel_tasks(folds, eval::resolve_threads(options.threads), [&](size_t f) {
    std::vector<int64_t> train, test;
    for (size_t i = 0; i < x.rows; ++i)
      (fold[i] == static_cast<int>(f) ? test : train).push_back(static_cast<int64_t>(i));
    std::vector<float> y, w;
    for (int64_t i : train)
      y.push_back(static_cast<float>(label[i])), w.push_back(label[i] ? w_synth : w_real);
    xgb::Booster b;
    b.train(x.subset(train, all_cols), y,
            eval::evaluation_booster(xgb::Objective::binary, 2,
                                     Rng(options.seed, base + kBoosters + f).next_u64()),
            w);
    const std::vector<float> p = b.predict(x.subset(test, all_cols));
    std::vector<uint8_t> pos(test.size());
    double hit = 0, hit_real = 0, hit_synth = 0, n_real = 0, n_synth = 0;
    for (size_t i = 0; i < test.size(); ++i) {
      pos[i] = static_cast<uint8_t>(label[test[i]]);
      const bool right = (p[i] >= 0.5f) == (pos[i] == 1);
      hit += right;
      (pos[i] ? hit_synth : hit_real) += right;
      (pos[i] ? n_synth : n_real) += 1;
    }
    auc[f] = eval::roc_auc(p, pos).value_or(0.5);
    acc[f] = hit / static_cast<double>(test.size());
    bal[f] = (hit_real / n_real + hit_synth / n_synth) / 2;
    gain[f] = b.importance("gain");
  });

  // Each fold's mean split gains as shares of their sum, averaged over the folds. The mean gain
  // (XGBoost's default importance) ranks a column by how decisive its splits are; the total gain
  // would favour columns split many times on noise.
  std::vector<double> total(x.cols, 0.0);
  for (const auto& g : gain) {
    const double fold_sum = std::accumulate(g.begin(), g.end(), 0.0);
    if (fold_sum > 0)
      for (size_t c = 0; c < x.cols; ++c) total[c] += g[c] / fold_sum / folds;
  }
  const double sum = std::accumulate(total.begin(), total.end(), 0.0);
  std::vector<size_t> order(x.cols);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return total[a] > total[b]; });
  Json importance = Json::array();
  for (size_t c : order)
    importance.push_back({{"column", cols[c]}, {"gain", sum > 0 ? total[c] / sum : 0.0}});

  const double m = mean(auc);
  Json out;
  out["roc_auc"] = m;
  out["roc_auc_std"] = stdev(auc);
  out["fold_roc_auc"] = auc;
  out["accuracy"] = mean(acc);
  out["balanced_accuracy"] = mean(bal);
  out["folds"] = folds;
  out["rows"] = {{"real", xr.rows},
                 {"synthetic", xs.rows},
                 {"real_total", real.num_rows()},
                 {"synthetic_total", synthetic.num_rows()}};
  out["feature_importance"] = importance;
  out["importance_type"] =
      "mean split gain (XGBoost 'gain') as a share of all columns', averaged over the folds; one "
      "feature per column: numbers as values, categorical/boolean as native categorical level "
      "codes";
  out["model"] = "XGBoost hist, leaf-wise: 100 rounds, learning rate 0.1, 31 leaves, depth <= 6";
  out["interpretation"] = interpret(m, sum > 0 ? cols[order[0]] : "");
  return out;
}

}  // namespace calm
