// The mixed-type distance of the privacy metrics as a Euclidean embedding, so that a k-d tree can
// answer exact nearest-neighbour queries. HEOM (Wilson & Martinez 1997, "Improved heterogeneous
// distance functions"), squared and summed:
//   numerical / datetime: (x - y) / range of the real column (zero range -> 1);
//   categorical / boolean: 0 if equal, 1 otherwise (one-hot coordinates scaled by 1/sqrt(2));
//   missing numeric: the value is set to the real median plus a missing-indicator coordinate
//     (missing vs missing 0, missing vs present 1 + the scaled gap to the median);
//   missing categorical: a level of its own.
// Id columns are left out. Row keys for exact copies compare the raw values, not the embedding.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm::eval {

class MixedSpace {
 public:
  // Fits scales and levels on `reference` (the real rows); `others` only tell which numeric
  // columns have missing values anywhere (they get an indicator coordinate).
  MixedSpace(const Table& reference, const std::vector<const Table*>& others, const Schema& schema,
             size_t max_levels);

  const std::vector<std::string>& columns() const { return names_; }
  size_t dim() const { return dim_; }
  // Row-major embedding of the given rows of `t` (all rows when `rows` is empty).
  std::vector<double> embed(const Table& t, const std::vector<uint32_t>& rows = {}) const;

 private:
  struct Numeric {
    std::string name;
    double min = 0, scale = 1, fill = 0;
    bool indicator = false;
    size_t offset = 0;
  };
  struct Categorical {
    std::string name;
    std::unordered_map<std::string, size_t> level;  // value -> coordinate; others share one
    size_t levels = 0;                              // coordinates, "other" and "missing" included
    size_t offset = 0;
  };
  std::vector<std::string> names_;
  std::vector<Numeric> numeric_;
  std::vector<Categorical> categorical_;
  size_t dim_ = 0;
};

// One exact key per row of `t` over the schema's non-id columns: equal keys <=> equal values
// (numbers by value, -0 = 0; categories by text; missing = missing).
std::vector<std::string> row_keys(const Table& t, const Schema& schema);

// Exact membership of row keys in a set of reference keys without a node per key: the references
// sorted by (hash, position); a query looks up its hash's run and compares the keys themselves,
// so a hash collision never counts as a match. The referenced key vectors must outlive it.
class KeyIndex {
 public:
  explicit KeyIndex(const std::vector<const std::vector<std::string>*>& parts);
  bool contains(const std::string& key) const;

 private:
  std::vector<const std::string*> keys_;
  std::vector<std::pair<uint64_t, uint32_t>> order_;
};

// How many keys repeat an earlier one (n - distinct), exactly, on the same (hash, position) order.
size_t duplicate_count(const std::vector<std::string>& keys);

// The text of a categorical-like cell ("" is never returned for a present value; missing ->
// "\x01").
std::string level_text(const Column& c, size_t row);

}  // namespace calm::eval
