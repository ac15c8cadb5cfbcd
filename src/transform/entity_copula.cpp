// Fit, draw and persistence of the entity-level Gaussian copula.
#include "transform/entity_copula.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"
#include "core/matrix_archive.hpp"
#include "core/parallel.hpp"
#include "transform/copula_correlation.hpp"
#include "transform/normal_scores.hpp"

namespace calm {
namespace {

double clamped_cdf(double z) {
  return std::clamp(normal_cdf(z), kScoreClip, 1.0 - kScoreClip);
}

}  // namespace

Eigen::MatrixXd EntityCopula::fit(const Table& entities, const std::vector<SemanticType>& semantics,
                                  std::optional<MarginalFamily> forced, uint64_t seed, int threads,
                                  uint64_t stream_offset) {
  models_.clear();
  models_.resize(entities.num_columns());
  parallel_tasks(models_.size(), threads, [&](size_t c) {
    models_[c] = fit_column_model(entities.column(c), semantics[c], forced);
  });
  vars_ = assign_copula_variables(models_);
  Eigen::MatrixXd scores = copula_scores(models_, vars_, entities, seed, threads, stream_offset);
  const Eigen::VectorXd between = copula_between(models_, vars_);
  lower_ = shrunk_cholesky(copula_correlation(scores, between), 0.0).lower;
  return scores;
}

EntityCopula::Draws EntityCopula::draw(size_t count, Rng& rng) const {
  Draws d;
  const auto rows = static_cast<Eigen::Index>(count);
  const auto vars = static_cast<Eigen::Index>(vars_.size());
  Eigen::MatrixXd w(rows, vars);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index v = 0; v < vars; ++v) w(i, v) = rng.normal();
  // Coefficient-wise product: no blocking that could depend on the thread count.
  d.z = w.lazyProduct(lower_.transpose());
  const Eigen::MatrixXd u = d.z.unaryExpr(&clamped_cdf);
  d.values.resize(models_.size());
  for (size_t c = 0; c < models_.size(); ++c) {
    const ColumnModel& m = models_[c];
    d.values[c].resize(count);
    m.decode(m.var >= 0 ? u.col(m.var).data() : nullptr,
             m.missing_var >= 0 ? u.col(m.missing_var).data() : nullptr, count, d.values[c].data());
  }
  return d;
}

void EntityCopula::save(ArchiveWriter& out) const {
  out.tag("entity-copula-v1");
  out.u64(models_.size());
  for (const ColumnModel& m : models_) save_column_model(out, m);
  out.u64(vars_.size());
  for (const CopulaVariable& v : vars_) {
    out.u64(v.column);
    out.boolean(v.missing_indicator);
  }
  save_matrix(out, lower_);
}

EntityCopula EntityCopula::load(ArchiveReader& in, const char* method) {
  EntityCopula c;
  in.tag("entity-copula-v1");
  auto bad = [&](const char* what) {
    return DataError(std::string(method) + ": the saved entity copula " + what);
  };
  const uint64_t columns = in.u64();
  if (columns > (uint64_t{1} << 20)) throw bad("has an impossible column count");
  for (uint64_t j = 0; j < columns; ++j) c.models_.push_back(load_column_model(in));
  const uint64_t vars = in.u64();
  if (vars > 2 * columns) throw bad("has an impossible variable count");
  for (uint64_t v = 0; v < vars; ++v) {
    CopulaVariable var{static_cast<size_t>(in.u64()), in.boolean()};
    if (var.column >= columns) throw bad("names a column it does not have");
    c.vars_.push_back(var);
  }
  c.lower_ = load_matrix(in, method);
  if (c.lower_.rows() != static_cast<Eigen::Index>(vars) || c.lower_.cols() != c.lower_.rows())
    throw bad("factor does not match its variables");
  return c;
}

double shaped_like_output(double x, const ColumnSchema& s) {
  if (std::isnan(x)) return x;
  switch (s.storage) {
    case StorageType::float64:
      return round_to_decimals(std::clamp(x, s.min, s.max), s.decimals);
    case StorageType::int64:
    case StorageType::datetime:
      return std::round(std::clamp(x, s.min, s.max));
    default:
      return x;
  }
}

}  // namespace calm
