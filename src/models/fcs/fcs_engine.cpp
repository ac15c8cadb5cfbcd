// Fit and sample of the FCS engine (see fcs_engine.hpp).
#include "models/fcs/fcs_engine.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "calm/core/error.hpp"
#include "models/fresh_ids.hpp"
#include "models/row_sampling.hpp"
#include "models/visit_order.hpp"

namespace calm::fcs {

int64_t auto_min_samples_leaf(size_t n, int64_t floor) {
  return std::max<int64_t>(floor, static_cast<int64_t>(n / 2000));
}

namespace {

// Philox streams of the fit phase: the model of (sequence kind, column) owns 2 x 4096 streams.
uint64_t model_stream(uint64_t kind, int column) {
  return stream_id(StreamPurpose::fit, ((kind << 20) + static_cast<uint64_t>(column)) << 13);
}
constexpr uint64_t kMainSequence = 0, kGibbs = 1, kConditional = 2;  // + conditioned column

bool smoothable(const Column& c, const ColumnSchema& s) {
  return s.semantic == SemanticType::numerical &&
         (c.type == StorageType::float64 || c.type == StorageType::int64);
}

}  // namespace

std::vector<int> FcsSynthesizer::visit_order(const FitContext& ctx) const {
  return sequential_visit_order(data_, model_of_, table_of_, opt_.visit_sequence, ctx.target_col);
}

void FcsSynthesizer::fit_sequence(Sequence& seq, uint64_t kind, int threads) const {
  const ColumnModelSettings settings{opt_.learner, opt_.auto_min_samples_leaf, opt_.smoothing,
                                     opt_.auto_leaf_floor};
  const int m = static_cast<int>(seq.order.size());
  seq.models.assign(m, ColumnModel{});
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads > 0 ? threads : 1)
  for (int p = 0; p < m; ++p) {
    std::vector<int> features(seq.order.begin(), seq.order.begin() + p);
    std::sort(features.begin(), features.end());
    seq.models[p].fit(md_, seq.order[p], features, settings, seed_,
                      model_stream(kind, seq.order[p]));
  }
}

void FcsSynthesizer::fit(const Table& data, const FitContext& ctx) {
  opt_ = make_options_(ctx.params);
  if (data.num_rows() == 0) throw DataError("cannot fit an FCS model on a table with no rows");
  if (data.num_rows() > static_cast<size_t>(INT32_MAX))
    throw DataError("FCS models hold at most 2^31-1 rows, got " + std::to_string(data.num_rows()));
  data_ = data;
  seed_ = ctx.seed;
  model_of_.assign(data.num_columns(), -1);
  table_of_.clear();
  std::vector<const Column*> cols;
  std::vector<bool> categorical;
  md_ = ModelData{};
  for (size_t t = 0; t < data.num_columns(); ++t) {
    const ColumnSchema& s = ctx.schema[data.column(t).name];
    if (s.semantic == SemanticType::id) continue;
    model_of_[t] = static_cast<int>(table_of_.size());
    table_of_.push_back(t);
    cols.push_back(&data.column(t));
    categorical.push_back(s.semantic == SemanticType::categorical);
    md_.regression.push_back(s.semantic == SemanticType::numerical ||
                             s.semantic == SemanticType::datetime);
  }
  const int m = static_cast<int>(table_of_.size());
  md_.x = tree::BinnedData::build(cols, categorical, ctx.threads);
  md_.labels.resize(m);
  md_.num_classes.assign(m, 0);
  md_.values.resize(m);
  smoothed_.assign(m, false);
  for (int j = 0; j < m; ++j) {
    const Column& c = *cols[j];
    if (md_.regression[j]) {
      md_.values[j].resize(c.size());
      for (size_t r = 0; r < c.size(); ++r) md_.values[j][r] = c.numeric(r);
      smoothed_[j] = opt_.smoothing && smoothable(c, ctx.schema[c.name]);
    } else {
      make_class_labels(md_.x, j, md_.labels[j], md_.num_classes[j]);
    }
  }
  main_ = Sequence{visit_order(ctx), {}};
  fit_sequence(main_, kMainSequence, ctx.threads);
  gibbs_.assign(opt_.iterations > 0 ? m : 0, ColumnModel{});
  if (opt_.iterations > 0) {
    const ColumnModelSettings settings{opt_.learner, opt_.auto_min_samples_leaf, opt_.smoothing,
                                       opt_.auto_leaf_floor};
#pragma omp parallel for schedule(dynamic, 1) num_threads(ctx.threads > 0 ? ctx.threads : 1)
    for (int j = 0; j < m; ++j) {
      std::vector<int> features;
      for (int f = 0; f < m; ++f)
        if (f != j) features.push_back(f);
      gibbs_[j].fit(md_, j, features, settings, seed_, model_stream(kGibbs, j));
    }
  }
  std::lock_guard lock(mutex_);
  conditional_.clear();
  ctx.log.debug("fcs: fitted " + std::to_string(m) + " column models" +
                (opt_.iterations > 0 ? " plus " + std::to_string(m) + " Gibbs models" : ""));
}

