// EM for the mixed latent-class mixture: missing-pattern groups, E-step (marginal densities),
// M-step (conditional expectations of missing dimensions), k-means start and the n_init loop.
#include "models/mixture/gmm_em.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <numbers>

#include "calm/core/error.hpp"
#include "models/mixture/kmeans.hpp"

namespace calm {
namespace {

constexpr double kLog2Pi = 1.8378770664093453;  // log(2 pi)
constexpr double kTinyCount = 10 * std::numeric_limits<double>::epsilon();

// Rows sharing one set of observed numeric dimensions.
struct Pattern {
  std::vector<int> obs, mis;
  std::vector<Eigen::Index> rows;
  Eigen::MatrixXd x_obs;  // rows x |obs|
};

// Per pattern and component: regression of the missing on the observed dimensions and the
// conditional covariance of the missing ones.
struct Conditional {
  Eigen::MatrixXd b;    // |mis| x |obs|
  Eigen::MatrixXd cov;  // |mis| x |mis|
};

std::vector<Pattern> group_patterns(const MixtureData& d) {
  std::map<std::vector<bool>, size_t> index;
  std::vector<Pattern> out;
  std::vector<bool> key(d.p);
  for (size_t i = 0; i < d.n; ++i) {
    for (size_t j = 0; j < d.p; ++j) key[j] = std::isnan(d.numeric[i * d.p + j]);
    auto [it, fresh] = index.emplace(key, out.size());
    if (fresh) {
      Pattern pat;
      for (size_t j = 0; j < d.p; ++j) (key[j] ? pat.mis : pat.obs).push_back(static_cast<int>(j));
      out.push_back(std::move(pat));
    }
    out[it->second].rows.push_back(static_cast<Eigen::Index>(i));
  }
  for (Pattern& pat : out) {
    pat.x_obs.resize(static_cast<Eigen::Index>(pat.rows.size()),
                     static_cast<Eigen::Index>(pat.obs.size()));
    for (size_t r = 0; r < pat.rows.size(); ++r)
      for (size_t j = 0; j < pat.obs.size(); ++j)
        pat.x_obs(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j)) =
            d.numeric[static_cast<size_t>(pat.rows[r]) * d.p + static_cast<size_t>(pat.obs[j])];
  }
  return out;
}

struct EStep {
  Eigen::MatrixXd log_resp;  // n x K
  double mean_ll = 0;
  std::vector<std::vector<Conditional>> cond;  // [pattern][component]
};

EStep e_step(const MixtureModel& m, const MixtureData& d, const std::vector<Pattern>& patterns) {
  const int K = m.components();
  const auto n = static_cast<Eigen::Index>(d.n);
  EStep e;
  e.log_resp = Eigen::MatrixXd::Zero(n, K);
  e.cond.assign(patterns.size(), std::vector<Conditional>(static_cast<size_t>(K)));
  for (size_t pi = 0; pi < patterns.size(); ++pi) {
    const Pattern& pat = patterns[pi];
    for (int k = 0; k < K; ++k) {
      const Eigen::MatrixXd& s = m.covariances[k];
      Conditional& c = e.cond[pi][static_cast<size_t>(k)];
      if (!pat.obs.empty()) {
        Eigen::LLT<Eigen::MatrixXd> llt(s(pat.obs, pat.obs));
        if (llt.info() != Eigen::Success)
          throw DataError(
              "gmm: a component covariance is not positive definite; increase reg_covar");
        const double logdet = 2 * llt.matrixL().toDenseMatrix().diagonal().array().log().sum();
        const Eigen::VectorXd mu = m.means[k](pat.obs);
        Eigen::MatrixXd diff = (pat.x_obs.rowwise() - mu.transpose()).transpose();
        llt.matrixL().solveInPlace(diff);
        const Eigen::VectorXd maha = diff.colwise().squaredNorm().transpose();
        const double base = -0.5 * (static_cast<double>(pat.obs.size()) * kLog2Pi + logdet);
        for (size_t r = 0; r < pat.rows.size(); ++r)
          e.log_resp(pat.rows[r], k) = base - 0.5 * maha[static_cast<Eigen::Index>(r)];
        if (!pat.mis.empty()) {
          const Eigen::MatrixXd s_mo = s(pat.mis, pat.obs);
          c.b = llt.solve(s_mo.transpose()).transpose();
          c.cov = s(pat.mis, pat.mis) - c.b * s_mo.transpose();
        }
      } else if (!pat.mis.empty()) {
        c.b.resize(static_cast<Eigen::Index>(pat.mis.size()), 0);
        c.cov = s(pat.mis, pat.mis);
      }
    }
  }
  for (Eigen::Index i = 0; i < n; ++i)
    for (int k = 0; k < K; ++k) {
      double acc = std::log(m.weights[k]);
      for (size_t j = 0; j < d.q; ++j)
        acc +=
            m.log_theta[k](static_cast<Eigen::Index>(j), d.codes[static_cast<size_t>(i) * d.q + j]);
      e.log_resp(i, k) += acc;
    }
  double total = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double top = e.log_resp.row(i).maxCoeff();
    const double lse = top + std::log((e.log_resp.row(i).array() - top).exp().sum());
    e.log_resp.row(i).array() -= lse;
    total += lse;
  }
  e.mean_ll = total / static_cast<double>(n);
  return e;
}

