// Fit (class groups, neighbour indices, ADASYN density ratios) and sampling (class counts, seeds,
// lazy k-NN of the seeds actually drawn, interpolation) of `smote` and `adasyn`.
#include "models/oversampling/oversampler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "calm/core/error.hpp"
#include "models/row_sampling.hpp"

namespace calm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Stream of the class-order shuffle: far above any chunk index.
constexpr uint64_t kShuffleStream = 1ULL << 50;

const char* method_name(OversamplingKind k) {
  return k == OversamplingKind::smote ? "smote" : "adasyn";
}

const char* neighbours_param(OversamplingKind k) {
  return k == OversamplingKind::smote ? "k_neighbors" : "n_neighbors";
}

// Counts proportional to `shares` summing to n: floors, then the largest remainders (ties: lower
// index first).
std::vector<size_t> apportion(size_t n, const std::vector<double>& shares) {
  std::vector<size_t> counts(shares.size());
  std::vector<std::pair<double, size_t>> rest;
  size_t used = 0;
  for (size_t c = 0; c < shares.size(); ++c) {
    const double exact = shares[c] * static_cast<double>(n);
    counts[c] = static_cast<size_t>(std::floor(exact));
    used += counts[c];
    rest.push_back({-(exact - std::floor(exact)), c});
  }
  std::sort(rest.begin(), rest.end());
  for (size_t r = 0; used < n && r < rest.size(); ++r) {
    if (shares[rest[r].second] <= 0) continue;
    ++counts[rest[r].second];
    ++used;
  }
  return counts;
}

// Most frequent value among codes[0..k) (ties: the lowest level).
int32_t mode_of(const int32_t* codes, size_t k) {
  int32_t best = codes[0];
  size_t best_count = 0;
  for (size_t a = 0; a < k; ++a) {
    size_t count = 0;
    for (size_t b = 0; b < k; ++b) count += codes[b] == codes[a];
    if (count > best_count || (count == best_count && codes[a] < best)) {
      best = codes[a];
      best_count = count;
    }
  }
  return best;
}

}  // namespace

ParamSpec OversamplingSynthesizer::param_spec(OversamplingKind kind) {
  const bool smote = kind == OversamplingKind::smote;
  return ParamSpec{
      {.name = neighbours_param(kind),
       .type = ParamType::integer,
       .default_value = 5,
       .doc = smote ? "k nearest same-class neighbours a synthetic point may interpolate towards "
                      "(a class with m <= k rows uses m - 1). n_samples is the number of rows "
                      "returned, all synthetic, balanced over the classes unless shares are given"
                    : "K neighbours for both the density ratio (share of other-class rows among "
                      "the K nearest in the whole data) and the interpolation. n_samples is the "
                      "number of rows returned, all synthetic, balanced over the classes unless "
                      "shares are given",
       .aliases = {smote ? "smote_neighbors" : "adasyn_neighbors"},
       .min = 1.0},
  };
}

