// What the sequence metrics (calm/eval/sequence_metrics.hpp) read from each table: per-sequence
// feature rows (the discriminator's input), consecutive-step pairs (the predictive score's input)
// and within-entity demeaned lag correlations.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "calm/core/table.hpp"
#include "core/sequence_table.hpp"

namespace calm::eval {

// A table read as sequences with the real table's column roles.
struct SequenceSide {
  const Table& table;
  const SequenceTable& seq;
};

// Numeric reading of a column for the metrics: numbers, booleans as 0/1, datetimes in days;
// categorical columns are not numeric (level codes come from LevelCodes).
bool is_numeric_feature(const Column& c);
double numeric_feature(const Column& c, size_t row);

// Level codes matched by text across tables (dictionary codes differ between real and synthetic).
class LevelCodes {
 public:
  double code(const Column& c, size_t row);  // NaN for a missing cell

 private:
  std::unordered_map<std::string, int> codes_;
};

// Feature columns, rows = the real side's entities (or pairs) then the synthetic side's.
struct FeatureMatrix {
  std::vector<std::string> names;
  std::vector<std::vector<double>> columns;
  std::vector<bool> categorical;
  size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
  void add(std::string name, bool is_categorical) {
    names.push_back(std::move(name));
    columns.emplace_back();
    categorical.push_back(is_categorical);
  }
};

// One row per entity: length; time span and mean step; per varying column mean, std, first, last,
// lag-1 autocorrelation, trend, roughness and missing share (numeric) or first level and change
// rate (categorical); the context values.
FeatureMatrix sequence_features(const std::vector<SequenceSide>& sides,
                                const std::vector<std::string>& varying,
                                const std::vector<std::string>& context,
                                const std::optional<std::string>& time);

// One row per consecutive pair (step k-1 -> k, k >= 1): the previous step's varying values, the
// context values and the position k as features; `targets` receives, per numeric varying column,
// its value at step k; `entity` the pair's entity (numbered across sides).
FeatureMatrix step_pairs(const std::vector<SequenceSide>& sides,
                         const std::vector<std::string>& varying,
                         const std::vector<std::string>& context,
                         std::vector<std::vector<double>>& targets, std::vector<size_t>& entity);

// Pearson correlation of (a at step k - lag, b at step k) over every entity, each value minus its
// entity's mean (pairs with a missing value skipped); nullopt when undefined.
std::optional<double> lagged_correlation(const SequenceSide& side, const std::string& a,
                                         const std::string& b, size_t lag);

}  // namespace calm::eval
