// The 1-D variational Bayesian Gaussian mixture (scikit-learn's BayesianGaussianMixture update
// equations with covariance_type="full" reduced to one dimension) and the mode-specific
// normaliser built on it.
#include "transform/mode_normalizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "calm/core/error.hpp"

namespace calm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Hard k-means responsibilities (n x k, row-major) by Lloyd's algorithm from quantile centres.
std::vector<double> kmeans_responsibilities(const std::vector<double>& x, size_t k) {
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  const size_t n = x.size();
  std::vector<double> centre(k);
  for (size_t j = 0; j < k; ++j)
    centre[j] = sorted[std::min(n - 1, static_cast<size_t>((j + 0.5) * n / k))];
  std::vector<size_t> label(n, 0);
  for (int it = 0; it < 100; ++it) {
    bool changed = false;
    for (size_t i = 0; i < n; ++i) {
      size_t best = 0;
      for (size_t j = 1; j < k; ++j)
        if (std::abs(x[i] - centre[j]) < std::abs(x[i] - centre[best])) best = j;
      changed |= best != label[i] || it == 0;
      label[i] = best;
    }
    if (!changed) break;
    std::vector<double> sum(k, 0.0), count(k, 0.0);
    for (size_t i = 0; i < n; ++i) {
      sum[label[i]] += x[i];
      count[label[i]] += 1;
    }
    for (size_t j = 0; j < k; ++j)
      if (count[j] > 0) centre[j] = sum[j] / count[j];
  }
  std::vector<double> resp(n * k, 0.0);
  for (size_t i = 0; i < n; ++i) resp[i * k + label[i]] = 1.0;
  return resp;
}

double log_sum_exp(const double* v, size_t k) {
  const double top = *std::max_element(v, v + k);
  if (!std::isfinite(top)) return top;
  double s = 0;
  for (size_t j = 0; j < k; ++j) s += std::exp(v[j] - top);
  return top + std::log(s);
}

double log_beta(double a, double b) {
  return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
}

}  // namespace

double digamma(double x) {
  double acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const double r = 1 / x, r2 = r * r;
  return acc + std::log(x) - 0.5 * r -
         r2 * (1.0 / 12 - r2 * (1.0 / 120 - r2 * (1.0 / 252 - r2 * (1.0 / 240 - r2 / 132))));
}

void VariationalGmm1d::fit(const std::vector<double>& x, const VariationalGmmOptions& o) {
  const size_t n = x.size();
  if (n < 2) throw InternalError("VariationalGmm1d::fit needs at least two values");
  const size_t k = std::min<size_t>(static_cast<size_t>(std::max(1, o.max_components)), n);
  wc_prior_ = o.weight_concentration_prior;
  reg_covar_ = o.reg_covar;
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(n);
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  mean_prior_ = mean;
  cov_prior_ = ss / static_cast<double>(n - 1);
  mean_precision_prior_ = 1;
  dof_prior_ = 1;

  conc_a_.assign(k, 0);
  m_step(x, kmeans_responsibilities(x, k));
  std::vector<double> log_resp(n * k);
  lower_bound_ = -std::numeric_limits<double>::infinity();
  converged_ = false;
  for (iterations_ = 1; iterations_ <= o.max_iter; ++iterations_) {
    const double previous = lower_bound_;
    e_step(x, log_resp);
    std::vector<double> resp(log_resp.size());
    for (size_t i = 0; i < resp.size(); ++i) resp[i] = std::exp(log_resp[i]);
    m_step(x, resp);
    lower_bound_ = elbo(log_resp);
    if (std::abs(lower_bound_ - previous) < o.tol) {
      converged_ = true;
      break;
    }
  }
  iterations_ = std::min(iterations_, o.max_iter);

  // Expected stick-breaking weights.
  weights_.assign(k, 0);
  double remaining = 1, total = 0;
  for (size_t j = 0; j < k; ++j) {
    const double s = conc_a_[j] + conc_b_[j];
    weights_[j] = remaining * conc_a_[j] / s;
    remaining *= conc_b_[j] / s;
    total += weights_[j];
  }
  for (double& w : weights_) w /= total;
}

