// The single-cell metrics (see calm/eval/single_cell_metrics.hpp). Per-gene statistics are one
// pass over the stored values of each sparse matrix; the PCA reads a dense block of sampled
// cells x variable genes only.
#include "calm/eval/single_cell_metrics.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "calm/core/schema.hpp"
#include "calm/eval/adversarial.hpp"
#include "calm/eval/ml_efficacy.hpp"

namespace calm {
namespace {

constexpr double kScale = 1e4;  // counts per 10k

struct GeneStats {
  std::vector<double> mean, var, zero, raw_mean, raw_var;
  double sparsity = 0;
};

double row_scale(CsrView m, size_t r) {
  double total = 0;
  for (int64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k) total += m.data[static_cast<size_t>(k)];
  return total > 0 ? kScale / total : 0.0;
}

GeneStats gene_stats(CsrView m) {
  const size_t g = m.cols;
  std::vector<double> sum(g, 0), sq(g, 0), raw(g, 0), raw_sq(g, 0), nonzero(g, 0);
  double stored_nonzero = 0;
  for (size_t r = 0; r < m.rows; ++r) {
    const double scale = row_scale(m, r);
    for (int64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k) {
      const double v = m.data[static_cast<size_t>(k)];
      if (v == 0) continue;
      const size_t j = static_cast<size_t>(m.indices[static_cast<size_t>(k)]);
      const double l = std::log1p(v * scale);
      sum[j] += l, sq[j] += l * l, raw[j] += v, raw_sq[j] += v * v, nonzero[j] += 1;
      stored_nonzero += 1;
    }
  }
  const double n = static_cast<double>(m.rows);
  GeneStats s;
  for (size_t j = 0; j < g; ++j) {
    const double mu = sum[j] / n, raw_mu = raw[j] / n;
    s.mean.push_back(mu);
    s.var.push_back(std::max(0.0, sq[j] / n - mu * mu));
    s.zero.push_back(1.0 - nonzero[j] / n);
    s.raw_mean.push_back(raw_mu);
    s.raw_var.push_back(std::max(0.0, raw_sq[j] / n - raw_mu * raw_mu));
  }
  s.sparsity = 1.0 - stored_nonzero / (n * static_cast<double>(g));
  return s;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < a.size(); ++i)
    sab += (a[i] - ma) * (b[i] - mb), saa += (a[i] - ma) * (a[i] - ma),
        sbb += (b[i] - mb) * (b[i] - mb);
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : (saa == sbb ? 1.0 : 0.0);
}

// Quadratic least squares of log10 variance on log10 mean over the expressed genes.
std::optional<Eigen::Vector3d> trend_fit(const GeneStats& s) {
  std::vector<double> x, y;
  for (size_t j = 0; j < s.raw_mean.size(); ++j)
    if (s.raw_mean[j] > 0 && s.raw_var[j] > 0)
      x.push_back(std::log10(s.raw_mean[j])), y.push_back(std::log10(s.raw_var[j]));
  if (x.size() < 3) return std::nullopt;
  Eigen::MatrixXd a(x.size(), 3);
  Eigen::VectorXd b(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    // (one statement each: after a comma initializer, ", b(i) = y[i]" would be a fourth value
    // written past the 3-wide row, found by the sanitizer build's Eigen assertions)
    a.row(static_cast<Eigen::Index>(i)) << 1.0, x[i], x[i] * x[i];
    b(static_cast<Eigen::Index>(i)) = y[i];
  }
  return Eigen::Vector3d(a.colPivHouseholderQr().solve(b));
}

double trend_at(const Eigen::Vector3d& c, double x) {
  return c(0) + c(1) * x + c(2) * x * x;
}

std::vector<size_t> sampled_cells(size_t rows, size_t most, uint64_t seed, uint64_t stream) {
  std::vector<int64_t> all(rows);
  std::iota(all.begin(), all.end(), int64_t{0});
  Rng rng(seed, stream_id(StreamPurpose::eval, stream));
  keep_random_subset(all, std::min(rows, most), rng);
  return {all.begin(), all.end()};
}

// log1p CP10k of the sampled cells over the chosen genes (pos[gene] = its column, or -1).
Eigen::MatrixXd dense_block(CsrView m, const std::vector<size_t>& cells,
                            const std::vector<int>& pos, size_t width) {
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(cells.size()),
                                            static_cast<Eigen::Index>(width));
  for (size_t i = 0; i < cells.size(); ++i) {
    const size_t r = cells[i];
    const double scale = row_scale(m, r);
    for (int64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k) {
      const int p = pos[static_cast<size_t>(m.indices[static_cast<size_t>(k)])];
      if (p >= 0)
        x(static_cast<Eigen::Index>(i), p) = std::log1p(m.data[static_cast<size_t>(k)] * scale);
    }
  }
  return x;
}

