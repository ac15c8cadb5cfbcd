// The per-column model of the FCS engine: draws a real donor row for one column given the bin
// codes of a (synthetic) row. Categorical and boolean columns: a classifier whose classes include
// "missing". Numeric and datetime columns with missing values: first a missing/present classifier,
// then a regressor fitted on the present rows — synthpop's treatment of missing numeric values.
#pragma once

#include <cstdint>
#include <vector>

#include "calm/core/rng.hpp"
#include "learn/forest.hpp"

namespace calm::fcs {

// The learning view of the real table shared by every column model.
struct ModelData {
  tree::BinnedData x;                        // all model columns, binned
  std::vector<bool> regression;              // numeric/datetime: regression trees
  std::vector<std::vector<uint8_t>> labels;  // classification columns: class of each row
  std::vector<int> num_classes;
  std::vector<std::vector<double>> values;  // regression columns: value of each row (NaN missing)
};

// Classes of a categorical column for the split criterion: one per observed level (missing is a
// level); past 64 levels the rarest share one class (donors still carry the real level).
void make_class_labels(const tree::BinnedData& x, int column, std::vector<uint8_t>& labels,
                       int& num_classes);

struct ColumnModelSettings {
  tree::ForestParams learner;
  bool auto_min_samples_leaf = true;
  bool smoothing = false;  // keep leaf bandwidths of regression trees
  int64_t auto_leaf_floor = 10;
};

class ColumnModel {
 public:
  // Fits the model of `column` from `features`; `stream` is the first of this model's Philox
  // streams (it uses up to 2 * 4096).
  void fit(const ModelData& d, int column, const std::vector<int>& features,
           const ColumnModelSettings& s, uint64_t seed, uint64_t stream);

  // Donors for the n rows whose bin codes start at codes + i * stride, dealt without replacement
  // within each leaf (balanced_draws.hpp). Random numbers come from the Philox streams
  // (seed, stream .. stream + 2^23), so the result does not depend on `threads`.
  void draw_rows(const ModelData& d, const uint8_t* codes, size_t stride, size_t n, uint64_t seed,
                 uint64_t stream, int threads, tree::Donor* out) const;
  // As draw_rows, but a row keeps whether its value is missing: rows whose own code in this
  // column is the missing bin are dealt no donor (out[i].row = -1), the others skip the
  // missing/present stage and draw a present value. Redraws of copied rows use it, so redrawing
  // a row's values does not redraw its pattern of missing values.
  void redraw_values(const ModelData& d, const uint8_t* codes, size_t stride, size_t n,
                     uint64_t seed, uint64_t stream, int threads, tree::Donor* out) const;
  int column() const { return column_; }

  void save(ArchiveWriter& out) const;
  // Checks the column and every tree against the ModelData the model will draw from.
  void load(ArchiveReader& in, const ModelData& d);

 private:
  int column_ = -1;
  tree::Forest missing_;  // regression columns with missing values only
  tree::Forest value_;
};

}  // namespace calm::fcs
