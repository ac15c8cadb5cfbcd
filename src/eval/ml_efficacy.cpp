// Machine-learning efficacy (see include/calm/eval/ml_efficacy.hpp): "train on synthetic, test on
// real" (TSTR, Esteban, Hyland & Rätsch 2017; the ML-efficacy score of Xu et al. 2019) against
// "train on real, test on real" (TRTR) on one real hold-out, both with the same XGBoost model, so
// the ratio says how much of the real data's predictive signal the synthetic data kept.
//
// The real rows whose target is present are split once (seeded; stratified by class for
// classification); synthetic rows with a missing target are left out. Features are every other
// non-id column of the schema, encoded as in learn/feature_encoding.hpp with levels
// learnt from the real training rows (levels seen only elsewhere get codes of their own).
#include "calm/eval/ml_efficacy.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "core/parallel.hpp"
#include "eval/ml_efficacy_metrics.hpp"
#include "learn/feature_encoding.hpp"

namespace calm {

namespace {

constexpr uint64_t kSplit = 64, kBoosters = 65, kSampleStreams = 68;  // boosters use 65, 66

struct Task {
  bool classification = false;
  int classes = 0;  // classification: number of target levels
};

// The rows of `t` with a present target.
std::vector<int64_t> labelled_rows(const Table& t, const std::string& target) {
  const Column& c = t.column(target);
  std::vector<int64_t> rows;
  for (size_t r = 0; r < c.size(); ++r)
    if (!c.is_missing(r)) rows.push_back(static_cast<int64_t>(r));
  return rows;
}

// Hold-out rows: for each class (one class for regression) a seeded random share of
// holdout_fraction, at least one row when the class has two or more.
// `rows` itself, or a seeded uniform sample of `most` of them kept in row order (0 = all).
std::vector<int64_t> at_most(std::vector<int64_t> rows, size_t most, uint64_t seed,
                             uint64_t stream) {
  if (most == 0) return rows;
  Rng rng(seed, stream_id(StreamPurpose::eval, kSampleStreams + stream));
  keep_random_subset(rows, most, rng);
  return rows;
}

std::vector<bool> holdout_split(const std::vector<int>& cls, double fraction, uint64_t seed) {
  std::vector<bool> hold(cls.size(), false);
  std::map<int, std::vector<size_t>> rows;
  for (size_t i = 0; i < cls.size(); ++i) rows[cls[i]].push_back(i);
  Rng rng(seed, stream_id(StreamPurpose::eval, kSplit));
  for (auto& [c, idx] : rows) {
    for (size_t i = idx.size(); i > 1; --i) std::swap(idx[i - 1], idx[rng.below(i)]);
    size_t k = static_cast<size_t>(std::llround(fraction * static_cast<double>(idx.size())));
    k = idx.size() >= 2 ? std::clamp<size_t>(k, 1, idx.size() - 1) : 0;
    for (size_t i = 0; i < k; ++i) hold[idx[i]] = true;
  }
  return hold;
}

Json ratio(const Json& tstr, const Json& trtr) {
  Json out = Json::object();
  for (auto it = trtr.begin(); it != trtr.end(); ++it) {
    const Json& a = tstr[it.key()];
    const Json& b = it.value();
    out[it.key()] = (a.is_number() && b.is_number() && b.get<double>() > 0)
                        ? Json(a.get<double>() / b.get<double>())
                        : Json(nullptr);
  }
  return out;
}

Json optional_json(const std::optional<double>& v) {
  return v ? Json(*v) : Json(nullptr);
}

}  // namespace

Json ml_efficacy(const Table& real, const Table& synthetic, const Schema& schema,
                 const std::string& target_col, const MlEfficacyOptions& options) {
  if (!(options.holdout_fraction > 0 && options.holdout_fraction < 1))
    throw InvalidArgument("ml_efficacy holdout_fraction must be in (0, 1), got " +
                          std::to_string(options.holdout_fraction));
  std::vector<std::string> names;
  for (const auto& s : schema.columns) names.push_back(s.name);
  if (std::find(names.begin(), names.end(), target_col) == names.end())
    throw InvalidArgument("ml_efficacy target '" + target_col +
                          "' is not a column of the schema; columns: " + join_names(names));
  const ColumnSchema& ts = schema[target_col];
  Task task;
  if (ts.semantic == SemanticType::categorical || ts.semantic == SemanticType::boolean)
    task.classification = true;
  else if (ts.semantic != SemanticType::numerical)
    throw InvalidArgument("ml_efficacy target '" + target_col + "' is " + to_string(ts.semantic) +
                          "; it must be categorical or boolean (classification) or numerical "
                          "(regression)");
  std::vector<std::string> features;
  for (const auto& s : schema.columns) {
    if (s.semantic == SemanticType::id) continue;
    for (const Table* t : {&real, &synthetic})
      if (!t->has(s.name))
        throw DataError("ml_efficacy: the " + std::string(t == &real ? "real" : "synthetic") +
                        " table has no column '" + s.name + "' of the schema");
    if (s.name != target_col) features.push_back(s.name);
  }
  if (features.empty())
    throw DataError("ml_efficacy needs at least one feature column besides the target '" +
                    target_col + "'");

  const Table r = real.take_rows(labelled_rows(real, target_col));
  const Table syn = synthetic.take_rows(
      at_most(labelled_rows(synthetic, target_col), options.max_train_rows, options.seed, 1));
  if (r.num_rows() < 4)
    throw DataError("ml_efficacy needs at least 4 real rows with a target value, got " +
                    std::to_string(r.num_rows()));
  if (syn.num_rows() == 0)
    throw DataError("ml_efficacy: no synthetic row has a value of the target '" + target_col + "'");

  // Target: class codes from an encoder over real then synthetic levels, or the value.
  std::optional<Table> given_holdout;
  if (options.holdout) {
    for (const auto& name : features)
      if (!options.holdout->has(name))
        throw DataError("ml_efficacy: the hold-out table has no column '" + name + "'");
    if (!options.holdout->has(target_col))
      throw DataError("ml_efficacy: the hold-out table has no target column '" + target_col + "'");
    given_holdout = options.holdout->take_rows(labelled_rows(*options.holdout, target_col));
    if (given_holdout->num_rows() == 0)
      throw DataError("ml_efficacy: no hold-out row has a value of the target '" + target_col +
                      "'");
  }
  xgb::FeatureEncoder target_enc = xgb::FeatureEncoder::fit(r, schema, {target_col});
  target_enc.add_levels(syn);
  if (given_holdout) target_enc.add_levels(*given_holdout);
  auto classes_of = [&](const Table& t) {
    std::vector<int> c(t.num_rows(), 0);
    if (task.classification)
      for (size_t i = 0; i < c.size(); ++i) c[i] = target_enc.level(0, t.column(target_col), i);
    return c;
  };
  const std::vector<int> real_cls = classes_of(r), syn_cls = classes_of(syn);
  task.classes = static_cast<int>(target_enc.feature(0).level_names.size());
  if (task.classification && target_enc.feature(0).level_count.size() > 0) {
    size_t real_levels = 0;
    for (size_t k : target_enc.feature(0).level_count) real_levels += k > 0;
    if (real_levels < 2)
      throw DataError("ml_efficacy: the real target '" + target_col +
                      "' has a single class; classification needs two or more");
  }
  // TRTR trains on every real row when the hold-out is given, else on a seeded split of them.
  std::vector<int64_t> train_rows, test_rows;
  if (given_holdout) {
    for (size_t i = 0; i < r.num_rows(); ++i) train_rows.push_back(static_cast<int64_t>(i));
  } else {
    const std::vector<bool> hold = holdout_split(real_cls, options.holdout_fraction, options.seed);
    for (size_t i = 0; i < hold.size(); ++i)
      (hold[i] ? test_rows : train_rows).push_back(static_cast<int64_t>(i));
  }
  train_rows = at_most(std::move(train_rows), options.max_train_rows, options.seed, 2);
  const Table train = r.take_rows(train_rows);
  const Table test = given_holdout ? *given_holdout : r.take_rows(test_rows);

  xgb::FeatureEncoder enc = xgb::FeatureEncoder::fit(train, schema, features);
  enc.add_levels(test);
  enc.add_levels(syn);
  const xgb::DenseMatrix x_train = enc.encode(train), x_test = enc.encode(test),
                         x_syn = enc.encode(syn);
  auto values_of = [&](const Table& t) {
    std::vector<double> v(t.num_rows());
    for (size_t i = 0; i < v.size(); ++i) v[i] = t.column(target_col).numeric(i);
    return v;
  };
  const std::vector<int> test_cls = classes_of(test);
  const std::vector<double> test_y = values_of(test);

  const bool binary = task.classification && task.classes == 2;
  const xgb::Objective objective = !task.classification ? xgb::Objective::regression
                                   : binary             ? xgb::Objective::binary
                                                        : xgb::Objective::multiclass;
  // Model 0 learns from the real training rows (TRTR), model 1 from the synthetic rows (TSTR).
  std::vector<Json> metrics(2);
  parallel_tasks(2, std::min(2, eval::resolve_threads(options.threads)), [&](size_t k) {
    const xgb::DenseMatrix& x = k == 0 ? x_train : x_syn;
    std::vector<float> labels(x.rows);
    double mean = 0, scale = 1;
    if (task.classification) {
      for (size_t i = 0; i < x.rows; ++i)
        labels[i] = static_cast<float>(k == 0 ? real_cls[train_rows[i]] : syn_cls[i]);
    } else {
      const std::vector<double> y = values_of(k == 0 ? train : syn);
      mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
      double ss = 0;
      for (double v : y) ss += (v - mean) * (v - mean);
      scale = std::sqrt(ss / static_cast<double>(y.size()));
      if (!(scale > 0)) scale = 1;
      for (size_t i = 0; i < y.size(); ++i) labels[i] = static_cast<float>((y[i] - mean) / scale);
    }
    xgb::Booster b;
    b.train(x, labels,
            eval::evaluation_booster(
                objective, std::max(2, task.classes),
                Rng(options.seed, stream_id(StreamPurpose::eval, kBoosters + k)).next_u64()));
    const std::vector<float> p = b.predict(x_test);
    Json m;
    if (task.classification) {
      const size_t kc = binary ? 1 : static_cast<size_t>(task.classes);
      std::vector<int> pred(test_cls.size());
      for (size_t i = 0; i < pred.size(); ++i) {
        if (binary) {
          pred[i] = p[i] >= 0.5f ? 1 : 0;
        } else {
          const float* row = p.data() + i * kc;
          pred[i] = static_cast<int>(std::max_element(row, row + kc) - row);
        }
      }
      m["accuracy"] = eval::accuracy(pred, test_cls);
      m["f1"] = eval::macro_f1(pred, test_cls);
      m["roc_auc"] = optional_json(eval::roc_auc_ovr(p, kc, test_cls));
    } else {
      std::vector<double> pred(p.size());
      for (size_t i = 0; i < p.size(); ++i) pred[i] = p[i] * scale + mean;
      m["r2"] = optional_json(eval::r2(pred, test_y));
      m["mae"] = eval::mae(pred, test_y);
    }
    metrics[k] = std::move(m);
  });

  Json out;
  out["task"] = task.classification ? "classification" : "regression";
  out["target"] = target_col;
  if (task.classification) out["classes"] = task.classes;
  out["rows"] = {
      {"train", train.num_rows()}, {"holdout", test.num_rows()}, {"synthetic", syn.num_rows()}};
  out["trtr"] = metrics[0];
  out["tstr"] = metrics[1];
  out["ratio"] = ratio(metrics[1], metrics[0]);
  out["model"] = "XGBoost hist, leaf-wise: 100 rounds, learning rate 0.1, 31 leaves, depth <= 6";
  out["note"] =
      "ratio = TSTR / TRTR per metric (null when TRTR <= 0 or a metric is undefined); near 1 the "
      "synthetic data trains models as good as the real data; for mae above 1 is worse";
  return out;
}

}  // namespace calm
