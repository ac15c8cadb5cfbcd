// One parsed constraint (private to src/post/constraints_*.cpp). Values are in Column::numeric's
// encoding; a missing cell satisfies every rule (constraints restrict values, not their presence).
#pragma once

#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/table.hpp"
#include "post/expression.hpp"

namespace calm {

enum class RuleKind { compare, range, greater_than, fixed_combinations, unique, formula };

struct ConstraintRule {
  RuleKind kind = RuleKind::compare;
  Json source;                       // as written by the user
  std::string column;                // compare, range, unique, formula
  std::vector<std::string> columns;  // greater_than {low, high}, fixed_combinations
  std::string op;                    // compare
  double value = 0;                  // compare on a non-categorical column
  std::string label;                 // compare on a categorical column
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool clip = false;                   // range: clip instead of reject
  bool strict = true;                  // greater_than
  std::set<std::string> combinations;  // fixed_combinations seen in the real data
  std::optional<Expression> expression;

  bool is_transform() const {
    return kind == RuleKind::formula || (kind == RuleKind::range && clip);
  }
  std::string combination_key(const Table& t, size_t row) const {
    std::string key;
    for (const auto& c : columns) key += t.column(c).text(row) + '\x1f';
    return key;
  }
};

}  // namespace calm