void OversamplingSynthesizer::fit(const Table& data, const FitContext& ctx) {
  const std::string name = method_name(kind_);
  if (!ctx.target_col)
    throw InvalidArgument("method '" + name + "' needs target_col (the class column)");
  const auto target = data.find(*ctx.target_col);
  if (!target)
    throw InvalidArgument("target_col '" + *ctx.target_col +
                          "' is not a column; columns are: " + join_names(data.column_names()));
  const Params params = param_spec(kind_).resolve(ctx.params.json(), name);
  const auto k = static_cast<size_t>(params.get_int(neighbours_param(kind_)));
  target_name_ = *ctx.target_col;

  layout_ = MixedLayout::fit(data, ctx.schema, true, *target);
  target_discrete_ = layout_.discrete_of_column(*target);
  const size_t n = data.num_rows(), q_all = layout_.discretes().size();
  const std::vector<int32_t> all_codes = layout_.discrete_codes(data);

  features_ = FeatureMatrix{};
  features_.n = n;
  features_.p = layout_.numerics().size();
  features_.numeric = layout_.numeric_matrix(data);
  feature_discretes_.clear();
  for (size_t j = 0; j < q_all; ++j)
    if (static_cast<int>(j) != target_discrete_) {
      feature_discretes_.push_back(j);
      features_.levels.push_back(static_cast<int>(layout_.discretes()[j].levels.size()));
    }
  features_.q = feature_discretes_.size();
  features_.codes.resize(n * features_.q);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < features_.q; ++j)
      features_.codes[i * features_.q + j] = all_codes[i * q_all + feature_discretes_[j]];

  // Classes: the observed values of the target; rows with a missing class are left out.
  const DiscreteFeature& tf = layout_.discretes()[static_cast<size_t>(target_discrete_)];
  class_values_.clear();
  class_levels_.clear();
  for (size_t l = 0; l < tf.levels.size(); ++l)
    if (!std::isnan(tf.levels[l])) {
      class_values_.push_back(tf.levels[l]);
      class_levels_.push_back(static_cast<int>(l));
    }
  if (class_values_.empty())
    throw DataError(name + ": target_col '" + target_name_ + "' has no values");
  classes_.clear();
  classes_.resize(class_values_.size());
  std::vector<int> class_of_level(tf.levels.size(), -1);
  for (size_t c = 0; c < class_levels_.size(); ++c)
    class_of_level[class_levels_[c]] = static_cast<int>(c);
  size_t unlabelled = 0;
  for (size_t i = 0; i < n; ++i) {
    const int c = class_of_level[static_cast<size_t>(all_codes[i * q_all + target_discrete_])];
    if (c < 0)
      ++unlabelled;
    else
      classes_[static_cast<size_t>(c)].rows.push_back(static_cast<uint32_t>(i));
  }
  if (unlabelled)
    ctx.log.warning(name + ": " + std::to_string(unlabelled) + " rows with a missing '" +
                    target_name_ + "' are not used");

  const size_t dim = embedding_dimension(features_);
  std::vector<std::vector<double>> medians(classes_.size());
  for (size_t c = 0; c < classes_.size(); ++c) {
    ClassModel& cm = classes_[c];
    const size_t m = cm.rows.size();
    const std::string label = data.column(*target).text(cm.rows.front());
    cm.k = std::min(k, m - 1);
    if (m == 1)
      ctx.log.warning(name + ": class '" + label +
                      "' has a single row; its synthetic rows are copies of it");
    else if (cm.k < k)
      ctx.log.warning(name + ": class '" + label + "' has " + std::to_string(m) + " rows; using " +
                      std::to_string(cm.k) + " neighbours instead of " + std::to_string(k));
    medians[c] = feature_medians(features_, cm.rows);
    const std::vector<int> group(m, static_cast<int>(c));
    cm.index = std::make_unique<KnnIndex>(
        embed_rows(features_, cm.rows, group, medians, median_std(features_, cm.rows)), m, dim);
  }
  if (kind_ == OversamplingKind::adasyn) {
    std::vector<uint32_t> all_rows;
    std::vector<int> group;
    for (size_t c = 0; c < classes_.size(); ++c)
      for (uint32_t r : classes_[c].rows) {
        all_rows.push_back(r);
        group.push_back(static_cast<int>(c));
      }
    const size_t total = all_rows.size();
    const size_t kk = std::min(k, total - 1);
    if (kk == 0) throw DataError("adasyn needs at least 2 rows with a class");
    KnnIndex full(embed_rows(features_, all_rows, group, medians, median_std(features_, all_rows)),
                  total, dim);
    std::vector<uint32_t> local(total);
    for (size_t r = 0; r < total; ++r) local[r] = static_cast<uint32_t>(r);
    const std::vector<uint32_t> nb = full.neighbours_of_many(local, kk, ctx.threads);
    size_t offset = 0;
    for (size_t c = 0; c < classes_.size(); ++c) {
      ClassModel& cm = classes_[c];
      cm.ratio.resize(cm.rows.size());
      double sum = 0;
      for (size_t r = 0; r < cm.rows.size(); ++r, ++offset) {
        size_t others = 0;
        for (size_t j = 0; j < kk; ++j) others += group[nb[offset * kk + j]] != static_cast<int>(c);
        cm.ratio[r] = static_cast<double>(others) / static_cast<double>(kk);
        sum += cm.ratio[r];
      }
      cm.cumulative.clear();
      if (sum > 0) {
        double acc = 0;
        for (double r : cm.ratio) cm.cumulative.push_back(acc += r);
      } else {
        ctx.log.warning("adasyn: no row of class '" + data.column(*target).text(cm.rows.front()) +
                        "' has a neighbour of another class; seeding its rows uniformly (SMOTE)");
      }
    }
  }
}

