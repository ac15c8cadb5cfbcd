// Writes the table a `smote` / `adasyn` resample returns, column by column straight into the
// input's storage types: first the real rows that are kept (copied cell for cell, in input order),
// then the synthetic rows (numeric features interpolated s + u (t - s) in the column's own units,
// discrete features from the SMOTE-NC vote, the class column from the row's class). Id columns
// get fresh keys 1..n over all rows, as in every calm method.
#pragma once

#include <cstdint>
#include <vector>

#include "calm/core/table.hpp"
#include "models/oversampling/feature_space.hpp"
#include "transform/column_model.hpp"

namespace calm {

// How one input column is written.
struct OutputColumn {
  enum class Kind { numeric, discrete, target, id };
  Kind kind = Kind::numeric;
  size_t index = 0;            // numeric: feature j of FeatureMatrix; discrete: feature j
  std::vector<double> values;  // discrete: Column::numeric value of each level; target: of each
                               // class index
  ColumnModel model;           // output prototype (name, storage, format, dictionary), id keys
};

// The rows of one resample.
struct ResamplePlan {
  std::vector<int64_t> kept;  // training rows returned as they are, increasing
  // Synthetic row i: class cls[i], seed row seed[i], partner row partner[i] (== seed for a copy),
  // gap[i] in [0, 1); codes[j * S + i] the level of discrete feature j.
  std::vector<uint32_t> cls, seed, partner;
  std::vector<double> gap;
  std::vector<int32_t> codes;
  size_t synthetic() const { return cls.size(); }
};

Table write_resample(const Table& data, const std::vector<OutputColumn>& columns,
                     const FeatureMatrix& f, const ResamplePlan& plan, int threads);

}  // namespace calm
