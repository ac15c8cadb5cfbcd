// Correlation matrices and the PCA projection of the reports (see analysis.hpp).
#include "report/analysis.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "calm/core/rng.hpp"

namespace calm::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> values_of(const Column& c) {
  std::vector<double> v(c.size());
  for (size_t i = 0; i < v.size(); ++i) v[i] = c.is_missing(i) ? kNaN : c.numeric(i);
  return v;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  // Shifted by the first common pair so the sums stay well conditioned (epoch-ns dates are 1e18).
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, a0 = kNaN, b0 = kNaN;
  size_t n = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    if (n == 0) a0 = a[i], b0 = b[i];
    const double x = a[i] - a0, y = b[i] - b0;
    sa += x, sb += y, saa += x * x, sbb += y * y, sab += x * y;
    ++n;
  }
  if (n < 2) return kNaN;
  const double dn = static_cast<double>(n);
  const double cov = sab - sa * sb / dn, va = saa - sa * sa / dn, vb = sbb - sb * sb / dn;
  if (!(va > 0) || !(vb > 0)) return kNaN;
  return std::clamp(cov / std::sqrt(va * vb), -1.0, 1.0);
}

// Indices of the rows with every column present, then a seeded subsample of at most m of them.
std::vector<size_t> complete_sample(const std::vector<std::vector<double>>& cols, size_t rows,
                                    size_t m, uint64_t seed, uint64_t stream) {
  std::vector<size_t> idx;
  for (size_t i = 0; i < rows; ++i) {
    bool ok = true;
    for (const auto& c : cols) ok = ok && std::isfinite(c[i]);
    if (ok) idx.push_back(i);
  }
  if (idx.size() > m) {
    Rng rng(seed, stream_id(StreamPurpose::eval, stream));
    for (size_t i = 0; i < m; ++i) std::swap(idx[i], idx[i + rng.below(idx.size() - i)]);
    idx.resize(m);
  }
  return idx;
}

}  // namespace

std::vector<std::string> correlation_columns(const Schema& schema, size_t max_columns) {
  std::vector<std::string> out;
  for (const ColumnSchema& cs : schema.columns) {
    if (out.size() >= max_columns) break;
    if (cs.semantic == SemanticType::numerical || cs.semantic == SemanticType::datetime ||
        cs.semantic == SemanticType::boolean)
      out.push_back(cs.name);
  }
  return out;
}

std::vector<double> pearson_matrix(const Table& t, const std::vector<std::string>& columns,
                                   int threads) {
  const size_t k = columns.size();
  std::vector<std::vector<double>> v(k);
  for (size_t c = 0; c < k; ++c) v[c] = values_of(t.column(columns[c]));
  std::vector<double> m(k * k, kNaN);
  std::vector<std::pair<size_t, size_t>> pairs;
  for (size_t a = 0; a < k; ++a)
    for (size_t b = a; b < k; ++b) pairs.emplace_back(a, b);
#pragma omp parallel for schedule(dynamic) num_threads(threads > 0 ? threads : 1)
  for (size_t p = 0; p < pairs.size(); ++p) {
    const auto [a, b] = pairs[p];
    const double r = pearson(v[a], v[b]);
    m[a * k + b] = m[b * k + a] = a == b && !std::isnan(r) ? 1.0 : r;
  }
  return m;
}

Projection pca_projection(const Table& real, const Table& synthetic, const Schema& schema,
                          size_t sample_rows, uint64_t seed) {
  Projection out;
  std::vector<std::vector<double>> rv, sv;
  std::vector<double> mean, sd;
  for (const std::string& name : correlation_columns(schema, 1000)) {
    std::vector<double> r = values_of(real.column(name));
    double s = 0, ss = 0;
    size_t n = 0;
    for (double x : r)
      if (!std::isnan(x)) s += x, ++n;
    if (n < 2) continue;
    const double mu = s / static_cast<double>(n);
    for (double x : r)
      if (!std::isnan(x)) ss += (x - mu) * (x - mu);
    const double sigma = std::sqrt(ss / static_cast<double>(n - 1));
    if (!(sigma > 0)) continue;  // a constant column carries no direction
    out.columns.push_back(name);
    mean.push_back(mu);
    sd.push_back(sigma);
    rv.push_back(std::move(r));
    sv.push_back(values_of(synthetic.column(name)));
  }
  if (out.columns.size() < 2) {
    out.note = "needs at least two non-constant numerical, datetime or boolean columns";
    out.columns.clear();
    return out;
  }
  const auto ri = complete_sample(rv, real.num_rows(), sample_rows, seed, 11);
  const auto si = complete_sample(sv, synthetic.num_rows(), sample_rows, seed, 12);
  if (ri.size() < 10 || si.size() < 10) {
    out.note = "needs at least 10 rows without missing values on each side";
    out.columns.clear();
    return out;
  }
  const Eigen::Index d = static_cast<Eigen::Index>(out.columns.size());
  Eigen::MatrixXd x(static_cast<Eigen::Index>(ri.size() + si.size()), d);
  for (Eigen::Index c = 0; c < d; ++c) {
    for (size_t i = 0; i < ri.size(); ++i) x(i, c) = (rv[c][ri[i]] - mean[c]) / sd[c];
    for (size_t i = 0; i < si.size(); ++i) x(ri.size() + i, c) = (sv[c][si[i]] - mean[c]) / sd[c];
  }
  const Eigen::RowVectorXd centre = x.colwise().mean();
  x.rowwise() -= centre;
  const Eigen::MatrixXd cov = (x.transpose() * x) / static_cast<double>(x.rows() - 1);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
  // Eigenvalues ascend: the last two columns are PC1 and PC2.
  const Eigen::MatrixXd axes = eig.eigenvectors().rightCols(2).rowwise().reverse();
  const double total = eig.eigenvalues().sum();
  for (int k = 0; k < 2; ++k)
    out.explained[k] = total > 0 ? eig.eigenvalues()(d - 1 - k) / total : 0.0;
  const Eigen::MatrixXd proj = x * axes;
  for (Eigen::Index i = 0; i < proj.rows(); ++i) {
    auto& dst = static_cast<size_t>(i) < ri.size() ? out.real_xy : out.synthetic_xy;
    dst.push_back(proj(i, 0));
    dst.push_back(proj(i, 1));
  }
  return out;
}

}  // namespace calm::report
