// The table <-> diffusion-space bridge of `diffusion` (TabDDPM, Kotelnikov et al. 2023, section 4):
// MixedLayout splits the columns (numerics, datetimes read as numbers; categorical and boolean
// columns as levels with missing as a level of its own; ids as fresh keys). Every numeric column
// goes through its quantile transform to normal scores (Gaussian diffusion). The discrete columns
// (multinomial diffusion) are the layout's discretes, except the class label of a conditional
// model, followed by one missing indicator (2 categories) per numeric column that has missing
// cells: a missing cell is imputed with score 0 (the median) for the Gaussian part and the sampled
// indicator decides whether the output cell is missing (the paper's datasets have no missing
// values; this is calm's extension). With a discrete target column the model is class-conditional
// (the paper's y embedding): the target is the label, not a diffused column.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"
#include "models/deep/diffusion_quantile.hpp"
#include "transform/mixed_layout.hpp"

namespace calm {

struct DiffusionRows {
  size_t n = 0;
  std::vector<float> numeric;   // n x numeric() normal scores
  std::vector<int64_t> codes;   // n x categories().size() category indices
  std::vector<int64_t> labels;  // n labels (empty when unconditional)
};

class DiffusionData {
 public:
  // `target`: conditions on it when the layout reads it as discrete.
  void fit(const Table& data, const Schema& schema, const std::optional<std::string>& target);

  int64_t numeric() const { return static_cast<int64_t>(quantiles_.size()); }
  const std::vector<int64_t>& categories() const { return categories_; }
  int64_t classes() const { return label_ ? static_cast<int64_t>(label_counts_.size()) : 0; }
  const std::string& label_column() const { return label_name_; }
  // Rows per label in the training data.
  const std::vector<double>& label_counts() const { return label_counts_; }
  // The label index of a value of the label column (Column::numeric encoding), or -1.
  int label_of(double value) const;

  DiffusionRows encode(const Table& data) const;
  Table decode(const DiffusionRows& rows) const;

  void save(ArchiveWriter& out) const;
  void load(ArchiveReader& in);

 private:
  MixedLayout layout_;
  std::vector<QuantileNormal> quantiles_;  // per layout numeric
  std::vector<size_t> diffused_;           // layout discretes diffused, in order
  std::vector<size_t> indicated_;          // layout numerics with a missing indicator
  std::vector<int64_t> categories_;        // sizes: diffused discretes, then indicators
  std::optional<size_t> label_;            // layout discrete used as the class label
  std::string label_name_;
  std::vector<double> label_counts_;
};

}  // namespace calm
