// Typed parsing of one CSV column. Each candidate type gets one pass that stops at the first field
// it cannot hold, so a column costs a single pass in the common case. Numbers are parsed with
// fast_float (D. Lemire, "Number Parsing at a Gigabyte per Second", 2021) and std::from_chars.
#include "csv_columns.hpp"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"

namespace calm::csv_detail {

NaMatcher::NaMatcher(const std::vector<std::string>& tokens) : tokens_(tokens) {
  for (const auto& t : tokens_) {
    if (t.empty())
      empty_is_na_ = true;
    else
      first_byte_[static_cast<unsigned char>(t[0])] = true;
    if (t.size() < 64) length_mask_ |= uint64_t{1} << t.size();
  }
}

namespace {

// Spaces around numbers, booleans and dates are accepted; strings keep theirs.
std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  if (s.empty() || (!space(s.front()) && !space(s.back()))) return s;
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

// from_chars rejects a leading '+', which spreadsheets write; drop it (but not "+-1" or "++1").
bool strip_plus(const char*& b, const char* e) {
  if (b == e || *b != '+') return true;
  ++b;
  return b != e && *b != '-' && *b != '+';
}

bool parse_int64(std::string_view s, int64_t& v) {
  s = trim(s);
  const char* b = s.data();
  const char* e = b + s.size();
  if (!strip_plus(b, e)) return false;
  auto r = std::from_chars(b, e, v);
  return r.ec == std::errc() && r.ptr == e;
}

int decimals_of(std::string_view s) {
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return 0;
  int n = 0;
  for (size_t i = dot + 1; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++n;
  return n;
}

// Plain decimals ("-12.375": at most 19 digits, no exponent) by Clinger's fast path (W. D.
// Clinger, "How to Read Floating Point Numbers Accurately", PLDI 1990): when the digits form an
// integer m <= 2^53 and there are k <= 22 decimals, m and 10^k are exact doubles and one
// correctly rounded division gives the correctly rounded value. Counts the decimals on the way.
bool parse_plain_decimal(const char* p, const char* e, double& v, int& decimals) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const bool negative = p != e && *p == '-';
  p += negative;
  uint64_t m = 0;
  const char* int_start = p;
  while (p != e && static_cast<unsigned char>(*p - '0') < 10) m = m * 10 + uint64_t(*p++ - '0');
  const ptrdiff_t int_digits = p - int_start;
  ptrdiff_t k = 0;
  if (p != e && *p == '.') {
    const char* frac_start = ++p;
    while (p != e && static_cast<unsigned char>(*p - '0') < 10) m = m * 10 + uint64_t(*p++ - '0');
    k = p - frac_start;
  }
  const ptrdiff_t digits = int_digits + k;
  if (p != e || digits == 0 || digits > 19 || m > (uint64_t{1} << 53) || k > 22) return false;
  const double d = static_cast<double>(m) / kPow10[k];
  v = negative ? -d : d;
  decimals = static_cast<int>(k);
  return true;
}

// Any number fast_float reads (exponents, long mantissas, inf, nan), with a leading '+' allowed.
bool parse_float64(std::string_view s, double& v, int& decimals) {
  s = trim(s);
  const char* b = s.data();
  const char* e = b + s.size();
  if (parse_plain_decimal(b, e, v, decimals)) return true;
  if (!strip_plus(b, e) || b == e) return false;
  auto r = fast_float::from_chars(b, e, v);
  if (r.ptr != e) return false;
  if (r.ec != std::errc() && r.ec != std::errc::result_out_of_range) return false;
  decimals = decimals_of(s);
  return true;
}

// Only the words true/false/yes/no (any case): single letters such as "F" or "N" are far more often
// category labels (sex, answer codes) than booleans.
std::optional<bool> parse_bool_word(std::string_view s) {
  if (s.size() < 2) return std::nullopt;
  return parse_bool_token(s);
}

// The spelling of the other boolean value in the style of `seen` ("yes" -> "no", "TRUE" ->
// "FALSE", "Yes" -> "No"), for columns in which only one value occurs.
std::string counterpart(std::string_view seen, bool seen_value) {
  std::string lower;
  for (char ch : seen)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  std::string other = (lower == "yes" || lower == "no") ? (seen_value ? "no" : "yes")
                                                        : (seen_value ? "false" : "true");
  bool all_upper = std::all_of(seen.begin(), seen.end(), [](char ch) {
    return std::isupper(static_cast<unsigned char>(ch));
  });
  bool first_upper = std::isupper(static_cast<unsigned char>(seen[0]));
  for (size_t i = 0; i < other.size(); ++i)
    if (all_upper || (i == 0 && first_upper))
      other[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(other[i])));
  return other;
}

struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One column of the tokenized table, with the missing test applied to the unescaped text.
class ColumnCursor {
 public:
  ColumnCursor(std::string_view text, const TokenizedCsv& tok, size_t col, const NaMatcher& is_na)
      : text_(text), tok_(tok), col_(col), is_na_(is_na) {}
  size_t rows() const { return tok_.num_rows(); }
  const FieldRef& ref(size_t r) const { return tok_.columns[col_][r]; }
  std::string_view raw(size_t r) const { return field_text(text_, ref(r)); }
  bool missing(size_t r) const {
    const FieldRef& f = ref(r);
    if (f.flags & kEscapedQuotes) [[unlikely]]
      return escaped_missing(f);
    return is_na_(field_text(text_, f));
  }
  int64_t line(size_t r) const { return row_line(text_, tok_, r); }
  // Whether the first few present fields all satisfy `fits`: a cheap look before a full pass
  // allocates its arrays, since most columns fail the wrong types on their first value.
  template <typename Fits>
  bool first_fields_fit(Fits&& fits) const {
    constexpr size_t kLook = 64;
    size_t looked = 0;
    for (size_t r = 0; r < rows() && looked < kLook; ++r) {
      if (missing(r)) continue;
      if (!fits(raw(r))) return false;
      ++looked;
    }
    return true;
  }
  std::string_view text() const { return text_; }

