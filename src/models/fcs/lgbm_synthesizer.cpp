// Fit and sample of the `lgbm` synthesizer (see lgbm_synthesizer.hpp).
#include "models/fcs/lgbm_synthesizer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "core/parallel.hpp"
#include "models/fcs/visit_order.hpp"
#include "transform/fresh_ids.hpp"

namespace calm::lgbm {

namespace {

constexpr uint64_t kSequence = 0, kGibbs = 1;

// Seed of the boosters of (sequence kind, model column): their row/column subsampling.
uint64_t booster_seed(uint64_t seed, uint64_t kind, int column) {
  return Rng(seed, stream_id(StreamPurpose::fit, (kind << 32) + static_cast<uint64_t>(column)))
      .next_u64();
}

}  // namespace

std::vector<int> LgbmSynthesizer::visit_order(const FitContext& ctx) const {
  return sequential_visit_order(data_, model_of_, table_of_, opt_.visit_sequence, ctx.target_col);
}

void LgbmSynthesizer::fit_steps(std::vector<Step>& steps, const xgb::DenseMatrix& x,
                                const std::vector<ColumnTarget>& targets, uint64_t kind,
                                int threads) const {
  std::vector<int64_t> all_rows(x.rows);
  std::iota(all_rows.begin(), all_rows.end(), int64_t{0});
  // Every booster runs on one XGBoost thread: the models are independent, so the parallelism is
  // across columns and the fit does not depend on the thread count.
  parallel_tasks(steps.size(), threads, [&](size_t s) {
    Step& st = steps[s];
    st.model.fit(x.subset(all_rows, st.features), targets[st.column], opt_.column,
                 booster_seed(seed_, kind, st.column));
  });
}

void LgbmSynthesizer::fit(const Table& data, const FitContext& ctx) {
  opt_ = lgbm_options(ctx.params);
  if (data.num_rows() == 0) throw DataError("cannot fit an lgbm model on a table with no rows");
  data_ = data;
  seed_ = ctx.seed;
  model_of_ = synthesised_columns(data, ctx.schema);
  table_of_ = *table_columns(model_of_);
  std::vector<std::string> names;
  for (const size_t t : table_of_) names.push_back(data.column(t).name);
  const int m = static_cast<int>(table_of_.size());
  enc_ = xgb::FeatureEncoder::fit(data, ctx.schema, names);
  const xgb::DenseMatrix x = enc_.encode(data);
  std::vector<ColumnTarget> targets(m);
  for (int j = 0; j < m; ++j) {
    const Column& c = data.column(table_of_[j]);
    const xgb::FeatureColumn& fc = enc_.feature(j);
    ColumnTarget& t = targets[j];
    t.regression = !fc.categorical;
    if (t.regression) {
      t.values.resize(c.size());
      for (size_t r = 0; r < c.size(); ++r) {
        t.values[r] = enc_.value(j, c, r);
        if (std::isinf(t.values[r]))
          throw DataError("column '" + c.name + "' row " + std::to_string(r) +
                          ": infinite value; no booster can learn from it (make it missing)");
      }
    } else {
      t.levels.resize(c.size());
      for (size_t r = 0; r < c.size(); ++r) t.levels[r] = enc_.level(j, c, r);
      t.level_count = fc.level_count;
    }
  }
  const std::vector<int> order = visit_order(ctx);
  sequence_.clear();
  sequence_.resize(order.size());
  for (size_t p = 0; p < order.size(); ++p) {
    sequence_[p].column = order[p];
    sequence_[p].features.assign(order.begin(), order.begin() + p);
    std::sort(sequence_[p].features.begin(), sequence_[p].features.end());
  }
  fit_steps(sequence_, x, targets, kSequence, ctx.threads);
  gibbs_.clear();
  if (opt_.iterations > 0) {
    gibbs_.resize(m);
    for (int j = 0; j < m; ++j) {
      gibbs_[j].column = j;
      for (int f = 0; f < m; ++f)
        if (f != j) gibbs_[j].features.push_back(f);
    }
    fit_steps(gibbs_, x, targets, kGibbs, ctx.threads);
  }
  std::string rounds;
  for (const Step& st : sequence_) {
    rounds.append(" ").append(data.column(table_of_[st.column]).name).append("=");
    rounds.append(std::to_string(st.model.rounds()));
  }
  ctx.log.debug("lgbm: boosting rounds kept:" + rounds);
  ctx.log.debug("lgbm: fitted " + std::to_string(m) + " column models" +
                (opt_.iterations > 0 ? " plus " + std::to_string(m) + " Gibbs models" : ""));
}

void LgbmSynthesizer::run_steps(const std::vector<const Step*>& steps, uint64_t pass, size_t n,
                                const SampleContext& ctx, std::vector<float>& x,
                                std::vector<std::vector<double>>& values) const {
  const size_t m = table_of_.size();
  const size_t chunks = (n + kSampleChunk - 1) / kSampleChunk;
  std::vector<int64_t> block(n);
  for (const Step* step : steps) {
    const Step& st = *step;
    const int j = st.column;
    const bool integer =
        data_.column(table_of_[j]).type == StorageType::int64 && !enc_.feature(j).categorical;
    // Chunk c of column j in pass `pass` draws from its own Philox stream, the dealing of the
    // column's numbers (in row order) from one more: the output does not depend on the thread
    // count.
    const uint64_t stream =
        stream_id(StreamPurpose::sample, (pass << 48) + (static_cast<uint64_t>(j) << 28));
    double* out = values[j].data();
    parallel_tasks(chunks, ctx.threads, [&](size_t c) {
      const size_t begin = c * kSampleChunk, end = std::min(n, begin + kSampleChunk);
      const size_t len = end - begin, k = st.features.size();
      std::vector<float> feats(len * k);
      for (size_t i = 0; i < len; ++i)
        for (size_t f = 0; f < k; ++f) feats[i * k + f] = x[(begin + i) * m + st.features[f]];
      Rng rng(ctx.seed, stream + c);
      st.model.draw(feats.data(), len, rng, out + begin, block.data() + begin);
    });
    Rng dealer(ctx.seed, stream + (uint64_t{1} << 27));
    st.model.deal(n, block.data(), dealer, out);
    parallel_tasks(chunks, ctx.threads, [&](size_t c) {
      for (size_t i = c * kSampleChunk; i < std::min(n, (c + 1) * kSampleChunk); ++i) {
        if (integer && !std::isnan(out[i]))
          out[i] = std::round(enc_.decode(j, out[i])) - enc_.feature(j).offset;
        x[i * m + j] = static_cast<float>(out[i]);
      }
    });
  }
}

Table LgbmSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  if (data_.num_columns() == 0) throw InvalidArgument("sample() called before fit()");
  const size_t m = table_of_.size();
  std::vector<float> x(n * m, std::nanf(""));
  std::vector<std::vector<double>> values(m, std::vector<double>(n));
  std::vector<const Step*> steps;
  for (const Step& st : sequence_) steps.push_back(&st);
  run_steps(steps, 0, n, ctx, x, values);
  // Gibbs rounds visit the columns in the sequence's order.
  if (!gibbs_.empty())
    for (auto& st : steps) st = &gibbs_[st->column];
  for (int it = 0; it < opt_.iterations; ++it) run_steps(steps, it + 1, n, ctx, x, values);
  if (opt_.redraw_copies && n > 0 && table_of_.size() > 1) redraw_copies(n, ctx, x, values);
  return output_table(values, n);
}

