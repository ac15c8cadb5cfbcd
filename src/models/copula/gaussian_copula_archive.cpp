// Save/load of a fitted Gaussian copula: the column models, the variable map, the shrunk
// correlation and its Cholesky factor (stored, not refactored, so sampling is bit-identical).
#include "calm/core/error.hpp"
#include "core/matrix_archive.hpp"
#include "models/copula/gaussian_copula.hpp"

namespace calm {
void GaussianCopulaSynthesizer::save(ArchiveWriter& out) const {
  out.tag("gaussian_copula-v1");
  out.u64(columns_.size());
  for (const ColumnModel& m : columns_) save_column_model(out, m);
  out.u64(vars_.size());
  for (const Variable& v : vars_) {
    out.u64(v.column);
    out.boolean(v.missing_indicator);
  }
  save_matrix(out, corr_);
  save_matrix(out, lower_);
  out.f64(lambda_);
}

void GaussianCopulaSynthesizer::load(ArchiveReader& in) {
  in.tag("gaussian_copula-v1");
  const uint64_t columns = in.u64();
  columns_.clear();
  for (uint64_t j = 0; j < columns; ++j) columns_.push_back(load_column_model(in));
  const uint64_t vars = in.u64();
  vars_.clear();
  for (uint64_t k = 0; k < vars; ++k) {
    Variable v{in.u64(), false};
    v.missing_indicator = in.boolean();
    if (v.column >= columns_.size()) throw DataError("gaussian_copula: variable out of range");
    vars_.push_back(v);
  }
  corr_ = load_matrix(in, "gaussian_copula");
  lower_ = load_matrix(in, "gaussian_copula");
  lambda_ = in.f64();
  const auto d = static_cast<Eigen::Index>(vars_.size());
  if (corr_.rows() != d || corr_.cols() != d || lower_.rows() != d || lower_.cols() != d)
    throw DataError("gaussian_copula: correlation size does not match the variables");
  check_copula_variables(columns_, vars_.size(), "gaussian_copula");
}

}  // namespace calm
