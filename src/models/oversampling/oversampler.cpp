// Fit (features, class groups, output columns) and sampling (class targets, kept real rows, seeds,
// neighbours of the seeds drawn, interpolation) of `smote` and `adasyn`.
#include "models/oversampling/oversampler.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "calm/core/apportion.hpp"
#include "calm/core/error.hpp"
#include "core/row_sampling.hpp"

namespace calm {
namespace {

// Streams of the per-class subset draws: far above any chunk index of the seed draws.
constexpr uint64_t kSubsetStream = 1ULL << 50;

const char* method_name(OversamplingKind k) {
  return k == OversamplingKind::smote ? "smote" : "adasyn";
}

const char* neighbours_param(OversamplingKind k) {
  return k == OversamplingKind::smote ? "k_neighbors" : "n_neighbors";
}

// `count` of the m members, uniformly without replacement (partial Fisher-Yates), increasing.
std::vector<uint32_t> subset(size_t m, size_t count, Rng& rng) {
  std::vector<uint32_t> idx(m);
  std::iota(idx.begin(), idx.end(), 0u);
  for (size_t i = 0; i < count; ++i) std::swap(idx[i], idx[i + rng.below(m - i)]);
  idx.resize(count);
  std::sort(idx.begin(), idx.end());
  return idx;
}

// A uniform index below m (Lemire's multiply-and-reject on 64 bits) and, from the same draw, a
// uniform `fraction` in [0, 1): the low half of the product. Given the index, the low half runs
// over an arithmetic progression of step m across [0, 2^64), so the fraction is uniform on a grid
// of spacing m / 2^64 and independent of the index. One 64-bit draw instead of two.
size_t draw_index(Rng& rng, size_t m, double& fraction) {
  for (;;) {
    const unsigned __int128 product = static_cast<unsigned __int128>(rng.next_u64()) * m;
    const auto low = static_cast<uint64_t>(product);
    // Rejecting the low values below 2^64 mod m leaves exactly floor(2^64 / m) draws per index.
    if (low < m && low < (0 - static_cast<uint64_t>(m)) % m) continue;
    fraction = static_cast<double>(low >> 11) * 0x1.0p-53;
    return static_cast<size_t>(product >> 64);
  }
}

}  // namespace

ParamSpec OversamplingSynthesizer::param_spec(OversamplingKind kind) {
  const bool smote = kind == OversamplingKind::smote;
  const std::string rows =
      " n_samples is the number of rows returned: split equally over the classes (or as "
      "custom_distributions asks on the target); each class keeps its real rows up to its count "
      "(a random subset when it has more) and synthesises the rest, like imbalanced-learn's "
      "fit_resample. Real rows come first, in input order, then the synthetic rows";
  return ParamSpec{
      {.name = neighbours_param(kind),
       .type = ParamType::integer,
       .default_value = 5,
       .doc = (smote ? "k nearest same-class neighbours a synthetic point may interpolate towards "
                       "(a class with m <= k rows uses m - 1; a single row is copied)."
                     : "K neighbours for both the density ratio (share of other-class rows among "
                       "the K nearest in the whole data) and the interpolation (a class with "
                       "m <= K rows uses m - 1; a single row is copied).") +
              rows,
       .aliases = {smote ? "smote_neighbors" : "adasyn_neighbors"},
       .min = 1.0},
      {.name = "synthetic_only",
       .type = ParamType::boolean,
       .default_value = false,
       .doc = "Return no real row: every row, majority classes included, is interpolated from a "
              "real row and a same-class neighbour (slower: every class needs its neighbours)"},
  };
}

void OversamplingSynthesizer::fit(const Table& data, const FitContext& ctx) {
  const std::string name = method_name(kind_);
  if (!ctx.target_col)
    throw InvalidArgument("method '" + name +
                          "' needs target_col (the class column): it oversamples classes, so a "
                          "target is required");
  const auto target = data.find(*ctx.target_col);
  if (!target)
    throw InvalidArgument("target_col '" + *ctx.target_col +
                          "' is not a column; columns are: " + join_names(data.column_names()));
  const Params params = param_spec(kind_).resolve(ctx.params.json(), name);
  k_ = static_cast<size_t>(params.get_int(neighbours_param(kind_)));
  synthetic_only_ = params.get_bool("synthetic_only");
  target_ = *target;
  data_ = data;
  schema_ = ctx.schema;
  prepare(ctx.log);
}

void OversamplingSynthesizer::prepare(const Logger& log) {
  const std::string name = method_name(kind_);
  const MixedLayout layout = MixedLayout::fit(data_, schema_, true, target_);
  const int target_discrete = layout.discrete_of_column(target_);
  const size_t n = data_.num_rows(), q_all = layout.discretes().size();
  const std::vector<int32_t> all_codes = layout.discrete_codes(data_);
  const Column& target_col = data_.column(target_);

  // Features, column-major in their own units.
  features_ = FeatureMatrix{};
  FeatureMatrix& f = features_;
  f.n = n;
  f.p = layout.numerics().size();
  f.numeric.resize(f.p * n);
  for (size_t j = 0; j < f.p; ++j) {
    const NumericFeature& nf = layout.numerics()[j];
    const Column& col = data_.column(nf.column);
    double* x = f.numeric.data() + j * n;
    if (col.type == StorageType::float64) {
      std::copy(col.f64.begin(), col.f64.end(), x);
    } else if (col.type == StorageType::int64 && col.valid.empty()) {
      for (size_t i = 0; i < n; ++i) x[i] = static_cast<double>(col.i64[i]);
    } else {
      for (size_t i = 0; i < n; ++i) x[i] = col.numeric(i);
    }
    bool missing = false;
    for (size_t i = 0; i < n; ++i)
      if (!std::isfinite(x[i])) {
        x[i] = std::numeric_limits<double>::quiet_NaN();
        missing = true;
      }
    f.has_missing.push_back(missing);
    f.mean.push_back(nf.mean);
    f.scale.push_back(nf.scale);
  }
  std::vector<int> feature_of_discrete(q_all, -1);
  for (size_t j = 0; j < q_all; ++j)
    if (static_cast<int>(j) != target_discrete) {
      feature_of_discrete[j] = static_cast<int>(f.q++);
      f.levels.push_back(static_cast<int>(layout.discretes()[j].levels.size()));
    }
  f.codes.resize(f.q * n);
  for (size_t j = 0; j < q_all; ++j)
    if (feature_of_discrete[j] >= 0) {
      int32_t* out = f.codes.data() + static_cast<size_t>(feature_of_discrete[j]) * n;
      for (size_t i = 0; i < n; ++i) out[i] = all_codes[i * q_all + j];
    }

  // Classes: the observed values of the target; rows with a missing class are left out.
  const DiscreteFeature& tf = layout.discretes()[static_cast<size_t>(target_discrete)];
  class_values_.clear();
  std::vector<int> class_of_level(tf.levels.size(), -1);
  for (size_t l = 0; l < tf.levels.size(); ++l)
    if (!std::isnan(tf.levels[l])) {
      class_of_level[l] = static_cast<int>(class_values_.size());
      class_values_.push_back(tf.levels[l]);
    }
  if (class_values_.empty())
    throw DataError(name + ": target_col '" + target_col.name + "' has no values");
  classes_.assign(class_values_.size(), ClassGroup{});
  size_t unlabelled = 0;
  for (size_t i = 0; i < n; ++i) {
    const int c = class_of_level[static_cast<size_t>(all_codes[i * q_all + target_discrete])];
    if (c < 0)
      ++unlabelled;
    else
      classes_[static_cast<size_t>(c)].rows.push_back(static_cast<uint32_t>(i));
  }
  if (unlabelled)
    log.warning(name + ": " + std::to_string(unlabelled) + " rows with a missing '" +
                target_col.name + "' are not used");
  for (ClassGroup& g : classes_) {
    const size_t m = g.rows.size();
    const std::string label = target_col.text(g.rows.front());
    g.k = std::min(k_, m - 1);
    if (m == 1)
      log.warning(name + ": class '" + label +
                  "' has a single row; its synthetic rows are copies of it");
    else if (g.k < k_)
      log.warning(name + ": class '" + label + "' has " + std::to_string(m) + " rows; using " +
                  std::to_string(g.k) + " neighbours instead of " + std::to_string(k_));
    g.fill = feature_medians(f, g.rows);
  }

  // Output columns.
  columns_.clear();
  columns_.resize(data_.num_columns());
  for (size_t j = 0; j < f.p; ++j) {
    OutputColumn& oc = columns_[layout.numerics()[j].column];
    oc.kind = OutputColumn::Kind::numeric;
    oc.index = j;
  }
  for (size_t j = 0; j < q_all; ++j) {
    OutputColumn& oc = columns_[layout.discretes()[j].column];
    if (static_cast<int>(j) == target_discrete) {
      oc.kind = OutputColumn::Kind::target;
      oc.values = class_values_;
    } else {
      oc.kind = OutputColumn::Kind::discrete;
      oc.index = static_cast<size_t>(feature_of_discrete[j]);
      oc.values = layout.discretes()[j].levels;
    }
  }
  for (size_t c = 0; c < data_.num_columns(); ++c) {
    const Column& col = data_.column(c);
    OutputColumn& oc = columns_[c];
    const bool is_feature = layout.discrete_of_column(c) >= 0 ||
                            std::any_of(layout.numerics().begin(), layout.numerics().end(),
                                        [c](const NumericFeature& nf) { return nf.column == c; });
    if (!is_feature) {
      oc.kind = OutputColumn::Kind::id;
      oc.model = fit_column_model(col, SemanticType::id, std::nullopt);
      continue;
    }
    oc.model.prototype.name = col.name;
    oc.model.prototype.type = col.type;
    oc.model.prototype.format = col.format;
    if (col.type == StorageType::categorical) oc.model.prototype.dict = col.dict;
  }
}

std::vector<double> OversamplingSynthesizer::density_ratios(size_t c, int threads) const {
  return DensityRatios(features_, classes_, k_).of_class(c, threads);
}

std::vector<size_t> OversamplingSynthesizer::class_targets(size_t n,
                                                           const SampleContext& ctx) const {
  const std::string& target_name = data_.column(target_).name;
  std::vector<double> shares(class_values_.size(), 1.0 / static_cast<double>(class_values_.size()));
  if (ctx.shares) {
    if (ctx.shares->column != target_name)
      throw NotAvailable(std::string(method_name(kind_)) +
                         " can only condition on its target column '" + target_name +
                         "', not on '" + ctx.shares->column + "'");
    std::fill(shares.begin(), shares.end(), 0.0);
    for (size_t v = 0; v < ctx.shares->values.size(); ++v) {
      auto it = std::find(class_values_.begin(), class_values_.end(), ctx.shares->values[v]);
      if (it == class_values_.end()) {
        if (ctx.shares->shares[v] > 0)
          throw DataError(std::string(method_name(kind_)) + " cannot make rows of a class of '" +
                          target_name + "' that has no real rows");
        continue;
      }
      shares[static_cast<size_t>(it - class_values_.begin())] = ctx.shares->shares[v];
    }
  }
  return largest_remainder(n, shares);
}

ResamplePlan OversamplingSynthesizer::plan(const std::vector<size_t>& targets,
                                           const SampleContext& ctx) const {
  const size_t classes = classes_.size(), q = features_.q;
  ResamplePlan plan;

  // Real rows kept, and the synthetic rows' classes (blocks in class order).
  std::vector<uint8_t> keep(features_.n, 0);
  for (size_t c = 0; c < classes; ++c) {
    const ClassGroup& g = classes_[c];
    const size_t m = g.rows.size(), real = synthetic_only_ ? 0 : std::min(m, targets[c]);
    if (real == m) {
      for (uint32_t r : g.rows) keep[r] = 1;
    } else if (real > 0) {
      Rng rng(ctx.seed, stream_id(StreamPurpose::sample, kSubsetStream + c));
      for (uint32_t s : subset(m, real, rng)) keep[g.rows[s]] = 1;
    }
    plan.cls.insert(plan.cls.end(), targets[c] - real, static_cast<uint32_t>(c));
  }
  for (size_t i = 0; i < features_.n; ++i)
    if (keep[i]) plan.kept.push_back(static_cast<int64_t>(i));
  const size_t S = plan.synthetic();
  std::vector<uint8_t> synthesised(classes, 0);
  for (uint32_t c : plan.cls) synthesised[c] = 1;

  // Seed weights: ADASYN's density ratios of the classes that need rows (SMOTE: uniform).
  std::vector<std::vector<double>> cumulative(classes);
  if (kind_ == OversamplingKind::adasyn) {
    std::unique_ptr<DensityRatios> density;
    for (size_t c = 0; c < classes; ++c) {
      if (!synthesised[c] || classes_[c].k == 0) continue;
      if (!density) density = std::make_unique<DensityRatios>(features_, classes_, k_);
      double acc = 0;
      for (double r : density->of_class(c, ctx.threads)) cumulative[c].push_back(acc += r);
      if (acc <= 0) {
        cumulative[c].clear();
        ctx.log.warning("adasyn: no row of class '" +
                        data_.column(target_).text(classes_[c].rows.front()) +
                        "' has a neighbour of another class; seeding its rows uniformly (SMOTE)");
      }
    }
  }

  // The random choices of every synthetic row, in deterministic chunks: seed (class-local),
  // neighbour slot, gap. plan.seed and plan.partner hold the seed's class-local index and the
  // neighbour slot until the neighbours are known.
  plan.seed.resize(S);
  plan.partner.resize(S);
  plan.gap.resize(S);
  for_each_chunk(S, ctx, [&](Rng& rng, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const size_t c = plan.cls[i];
      const ClassGroup& g = classes_[c];
      const size_t m = g.rows.size();
      double u;
      if (cumulative[c].empty()) {
        plan.seed[i] = static_cast<uint32_t>(draw_index(rng, m, u));
      } else {
        plan.seed[i] = static_cast<uint32_t>(rng.categorical(cumulative[c].data(), m));
        u = rng.uniform();
      }
      // One uniform gives both the neighbour slot (integer part of u k) and the gap (its
      // fractional part): they are independent and uniform, at the cost of log2(k) of its bits.
      const double uk = u * static_cast<double>(std::max<size_t>(g.k, 1));
      const double whole = std::floor(uk);
      plan.partner[i] = g.k > 0 ? static_cast<uint32_t>(std::min<double>(whole, g.k - 1)) : 0;
      plan.gap[i] = uk - whole;
    }
  });