 private:
  [[gnu::noinline]] bool escaped_missing(const FieldRef& f) const {
    return is_na_(field_string(text_, f));
  }

  std::string_view text_;
  const TokenizedCsv& tok_;
  size_t col_;
  const NaMatcher& is_na_;
};

std::optional<Column> try_int64(const ColumnCursor& c, const std::string& name) {
  int64_t ignored;
  if (!c.first_fields_fit([&](std::string_view s) { return parse_int64(s, ignored); }))
    return std::nullopt;
  const size_t n = c.rows();
  std::vector<int64_t> values(n);
  std::vector<uint8_t> valid(n, 1);
  bool any_missing = false, any_value = false;
  for (size_t r = 0; r < n; ++r) {
    if (c.missing(r)) {
      valid[r] = 0;
      any_missing = true;
    } else if (parse_int64(c.raw(r), values[r])) {
      any_value = true;
    } else {
      return std::nullopt;
    }
  }
  if (!any_value) return std::nullopt;  // all missing: float64 (below) is the neutral choice
  Column col = Column::int64(name, std::move(values),
                             any_missing ? std::move(valid) : std::vector<uint8_t>{});
  col.format.decimals = 0;
  return col;
}

std::optional<Column> try_float64(const ColumnCursor& c, const std::string& name) {
  double ignored;
  int ignored_decimals;
  if (!c.first_fields_fit(
          [&](std::string_view s) { return parse_float64(s, ignored, ignored_decimals); }))
    return std::nullopt;
  const size_t n = c.rows();
  std::vector<double> values(n, std::nan(""));
  int decimals = -1;
  std::optional<size_t> infinite_row;
  for (size_t r = 0; r < n; ++r) {
    if (c.missing(r)) continue;
    std::string_view s = c.raw(r);
    double v;
    int field_decimals;
    if (!parse_float64(s, v, field_decimals)) return std::nullopt;
    if (std::isinf(v)) {
      if (!infinite_row) infinite_row = r;
      continue;
    }
    values[r] = v + 0.0;  // -0.0 becomes 0.0, as the writer prints it; "nan" text stays missing
    decimals = std::max(decimals, field_decimals);
  }
  if (infinite_row)
    throw DataError("line " + std::to_string(c.line(*infinite_row)) + " column '" + name +
                    "': infinite value '" + std::string(trim(c.raw(*infinite_row))) +
                    "' in a numeric column (no model can learn from it; make it missing)");
  Column col = Column::float64(name, std::move(values));
  col.format.decimals = decimals;
  return col;
}

std::optional<Column> try_boolean(const ColumnCursor& c, const std::string& name) {
  if (!c.first_fields_fit([](std::string_view s) { return parse_bool_word(trim(s)).has_value(); }))
    return std::nullopt;
  const size_t n = c.rows();
  std::vector<uint8_t> values(n, 0), valid(n, 1);
  bool any_missing = false;
  std::optional<std::string> true_token, false_token;
  for (size_t r = 0; r < n; ++r) {
    if (c.missing(r)) {
      valid[r] = 0;
      any_missing = true;
      continue;
    }
    std::string_view s = trim(c.raw(r));
    auto b = parse_bool_word(s);
    if (!b) return std::nullopt;
    values[r] = *b;
    auto& token = *b ? true_token : false_token;
    if (!token) token = std::string(s);
  }
  Column col = Column::boolean(name, std::move(values),
                               any_missing ? std::move(valid) : std::vector<uint8_t>{});
  if (!true_token) true_token = counterpart(*false_token, false);
  if (!false_token) false_token = counterpart(*true_token, true);
  col.format.true_token = *true_token;
  col.format.false_token = *false_token;
  return col;
}

std::optional<Column> try_datetime(const ColumnCursor& c, const std::string& name) {
  if (!c.first_fields_fit([](std::string_view s) { return parse_datetime(trim(s)).has_value(); }))
    return std::nullopt;
  const size_t n = c.rows();
  std::vector<int64_t> values(n, 0);
  std::vector<uint8_t> valid(n, 1);
  bool any_missing = false, all_date_only = true;
  for (size_t r = 0; r < n; ++r) {
    if (c.missing(r)) {
      valid[r] = 0;
      any_missing = true;
      continue;
    }
    bool date_only = false;
    auto ns = parse_datetime(trim(c.raw(r)), &date_only);
    if (!ns) return std::nullopt;
    values[r] = *ns;
    all_date_only = all_date_only && date_only;
  }
  Column col = Column::datetime(name, std::move(values),
                                any_missing ? std::move(valid) : std::vector<uint8_t>{});
  col.format.date_only = all_date_only;
  return col;
}

Column make_categorical(const ColumnCursor& c, const std::string& name) {
  const size_t n = c.rows();
  std::vector<int32_t> codes(n, -1);
  std::vector<std::string> dict;
  std::unordered_map<std::string, int32_t, StringViewHash, std::equal_to<>> index;
  std::string unescaped;
  for (size_t r = 0; r < n; ++r) {
    if (c.missing(r)) continue;
    const FieldRef& f = c.ref(r);
    std::string_view s = field_text(c.text(), f);
    if (f.flags & kEscapedQuotes) {
      unescaped = field_string(c.text(), f);
      s = unescaped;
    }
    auto it = index.find(s);
    if (it == index.end()) {
      it = index.emplace(std::string(s), static_cast<int32_t>(dict.size())).first;
      dict.emplace_back(s);
    }
    codes[r] = it->second;
  }
  return Column::categorical(name, std::move(codes), std::move(dict));
}

}  // namespace

Column build_column(std::string_view text, const TokenizedCsv& tok, size_t col, std::string name,
                    const NaMatcher& is_na) {
  ColumnCursor c(text, tok, col, is_na);
  if (auto v = try_int64(c, name)) return std::move(*v);
  if (auto v = try_float64(c, name)) return std::move(*v);
  if (auto v = try_boolean(c, name)) return std::move(*v);
  if (auto v = try_datetime(c, name)) return std::move(*v);
  return make_categorical(c, name);
}

}  // namespace calm::csv_detail