Table component_table(const Eigen::MatrixXd& pcs, const std::vector<std::string>* types,
                      const std::vector<size_t>& cells, const std::vector<std::string>& dict) {
  std::vector<Column> columns;
  for (Eigen::Index c = 0; c < pcs.cols(); ++c) {
    std::vector<double> v(static_cast<size_t>(pcs.rows()));
    for (Eigen::Index r = 0; r < pcs.rows(); ++r) v[static_cast<size_t>(r)] = pcs(r, c);
    columns.push_back(Column::float64("pc" + std::to_string(c + 1), std::move(v)));
  }
  if (types) {
    std::vector<int32_t> codes;
    for (size_t r : cells)
      codes.push_back(static_cast<int32_t>(std::lower_bound(dict.begin(), dict.end(), (*types)[r]) -
                                           dict.begin()));
    columns.push_back(Column::categorical("cell_type", std::move(codes), dict));
  }
  return Table(std::move(columns));
}

void check_counts(CsrView m, const char* side) {
  if (m.rows == 0) throw DataError(std::string("the ") + side + " cells: no cells to compare");
  for (const float v : std::span(m.data, m.nnz()))
    if (!(v >= 0))
      throw DataError(std::string("the ") + side +
                      " cells hold a negative or NaN expression value; the single-cell metrics "
                      "read counts or non-negative normalised expression");
}

}  // namespace

