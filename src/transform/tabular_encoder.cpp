// Fit, transform and inverse of the CTGAN / TVAE row encoding.
#include "transform/tabular_encoder.hpp"

#include <algorithm>

#include "calm/core/error.hpp"

namespace calm {

void TabularEncoder::fit(const double* numeric, size_t p, const std::vector<size_t>& levels,
                         size_t n, const ModeNormalizerOptions& options) {
  normalizers_.assign(p, ModeNormalizer{});
  levels_ = levels;
  numeric_offset_.clear();
  discrete_offset_.clear();
  spans_.clear();
  width_ = 0;
  std::vector<double> column(n);
  for (size_t j = 0; j < p; ++j) {
    for (size_t i = 0; i < n; ++i) column[i] = numeric[i * p + j];
    normalizers_[j].fit(column.data(), n, options);
    numeric_offset_.push_back(width_);
    spans_.push_back({width_, 1, SpanActivation::tanh, false});
    spans_.push_back({width_ + 1, normalizers_[j].one_hot_width(), SpanActivation::softmax, false});
    width_ += 1 + normalizers_[j].one_hot_width();
  }
  for (size_t j = 0; j < levels_.size(); ++j) {
    if (levels_[j] == 0) throw InternalError("TabularEncoder: discrete column without levels");
    discrete_offset_.push_back(width_);
    spans_.push_back({width_, levels_[j], SpanActivation::softmax, true});
    width_ += levels_[j];
  }
}

std::vector<double> TabularEncoder::transform(const double* numeric, const int32_t* codes, size_t n,
                                              ModeChoice choice, Rng* rng) const {
  const size_t p = normalizers_.size(), q = levels_.size();
  std::vector<double> out(n * width_, 0.0);
  for (size_t i = 0; i < n; ++i) {
    double* row = out.data() + i * width_;
    for (size_t j = 0; j < p; ++j)
      normalizers_[j].encode(numeric[i * p + j], choice, rng, row + numeric_offset_[j]);
    for (size_t j = 0; j < q; ++j) {
      const int32_t c = codes[i * q + j];
      if (c < 0 || static_cast<size_t>(c) >= levels_[j])
        throw InternalError("TabularEncoder: level " + std::to_string(c) + " out of range");
      row[discrete_offset_[j] + static_cast<size_t>(c)] = 1.0;
    }
  }
  return out;
}

void TabularEncoder::inverse(const double* encoded, size_t n, double* numeric,
                             int32_t* codes) const {
  const size_t p = normalizers_.size(), q = levels_.size();
  for (size_t i = 0; i < n; ++i) {
    const double* row = encoded + i * width_;
    for (size_t j = 0; j < p; ++j)
      numeric[i * p + j] = normalizers_[j].decode(row + numeric_offset_[j]);
    for (size_t j = 0; j < q; ++j) {
      const double* block = row + discrete_offset_[j];
      codes[i * q + j] = static_cast<int32_t>(std::max_element(block, block + levels_[j]) - block);
    }
  }
}

}  // namespace calm
