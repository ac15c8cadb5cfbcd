// Gaussian copula synthesis (Sklar 1959; Patki et al. 2016): fit = per-column marginals, normal
// scores, their shrunk correlation; sample = correlated normals in fixed chunks (thread-count
// independent), back through the marginals; conditional sampling via the Schur complement.
#include "models/copula/gaussian_copula.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "core/row_sampling.hpp"
#include "transform/copula_correlation.hpp"

namespace calm {
namespace {

constexpr const char* kMethod = "gaussian_copula";
// Stream of the shuffle of conditioned labels; chunk streams count up from 0 and never reach it.
constexpr uint64_t kLabelStream = 1ULL << 56;

// Runs fn(i) for i in [0, n) on `threads` threads; the first exception is rethrown afterwards.
template <typename Fn>
void parallel_for(size_t n, int threads, Fn&& fn) {
  std::exception_ptr error;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads > 0 ? threads : 1)
  for (size_t i = 0; i < n; ++i) {
    try {
      fn(i);
    } catch (...) {
#pragma omp critical(calm_copula_error)
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
}

// Exact counts round(n * share) by largest remainder, so they sum to n.
std::vector<size_t> exact_counts(size_t n, const std::vector<double>& shares) {
  std::vector<size_t> counts(shares.size());
  std::vector<std::pair<double, size_t>> remainders;
  size_t total = 0;
  for (size_t k = 0; k < shares.size(); ++k) {
    const double want = static_cast<double>(n) * shares[k];
    counts[k] = static_cast<size_t>(std::floor(want));
    total += counts[k];
    remainders.emplace_back(want - std::floor(want), k);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t r = 0; total < n && r < remainders.size(); ++r, ++total)
    ++counts[remainders[r].second];
  return counts;
}

bool same_value(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

}  // namespace

// Sampling plan when ctx.shares names a column: row i takes the value values[label[i]].
struct GaussianCopulaSynthesizer::Condition {
  bool active = false;
  size_t column = 0;
  int var = -1;                     // copula variable whose score is drawn, -1 if none
  std::vector<double> values;       // requested values (Column::numeric encoding)
  std::vector<double> lo, hi;       // categorical: the value's interval of u
  std::vector<double> fixed_score;  // numeric: the value's normal score (NaN: use lo/hi)
  std::vector<uint32_t> label;      // per output row
  Eigen::MatrixXd factor;           // z = factor * w
};

ParamSpec GaussianCopulaSynthesizer::param_spec() {
  const std::vector<std::string> families = marginal_family_choices();
  return ParamSpec{
      {.name = "default_distribution",
       .type = ParamType::choice,
       .default_value = "auto",
       .doc = "marginal of numeric columns: auto (best-fitting family if it passes the KS test "
              "at 5%, else empirical) or one family for all",
       .choices = families},
      {.name = "shrinkage",
       .type = ParamType::number,
       .default_value = nullptr,
       .doc = "weight lambda of the identity in (1-lambda) R + lambda I; None = 0, raised only "
              "as far as needed for a positive-definite correlation",
       .min = 0.0,
       .max = 1.0,
       .nullable = true},
  };
}

void GaussianCopulaSynthesizer::fit(const Table& data, const FitContext& ctx) {
  const size_t n = data.num_rows();
  if (n == 0) throw DataError(std::string(kMethod) + " needs at least one row to fit");
  const Params params = param_spec().resolve(ctx.params.json(), kMethod);
  const std::optional<MarginalFamily> forced =
      marginal_family_choice(params.get_string("default_distribution"));

  columns_.clear();
  columns_.resize(data.num_columns());
  parallel_for(data.num_columns(), ctx.threads, [&](size_t j) {
    const Column& col = data.column(j);
    columns_[j] = fit_column_model(col, ctx.schema[col.name].semantic, forced);
  });

  vars_ = assign_copula_variables(columns_);
  set_correlation(copula_correlation(copula_scores(columns_, vars_, data, ctx.seed, ctx.threads),
                                     copula_between(columns_, vars_)),
                  params, ctx.log);
}

void GaussianCopulaSynthesizer::fit_parts(std::vector<ColumnModel> columns,
                                          const ScoreMoments& moments, const Params& params,
                                          const Logger& log) {
  columns_ = std::move(columns);
  vars_ = assign_copula_variables(columns_);
  if (vars_.empty()) {
    set_correlation(Eigen::MatrixXd(0, 0), params, log);
    return;
  }
  set_correlation(copula_correlation(moments, copula_between(columns_, vars_)), params, log);
}

void GaussianCopulaSynthesizer::set_correlation(const Eigen::MatrixXd& r, const Params& params,
                                                const Logger& log) {
  const Eigen::Index d = static_cast<Eigen::Index>(vars_.size());
  const double lambda = params.is_null("shrinkage") ? 0.0 : params.get_double("shrinkage");
  ShrunkFactor f = shrunk_cholesky(r, lambda);
  lambda_ = f.lambda;
  lower_ = std::move(f.lower);
  corr_ = (1.0 - lambda_) * r + lambda_ * Eigen::MatrixXd::Identity(d, d);
  if (lambda_ > lambda)
    log.debug(std::string(kMethod) + ": correlation of the normal scores is singular; " +
              "shrinkage raised to " + std::to_string(lambda_));
}

GaussianCopulaSynthesizer::Condition GaussianCopulaSynthesizer::prepare_condition(
    size_t n, const SampleContext& ctx) const {
  Condition c;
  if (!ctx.shares) return c;
  const ColumnShares& s = *ctx.shares;
  size_t j = 0;
  while (j < columns_.size() && columns_[j].prototype.name != s.column) ++j;
  if (j == columns_.size())
    throw InvalidArgument("custom_distributions names column '" + s.column +
                          "' that the fitted table does not have");
  const ColumnModel& m = columns_[j];
  if (m.role == ColumnRole::id)
    throw InvalidArgument("custom_distributions on id column '" + s.column +
                          "': its values are generated as fresh keys and cannot take shares");
  c.active = true;
  c.column = j;
  c.values = s.values;
  c.var = m.var;
  for (size_t k = 0; k < s.values.size(); ++k) {
    const double v = s.values[k];
    double lo = 0, hi = 1, fixed = std::numeric_limits<double>::quiet_NaN();
    bool possible = true;
    if (m.role == ColumnRole::categorical) {
      const long idx = m.intervals.index_of(v);
      possible = idx >= 0;
      if (possible) {
        lo = m.intervals.lower(static_cast<size_t>(idx));
        hi = m.intervals.upper(static_cast<size_t>(idx));
      }
    } else if (m.marginal) {
      fixed = normal_score(m.marginal->cdf(v));
    } else {
      possible = same_value(v, m.constant);
    }
    if (!possible && s.shares[k] > 0)
      throw DataError(std::string(kMethod) + " cannot produce value " + std::to_string(v) +
                      " of column '" + s.column + "': it does not occur in the fitted data");
    c.lo.push_back(lo);
    c.hi.push_back(hi);
    c.fixed_score.push_back(fixed);
  }
  const auto counts = exact_counts(n, s.shares);
  c.label.reserve(n);
  for (size_t k = 0; k < counts.size(); ++k) c.label.insert(c.label.end(), counts[k], k);
  Rng rng(ctx.seed, stream_id(StreamPurpose::sample, kLabelStream));
  for (size_t i = n; i > 1; --i) std::swap(c.label[i - 1], c.label[rng.below(i)]);
  if (c.var >= 0) c.factor = conditional_factor(corr_, c.var);
  return c;
}

Table GaussianCopulaSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  if (columns_.empty()) throw InternalError(std::string(kMethod) + ": sample() before fit()");
  const Condition cond = prepare_condition(n, ctx);
  const Eigen::MatrixXd& factor = cond.var >= 0 ? cond.factor : lower_;
  const Eigen::MatrixXd factor_t = factor.transpose();
  const Eigen::Index d = static_cast<Eigen::Index>(vars_.size());

  std::vector<Column> out;
  out.reserve(columns_.size());
  for (const auto& m : columns_) out.push_back(allocate_output(m, n));

  for_each_chunk(n, ctx, [&](Rng& rng, size_t begin, size_t end) {
    const Eigen::Index rows = static_cast<Eigen::Index>(end - begin);
    Eigen::MatrixXd w(rows, d);
    for (Eigen::Index i = 0; i < rows; ++i) {
      for (Eigen::Index v = 0; v < d; ++v) w(i, v) = rng.normal();
      if (cond.var >= 0) {
        const uint32_t k = cond.label[begin + static_cast<size_t>(i)];
        w(i, cond.var) =
            std::isnan(cond.fixed_score[k])
                ? normal_score(cond.lo[k] + (cond.hi[k] - cond.lo[k]) * rng.uniform_open())
                : cond.fixed_score[k];
      }
    }
    // Coefficient-wise product: no blocking that could depend on the thread count.
    Eigen::MatrixXd u = w.lazyProduct(factor_t);
    // Clipped as in fit, so that no marginal is asked for its (possibly infinite) 0 or 1 quantile.
    for (Eigen::Index v = 0; v < d; ++v)
      for (Eigen::Index i = 0; i < rows; ++i)
        u(i, v) = std::clamp(normal_cdf(u(i, v)), kScoreClip, 1.0 - kScoreClip);

    std::vector<double> values(static_cast<size_t>(rows));
    for (size_t j = 0; j < columns_.size(); ++j) {
      const ColumnModel& m = columns_[j];
      const double* uv = m.var >= 0 ? u.col(m.var).data() : nullptr;
      const double* um = m.missing_var >= 0 ? u.col(m.missing_var).data() : nullptr;
      m.decode(uv, um, values.size(), values.data());
      if (cond.active && cond.column == j)
        for (size_t i = 0; i < values.size(); ++i) values[i] = cond.values[cond.label[begin + i]];
      write_values(out[j], begin, values.data(), values.size());
    }
  });

  for (size_t j = 0; j < columns_.size(); ++j) finish_output(columns_[j], out[j]);
  return Table(std::move(out));
}

Json GaussianCopulaSynthesizer::describe() const {
  Json cols = Json::array();
  for (const auto& m : columns_) cols.push_back(m.describe());
  return Json{
      {"method", kMethod}, {"columns", cols}, {"variables", vars_.size()}, {"shrinkage", lambda_}};
}

}  // namespace calm
