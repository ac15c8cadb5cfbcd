// Fit (parameter checks, encoding, BIC search for "auto") and sampling of the `gmm` method.
#include "models/mixture/gmm_synthesizer.hpp"

#include <cmath>
#include <limits>

#include "calm/core/error.hpp"
#include "core/row_sampling.hpp"
#include "models/families.hpp"

namespace calm {
namespace {

constexpr const char* kMethod = "gmm";
constexpr int kMaxAutoComponents = 10;

// n_components as ParamSpec validated it: a positive integer, or "auto" (returned as 0).
int parse_components(const Json& v) {
  return v.is_string() ? 0 : static_cast<int>(v.get<int64_t>());
}

std::vector<double> cumulative(const double* w, size_t k) {
  std::vector<double> c(k);
  double acc = 0;
  for (size_t i = 0; i < k; ++i) c[i] = acc += w[i];
  return c;
}

}  // namespace

ParamSpec GaussianMixtureSynthesizer::param_spec() {
  return ParamSpec{
      {.name = "n_components",
       .type = ParamType::one_of,
       .default_value = 5,
       .doc = "number of mixture components, or \"auto\": the count in 1..10 with the lowest BIC",
       .aliases = {"gmm_n_components"},
       .alternatives = {{.type = ParamType::integer, .min = 1, .max = 1000000},
                        {.type = ParamType::choice, .choices = {"auto"}}}},
      {.name = "covariance_type",
       .type = ParamType::choice,
       .default_value = "full",
       .doc = "covariance of each component's Gaussian (scikit-learn semantics): full, tied "
              "(one shared), diag or spherical",
       .aliases = {"gmm_covariance_type"},
       .choices = covariance_type_names()},
      {.name = "n_init",
       .type = ParamType::integer,
       .default_value = 1,
       .doc = "EM runs from different k-means++ starts; the best lower bound wins",
       .min = 1.0},
      {.name = "max_iter",
       .type = ParamType::integer,
       .default_value = 100,
       .doc = "most EM iterations per run",
       .min = 1.0},
      {.name = "tol",
       .type = ParamType::number,
       .default_value = 1e-3,
       .doc = "convergence: stop when the mean log-likelihood per row changes by less than this",
       .min = 0.0,
       .min_exclusive = true},
      {.name = "reg_covar",
       .type = ParamType::number,
       .default_value = 1e-6,
       .doc = "added to covariance diagonals (on the standardised scale) to keep them positive",
       .min = 0.0},
      {.name = "smoothing",
       .type = ParamType::number,
       .default_value = 0.1,
       .doc = "Dirichlet pseudo-count per level of each categorical column in each component",
       .min = 0.0,
       .min_exclusive = true},
      {.name = "standardize",
       .type = ParamType::boolean,
       .default_value = true,
       .doc = "scale numeric columns to mean 0, variance 1 before EM; false fits on the raw "
              "scale exactly like scikit-learn (spherical/diag then depend on the units)"},
  };
}

void GaussianMixtureSynthesizer::fit(const Table& data, const FitContext& ctx) {
  const Params params = param_spec().resolve(ctx.params.json(), kMethod);
  const int requested = parse_components(params.raw("n_components"));
  EmOptions o;
  o.covariance = covariance_ = covariance_type_from_string(params.get_string("covariance_type"));
  o.n_init = static_cast<int>(params.get_int("n_init"));
  o.max_iter = static_cast<int>(params.get_int("max_iter"));
  o.tol = params.get_double("tol");
  o.reg_covar = params.get_double("reg_covar");
  o.alpha = params.get_double("smoothing");
  if (data.num_rows() == 0) throw DataError("gmm needs at least one row to fit");

  layout_ = MixedLayout::fit(data, ctx.schema, params.get_bool("standardize"));
  const std::vector<double> numeric = layout_.numeric_matrix(data);
  const std::vector<int32_t> layout_codes = layout_.discrete_codes(data);
  const size_t n = data.num_rows(), p = layout_.numerics().size();
  const size_t q0 = layout_.discretes().size();

  // The model's discrete features: the layout's, then one is-missing indicator per numeric column
  // with missing cells.
  MixtureData d;
  d.n = n;
  d.p = p;
  for (const auto& f : layout_.discretes()) d.levels.push_back(static_cast<int>(f.levels.size()));
  indicator_of_numeric_.assign(p, -1);
  for (size_t j = 0; j < p; ++j)
    if (layout_.numerics()[j].has_missing) {
      indicator_of_numeric_[j] = static_cast<int>(d.levels.size());
      d.levels.push_back(2);
    }
  d.q = d.levels.size();
  std::vector<int32_t> codes(n * d.q);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < q0; ++j) codes[i * d.q + j] = layout_codes[i * q0 + j];
    for (size_t j = 0; j < p; ++j)
      if (indicator_of_numeric_[j] >= 0)
        codes[i * d.q + static_cast<size_t>(indicator_of_numeric_[j])] =
            std::isnan(numeric[i * p + j]) ? 1 : 0;
  }
  d.numeric = numeric.data();
  d.codes = codes.data();

  if (requested > 0) {
    o.components = requested;
    // More components than rows cannot be fitted; a tiny table should still work with defaults.
    if (static_cast<size_t>(requested) > n) {
      o.components = static_cast<int>(n);
      ctx.log.warning("gmm: n_components=" + std::to_string(requested) + " is more than the " +
                      std::to_string(n) + " rows; using " + std::to_string(n));
    }
    model_ = fit_mixture(d, o, ctx.seed);
  } else {
    const int top = static_cast<int>(std::min<size_t>(kMaxAutoComponents, n));
    double best_bic = std::numeric_limits<double>::infinity();
    for (int k = 1; k <= top; ++k) {
      o.components = k;
      MixtureModel m = fit_mixture(d, o, ctx.seed);
      const double bic =
          -2.0 * m.score * static_cast<double>(n) +
          m.num_parameters(o.covariance, d.levels) * std::log(static_cast<double>(n));
      ctx.log.debug("gmm: " + std::to_string(k) + " components, BIC " + std::to_string(bic));
      if (bic < best_bic) {
        best_bic = bic;
        model_ = std::move(m);
      }
    }
    ctx.log.info("gmm: n_components=auto chose " + std::to_string(model_.components()) +
                 " components by BIC");
  }
  if (!model_.converged)
    ctx.log.warning("gmm: EM did not converge in max_iter=" + std::to_string(o.max_iter) +
                    " iterations; raise max_iter or tol");

  // The likelihood on the data's own scale: each observed standardised value carries the
  // Jacobian 1/scale.
  double jacobian = 0;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < p; ++j)
      if (!std::isnan(numeric[i * p + j])) jacobian += std::log(layout_.numerics()[j].scale);
  score_ = model_.score - jacobian / static_cast<double>(n);

  const int K = model_.components();
  cum_weights_ = cumulative(model_.weights.data(), static_cast<size_t>(K));
  chol_.clear();
  cum_theta_.assign(static_cast<size_t>(K), {});
  for (int k = 0; k < K; ++k) {
    chol_.push_back(model_.covariances[k].llt().matrixL());
    for (size_t j = 0; j < d.q; ++j) {
      std::vector<double> probs(static_cast<size_t>(d.levels[j]));
      for (size_t l = 0; l < probs.size(); ++l)
        probs[l] = std::exp(
            model_.log_theta[k](static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(l)));
      cum_theta_[k].push_back(cumulative(probs.data(), probs.size()));
    }
  }
}