void VariationalGmm1d::m_step(const std::vector<double>& x, const std::vector<double>& resp) {
  const size_t n = x.size(), k = conc_a_.size();
  // Sufficient statistics per component: N_k (with scikit-learn's 10 eps floor), x_k, S_k.
  std::vector<double> nk(k), xk(k), sk(k);
  std::fill(nk.begin(), nk.end(), 10 * std::numeric_limits<double>::epsilon());
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < k; ++j) {
      nk[j] += resp[i * k + j];
      xk[j] += resp[i * k + j] * x[i];
    }
  for (size_t j = 0; j < k; ++j) xk[j] /= nk[j];
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < k; ++j) sk[j] += resp[i * k + j] * (x[i] - xk[j]) * (x[i] - xk[j]);
  for (size_t j = 0; j < k; ++j) sk[j] = sk[j] / nk[j] + reg_covar_;

  // Stick j's Beta posterior: a = 1 + N_j, b = prior + the mass of every later component.
  conc_a_.assign(k, 0);
  conc_b_.assign(k, 0);
  double later = 0;
  for (size_t j = k; j-- > 0;) {
    conc_a_[j] = 1 + nk[j];
    conc_b_[j] = wc_prior_ + later;
    later += nk[j];
  }
  mean_precision_.assign(k, 0);
  means_.assign(k, 0);
  dof_.assign(k, 0);
  variances_.assign(k, 0);
  for (size_t j = 0; j < k; ++j) {
    mean_precision_[j] = mean_precision_prior_ + nk[j];
    means_[j] = (mean_precision_prior_ * mean_prior_ + nk[j] * xk[j]) / mean_precision_[j];
    dof_[j] = dof_prior_ + nk[j];
    const double diff = xk[j] - mean_prior_;
    variances_[j] = (cov_prior_ + nk[j] * sk[j] +
                     nk[j] * mean_precision_prior_ / mean_precision_[j] * diff * diff) /
                    dof_[j];
  }
  refresh_expectations();
}

void VariationalGmm1d::refresh_expectations() {
  const size_t k = conc_a_.size();
  log_weight_.assign(k, 0);
  log_const_.assign(k, 0);
  precision_.assign(k, 0);
  double stick = 0;  // sum over earlier sticks of E[log(1 - v)]
  for (size_t j = 0; j < k; ++j) {
    const double dsum = digamma(conc_a_[j] + conc_b_[j]);
    log_weight_[j] = digamma(conc_a_[j]) - dsum + stick;
    stick += digamma(conc_b_[j]) - dsum;
    precision_[j] = 1 / variances_[j];
    // E[log N(x | mu, Lambda^-1)] up to the quadratic term (Bishop 10.64-10.65).
    log_const_[j] = -0.5 * std::log(2 * std::numbers::pi) - 0.5 * std::log(variances_[j]) -
                    0.5 * std::log(dof_[j]) +
                    0.5 * (std::numbers::ln2 + digamma(0.5 * dof_[j]) - 1 / mean_precision_[j]);
  }
}

void VariationalGmm1d::log_joint(double x, double* out) const {
  for (size_t j = 0; j < means_.size(); ++j) {
    const double d = x - means_[j];
    out[j] = log_const_[j] - 0.5 * precision_[j] * d * d + log_weight_[j];
  }
}

void VariationalGmm1d::responsibilities(double x, double* out) const {
  const size_t k = means_.size();
  log_joint(x, out);
  const double norm = log_sum_exp(out, k);
  for (size_t j = 0; j < k; ++j) out[j] = std::exp(out[j] - norm);
}