SingleCellReport evaluate_single_cell(CsrView real, CsrView synthetic,
                                      const std::vector<std::string>& real_types,
                                      const std::vector<std::string>& synthetic_types,
                                      const SingleCellMetricsOptions& o) {
  if (real.cols != synthetic.cols)
    throw InvalidArgument("the real cells have " + std::to_string(real.cols) +
                          " genes and the synthetic ones " + std::to_string(synthetic.cols) +
                          ": both must hold the same genes");
  if (real.cols == 0) throw InvalidArgument("the single-cell metrics need at least one gene");
  if (!real_types.empty() && real_types.size() != real.rows)
    throw InvalidArgument("one cell type per real cell expected");
  if (!synthetic_types.empty() && synthetic_types.size() != synthetic.rows)
    throw InvalidArgument("one cell type per synthetic cell expected");
  check_counts(real, "real");
  check_counts(synthetic, "synthetic");

  SingleCellReport r;
  r.real_cells = real.rows, r.synthetic_cells = synthetic.rows, r.genes = real.cols;
  r.counts = real.holds_counts() && synthetic.holds_counts();
  const GeneStats rs = gene_stats(real), ss = gene_stats(synthetic);
  r.mean_correlation = pearson(rs.mean, ss.mean);
  r.variance_correlation = pearson(rs.var, ss.var);
  r.dropout_correlation = pearson(rs.zero, ss.zero);
  double mae = 0;
  for (size_t j = 0; j < rs.zero.size(); ++j) mae += std::fabs(rs.zero[j] - ss.zero[j]);
  r.dropout_mae = mae / static_cast<double>(rs.zero.size());
  r.real_sparsity = rs.sparsity, r.synthetic_sparsity = ss.sparsity;

  const auto real_trend = trend_fit(rs), synthetic_trend = trend_fit(ss);
  if (real_trend && synthetic_trend) {
    double diff = 0, n = 0;
    for (size_t j = 0; j < rs.raw_mean.size(); ++j)
      if (rs.raw_mean[j] > 0) {
        const double x = std::log10(rs.raw_mean[j]);
        diff += std::fabs(trend_at(*real_trend, x) - trend_at(*synthetic_trend, x)), n += 1;
      }
    r.mean_variance_trend_difference = diff / n;
    r.details["trend_fit"] = {
        {"real", {(*real_trend)(0), (*real_trend)(1), (*real_trend)(2)}},
        {"synthetic", {(*synthetic_trend)(0), (*synthetic_trend)(1), (*synthetic_trend)(2)}},
        {"form", "log10 var = c0 + c1 log10 mean + c2 (log10 mean)^2"}};
  }

  // PCA on the real cells over the most variable genes.
  std::vector<size_t> genes(real.cols);
  std::iota(genes.begin(), genes.end(), size_t{0});
  std::stable_sort(genes.begin(), genes.end(),
                   [&](size_t a, size_t b) { return rs.var[a] > rs.var[b]; });
  while (!genes.empty() && !(rs.var[genes.back()] > 0)) genes.pop_back();
  genes.resize(std::min(genes.size(), o.variable_genes));
  const std::vector<size_t> real_cells = sampled_cells(real.rows, o.max_cells, o.seed, 41);
  const std::vector<size_t> synthetic_cells =
      sampled_cells(synthetic.rows, o.max_cells, o.seed, 42);
  if (genes.size() < 2 || real_cells.size() < 10 || synthetic_cells.size() < 10) {
    r.details["pca_note"] = "too few variable genes or cells for the principal components";
    return r;
  }
  std::vector<int> pos(real.cols, -1);
  for (size_t i = 0; i < genes.size(); ++i) pos[genes[i]] = static_cast<int>(i);
  Eigen::MatrixXd xr = dense_block(real, real_cells, pos, genes.size());
  Eigen::MatrixXd xs = dense_block(synthetic, synthetic_cells, pos, genes.size());
  const Eigen::RowVectorXd mu = xr.colwise().mean();
  Eigen::RowVectorXd sd =
      ((xr.rowwise() - mu).array().square().colwise().sum() / static_cast<double>(xr.rows() - 1))
          .sqrt();
  for (Eigen::Index j = 0; j < sd.size(); ++j)
    if (!(sd(j) > 0)) sd(j) = 1;
  auto scale = [&](Eigen::MatrixXd& x) {
    x = ((x.rowwise() - mu).array().rowwise() / sd.array()).cwiseMax(-10.0).cwiseMin(10.0);
  };
  scale(xr);
  scale(xs);
  const Eigen::MatrixXd cov = (xr.transpose() * xr) / static_cast<double>(xr.rows() - 1);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
  const Eigen::Index k = std::min<Eigen::Index>(static_cast<Eigen::Index>(o.components),
                                                static_cast<Eigen::Index>(genes.size()));
  // Eigenvalues come in increasing order: the last k columns, largest first.
  Eigen::MatrixXd w(cov.rows(), k);
  for (Eigen::Index c = 0; c < k; ++c) w.col(c) = eig.eigenvectors().col(cov.rows() - 1 - c);
  const double trace = eig.eigenvalues().sum();
  for (int c = 0; c < 2 && c < k; ++c)
    r.explained[c] = trace > 0 ? eig.eigenvalues()(cov.rows() - 1 - c) / trace : 0;
  const Eigen::MatrixXd pr = xr * w, ps = xs * w;
  for (Eigen::Index i = 0; i < pr.rows(); ++i)
    r.real_pc.push_back(pr(i, 0)), r.real_pc.push_back(k > 1 ? pr(i, 1) : 0.0);
  for (Eigen::Index i = 0; i < ps.rows(); ++i)
    r.synthetic_pc.push_back(ps(i, 0)), r.synthetic_pc.push_back(k > 1 ? ps(i, 1) : 0.0);

  const bool typed = !real_types.empty() && !synthetic_types.empty();
  std::vector<std::string> dict;
  if (typed) {
    dict = real_types;
    dict.insert(dict.end(), synthetic_types.begin(), synthetic_types.end());
    std::sort(dict.begin(), dict.end());
    dict.erase(std::unique(dict.begin(), dict.end()), dict.end());
  }
  const Table real_pcs = component_table(pr, typed ? &real_types : nullptr, real_cells, dict);
  const Table synthetic_pcs =
      component_table(ps, typed ? &synthetic_types : nullptr, synthetic_cells, dict);
  SchemaOptions so;
  if (typed) so.overrides["cell_type"] = SemanticType::categorical;
  const Schema schema = infer_schema(real_pcs, so);
  Schema components = schema;
  std::erase_if(components.columns, [](const ColumnSchema& c) { return c.name == "cell_type"; });
  AdversarialOptions ao;
  ao.threads = o.threads;
  ao.seed = o.seed;
  const Json adversarial = adversarial_validation(real_pcs, synthetic_pcs, components, ao);
  r.pca_auc = adversarial["roc_auc"].get<double>();
  r.details["classifier"] = adversarial;
  if (typed) {
    MlEfficacyOptions mo;
    mo.threads = o.threads;
    mo.seed = o.seed;
    const Json ml = ml_efficacy(real_pcs, synthetic_pcs, schema, "cell_type", mo);
    r.tstr_accuracy = ml["tstr"]["accuracy"].get<double>();
    r.trtr_accuracy = ml["trtr"]["accuracy"].get<double>();
    r.details["cell_type_efficacy"] = ml;
  }
  return r;
}