// Numeric rows with the missing dimensions filled: by the conditional mean under component k when
// `previous` and `cond` are given, by the column mean (`fill`) at the start.
Eigen::MatrixXd completed_rows(const MixtureData& d, const std::vector<Pattern>& patterns,
                               const Eigen::VectorXd& fill, const MixtureModel* previous,
                               const EStep* e, int k) {
  Eigen::MatrixXd x(static_cast<Eigen::Index>(d.n), static_cast<Eigen::Index>(d.p));
  for (size_t pi = 0; pi < patterns.size(); ++pi) {
    const Pattern& pat = patterns[pi];
    Eigen::MatrixXd mis_values;
    if (!pat.mis.empty()) {
      if (previous) {
        const Conditional& c = e->cond[pi][static_cast<size_t>(k)];
        const Eigen::VectorXd mu_o = previous->means[k](pat.obs);
        const Eigen::VectorXd mu_m = previous->means[k](pat.mis);
        mis_values = ((pat.x_obs.rowwise() - mu_o.transpose()) * c.b.transpose()).rowwise() +
                     mu_m.transpose();
      } else {
        mis_values = fill(pat.mis).transpose().replicate(pat.x_obs.rows(), 1);
      }
    }
    for (size_t r = 0; r < pat.rows.size(); ++r) {
      const auto rr = static_cast<Eigen::Index>(r);
      for (size_t j = 0; j < pat.obs.size(); ++j)
        x(pat.rows[r], pat.obs[j]) = pat.x_obs(rr, static_cast<Eigen::Index>(j));
      for (size_t j = 0; j < pat.mis.size(); ++j)
        x(pat.rows[r], pat.mis[j]) = mis_values(rr, static_cast<Eigen::Index>(j));
    }
  }
  return x;
}

