// How calm tables become XGBoost's dense float features, shared by `lgbm` and the evaluation
// metrics. One feature per table column (so importances map back to columns one to one):
//  - numerical: the value minus the column's minimum (float32 keeps 7 digits, so large values
//    such as epoch-scale integers keep their resolution near the data);
//  - datetime: days since the epoch (nanoseconds do not fit a float32);
//  - categorical and boolean: a level code 0..k-1, levels ordered by decreasing frequency in the
//    table the encoder was fitted on, flagged categorical so XGBoost splits them as sets of
//    levels (XGBoost >= 1.6 native categorical support), not as ordered numbers.
// Levels are matched by value, never by dictionary code, so two tables with different
// dictionaries (real and synthetic) encode alike. Missing values are NaN.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "calm/core/archive.hpp"
#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"
#include "learn/xgb_booster.hpp"

namespace calm::xgb {

struct FeatureColumn {
  std::string name;
  bool categorical = false;
  bool datetime = false;
  double offset = 0;  // numerical: subtracted from the value
  std::vector<std::string> level_names;
  std::vector<size_t> level_count;  // rows of each level in the fitted table (0 if added later)
  std::vector<int64_t> level_row;   // a row of the fitted table with each level (-1 if added)
  std::unordered_map<std::string, int> by_text;  // categorical storage: level by dictionary text
  std::unordered_map<double, int> by_value;      // other storage: level by numeric value
};

class FeatureEncoder {
 public:
  // Encodes `columns` of `t` typed by `schema` (id columns are refused: they carry no signal).
  static FeatureEncoder fit(const Table& t, const Schema& schema,
                            const std::vector<std::string>& columns);
  // Gives levels of `t` unseen at fit the next codes (a synthetic table may invent levels).
  void add_levels(const Table& t);

  size_t size() const { return features_.size(); }
  const FeatureColumn& feature(size_t f) const { return features_[f]; }

  // Level code of row r of `c` for categorical feature f; -1 when missing or unknown.
  int level(size_t f, const Column& c, size_t r) const;
  // Encoded value of row r of `c` for feature f (level code or shifted number); NaN missing.
  double value(size_t f, const Column& c, size_t r) const;
  // The inverse of value() for a numerical or datetime feature: the Column::numeric value.
  double decode(size_t f, double encoded) const;

  // Rows x features of `t` (columns found by name), row-major.
  DenseMatrix encode(const Table& t) const;

  // Persistence of the learnt levels and offsets (lgbm_archive.cpp).
  void save(ArchiveWriter& out) const;
  void load(ArchiveReader& in);

 private:
  std::vector<FeatureColumn> features_;
};

}  // namespace calm::xgb