  // Neighbours (and SMOTE-NC votes) of the seeds that were drawn, not of every real row.
  std::vector<SeedNeighbours> nb(classes);
  {
    std::vector<std::vector<uint8_t>> is_seed(classes);
    for (size_t c = 0; c < classes; ++c)
      if (synthesised[c] && classes_[c].k > 0) is_seed[c].assign(classes_[c].rows.size(), 0);
    for (size_t i = 0; i < S; ++i)
      if (!is_seed[plan.cls[i]].empty()) is_seed[plan.cls[i]][plan.seed[i]] = 1;
    for (size_t c = 0; c < classes; ++c)
      if (!is_seed[c].empty())
        nb[c] = seed_neighbours(features_, classes_[c], is_seed[c], ctx.threads);
  }

  // Training rows of seed and partner, and the discrete levels, of every synthetic row.
  plan.codes.resize(q * S);
#pragma omp parallel for schedule(static) num_threads(ctx.threads > 0 ? ctx.threads : 1)
  for (size_t i = 0; i < S; ++i) {
    const size_t c = plan.cls[i];
    const ClassGroup& g = classes_[c];
    const uint32_t local = plan.seed[i], s = g.rows[local];
    plan.seed[i] = s;
    if (g.k == 0) {  // a single-row class: copies
      plan.partner[i] = s;
      for (size_t j = 0; j < q; ++j) plan.codes[j * S + i] = features_.code(s, j);
      continue;
    }
    const auto pos = static_cast<size_t>(nb[c].position[local]);
    plan.partner[i] = nb[c].neighbours[pos * g.k + plan.partner[i]];
    for (size_t j = 0; j < q; ++j) plan.codes[j * S + i] = nb[c].votes[pos * q + j];
  }
  return plan;
}

Table OversamplingSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  return write_resample(data_, columns_, features_, plan(class_targets(n, ctx), ctx), ctx.threads);
}

}  // namespace calm
