// DbColumnBuilder: typed columns from database values (rules in db_columns.hpp). Columns that hold
// text under the CSV rule (or a mixture of kinds) are written out as a one-column CSV and read back
// with read_csv_string, so that a database column and a CSV column of the same text always get
// the same storage type, format and values.
#include "io/db_columns.hpp"

#include <bit>
#include <cmath>
#include <initializer_list>
#include <unordered_map>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"
#include "calm/io/csv.hpp"

namespace calm::db_detail {

namespace {

// Stands for NULL in the one-column CSV: control characters no real value is made of.
constexpr std::string_view kNullToken =
    "\x01"
    "calm-null"
    "\x02";

void append_quoted(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out += "\"\n";
}

}  // namespace

int decimals_of_double(double v) {
  const std::string s = format_double(v);
  const size_t dot = s.find('.');
  if (dot == std::string::npos) return 0;
  int n = 0;
  for (size_t i = dot + 1; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++n;
  return n;
}

DbColumnBuilder::DbColumnBuilder(std::string name, std::string source, TextRule rule,
                                 bool declared_boolean)
    : name_(std::move(name)),
      source_(std::move(source)),
      rule_(rule),
      declared_boolean_(declared_boolean) {}

void DbColumnBuilder::add_real(double v, int decimals) {
  if (std::isnan(v)) {
    add_null();
    return;
  }
  if (std::isfinite(v)) decimals_ = std::max(decimals_, decimals);
  push(kReal, std::bit_cast<int64_t>(v + 0.0));  // -0.0 -> 0.0, as read_csv gives it
}

void DbColumnBuilder::add_datetime(int64_t ns, bool date_only) {
  all_date_only_ = all_date_only_ && date_only;
  push(kDatetime, ns);
}

void DbColumnBuilder::add_text(std::string_view s) {
  push(kText, static_cast<int64_t>(text_begin_.size()));
  text_begin_.push_back(arena_.size());
  arena_.append(s);
}

std::string DbColumnBuilder::text_of(size_t row) const {
  const int64_t p = payload_[row];
  switch (kinds_[row]) {
    case kInt:
      return std::to_string(p);
    case kReal:
      return format_double(std::bit_cast<double>(p));
    case kBool:
      return p ? "True" : "False";
    case kDatetime:
      return format_datetime(p, all_date_only_);
    case kText:
      return std::string(text(p));
    default:
      return {};
  }
}

Column DbColumnBuilder::from_text() {
  std::string csv;
  append_quoted(csv, name_.empty() ? "value" : name_);
  for (size_t r = 0; r < kinds_.size(); ++r) {
    if (kinds_[r] == kNull) {
      csv += kNullToken;
      csv.push_back('\n');
    } else if (kinds_[r] == kText) {
      append_quoted(csv, text(payload_[r]));
    } else {
      append_quoted(csv, text_of(r));
    }
  }
  CsvReadOptions options;
  options.delimiter = ',';
  options.na_tokens = {std::string(kNullToken)};
  options.threads = 1;
  try {
    Table t = read_csv_string(csv, options);
    Column c = t.column(0);
    c.name = name_;
    return c;
  } catch (const DataError& e) {
    // The column's text was typed as a one-column CSV: its line N is row N - 1 of the result.
    throw DataError(source_ + " (typed as CSV text, line N = row N-1): " + e.what());
  }
}

Column DbColumnBuilder::finish() {
  const size_t n = kinds_.size();
  const size_t present = n - count_[kNull];
  auto only = [&](std::initializer_list<Kind> kinds) {
    size_t s = 0;
    for (Kind k : kinds) s += count_[k];
    return s == present;
  };
  std::vector<uint8_t> valid;
  if (count_[kNull] > 0) {
    valid.resize(n);
    for (size_t r = 0; r < n; ++r) valid[r] = kinds_[r] != kNull;
  }
  if (present == 0) return Column::float64(name_, std::vector<double>(n, std::nan("")));
  if (count_[kText] == 0) {
    if (only({kInt})) {
      bool zero_one = declared_boolean_;
      for (size_t r = 0; r < n && zero_one; ++r)
        zero_one = kinds_[r] == kNull || payload_[r] == 0 || payload_[r] == 1;
      if (zero_one) {
        std::vector<uint8_t> b(n);
        for (size_t r = 0; r < n; ++r) b[r] = payload_[r] == 1;
        return Column::boolean(name_, std::move(b), std::move(valid));
      }
      Column c = Column::int64(name_, std::move(payload_), std::move(valid));
      c.format.decimals = 0;
      return c;
    }
    if (only({kInt, kReal})) {
      std::vector<double> v(n, std::nan(""));
      for (size_t r = 0; r < n; ++r) {
        if (kinds_[r] == kInt) v[r] = static_cast<double>(payload_[r]);
        if (kinds_[r] != kReal) continue;
        v[r] = std::bit_cast<double>(payload_[r]);
        if (std::isinf(v[r]))
          throw DataError(source_ + ", column '" + name_ + "', row " + std::to_string(r + 1) +
                          ": infinite value in a numeric column (no model can learn from it; "
                          "make it missing)");
      }
      Column c = Column::float64(name_, std::move(v));
      c.format.decimals = std::max(decimals_, count_[kInt] > 0 ? 0 : -1);
      return c;
    }
    if (only({kBool})) {
      std::vector<uint8_t> b(n);
      for (size_t r = 0; r < n; ++r) b[r] = payload_[r] == 1;
      return Column::boolean(name_, std::move(b), std::move(valid));
    }
    if (only({kDatetime})) {
      Column c = Column::datetime(name_, std::move(payload_), std::move(valid));
      c.format.date_only = all_date_only_;
      return c;
    }
  } else if (rule_ == TextRule::categorical && only({kText})) {
    // Codes in order of first appearance, as read_csv gives them.
    std::unordered_map<std::string_view, int32_t> index;
    std::vector<int32_t> codes(n, -1);
    std::vector<std::string> dict;
    for (size_t r = 0; r < n; ++r) {
      if (kinds_[r] != kText) continue;
      const std::string_view s = text(payload_[r]);
      auto [it, added] = index.emplace(s, static_cast<int32_t>(dict.size()));
      if (added) dict.emplace_back(s);
      codes[r] = it->second;
    }
    return Column::categorical(name_, std::move(codes), std::move(dict));
  }
  return from_text();
}

}  // namespace calm::db_detail
