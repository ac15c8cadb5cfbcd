// The tabular data transformer of CTGAN and TVAE (Xu et al. 2019, "Modeling Tabular Data using
// Conditional GAN", NeurIPS, section 4.2): each continuous column becomes a scalar plus the one-hot
// of its mode (ModeNormalizer: variational Gaussian mixture, missing cells as an extra mode), each
// discrete column the one-hot of its level (missing cells are a level of their own upstream).
// The row vector is the concatenation, continuous columns first. The spans tell a network which
// activation each part needs (tanh for the scalars, softmax / Gumbel-softmax for the one-hots),
// and the discrete blocks are what CTGAN's condition vector and training-by-sampling index.
// The inverse is exact: a one-hot decodes to its largest entry, a scalar back through its mode,
// for every value within 0.99 x 4 standard deviations of its mode (the clip of CTGAN).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "calm/core/rng.hpp"
#include "transform/mode_normalizer.hpp"

namespace calm {

enum class SpanActivation { tanh, softmax };

struct OutputSpan {
  size_t offset = 0, width = 0;
  SpanActivation activation = SpanActivation::softmax;
  bool discrete = false;  // the one-hot of a discrete column (not a continuous column's mode)
};

class TabularEncoder {
 public:
  // numeric: n x p row-major (NaN = missing), every column with two distinct present values;
  // levels[j]: the number of levels of discrete column j.
  void fit(const double* numeric, size_t p, const std::vector<size_t>& levels, size_t n,
           const ModeNormalizerOptions& options = {});

  size_t width() const { return width_; }
  const std::vector<OutputSpan>& spans() const { return spans_; }
  size_t numeric_count() const { return normalizers_.size(); }
  size_t discrete_count() const { return levels_.size(); }
  const ModeNormalizer& normalizer(size_t j) const { return normalizers_[j]; }
  size_t numeric_offset(size_t j) const { return numeric_offset_[j]; }
  size_t discrete_offset(size_t j) const { return discrete_offset_[j]; }
  size_t discrete_levels(size_t j) const { return levels_[j]; }

  // n x width() row-major from numeric (n x p) and codes (n x levels.size() level indices).
  // rng may be null with ModeChoice::most_likely.
  std::vector<double> transform(const double* numeric, const int32_t* codes, size_t n,
                                ModeChoice choice, Rng* rng) const;
  // numeric (n x numeric_count()) and codes (n x discrete_count()) of n encoded rows.
  void inverse(const double* encoded, size_t n, double* numeric, int32_t* codes) const;

 private:
  std::vector<ModeNormalizer> normalizers_;
  std::vector<size_t> levels_;
  std::vector<size_t> numeric_offset_, discrete_offset_;
  std::vector<OutputSpan> spans_;
  size_t width_ = 0;
};

}  // namespace calm