void m_step(const Eigen::MatrixXd& resp, const MixtureData& d, const std::vector<Pattern>& patterns,
            const Eigen::VectorXd& fill, const EmOptions& o, const MixtureModel* previous,
            const EStep* e, MixtureModel& out) {
  const int K = static_cast<int>(resp.cols());
  const auto p = static_cast<Eigen::Index>(d.p);
  const Eigen::VectorXd nk = resp.colwise().sum().transpose().array() + kTinyCount;
  out.weights = nk / nk.sum();
  out.means.assign(static_cast<size_t>(K), Eigen::VectorXd());
  out.covariances.assign(static_cast<size_t>(K), Eigen::MatrixXd());
  for (int k = 0; k < K; ++k) {
    Eigen::MatrixXd x = completed_rows(d, patterns, fill, previous, e, k);
    const Eigen::VectorXd r = resp.col(k);
    out.means[k] = x.transpose() * r / nk[k];
    x.rowwise() -= out.means[k].transpose();
    Eigen::MatrixXd s = x.transpose() * (x.array().colwise() * r.array()).matrix();
    if (previous)
      for (size_t pi = 0; pi < patterns.size(); ++pi) {
        const Pattern& pat = patterns[pi];
        if (pat.mis.empty()) continue;
        double w = 0;
        for (Eigen::Index row : pat.rows) w += r[row];
        s(pat.mis, pat.mis) += w * e->cond[pi][static_cast<size_t>(k)].cov;
      }
    out.covariances[k] = s / nk[k];
  }
  const Eigen::MatrixXd reg = o.reg_covar * Eigen::MatrixXd::Identity(p, p);
  switch (o.covariance) {
    case CovarianceType::full:
      for (auto& s : out.covariances) s += reg;
      break;
    case CovarianceType::tied: {
      Eigen::MatrixXd tied = Eigen::MatrixXd::Zero(p, p);
      for (int k = 0; k < K; ++k) tied += nk[k] * out.covariances[k];
      tied = tied / nk.sum() + reg;
      for (auto& s : out.covariances) s = tied;
      break;
    }
    case CovarianceType::diag:
      for (auto& s : out.covariances) s = Eigen::MatrixXd(s.diagonal().asDiagonal()) + reg;
      break;
    case CovarianceType::spherical:
      for (auto& s : out.covariances)
        s = (p > 0 ? s.diagonal().mean() : 0.0) * Eigen::MatrixXd::Identity(p, p) + reg;
      break;
  }
  int lmax = 1;
  for (int l : d.levels) lmax = std::max(lmax, l);
  out.log_theta.assign(static_cast<size_t>(K),
                       Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(d.q), lmax,
                                                 -std::numeric_limits<double>::infinity()));
  for (int k = 0; k < K; ++k) {
    Eigen::MatrixXd counts = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(d.q), lmax);
    for (size_t i = 0; i < d.n; ++i)
      for (size_t j = 0; j < d.q; ++j)
        counts(static_cast<Eigen::Index>(j), d.codes[i * d.q + j]) +=
            resp(static_cast<Eigen::Index>(i), k);
    for (size_t j = 0; j < d.q; ++j)
      for (int l = 0; l < d.levels[j]; ++l) {
        const auto jj = static_cast<Eigen::Index>(j);
        out.log_theta[k](jj, l) =
            std::log((counts(jj, l) + o.alpha) / (nk[k] + o.alpha * d.levels[j]));
      }
  }
}

// Column means of the observed numeric values: the start's fill for missing cells.
Eigen::VectorXd observed_means(const MixtureData& d) {
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(d.p));
  Eigen::VectorXd count = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(d.p));
  for (size_t i = 0; i < d.n; ++i)
    for (size_t j = 0; j < d.p; ++j) {
      const double v = d.numeric[i * d.p + j];
      if (std::isnan(v)) continue;
      sum[static_cast<Eigen::Index>(j)] += v;
      count[static_cast<Eigen::Index>(j)] += 1;
    }
  return sum.cwiseQuotient(count.cwiseMax(1.0));
}

// Points for k-means: numerics (missing at the column mean) and one-hot discretes scaled by
// 1/sqrt(2), so that a mismatch adds 1 to the squared distance like one standardised unit.
Eigen::MatrixXd kmeans_points(const MixtureData& d, const Eigen::VectorXd& fill) {
  size_t width = d.p;
  for (int l : d.levels) width += static_cast<size_t>(l);
  Eigen::MatrixXd pts =
      Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(d.n), static_cast<Eigen::Index>(width));
  const double hot = 1.0 / std::numbers::sqrt2;
  for (size_t i = 0; i < d.n; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    for (size_t j = 0; j < d.p; ++j) {
      const double v = d.numeric[i * d.p + j];
      pts(ii, static_cast<Eigen::Index>(j)) =
          std::isnan(v) ? fill[static_cast<Eigen::Index>(j)] : v;
    }
    size_t offset = d.p;
    for (size_t j = 0; j < d.q; ++j) {
      pts(ii, static_cast<Eigen::Index>(offset + static_cast<size_t>(d.codes[i * d.q + j]))) = hot;
      offset += static_cast<size_t>(d.levels[j]);
    }
  }
  return pts;
}

