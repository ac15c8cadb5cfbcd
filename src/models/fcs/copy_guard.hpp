// Which synthetic rows of a donor-based synthesis reproduce a unique real row: a real row that
// occurs once in the real data, copied whole, discloses that record (synthpop's statistical
// disclosure control drops such "replicated uniques": sdc(rm.replicated.uniques = TRUE), Nowok,
// Raab & Dibben 2016, section 5). Rows are compared by 64-bit hashes of their values: the real
// rows' once, a synthetic row's from the hashes of its donors' values (a synthetic value is a
// real donor's, or a smoothed number), so no synthetic table is formatted to compare.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "calm/core/table.hpp"

namespace calm::fcs {

class CopyGuard {
 public:
  // `columns`: the table columns a synthetic row is made of (the model columns, in model order).
  CopyGuard(const Table& real, const std::vector<size_t>& columns);

  // Whether synthetic row i, whose model column j took its value from real row donors[j][i]
  // (or, where smoothed[j] is not empty and not NaN, the number smoothed[j][i]), equals a real
  // row that occurs exactly once.
  bool copies_unique(const std::vector<std::vector<int32_t>>& donors,
                     const std::vector<std::vector<double>>& smoothed, size_t i) const;

 private:
  uint64_t number_hash(size_t j, double v) const;

  std::vector<const Column*> columns_;
  std::vector<std::vector<uint64_t>> value_hash_;  // [model column][real row]
  std::unordered_map<uint64_t, uint32_t> row_count_;
};

}  // namespace calm::fcs
