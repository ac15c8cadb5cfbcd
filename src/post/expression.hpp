// A small, safe arithmetic expression language for formula constraints ("price * quantity").
// Grammar (recursive descent, no code execution):
//   expr   := term (('+' | '-') term)*
//   term   := unary (('*' | '/') unary)*
//   unary  := '-' unary | '+' unary | atom
//   atom   := number | column | '(' expr ')'
//   column := identifier [A-Za-z_][A-Za-z0-9_.]* | `any text without backticks`
// Columns are read through Column::numeric (booleans are 0/1); missing cells give a missing result.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "calm/core/table.hpp"

namespace calm {

class Expression {
 public:
  // Throws InvalidArgument naming the position and the problem (unknown column, bad syntax).
  // `columns` are the names the expression may use.
  static Expression parse(const std::string& text, const std::vector<std::string>& columns);

  // The value for every row of `table` (NaN where an input is missing or a division is by zero).
  std::vector<double> evaluate(const Table& table) const;
  const std::vector<std::string>& columns() const { return used_; }
  const std::string& text() const { return text_; }

  struct Node;

 private:
  std::string text_;
  std::vector<std::string> used_;  // columns referenced, first-use order
  std::shared_ptr<const Node> root_;
};

}  // namespace calm
