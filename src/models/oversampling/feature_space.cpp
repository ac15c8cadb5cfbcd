// Medians, Med and the SMOTE-NC embedding.
#include "models/oversampling/feature_space.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace calm {
namespace {

double median_of(std::vector<double>& v) {
  if (v.empty()) return 0;
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(mid), v.end());
  const double upper = v[mid];
  if (v.size() % 2) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<long>(mid));
  return 0.5 * (lower + upper);
}

}  // namespace

std::vector<double> feature_medians(const FeatureMatrix& f, const std::vector<uint32_t>& rows) {
  std::vector<double> out(f.p, 0.0), present;
  for (size_t j = 0; j < f.p; ++j) {
    if (!f.has_missing[j]) continue;
    present.clear();
    for (uint32_t r : rows)
      if (!std::isnan(f.value(r, j))) present.push_back(f.value(r, j));
    out[j] = median_of(present);
  }
  return out;
}

double median_std(const FeatureMatrix& f, const std::vector<uint32_t>& rows) {
  std::vector<double> stds;
  for (size_t j = 0; j < f.p; ++j) {
    double sum = 0, sq = 0, count = 0;
    for (uint32_t r : rows) {
      const double v = f.standard(r, j);
      if (std::isnan(v)) continue;
      sum += v;
      sq += v * v;
      count += 1;
    }
    if (count == 0) continue;
    const double mean = sum / count;
    stds.push_back(std::sqrt(std::max(0.0, sq / count - mean * mean)));
  }
  const double med = median_of(stds);
  return med > 0 ? med : 1.0;
}

size_t embedding_dimension(const FeatureMatrix& f) {
  size_t d = f.p;
  for (int l : f.levels) d += static_cast<size_t>(l);
  return d;
}

std::vector<double> embed_rows(const FeatureMatrix& f, const std::vector<uint32_t>& rows,
                               const std::vector<int>& group,
                               const std::vector<std::vector<double>>& fill, double med) {
  const size_t d = embedding_dimension(f);
  const double hot = med / std::numbers::sqrt2;
  std::vector<double> out(rows.size() * d, 0.0);
  for (size_t r = 0; r < rows.size(); ++r) {
    double* x = out.data() + r * d;
    const auto& fill_r = fill[static_cast<size_t>(group[r])];
    for (size_t j = 0; j < f.p; ++j) {
      const double v = f.value(rows[r], j);
      x[j] = ((std::isnan(v) ? fill_r[j] : v) - f.mean[j]) / f.scale[j];
    }
    size_t offset = f.p;
    for (size_t j = 0; j < f.q; ++j) {
      x[offset + static_cast<size_t>(f.code(rows[r], j))] = hot;
      offset += static_cast<size_t>(f.levels[j]);
    }
  }
  return out;
}

}  // namespace calm