Table LgbmSynthesizer::output_table(const std::vector<std::vector<double>>& values,
                                    size_t n) const {
  std::vector<Column> out;
  out.reserve(data_.num_columns());
  for (size_t t = 0; t < data_.num_columns(); ++t)
    out.push_back(model_of_[t] < 0 ? fresh_ids(data_.column(t), n)
                                   : output_column(t, values[model_of_[t]], n));
  return Table(std::move(out));
}

const fcs::UniqueRows& LgbmSynthesizer::unique_rows() const {
  std::call_once(unique_once_, [&] {
    std::vector<size_t> compared;
    for (size_t t = 0; t < model_of_.size(); ++t)
      if (model_of_[t] >= 0) compared.push_back(t);
    unique_rows_ = std::make_unique<fcs::UniqueRows>(data_, std::move(compared));
  });
  return *unique_rows_;
}

// Rows that reproduce a unique real row are drawn again, the last column of the visit sequence in
// the first round, the last two in the second, and so on (each round on its own streams), as cart
// redraws suffixes of its visit order: earlier columns keep their joint draw and the redrawn ones
// stay conditional on them. The first column is never redrawn (fresh rows would under-draw the
// rare values copies tend to carry). Rows still copies after kRedrawRounds are kept and counted.
void LgbmSynthesizer::redraw_copies(size_t n, const SampleContext& ctx, std::vector<float>& x,
                                    std::vector<std::vector<double>>& values) const {
  constexpr uint64_t kRedrawRounds = 8, kRedrawPass = 1 << 12;
  const fcs::UniqueRows& guard = unique_rows();
  std::vector<size_t> rows = guard.copies(output_table(values, n));
  const size_t found = rows.size(), m = table_of_.size();
  for (uint64_t round = 0; round < kRedrawRounds && !rows.empty(); ++round) {
    const size_t k = rows.size(), suffix = std::min<size_t>(m - 1, round + 1);
    std::vector<float> xs(k * m);
    std::vector<std::vector<double>> vs(m, std::vector<double>(k));
    for (size_t i = 0; i < k; ++i)
      for (size_t j = 0; j < m; ++j) {
        xs[i * m + j] = x[rows[i] * m + j];
        vs[j][i] = values[j][rows[i]];
      }
    std::vector<const Step*> steps;
    for (size_t s = m - suffix; s < m; ++s) steps.push_back(&sequence_[s]);
    run_steps(steps, kRedrawPass + round, k, ctx, xs, vs);
    for (size_t i = 0; i < k; ++i)
      for (size_t j = 0; j < m; ++j) {
        x[rows[i] * m + j] = xs[i * m + j];
        values[j][rows[i]] = vs[j][i];
      }
    std::vector<size_t> still;
    for (size_t i : guard.copies(output_table(vs, k))) still.push_back(rows[i]);
    rows = std::move(still);
  }
  if (found > 0)
    ctx.log.debug("lgbm: " + std::to_string(found) + " rows reproduced a unique real row; " +
                  std::to_string(rows.size()) + " still do after redrawing");
}