double VariationalGmm1d::e_step(const std::vector<double>& x, std::vector<double>& log_resp) const {
  const size_t k = means_.size();
  double total = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    double* row = log_resp.data() + i * k;
    log_joint(x[i], row);
    const double norm = log_sum_exp(row, k);
    for (size_t j = 0; j < k; ++j) row[j] -= norm;
    total += norm;
  }
  return total / static_cast<double>(x.size());
}

double VariationalGmm1d::elbo(const std::vector<double>& log_resp) const {
  double entropy = 0;
  for (double lr : log_resp) entropy -= std::exp(lr) * lr;
  double log_wishart = 0, log_norm_weight = 0, log_mean_precision = 0;
  for (size_t j = 0; j < means_.size(); ++j) {
    const double log_det = -0.5 * std::log(variances_[j]) - 0.5 * std::log(dof_[j]);
    log_wishart -=
        dof_[j] * log_det + dof_[j] * 0.5 * std::numbers::ln2 + std::lgamma(0.5 * dof_[j]);
    log_norm_weight -= log_beta(conc_a_[j], conc_b_[j]);
    log_mean_precision += std::log(mean_precision_[j]);
  }
  return entropy - log_wishart - log_norm_weight - 0.5 * log_mean_precision;
}

void ModeNormalizer::fit(const double* values, size_t n, const ModeNormalizerOptions& o) {
  std::vector<double> present;
  has_missing_ = false;
  for (size_t i = 0; i < n; ++i) {
    if (std::isfinite(values[i]))
      present.push_back(values[i]);
    else
      has_missing_ = true;
  }
  if (present.size() < 2)
    throw InternalError("ModeNormalizer::fit needs at least two present values");
  clip_ = o.clip;
  gmm_.fit(present, o.gmm);
  kept_.clear();
  means_.clear();
  stds_.clear();
  for (size_t j = 0; j < gmm_.components(); ++j)
    if (gmm_.weights()[j] > o.weight_threshold) kept_.push_back(j);
  // Every weight can fall under the threshold only with many tiny components; keep the heaviest.
  if (kept_.empty())
    kept_.push_back(static_cast<size_t>(
        std::max_element(gmm_.weights().begin(), gmm_.weights().end()) - gmm_.weights().begin()));
  for (size_t j : kept_) {
    means_.push_back(gmm_.means()[j]);
    stds_.push_back(std::sqrt(gmm_.variances()[j]));
  }
}

void ModeNormalizer::encode(double value, ModeChoice choice, Rng* rng, double* out) const {
  const size_t m = modes();
  std::fill(out, out + 1 + one_hot_width(), 0.0);
  if (!std::isfinite(value)) {
    if (!has_missing_)
      throw InternalError("ModeNormalizer: missing value in a column fitted without");
    out[1 + m] = 1.0;
    return;
  }
  std::vector<double> all(gmm_.components());
  gmm_.responsibilities(value, all.data());
  size_t k = 0;
  if (choice == ModeChoice::most_likely) {
    for (size_t j = 1; j < m; ++j)
      if (all[kept_[j]] > all[kept_[k]]) k = j;
  } else {
    // CTGAN smooths the kept modes' probabilities by 1e-6 so every mode stays possible.
    std::vector<double> cumulative(m);
    double acc = 0;
    for (size_t j = 0; j < m; ++j) cumulative[j] = acc += all[kept_[j]] + 1e-6;
    k = rng->categorical(cumulative.data(), m);
  }
  out[0] = std::clamp((value - means_[k]) / (4 * stds_[k]), -clip_, clip_);
  out[1 + k] = 1.0;
}

double ModeNormalizer::decode(const double* in) const {
  const size_t width = one_hot_width();
  const size_t k = static_cast<size_t>(std::max_element(in + 1, in + 1 + width) - (in + 1));
  if (k == modes()) return kNaN;
  return std::clamp(in[0], -1.0, 1.0) * 4 * stds_[k] + means_[k];
}

}  // namespace calm