const FcsSynthesizer::Sequence& FcsSynthesizer::sequence_starting_with(int column,
                                                                       int threads) const {
  if (main_.order.front() == column) return main_;
  std::lock_guard lock(mutex_);
  auto& slot = conditional_[column];
  if (!slot) {
    // Same order with the conditioned column moved first: the others then follow it
    // class-conditionally. Fitted once, on first use, from the fit seed.
    auto seq = std::make_unique<Sequence>();
    seq->order.push_back(column);
    for (int j : main_.order)
      if (j != column) seq->order.push_back(j);
    fit_sequence(*seq, kConditional + static_cast<uint64_t>(column), threads);
    slot = std::move(seq);
  }
  return *slot;
}

Table FcsSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  if (data_.num_columns() == 0) throw InvalidArgument("sample() called before fit()");
  const int m = static_cast<int>(table_of_.size());
  int cond = -1;
  std::vector<std::vector<int32_t>> groups;
  std::vector<double> cumulative;
  if (ctx.shares && m > 0) {
    auto t = data_.find(ctx.shares->column);
    if (!t || model_of_[*t] < 0)
      throw InvalidArgument("custom distribution on '" + ctx.shares->column +
                            "', which is not a synthesised column of the fitted table");
    cond = model_of_[*t];
    for (const auto& g : group_rows_by_value(data_.column(*t), ctx.shares->values))
      groups.emplace_back(g.begin(), g.end());
    double acc = 0;
    for (size_t k = 0; k < groups.size(); ++k) {
      if (groups[k].empty() && ctx.shares->shares[k] > 0)
        throw DataError("cannot draw a value of '" + ctx.shares->column +
                        "' that does not occur in the data with a donor-based method (cart/rf); "
                        "use a generative method");
      acc += ctx.shares->shares[k];
      cumulative.push_back(acc);
    }
  }
  const Sequence& seq = m == 0      ? main_
                        : cond >= 0 ? sequence_starting_with(cond, ctx.threads)
                                    : main_;
  std::vector<std::vector<int32_t>> donors(m, std::vector<int32_t>(n));
  std::vector<std::vector<double>> smooth(m);
  for (int j = 0; j < m; ++j)
    if (smoothed_[j]) smooth[j].resize(n);

  for_each_chunk(n, ctx, [&](Rng& rng, size_t begin, size_t end) {
    const size_t len = end - begin;
    std::vector<uint8_t> codes(len * m, tree::kMissingBin);
    auto put = [&](int j, size_t i, tree::Donor d) {
      donors[j][begin + i] = d.row;
      uint8_t code = md_.x.at(d.row, j);
      if (smoothed_[j]) {
        double v = md_.values[j][d.row];
        if (d.bandwidth > 0 && !std::isnan(v)) {
          v += d.bandwidth * rng.normal();
          if (data_.column(table_of_[j]).type == StorageType::int64) v = std::round(v);
          code = md_.x.binners[j].bin(v);
        }
        smooth[j][begin + i] = v;
      }
      codes[i * m + j] = code;
    };
    for (size_t p = 0; p < seq.order.size(); ++p) {
      const int j = seq.order[p];
      for (size_t i = 0; i < len; ++i) {
        if (j == cond) {
          const auto& g = groups[rng.categorical(cumulative.data(), cumulative.size())];
          put(j, i, {g[rng.below(g.size())], 0});
        } else {
          put(j, i, seq.models[p].draw(md_, codes.data() + i * m, rng));
        }
      }
    }
    for (int it = 0; it < opt_.iterations; ++it)
      for (int j : seq.order) {
        if (j == cond) continue;
        for (size_t i = 0; i < len; ++i) put(j, i, gibbs_[j].draw(md_, codes.data() + i * m, rng));
      }
  });

  std::vector<Column> out;
  out.reserve(data_.num_columns());
  for (size_t t = 0; t < data_.num_columns(); ++t) {
    const int j = model_of_[t];
    out.push_back(output_column(t, j >= 0 ? donors[j] : std::vector<int32_t>{},
                                j >= 0 ? smooth[j] : std::vector<double>{}, n));
  }
  return Table(std::move(out));
}

Column FcsSynthesizer::output_column(size_t t, const std::vector<int32_t>& donors,
                                     const std::vector<double>& smoothed, size_t n) const {
  const Column& real = data_.column(t);
  if (model_of_[t] < 0) return fresh_ids(real, n);
  Column c = real.take(std::vector<int64_t>(donors.begin(), donors.end()));
  if (!smoothed.empty()) {
    for (size_t i = 0; i < n; ++i) {
      if (std::isnan(smoothed[i])) continue;
      if (c.type == StorageType::float64)
        c.f64[i] = smoothed[i];
      else
        c.i64[i] = static_cast<int64_t>(smoothed[i]);
    }
  }
  return c;
}

}  // namespace calm::fcs