std::vector<size_t> OversamplingSynthesizer::class_counts(size_t n,
                                                          const SampleContext& ctx) const {
  std::vector<double> shares(class_values_.size(), 1.0 / static_cast<double>(class_values_.size()));
  if (ctx.shares) {
    if (ctx.shares->column != target_name_)
      throw NotAvailable(std::string(method_name(kind_)) +
                         " can only condition on its target column '" + target_name_ +
                         "', not on '" + ctx.shares->column + "'");
    std::fill(shares.begin(), shares.end(), 0.0);
    for (size_t v = 0; v < ctx.shares->values.size(); ++v) {
      auto it = std::find(class_values_.begin(), class_values_.end(), ctx.shares->values[v]);
      if (it == class_values_.end()) {
        if (ctx.shares->shares[v] > 0)
          throw DataError(std::string(method_name(kind_)) + " cannot make rows of a class of '" +
                          target_name_ + "' that has no real rows");
        continue;
      }
      shares[static_cast<size_t>(it - class_values_.begin())] = ctx.shares->shares[v];
    }
  }
  return apportion(n, shares);
}

Table OversamplingSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  const std::vector<size_t> counts = class_counts(n, ctx);
  std::vector<uint32_t> cls;
  cls.reserve(n);
  for (size_t c = 0; c < counts.size(); ++c)
    cls.insert(cls.end(), counts[c], static_cast<uint32_t>(c));
  {
    // Fisher-Yates, so the classes are interleaved in the output.
    Rng rng(ctx.seed, stream_id(StreamPurpose::sample, kShuffleStream));
    for (size_t i = n; i > 1; --i) std::swap(cls[i - 1], cls[rng.below(i)]);
  }

  // Pass 1: the random choices of every row, in deterministic chunks.
  std::vector<uint32_t> seed(n), slot(n);
  std::vector<double> gap(n);
  for_each_chunk(n, ctx, [&](Rng& rng, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const ClassModel& cm = classes_[cls[i]];
      const size_t m = cm.rows.size();
      seed[i] = static_cast<uint32_t>(
          cm.cumulative.empty() ? rng.below(m) : rng.categorical(cm.cumulative.data(), m));
      slot[i] = cm.k > 0 ? static_cast<uint32_t>(rng.below(cm.k)) : 0;
      gap[i] = rng.uniform();
    }
  });

  // Pass 2: neighbours of the seeds that were drawn, not of every real row.
  std::vector<std::vector<uint32_t>> neighbours(classes_.size());
  std::vector<std::vector<int64_t>> position(classes_.size());
  for (size_t c = 0; c < classes_.size(); ++c) position[c].assign(classes_[c].rows.size(), -1);
  for (size_t i = 0; i < n; ++i) position[cls[i]][seed[i]] = 0;
  for (size_t c = 0; c < classes_.size(); ++c) {
    if (classes_[c].k == 0) continue;
    std::vector<uint32_t> needed;
    for (size_t s = 0; s < position[c].size(); ++s)
      if (position[c][s] >= 0) {
        position[c][s] = static_cast<int64_t>(needed.size());
        needed.push_back(static_cast<uint32_t>(s));
      }
    neighbours[c] = classes_[c].index->neighbours_of_many(needed, classes_[c].k, ctx.threads);
  }

  // Pass 3: interpolation.
  const size_t p = features_.p, q_all = layout_.discretes().size();
  std::vector<double> numeric(n * p);
  std::vector<int32_t> codes(n * q_all);
#pragma omp parallel num_threads(ctx.threads > 0 ? ctx.threads : 1)
  {
    std::vector<int32_t> votes;
#pragma omp for schedule(static)
    for (size_t i = 0; i < n; ++i) {
      const ClassModel& cm = classes_[cls[i]];
      const size_t k = cm.k;
      const uint32_t s = cm.rows[seed[i]];
      const uint32_t* nb =
          k > 0 ? neighbours[cls[i]].data() + static_cast<size_t>(position[cls[i]][seed[i]]) * k
                : nullptr;
      const uint32_t t = k > 0 ? cm.rows[nb[slot[i]]] : s;
      for (size_t j = 0; j < p; ++j) {
        const double vs = features_.value(s, j), vt = features_.value(t, j);
        numeric[i * p + j] = std::isnan(vs) ? kNaN : std::isnan(vt) ? vs : vs + gap[i] * (vt - vs);
      }
      for (size_t j = 0; j < features_.q; ++j) {
        int32_t v = features_.code(s, j);
        if (k > 0) {
          votes.resize(k);
          for (size_t a = 0; a < k; ++a) votes[a] = features_.code(cm.rows[nb[a]], j);
          v = mode_of(votes.data(), k);
        }
        codes[i * q_all + feature_discretes_[j]] = v;
      }
      codes[i * q_all + static_cast<size_t>(target_discrete_)] = class_levels_[cls[i]];
    }
  }
  return layout_.build(n, numeric, codes);
}

}  // namespace calm
