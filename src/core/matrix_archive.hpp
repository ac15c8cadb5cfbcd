// Eigen matrices in model files (Synthesizer::save/load): stored value for value, so a loaded
// model uses bit-identical factors instead of recomputing them.
#pragma once

#include <Eigen/Dense>
#include <string>

#include "calm/core/archive.hpp"
#include "calm/core/error.hpp"

namespace calm {

inline void save_matrix(ArchiveWriter& out, const Eigen::MatrixXd& m) {
  out.u64(static_cast<uint64_t>(m.rows()));
  out.u64(static_cast<uint64_t>(m.cols()));
  out.f64s(std::vector<double>(m.data(), m.data() + m.size()));
}

// `method` names the model in the error for a size that does not match the stored values.
inline Eigen::MatrixXd load_matrix(ArchiveReader& in, const std::string& method) {
  const uint64_t rows = in.u64(), cols = in.u64();
  const std::vector<double> v = in.f64s();
  // (the division guards against rows * cols overflowing into v.size())
  if (rows * cols != v.size() || (cols != 0 && rows != v.size() / cols))
    throw DataError(method + ": matrix size mismatch");
  return Eigen::Map<const Eigen::MatrixXd>(v.data(), static_cast<Eigen::Index>(rows),
                                           static_cast<Eigen::Index>(cols));
}

}  // namespace calm