CsrMatrix gene_matrix(const Table& t, const std::vector<std::string>& genes) {
  std::vector<const Column*> cols;
  for (const auto& g : genes) {
    const auto j = t.find(g);
    if (!j) throw InvalidArgument("no gene column '" + g + "' in the table");
    if (!t.column(*j).is_numeric_storage())
      throw InvalidArgument("gene column '" + g + "' is not numeric");
    cols.push_back(&t.column(*j));
  }
  CsrMatrix m;
  m.rows = t.num_rows(), m.cols = genes.size();
  m.indptr.push_back(0);
  for (size_t r = 0; r < m.rows; ++r) {
    for (size_t j = 0; j < cols.size(); ++j) {
      const double v = cols[j]->numeric(r);
      if (std::isnan(v) || v == 0) continue;
      m.indices.push_back(static_cast<int32_t>(j));
      m.data.push_back(static_cast<float>(v));
    }
    m.indptr.push_back(static_cast<int64_t>(m.data.size()));
  }
  return m;
}

std::vector<std::string> detect_gene_columns(const Table& t,
                                             const std::vector<std::string>& exclude) {
  std::vector<std::string> genes;
  for (size_t j = 0; j < t.num_columns(); ++j) {
    const Column& c = t.column(j);
    if (!c.is_numeric_storage() ||
        std::find(exclude.begin(), exclude.end(), c.name) != exclude.end())
      continue;
    bool negative = false;
    for (size_t i = 0; i < c.size() && !negative; ++i) negative = c.numeric(i) < 0;
    if (!negative) genes.push_back(c.name);
  }
  return genes;
}

Json to_json(const SingleCellReport& r) {
  auto opt = [](const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); };
  Json j;
  j["real_cells"] = r.real_cells;
  j["synthetic_cells"] = r.synthetic_cells;
  j["genes"] = r.genes;
  j["counts"] = r.counts;
  j["gene_mean_correlation"] = r.mean_correlation;
  j["gene_variance_correlation"] = r.variance_correlation;
  j["gene_dropout_correlation"] = r.dropout_correlation;
  j["gene_dropout_mae"] = r.dropout_mae;
  j["real_sparsity"] = r.real_sparsity;
  j["synthetic_sparsity"] = r.synthetic_sparsity;
  j["mean_variance_trend_difference"] = opt(r.mean_variance_trend_difference);
  j["pca_classifier_auc"] = opt(r.pca_auc);
  j["cell_type_tstr_accuracy"] = opt(r.tstr_accuracy);
  j["cell_type_trtr_accuracy"] = opt(r.trtr_accuracy);
  j["normalisation"] = "log1p of counts per 10k";
  j["details"] = r.details;
  return j;
}

}  // namespace calm