MixtureModel run_once(const MixtureData& d, const std::vector<Pattern>& patterns,
                      const Eigen::VectorXd& fill, const Eigen::MatrixXd& points,
                      const EmOptions& o, Rng& rng) {
  const int K = o.components;
  const std::vector<int> labels = kmeans_labels(points, K, rng);
  Eigen::MatrixXd resp = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(d.n), K);
  for (size_t i = 0; i < d.n; ++i) resp(static_cast<Eigen::Index>(i), labels[i]) = 1;
  MixtureModel m;
  m_step(resp, d, patterns, fill, o, nullptr, nullptr, m);
  double lower = -std::numeric_limits<double>::infinity();
  for (int iter = 1; iter <= o.max_iter; ++iter) {
    const double previous_lower = lower;
    EStep e = e_step(m, d, patterns);
    MixtureModel next;
    m_step(e.log_resp.array().exp().matrix(), d, patterns, fill, o, &m, &e, next);
    m = std::move(next);
    lower = e.mean_ll;
    m.iterations = iter;
    if (std::abs(lower - previous_lower) < o.tol) {
      m.converged = true;
      break;
    }
  }
  m.lower_bound = lower;
  return m;
}

}  // namespace

std::vector<std::string> covariance_type_names() {
  return {"full", "tied", "diag", "spherical"};
}

CovarianceType covariance_type_from_string(const std::string& s) {
  if (s == "full") return CovarianceType::full;
  if (s == "tied") return CovarianceType::tied;
  if (s == "diag") return CovarianceType::diag;
  if (s == "spherical") return CovarianceType::spherical;
  throw InvalidArgument("unknown covariance_type '" + s +
                        "'; valid: " + join_names(covariance_type_names()));
}

double MixtureModel::num_parameters(CovarianceType type, const std::vector<int>& levels) const {
  const double K = components();
  const double p = means.empty() ? 0.0 : static_cast<double>(means[0].size());
  double cov = 0;
  switch (type) {
    case CovarianceType::full:
      cov = K * p * (p + 1) / 2;
      break;
    case CovarianceType::tied:
      cov = p * (p + 1) / 2;
      break;
    case CovarianceType::diag:
      cov = K * p;
      break;
    case CovarianceType::spherical:
      cov = p > 0 ? K : 0;
      break;
  }
  double discrete = 0;
  for (int l : levels) discrete += K * (l - 1);
  return (K - 1) + K * p + cov + discrete;
}

double mean_log_likelihood(const MixtureModel& model, const MixtureData& data) {
  return e_step(model, data, group_patterns(data)).mean_ll;
}

MixtureModel fit_mixture(const MixtureData& d, const EmOptions& o, uint64_t seed) {
  if (o.components < 1 || static_cast<size_t>(o.components) > d.n)
    throw InvalidArgument("gmm: n_components must be in [1, " + std::to_string(d.n) +
                          "] (the number of rows), got " + std::to_string(o.components));
  const std::vector<Pattern> patterns = group_patterns(d);
  const Eigen::VectorXd fill = observed_means(d);
  const Eigen::MatrixXd points = kmeans_points(d, fill);
  MixtureModel best;
  bool have = false;
  for (int init = 0; init < o.n_init; ++init) {
    Rng rng(seed, stream_id(StreamPurpose::fit, static_cast<uint64_t>(init)));
    MixtureModel m = run_once(d, patterns, fill, points, o, rng);
    if (!have || m.lower_bound > best.lower_bound) {
      best = std::move(m);
      have = true;
    }
  }
  best.score = e_step(best, d, patterns).mean_ll;
  return best;
}

}  // namespace calm
