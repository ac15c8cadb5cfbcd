// evaluate_quality: SDMetrics 0.32's single-table QualityReport and DiagnosticReport
// (sdmetrics/reports/single_table/{quality_report,diagnostic_report}.py and _properties/*.py):
// checks the two tables against the schema, prepares every column once per table, then scores
// columns and pairs in parallel and averages them the way the reports do (pandas mean, which
// skips NaN; the pair average only over pairs that meet the real-data threshold; the overall
// score is numpy.nanmean of the property scores).
#include "calm/eval/quality.hpp"

#include <omp.h>

#include <set>
#include <utility>

#include "calm/core/error.hpp"
#include "eval/column_metrics.hpp"
#include "eval/pair_metrics.hpp"

namespace calm {
namespace {

using eval::PreparedColumn;

bool is_continuous(SemanticType t) {
  return t == SemanticType::numerical || t == SemanticType::datetime;
}

std::optional<double> mean_of(const std::vector<std::optional<double>>& values) {
  double sum = 0;
  size_t n = 0;
  for (const auto& v : values)
    if (v) sum += *v, ++n;
  if (n == 0) return std::nullopt;
  return sum / static_cast<double>(n);
}

void check_same_columns(const Table& real, const Table& synthetic, const Schema& schema) {
  if (real.num_rows() == 0 || synthetic.num_rows() == 0)
    throw DataError(std::string("cannot evaluate quality: the ") +
                    (real.num_rows() == 0 ? "real" : "synthetic") + " table has no rows");
  std::set<std::string> in_schema;
  for (const auto& c : schema.columns) {
    in_schema.insert(c.name);
    if (!real.has(c.name))
      throw DataError(
          "the schema names column '" + c.name +
          "' that the real table lacks; real columns: " + join_names(real.column_names()));
    if (!synthetic.has(c.name))
      throw DataError(
          "the synthetic table lacks column '" + c.name +
          "' of the real table; synthetic columns: " + join_names(synthetic.column_names()));
  }
  for (const auto& name : real.column_names())
    if (!in_schema.count(name))
      throw DataError("real column '" + name + "' is missing from the schema");
  for (const auto& name : synthetic.column_names())
    if (!in_schema.count(name))
      throw DataError(
          "the synthetic table has column '" + name +
          "' that the real table does not; real columns: " + join_names(real.column_names()));
}

// Numbers must be compared with numbers and dates with dates; text may meet anything (it is
// compared by value), and a column with no values at all fits any type.
void check_storage(const ColumnSchema& s, const Column& real, const Column& synthetic) {
  if (!is_continuous(s.semantic)) return;
  const Column* sides[2] = {&real, &synthetic};
  const char* names[2] = {"real", "synthetic"};
  for (int t = 0; t < 2; ++t) {
    const Column& c = *sides[t];
    const bool ok =
        s.semantic == SemanticType::datetime
            ? c.type == StorageType::datetime ||
                  (c.type != StorageType::categorical && real.type != StorageType::datetime &&
                   synthetic.type != StorageType::datetime)
            : c.type != StorageType::categorical && c.type != StorageType::datetime;
    if (!ok && c.missing_count() < c.size())
      throw DataError("column '" + s.name + "' is " + to_string(s.semantic) + " but the " +
                      names[t] + " table holds " + to_string(c.type) + " values (real: " +
                      to_string(real.type) + ", synthetic: " + to_string(synthetic.type) + ")");
  }
}

std::vector<PreparedColumn> prepare(const Table& real, const Table& synthetic, const Schema& schema,
                                    bool want_bins, int threads) {
  const size_t k = schema.size();
  std::vector<PreparedColumn> cols(k);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (size_t i = 0; i < k; ++i) {
    const ColumnSchema& s = schema[i];
    const Column* sides[2] = {&real.column(s.name), &synthetic.column(s.name)};
    PreparedColumn& p = cols[i];
    p.name = s.name;
    p.sdtype = s.semantic;
    p.continuous = is_continuous(s.semantic);
    if (p.continuous) {
      for (int t = 0; t < 2; ++t) {
        p.num[t] = eval::make_numeric_side(*sides[t]);
        if (want_bins) p.binned[t] = eval::make_binned_side(p.num[t]);
        p.missing[t] = p.num[t].missing;
      }
    } else {
      p.cardinality = eval::make_discrete_sides(*sides[0], *sides[1], p.disc[0], p.disc[1]);
      for (int t = 0; t < 2; ++t) p.missing[t] = p.disc[t].missing;
    }
    for (int t = 0; t < 2; ++t) p.storage[t] = sides[t]->type;
  }
  return cols;
}

std::vector<ColumnShapeScore> column_shapes(const std::vector<PreparedColumn>& cols, int threads) {
  std::vector<const PreparedColumn*> scored;
  for (const auto& c : cols)
    if (c.sdtype != SemanticType::id) scored.push_back(&c);
  std::vector<ColumnShapeScore> out(scored.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (size_t i = 0; i < scored.size(); ++i) {
    const PreparedColumn& c = *scored[i];
    ColumnShapeScore& r = out[i];
    r.column = c.name;
    r.metric = c.continuous ? "KSComplement" : "TVComplement";
    const eval::Outcome o = c.continuous ? eval::ks_complement(c.num[0], c.num[1])
                                         : eval::tv_complement(c.disc[0], c.disc[1], c.cardinality);
    r.score = o.score;
    r.error = o.error;
    if (!r.score && r.error.empty()) r.note = "no values in the real or the synthetic column";
  }
  return out;
}

eval::LevelView level_view(const PreparedColumn& c, int side) {
  eval::LevelView v;
  if (c.continuous) {
    v.bins = c.binned[side].bins.data();
    v.levels = 12;  // np.digitize with 11 edges gives 0..11
  } else {
    v.codes = c.disc[side].codes.data();
    v.levels = static_cast<uint32_t>(c.cardinality) + 1;  // + missing
  }
  return v;
}

std::vector<PairTrendScore> column_pair_trends(const std::vector<PreparedColumn>& cols,
                                               size_t real_rows, size_t synth_rows,
                                               const QualityOptions& opt, int threads) {
  std::vector<std::pair<size_t, size_t>> pairs;
  for (size_t i = 0; i < cols.size(); ++i)
    for (size_t j = i + 1; j < cols.size(); ++j)
      if (cols[i].sdtype != SemanticType::id && cols[j].sdtype != SemanticType::id)
        pairs.emplace_back(i, j);
  std::vector<PairTrendScore> out(pairs.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (size_t k = 0; k < pairs.size(); ++k) {
    const PreparedColumn& a = cols[pairs[k].first];
    const PreparedColumn& b = cols[pairs[k].second];
    PairTrendScore& r = out[k];
    r.column_1 = a.name;
    r.column_2 = b.name;
    eval::PairOutcome o;
    if (a.continuous && b.continuous) {
      r.metric = "CorrelationSimilarity";
      o = eval::correlation_similarity(a, b, opt.real_correlation_threshold);
    } else {
      r.metric = "ContingencySimilarity";
      // A continuous column whose bins numpy could not compute fails every mixed pair.
      const PreparedColumn* failed = nullptr;
      for (const PreparedColumn* c : {&a, &b})
        for (int t = 0; t < 2; ++t)
          if (c->continuous && c->binned[t].failed && !failed) failed = c;
      if (failed) {
        o.error = failed->binned[0].failed ? failed->binned[0].error : failed->binned[1].error;
      } else {
        o = eval::contingency_similarity(level_view(a, 0), level_view(b, 0), real_rows,
                                         level_view(a, 1), level_view(b, 1), synth_rows,
                                         opt.real_association_threshold);
      }
    }
    r.score = o.score;
    r.real_correlation = o.real_correlation;
    r.synthetic_correlation = o.synthetic_correlation;
    r.real_association = o.real_association;
    r.meets_threshold = o.meets_threshold;
    r.error = o.error;
    r.note = o.note;
  }
  return out;
}

// The dtype pandas.read_csv gives a column with `missing` of `rows` cells empty
// (TableStructure compares these strings).
std::string pandas_dtype(StorageType type, size_t missing, size_t rows) {
  if (missing == rows) return "float64";
  switch (type) {
    case StorageType::float64:
      return "float64";
    case StorageType::int64:
      return missing ? "float64" : "int64";
    case StorageType::boolean:
      return missing ? "object" : "bool";
    case StorageType::categorical:
      return "object";
    case StorageType::datetime:
      return "datetime64[ns]";
  }
  return "object";
}

DiagnosticResult diagnostic(const std::vector<PreparedColumn>& cols, size_t real_rows,
                            size_t synthetic_rows, int threads) {
  DiagnosticResult d;
  d.validity.resize(cols.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (size_t i = 0; i < cols.size(); ++i) {
    const PreparedColumn& c = cols[i];
    ValidityScore& v = d.validity[i];
    v.column = c.name;
    eval::Outcome o;
    if (c.continuous) {
      v.metric = "BoundaryAdherence";
      o = eval::boundary_adherence(c.num[0], c.num[1]);
    } else if (c.sdtype == SemanticType::id) {
      v.metric = "KeyUniqueness";
      o = eval::key_uniqueness(c.disc[1], c.cardinality);
    } else {
      v.metric = "CategoryAdherence";
      o = eval::category_adherence(c.disc[0], c.disc[1], c.cardinality);
    }
    v.score = o.score;
    if (!v.score) v.note = "no synthetic values to check";
  }
  std::vector<std::optional<double>> scores;
  for (const auto& v : d.validity) scores.push_back(v.score);
  d.data_validity = mean_of(scores);
  // Same column names on both sides (checked), so |intersection| / |union| of (name, dtype)
  // pairs is matches / (2 * columns - matches).
  size_t matches = 0;
  for (const auto& c : cols)
    matches += pandas_dtype(c.storage[0], c.missing[0], real_rows) ==
               pandas_dtype(c.storage[1], c.missing[1], synthetic_rows);
  d.data_structure = static_cast<double>(matches) / static_cast<double>(2 * cols.size() - matches);
  d.overall = mean_of({d.data_validity, d.data_structure});
  return d;
}

}  // namespace

QualityReport evaluate_quality(const Table& real, const Table& synthetic, const Schema& schema,
                               const QualityOptions& options) {
  check_same_columns(real, synthetic, schema);
  for (const auto& s : schema.columns)
    check_storage(s, real.column(s.name), synthetic.column(s.name));
  for (double t : {options.real_correlation_threshold, options.real_association_threshold})
    if (!(t >= 0 && t <= 1))
      throw InvalidArgument("quality thresholds must be between 0 and 1, got " + std::to_string(t));
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();

  QualityReport report;
  report.options = options;
  report.real_rows = real.num_rows();
  report.synthetic_rows = synthetic.num_rows();
  bool any_discrete = false;
  for (const auto& s : schema.columns)
    any_discrete = any_discrete || s.semantic == SemanticType::categorical ||
                   s.semantic == SemanticType::boolean;
  const auto cols = prepare(real, synthetic, schema, options.pair_trends && any_discrete, threads);

  report.column_shapes = column_shapes(cols, threads);
  std::vector<std::optional<double>> scores;
  for (const auto& c : report.column_shapes) scores.push_back(c.score);
  report.column_shapes_score = mean_of(scores);
  std::vector<std::optional<double>> properties = {report.column_shapes_score};

  if (options.pair_trends) {
    report.pair_trends_computed = true;
    report.column_pair_trends =
        column_pair_trends(cols, real.num_rows(), synthetic.num_rows(), options, threads);
    scores.clear();
    for (const auto& p : report.column_pair_trends)
      if (p.meets_threshold.value_or(false)) scores.push_back(p.score);
    report.column_pair_trends_score = mean_of(scores);
    properties.push_back(report.column_pair_trends_score);
  }
  report.overall = mean_of(properties);

  if (options.diagnostic) {
    report.diagnostic_computed = true;
    report.diagnostic = diagnostic(cols, real.num_rows(), synthetic.num_rows(), threads);
  }
  return report;
}

}  // namespace calm
