// Fit and sample of the FCS engine (see fcs_engine.hpp).
#include "models/fcs/fcs_engine.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "calm/core/error.hpp"
#include "core/row_sampling.hpp"
#include "models/fcs/copy_guard.hpp"
#include "models/fcs/visit_order.hpp"
#include "transform/fresh_ids.hpp"

namespace calm::fcs {

int64_t auto_min_samples_leaf(size_t n, int64_t floor) {
  return std::max<int64_t>(floor, static_cast<int64_t>(n / 2000));
}

namespace {

// redraw_copies: each suffix of the visit order is tried twice, up to the last 64 columns (every
// column but the first on the tables of the defaults study; a copy costs at most ~4k column draws
// on wider ones).
constexpr uint64_t kMaxRedrawSuffix = 64;

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
  model_of_ = synthesised_columns(data, ctx.schema);
  table_of_ = *table_columns(model_of_);
  categorical_.clear();
  md_ = ModelData{};
  smoothed_.clear();
  for (const size_t t : table_of_) {
    const ColumnSchema& s = ctx.schema[data.column(t).name];
    categorical_.push_back(s.semantic == SemanticType::categorical);
    const bool regression =
        s.semantic == SemanticType::numerical || s.semantic == SemanticType::datetime;
    md_.regression.push_back(regression);
    // Quantile bins, split gains and donor smoothing have no meaning for an infinite value.
    for (size_t r = 0; regression && r < data.num_rows(); ++r)
      if (std::isinf(data.column(t).numeric(r)))
        throw DataError("column '" + data.column(t).name + "' row " + std::to_string(r) +
                        ": infinite value; no tree can learn from it (make it missing)");
    smoothed_.push_back(regression && opt_.smoothing && smoothable(data.column(t), s));
  }
  const int m = static_cast<int>(table_of_.size());
  build_model_data(ctx.threads);
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

void FcsSynthesizer::build_model_data(int threads) {
  const int m = static_cast<int>(table_of_.size());
  std::vector<const Column*> cols;
  for (size_t t : table_of_) cols.push_back(&data_.column(t));
  md_.x = tree::BinnedData::build(cols, categorical_, threads);
  md_.labels.assign(m, {});
  md_.num_classes.assign(m, 0);
  md_.values.assign(m, {});
  for (int j = 0; j < m; ++j) {
    const Column& c = *cols[j];
    if (md_.regression[j]) {
      md_.values[j].resize(c.size());
      for (size_t r = 0; r < c.size(); ++r) md_.values[j][r] = c.numeric(r);
    } else {
      make_class_labels(md_.x, j, md_.labels[j], md_.num_classes[j]);
    }
  }
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

  // Column by column over all rows (not row by row): a leaf's donors are dealt to all the rows
  // that reach it (balanced_draws.hpp). Column j of pass `pass` owns the Philox streams
  // (pass << 40) + (j << 24) + [0, 2^24): the model's draws below 2^23, per-chunk noise above.
  // Redraws of copies take the passes after the Gibbs rounds' (redraw_copies).
  std::vector<uint8_t> codes(n * static_cast<size_t>(m), tree::kMissingBin);
  std::vector<tree::Donor> drawn(n);
  const size_t chunks = (n + kSampleChunk - 1) / kSampleChunk;
  const int threads = ctx.threads > 0 ? ctx.threads : 1;
  auto draw_column = [&](const ColumnModel* model, int j, uint64_t pass) {
    const uint64_t stream =
        stream_id(StreamPurpose::sample, (pass << 40) + (static_cast<uint64_t>(j) << 24));
    const uint64_t noise = stream + (uint64_t{1} << 23);
    if (j == cond) {
#pragma omp parallel for schedule(static) num_threads(threads)
      for (size_t c = 0; c < chunks; ++c) {
        Rng rng(ctx.seed, noise + c);
        for (size_t i = c * kSampleChunk; i < std::min(n, (c + 1) * kSampleChunk); ++i) {
          const auto& g = groups[rng.categorical(cumulative.data(), cumulative.size())];
          drawn[i] = {g[rng.below(g.size())], 0};
        }
      }
    } else {
      model->draw_rows(md_, codes.data(), m, n, ctx.seed, stream, threads, drawn.data());
    }
#pragma omp parallel for schedule(static) num_threads(threads)
    for (size_t c = 0; c < chunks; ++c) {
      Rng rng(ctx.seed, noise + (uint64_t{1} << 22) + c);
      for (size_t i = c * kSampleChunk; i < std::min(n, (c + 1) * kSampleChunk); ++i)
        codes[i * m + j] =
            place_donor(drawn[i], j, rng, donors[j][i], smoothed_[j] ? &smooth[j][i] : nullptr);
    }
  };
  for (size_t p = 0; p < seq.order.size(); ++p) draw_column(&seq.models[p], seq.order[p], 0);
  for (int it = 0; it < opt_.iterations; ++it)
    for (int j : seq.order)
      if (j != cond) draw_column(&gibbs_[j], j, static_cast<uint64_t>(it) + 1);
  if (opt_.redraw_copies && m > 1 && n > 0)
    redraw_copies(seq, cond, donors, smooth, codes, ctx.seed, threads, ctx.log);

  std::vector<Column> out;
  out.reserve(data_.num_columns());
  for (size_t t = 0; t < data_.num_columns(); ++t) {
    const int j = model_of_[t];
    out.push_back(output_column(t, j >= 0 ? donors[j] : std::vector<int32_t>{},
                                j >= 0 ? smooth[j] : std::vector<double>{}, n));
  }
  return Table(std::move(out));
}

uint8_t FcsSynthesizer::place_donor(const tree::Donor& d, int j, Rng& rng, int32_t& donor,
                                    double* smoothed) const {
  donor = d.row;
  if (!smoothed) return md_.x.at(d.row, j);
  double v = md_.values[j][d.row];
  if (d.bandwidth > 0 && !std::isnan(v)) {
    v += d.bandwidth * rng.normal();
    if (data_.column(table_of_[j]).type == StorageType::int64) v = std::round(v);
  }
  *smoothed = v;
  return std::isnan(v) ? md_.x.at(d.row, j) : md_.x.binners[j].bin(v);
}

const CopyGuard& FcsSynthesizer::copy_guard() const {
  std::call_once(guard_once_, [&] { guard_ = std::make_unique<CopyGuard>(data_, table_of_); });
  return *guard_;
}

// Rows that reproduce a unique real row are redrawn (copy_guard.hpp): the last visited column
// twice, then the last two twice, ..., each from its model given the row's earlier columns, so
// the row keeps the sequential conditionals while it stops being a copy, and the shortest suffix
// that does so is found first. The first column is never redrawn (a whole fresh row would
// under-draw the rare values that copies tend to carry), so a row whose first value fixes all the
// others stays as it is. A redrawn value keeps whether it is missing (redraw_values): on
// tx_housing_monthly the copies are rows with every measure missing, whose city, year and month
// alone make them unique; redrawing their missingness as well gave them measures (quality -.016).
void FcsSynthesizer::redraw_copies(const Sequence& seq, int cond,
                                   std::vector<std::vector<int32_t>>& donors,
                                   std::vector<std::vector<double>>& smooth,
                                   std::vector<uint8_t>& codes, uint64_t seed, int threads,
                                   const Logger& log) const {
  const int m = static_cast<int>(table_of_.size());
  const size_t n = donors[0].size(), last = seq.order.size();
  const CopyGuard& guard = copy_guard();
  std::vector<size_t> all(n);
  std::iota(all.begin(), all.end(), size_t{0});
  std::vector<size_t> copies = guard.unique_copies(donors, smooth, all);
  const size_t found = copies.size();
  const uint64_t rounds = std::max<uint64_t>(8, 2 * std::min<uint64_t>(kMaxRedrawSuffix, last - 1));
  for (uint64_t round = 1; round <= rounds && !copies.empty(); ++round) {
    const size_t suffix = std::min<size_t>(last - 1, (round + 1) / 2);
    const size_t k = copies.size();
    std::vector<uint8_t> rows(k * static_cast<size_t>(m));
    for (size_t r = 0; r < k; ++r)
      std::copy_n(codes.begin() + static_cast<std::ptrdiff_t>(copies[r] * m), m,
                  rows.begin() + static_cast<std::ptrdiff_t>(r * m));
    std::vector<tree::Donor> drawn(k);
    for (size_t p = last - suffix; p < last; ++p) {
      const int j = seq.order[p];
      if (j == cond) continue;
      const uint64_t stream = stream_id(StreamPurpose::sample,
                                        ((static_cast<uint64_t>(opt_.iterations) + round) << 40) +
                                            (static_cast<uint64_t>(j) << 24));
      seq.models[p].redraw_values(md_, rows.data(), m, k, seed, stream, threads, drawn.data());
      Rng rng(seed, stream + (uint64_t{1} << 23));
      for (size_t r = 0; r < k; ++r) {
        const size_t i = copies[r];
        if (drawn[r].row < 0) continue;  // a missing value stays missing
        rows[r * m + j] = codes[i * m + j] =
            place_donor(drawn[r], j, rng, donors[j][i], smoothed_[j] ? &smooth[j][i] : nullptr);
      }
    }
    copies = guard.unique_copies(donors, smooth, copies);
  }
  if (found > 0)
    log.debug("fcs: " + std::to_string(found) + " rows copied a unique real row; " +
              std::to_string(found - copies.size()) + " redrawn, " + std::to_string(copies.size()) +
              " left");
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
