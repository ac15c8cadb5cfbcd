// The sequence metrics (see calm/eval/sequence_metrics.hpp): both tables read as sequences with
// the real table's column roles, then lengths, lag correlations, the forest discriminator, the
// forest next-step predictor and the consistency rules.
#include "calm/eval/sequence_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "calm/core/error.hpp"
#include "calm/eval/quality.hpp"
#include "eval/ml_efficacy_metrics.hpp"
#include "eval/sequence_forest.hpp"

namespace calm {
namespace {

using eval::SequenceSide;

std::optional<double> mean_of(const std::vector<double>& v) {
  if (v.empty()) return std::nullopt;
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

Json optional_json(const std::optional<double>& v) {
  return v ? Json(*v) : Json(nullptr);
}

// 1 - the two-sample Kolmogorov-Smirnov statistic of the entities' lengths.
double length_similarity(const SequenceTable& a, const SequenceTable& b) {
  std::vector<size_t> la, lb;
  for (size_t e = 0; e < a.entities(); ++e) la.push_back(a.length(e));
  for (size_t e = 0; e < b.entities(); ++e) lb.push_back(b.length(e));
  std::sort(la.begin(), la.end());
  std::sort(lb.begin(), lb.end());
  double d = 0;
  size_t i = 0, j = 0;
  while (i < la.size() || j < lb.size()) {
    const size_t x = j == lb.size() || (i < la.size() && la[i] <= lb[j]) ? la[i] : lb[j];
    while (i < la.size() && la[i] == x) ++i;
    while (j < lb.size() && lb[j] == x) ++j;
    d = std::max(d, std::abs(static_cast<double>(i) / static_cast<double>(la.size()) -
                             static_cast<double>(j) / static_cast<double>(lb.size())));
  }
  return 1.0 - d;
}

double length_mean(const SequenceTable& s) {
  size_t rows = 0;
  for (size_t e = 0; e < s.entities(); ++e) rows += s.length(e);
  return static_cast<double>(rows) / static_cast<double>(s.entities());
}

double correlation_score(double r, double s) {
  return 1.0 - std::abs(r - s) / 2.0;
}

// Share of the rows whose value of `col` is within `bound`'s relation to the time column.
double bound_share(const Table& t, const SequenceTable& s, const std::string& time,
                   const std::string& col, bool upper) {
  const Column& tc = t.column(time);
  const Column& bc = t.column(col);
  double ok = 0, n = 0;
  for (int64_t r : s.order()) {
    const double b = bc.numeric(static_cast<size_t>(r)), x = tc.numeric(static_cast<size_t>(r));
    if (std::isnan(b) || std::isnan(x)) continue;
    ok += upper ? x <= b : x >= b;
    ++n;
  }
  return n > 0 ? ok / n : 1.0;
}

// Share of the entities whose rows all hold one value of `col`.
double constant_share(const Table& t, const SequenceTable& s, const std::string& col) {
  const Column& c = t.column(col);
  double ok = 0;
  for (size_t e = 0; e < s.entities(); ++e) {
    bool same = true;
    const std::string first = c.text(static_cast<size_t>(s.row(e, 0)));
    for (size_t k = 1; k < s.length(e) && same; ++k)
      same = c.text(static_cast<size_t>(s.row(e, k))) == first;
    ok += same;
  }
  return ok / static_cast<double>(s.entities());
}

}  // namespace

SequenceReport evaluate_sequences(const Table& real, const Table& synthetic, const Schema& schema,
                                  const SequenceMetricsOptions& o) {
  if (o.folds < 2) throw InvalidArgument("sequence metrics need folds >= 2");
  SequenceColumns spec;
  spec.key = o.sequence_key;
  spec.time = o.time_col;
  spec.context = o.context_columns;
  const SequenceTable rs = SequenceTable::build(real, spec);
  for (const auto& name : real.column_names())
    if (!synthetic.has(name))
      throw InvalidArgument("the synthetic table has no column '" + name +
                            "'; its columns are: " + join_names(synthetic.column_names()));
  spec.context.reset();
  std::optional<SequenceTable> ss_holder;
  try {
    ss_holder = SequenceTable::build(synthetic, spec);
  } catch (const DataError& e) {
    throw DataError(std::string("the synthetic table: ") + e.what());
  }
  const SequenceTable& ss = *ss_holder;
  const std::vector<std::string> context = rs.context_names(real);
  std::vector<std::string> varying;
  for (size_t j : rs.varying_columns()) varying.push_back(real.column(j).name);
  const std::vector<SequenceSide> sides{{real, rs}, {synthetic, ss}};
  const int threads = eval::resolve_threads(o.threads);

  SequenceReport r;
  r.real_entities = rs.entities();
  r.synthetic_entities = ss.entities();
  r.real_rows = real.num_rows();
  r.synthetic_rows = synthetic.num_rows();
  Json details;

  if (o.row_quality) {
    Schema rows = schema;
    for (auto& c : rows.columns)
      if (c.name == o.sequence_key) c.semantic = SemanticType::id;
    QualityOptions qo;
    qo.threads = o.threads;
    r.row_quality = evaluate_quality(real, synthetic.select(real.column_names()), rows, qo).overall;
  }

  r.length_similarity = length_similarity(rs, ss);
  details["lengths"] = {{"real_mean", length_mean(rs)},
                        {"synthetic_mean", length_mean(ss)},
                        {"real_max", rs.max_length()},
                        {"synthetic_max", ss.max_length()}};

  // Lag correlations of the numeric varying columns.
  std::vector<std::string> numeric;
  for (const auto& name : varying)
    if (eval::is_numeric_feature(real.column(name))) numeric.push_back(name);
  std::vector<double> acf_scores, ccf_scores;
  Json acf = Json::array(), ccf = Json::array();
  for (const auto& c : numeric) {
    const auto a = eval::lagged_correlation(sides[0], c, c, 1);
    const auto b = eval::lagged_correlation(sides[1], c, c, 1);
    Json j{{"column", c}, {"real", optional_json(a)}, {"synthetic", optional_json(b)}};
    if (a && b) acf_scores.push_back(correlation_score(*a, *b)), j["score"] = acf_scores.back();
    acf.push_back(j);
  }
  for (size_t i = 0; i < numeric.size(); ++i)
    for (size_t k = 0; k < numeric.size(); ++k) {
      if (i == k) continue;
      for (size_t lag : {size_t{0}, size_t{1}}) {
        if (lag == 0 && k < i) continue;  // lag 0 is symmetric
        const auto a = eval::lagged_correlation(sides[0], numeric[i], numeric[k], lag);
        const auto b = eval::lagged_correlation(sides[1], numeric[i], numeric[k], lag);
        if (!a || !b) continue;
        ccf_scores.push_back(correlation_score(*a, *b));
        ccf.push_back({{"column_1", numeric[i]},
                       {"column_2", numeric[k]},
                       {"lag", lag},
                       {"real", *a},
                       {"synthetic", *b},
                       {"score", ccf_scores.back()}});
      }
    }
  r.autocorrelation_similarity = mean_of(acf_scores);
  r.cross_correlation_similarity = mean_of(ccf_scores);
  details["autocorrelation"] = acf;
  details["cross_correlation"] = ccf;

  // Discriminator on per-sequence features.
  {
    const eval::FeatureMatrix f = eval::sequence_features(sides, varying, context, o.time_col);
    std::vector<int> label(f.rows(), 0);
    std::fill(label.begin() + static_cast<ptrdiff_t>(rs.entities()), label.end(), 1);
    const int folds = static_cast<int>(
        std::min<size_t>(static_cast<size_t>(o.folds), std::min(rs.entities(), ss.entities())));
    if (folds >= 2) {
      const std::vector<float> p = eval::forest_oof_probability(
          eval::bin_features(f, threads), label, folds, o.trees, o.seed, threads);
      std::vector<uint8_t> positive(label.begin(), label.end());
      r.discriminative_auc = eval::roc_auc(p, positive);
      double right = 0;
      for (size_t i = 0; i < p.size(); ++i) right += (p[i] >= 0.5f) == (label[i] == 1);
      r.discriminative_score = std::abs(right / static_cast<double>(p.size()) - 0.5);
    }
    details["discriminator"] = {
        {"model", "random forest (learn/forest), " + std::to_string(o.trees) +
                      " trees, sqrt(p) features per split, stratified " + std::to_string(o.folds) +
                      "-fold"},
        {"features", f.names}};
  }

  // Next-step prediction: train on synthetic (and, for reference, on real), test on real.
  {
    std::vector<std::vector<double>> targets;
    std::vector<size_t> entity;
    const eval::FeatureMatrix f = eval::step_pairs(sides, varying, context, targets, entity);
    const tree::BinnedData x = eval::bin_features(f, threads);
    std::vector<int32_t> real_rows, synth_rows, half[2];
    for (size_t i = 0; i < entity.size(); ++i) {
      const bool is_real = entity[i] < rs.entities();
      (is_real ? real_rows : synth_rows).push_back(static_cast<int32_t>(i));
      if (is_real) half[entity[i] % 2].push_back(static_cast<int32_t>(i));
    }
    std::vector<double> tstr, trtr, similarity;
    Json per = Json::array();
    for (size_t v = 0; v < targets.size(); ++v) {
      const std::vector<double>& y = targets[v];
      double m = 0, n = 0;
      for (int32_t i : real_rows)
        if (!std::isnan(y[i])) m += y[i], ++n;
      if (n < 2 || synth_rows.empty()) continue;
      m /= n;
      double ss2 = 0;
      for (int32_t i : real_rows)
        if (!std::isnan(y[i])) ss2 += (y[i] - m) * (y[i] - m);
      const double sd = std::sqrt(ss2 / n);
      if (!(sd > 0)) continue;
      auto error = [&](const std::vector<int32_t>& test, const std::vector<double>& pred) {
        double e = 0, c = 0;
        for (size_t i = 0; i < test.size(); ++i)
          if (!std::isnan(y[test[i]]) && !std::isnan(pred[i]))
            e += std::abs(pred[i] - y[test[i]]), ++c;
        return std::pair<double, double>{e, c};
      };
      const auto ps =
          eval::forest_predict(x, y, synth_rows, real_rows, o.trees, o.seed, 3 * v, threads);
      const auto [es, cs] = error(real_rows, ps);
      double er = 0, cr = 0;
      for (int h = 0; h < 2; ++h) {
        const auto pr = eval::forest_predict(x, y, half[h], half[1 - h], o.trees, o.seed,
                                             3 * v + 1 + static_cast<uint64_t>(h), threads);
        const auto [e, c] = error(half[1 - h], pr);
        er += e;
        cr += c;
      }
      if (cs == 0 || cr == 0) continue;
      const double mae_s = es / cs / sd, mae_r = er / cr / sd;
      tstr.push_back(mae_s);
      trtr.push_back(mae_r);
      similarity.push_back(mae_s > 0 ? std::min(1.0, mae_r / mae_s) : 1.0);
      per.push_back({{"column", numeric[v]},
                     {"mae_synthetic", mae_s},
                     {"mae_real", mae_r},
                     {"score", similarity.back()}});
    }
    r.predictive_mae_synthetic = mean_of(tstr);
    r.predictive_mae_real = mean_of(trtr);
    r.predictive_similarity = mean_of(similarity);
    details["predictive"] = per;
  }

  // Rules of the real data that the synthetic sequences should keep.
  std::vector<double> shares;
  Json rules = Json::array();
  if (o.time_col) {
    const double ordered =
        1.0 - static_cast<double>(ss.unsorted_entities()) / static_cast<double>(ss.entities());
    shares.push_back(ordered);
    rules.push_back({{"rule", "rows of an entity in " + *o.time_col + " order"},
                     {"share", ordered},
                     {"of", "entities"}});
    for (const TimeBound& b : detect_time_bounds(real, rs)) {
      const std::string& col = real.column(b.column).name;
      const double share = bound_share(synthetic, ss, *o.time_col, col, b.upper);
      shares.push_back(share);
      rules.push_back({{"rule", *o.time_col + (b.upper ? " <= " : " >= ") + col},
                       {"share", share},
                       {"of", "rows"}});
    }
  }
  for (const auto& col : context) {
    const double share = constant_share(synthetic, ss, col);
    shares.push_back(share);
    rules.push_back(
        {{"rule", col + " constant within an entity"}, {"share", share}, {"of", "entities"}});
  }
  r.consistency = mean_of(shares).value_or(1.0);
  details["consistency"] = rules;
  details["context_columns"] = context;
  details["varying_columns"] = varying;
  r.details = details;
  return r;
}

Json to_json(const SequenceReport& r) {
  Json j;
  j["entities"] = {{"real", r.real_entities}, {"synthetic", r.synthetic_entities}};
  j["rows"] = {{"real", r.real_rows}, {"synthetic", r.synthetic_rows}};
  j["row_quality"] = optional_json(r.row_quality);
  j["length_similarity"] = r.length_similarity;
  j["autocorrelation_similarity"] = optional_json(r.autocorrelation_similarity);
  j["cross_correlation_similarity"] = optional_json(r.cross_correlation_similarity);
  j["discriminative_auc"] = optional_json(r.discriminative_auc);
  j["discriminative_score"] = optional_json(r.discriminative_score);
  j["predictive_mae_synthetic"] = optional_json(r.predictive_mae_synthetic);
  j["predictive_mae_real"] = optional_json(r.predictive_mae_real);
  j["predictive_similarity"] = optional_json(r.predictive_similarity);
  j["context_sequence_consistency"] = r.consistency;
  j["details"] = r.details;
  return j;
}

}  // namespace calm
