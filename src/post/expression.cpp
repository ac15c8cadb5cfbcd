// Recursive-descent parser and row-wise evaluator of the formula language (see expression.hpp).
#include "post/expression.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "calm/core/error.hpp"

namespace calm {

struct Expression::Node {
  enum class Kind { number, column, negate, add, subtract, multiply, divide } kind;
  double value = 0;   // number
  size_t column = 0;  // index into used_
  std::shared_ptr<const Node> left, right;
};

namespace {

using NodePtr = std::shared_ptr<const Expression::Node>;
using Kind = Expression::Node::Kind;

class Parser {
 public:
  Parser(const std::string& text, const std::vector<std::string>& columns,
         std::vector<std::string>& used)
      : s_(text), columns_(columns), used_(used) {}

  NodePtr parse() {
    NodePtr root = expr();
    skip_space();
    if (pos_ < s_.size()) fail("unexpected '" + std::string(1, s_[pos_]) + "'");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InvalidArgument("formula '" + s_ + "': " + what + " at position " +
                          std::to_string(pos_ + 1) +
                          " (formulas use numbers, column names, + - * / and parentheses)");
  }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool take(char c) {
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  static NodePtr binary(Kind k, NodePtr l, NodePtr r) {
    return std::make_shared<Expression::Node>(Expression::Node{k, 0, 0, l, r});
  }

  NodePtr expr() {
    NodePtr n = term();
    for (;;) {
      if (take('+'))
        n = binary(Kind::add, n, term());
      else if (take('-'))
        n = binary(Kind::subtract, n, term());
      else
        return n;
    }
  }
  NodePtr term() {
    NodePtr n = unary();
    for (;;) {
      if (take('*'))
        n = binary(Kind::multiply, n, unary());
      else if (take('/'))
        n = binary(Kind::divide, n, unary());
      else
        return n;
    }
  }
  NodePtr unary() {
    if (take('-')) return binary(Kind::negate, unary(), nullptr);
    if (take('+')) return unary();
    return atom();
  }
  NodePtr atom() {
    skip_space();
    if (pos_ >= s_.size()) fail("expression ends early");
    const char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      NodePtr n = expr();
      if (!take(')')) fail("missing ')'");
      return n;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
    if (c == '`') {
      const size_t close = s_.find('`', pos_ + 1);
      if (close == std::string::npos) fail("unclosed backtick");
      std::string name = s_.substr(pos_ + 1, close - pos_ - 1);
      return column(name, close + 1);
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t end = pos_;
      while (end < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end])) ||
                                 s_[end] == '_' || s_[end] == '.'))
        ++end;
      return column(s_.substr(pos_, end - pos_), end);
    }
    fail("unexpected '" + std::string(1, c) + "'");
  }
  NodePtr number() {
    double v = 0;
    auto res = std::from_chars(s_.data() + pos_, s_.data() + s_.size(), v);
    if (res.ec != std::errc()) fail("bad number");
    pos_ = static_cast<size_t>(res.ptr - s_.data());
    return std::make_shared<Expression::Node>(
        Expression::Node{Kind::number, v, 0, nullptr, nullptr});
  }
  NodePtr column(const std::string& name, size_t next) {
    if (std::find(columns_.begin(), columns_.end(), name) == columns_.end())
      fail("unknown column '" + name + "' (columns: " + join_names(columns_) +
           "; quote names with spaces in backticks)");
    pos_ = next;
    auto it = std::find(used_.begin(), used_.end(), name);
    const size_t idx = static_cast<size_t>(it - used_.begin());
    if (it == used_.end()) used_.push_back(name);
    return std::make_shared<Expression::Node>(
        Expression::Node{Kind::column, 0, idx, nullptr, nullptr});
  }

  const std::string& s_;
  const std::vector<std::string>& columns_;
  std::vector<std::string>& used_;
  size_t pos_ = 0;
};

double eval(const Expression::Node& n, const std::vector<const Column*>& cols, size_t row) {
  switch (n.kind) {
    case Kind::number:
      return n.value;
    case Kind::column:
      return cols[n.column]->numeric(row);
    case Kind::negate:
      return -eval(*n.left, cols, row);
    case Kind::add:
      return eval(*n.left, cols, row) + eval(*n.right, cols, row);
    case Kind::subtract:
      return eval(*n.left, cols, row) - eval(*n.right, cols, row);
    case Kind::multiply:
      return eval(*n.left, cols, row) * eval(*n.right, cols, row);
    case Kind::divide: {
      const double d = eval(*n.right, cols, row);
      return d == 0 ? std::numeric_limits<double>::quiet_NaN() : eval(*n.left, cols, row) / d;
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

Expression Expression::parse(const std::string& text, const std::vector<std::string>& columns) {
  Expression e;
  e.text_ = text;
  e.root_ = Parser(text, columns, e.used_).parse();
  return e;
}

std::vector<double> Expression::evaluate(const Table& table) const {
  std::vector<const Column*> cols;
  for (const auto& name : used_) cols.push_back(&table.column(name));
  std::vector<double> out(table.num_rows());
  for (size_t i = 0; i < out.size(); ++i) out[i] = eval(*root_, cols, i);
  return out;
}

}  // namespace calm