Table GaussianMixtureSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  const size_t p = layout_.numerics().size(), q0 = layout_.discretes().size();
  std::vector<double> numeric(n * p);
  std::vector<int32_t> codes(n * q0);
  for_each_chunk(n, ctx, [&](Rng& rng, size_t begin, size_t end) {
    Eigen::VectorXd z(static_cast<Eigen::Index>(p));
    for (size_t i = begin; i < end; ++i) {
      const size_t k = rng.categorical(cum_weights_.data(), cum_weights_.size());
      for (auto& v : z) v = rng.normal();
      const Eigen::VectorXd x = model_.means[k] + chol_[k] * z;
      const auto& tables = cum_theta_[k];
      for (size_t j = 0; j < q0; ++j)
        codes[i * q0 + j] =
            static_cast<int32_t>(rng.categorical(tables[j].data(), tables[j].size()));
      for (size_t j = 0; j < p; ++j) {
        const int ind = indicator_of_numeric_[j];
        const bool missing =
            ind >= 0 && rng.categorical(tables[static_cast<size_t>(ind)].data(), 2) == 1;
        numeric[i * p + j] =
            missing ? std::numeric_limits<double>::quiet_NaN() : x[static_cast<Eigen::Index>(j)];
      }
    }
  });
  return layout_.build(n, numeric, codes);
}

void register_mixture_methods(Registry& r) {
  MethodInfo m;
  m.name = kMethod;
  m.family = "statistical";
  m.summary =
      "Gaussian mixture by EM (scikit-learn semantics) with per-component categorical tables for "
      "categorical columns (latent-class mixture); n_components=\"auto\" picks by BIC";
  m.reference =
      "Dempster, Laird & Rubin (1977) EM; Ghahramani & Jordan (1994) EM with missing data; "
      "Arthur & Vassilvitskii (2007) k-means++; Schwarz (1978) BIC";
  m.params = GaussianMixtureSynthesizer::param_spec();
  m.create = [] { return std::make_unique<GaussianMixtureSynthesizer>(); };
  // EM keeps a covariance (and its factor) of columns^2 per component and the responsibilities
  // (rows x components), next to the encoded table.
  m.memory = [](size_t rows, size_t columns, const Params& p) {
    const int requested = parse_components(p.raw("n_components"));
    const double k = requested > 0 ? requested : kMaxAutoComponents;
    const double n = static_cast<double>(rows), d = static_cast<double>(columns);
    return MemoryEstimate{8 * (n * d * 2 + n * k * 2 + k * d * d * 2),
                          "n_components=" + (requested > 0 ? std::to_string(requested) : "auto") +
                              " x columns^2 and rows x n_components",
                          "n_components"};
  };
  r.add(std::move(m));
}

}  // namespace calm