Column LgbmSynthesizer::output_column(size_t t, const std::vector<double>& values, size_t n) const {
  const Column& real = data_.column(t);
  const int j = model_of_[t];
  const xgb::FeatureColumn& fc = enc_.feature(j);
  if (fc.categorical) {
    // A level is written by taking a real row that holds it, which keeps the column's storage,
    // dictionary and format.
    int64_t missing_row = -1;
    for (size_t r = 0; r < real.size() && missing_row < 0; ++r)
      if (real.is_missing(r)) missing_row = static_cast<int64_t>(r);
    std::vector<int64_t> rows(n);
    for (size_t i = 0; i < n; ++i)
      rows[i] = std::isnan(values[i]) ? missing_row : fc.level_row[static_cast<size_t>(values[i])];
    return real.take(rows);
  }
  Column c;
  std::vector<uint8_t> valid(n, 1);
  bool any_missing = false;
  for (size_t i = 0; i < n; ++i)
    if (std::isnan(values[i])) valid[i] = 0, any_missing = true;
  if (!any_missing) valid.clear();
  if (real.type == StorageType::float64) {
    std::vector<double> v(n);
    for (size_t i = 0; i < n; ++i)
      v[i] = std::isnan(values[i]) ? values[i] : enc_.decode(j, values[i]);
    c = Column::float64(real.name, std::move(v));
  } else {
    std::vector<int64_t> v(n, 0);
    for (size_t i = 0; i < n; ++i)
      if (!std::isnan(values[i])) v[i] = std::llround(enc_.decode(j, values[i]));
    c = real.type == StorageType::datetime ? Column::datetime(real.name, std::move(v), valid)
                                           : Column::int64(real.name, std::move(v), valid);
  }
  c.format = real.format;
  return c;
}

}  // namespace calm::lgbm
