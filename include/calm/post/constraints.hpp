// Integrity constraints on generated rows (the seed's `constraints` argument), formats in
// docs/constraints.md. Each constraint is either a transform that makes a row valid exactly
// (formula computes its column, range with clip clips it) or a row test; generate() keeps the rows
// that pass every test and samples more from the fitted model until n rows pass
// (reject-and-resample, as in rejection sampling from a truncated distribution).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "calm/core/log.hpp"
#include "calm/core/params.hpp"
#include "calm/core/table.hpp"

namespace calm {

struct ConstraintRule;  // one parsed constraint (constraints.cpp)

class ConstraintSet {
 public:
  // Validates `spec` (a list of dicts) against the real table's columns and types; throws
  // InvalidArgument naming the bad entry and listing valid types, ops or columns.
  static ConstraintSet parse(const Json& spec, const Table& real);

  bool empty() const { return rules_.empty(); }
  size_t size() const { return rules_.size(); }
  // True when some constraint is enforced by rejecting rows (not only transforms).
  bool has_tests() const;
  // One line per constraint, as the user wrote it, for messages.
  std::string describe(size_t i) const;

  // Applies the transforms (formula, range with clip) in list order; other columns untouched.
  Table transform(const Table& t) const;
  // valid[i] = 1 when row i passes every row test except uniqueness; violations[c] counts the
  // rows that fail constraint c (size() entries; added to).
  std::vector<uint8_t> check(const Table& t, std::vector<size_t>& violations) const;
  // Logs a warning for each constraint that the real data itself violates.
  void warn_if_real_violates(const Table& real, const Logger& log) const;
  // Fails fast when a unique constraint cannot hold for n rows (a column with fewer values).
  void check_feasible(const Table& real, size_t n) const;

  // Uniqueness across the kept rows: admit() accepts a row when none of its unique columns repeats
  // a kept value, and remembers the values.
  class UniqueGuard {
   public:
    explicit UniqueGuard(const ConstraintSet& set);
    bool admit(const Table& t, size_t row);

   private:
    std::vector<std::string> columns_;
    std::vector<std::set<std::string>> seen_;
  };

 private:
  std::vector<std::shared_ptr<const ConstraintRule>> rules_;
};

}  // namespace calm
