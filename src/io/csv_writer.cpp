// write_csv and the row formatter every CSV writer shares (csv_format.hpp): RFC 4180 output that
// read_csv reads back to the same table.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <ostream>

#include "calm/core/atomic_file.hpp"
#include "calm/core/error.hpp"
#include "calm/core/text.hpp"
#include "calm/io/csv.hpp"
#include "io/csv_format.hpp"

namespace calm {
namespace csv_detail {
namespace {

bool needs_quotes(std::string_view s, char delimiter) {
  if (s.empty()) return false;
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  if (space(s.front()) || space(s.back())) return true;
  // A leading BOM (U+FEFF) unquoted at the start of a file would be read as the file's BOM.
  if (s.starts_with("\xEF\xBB\xBF")) return true;
  for (char c : s)
    if (c == delimiter || c == '"' || c == '\r' || c == '\n') return true;
  return false;
}

void append_field(std::string& out, std::string_view s, char delimiter, bool lone_column) {
  if (s.empty() && lone_column) {
    out += "\"\"";
    return;
  }
  if (!needs_quotes(s, delimiter)) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string escaped(std::string_view s, char delimiter, bool lone_column) {
  std::string out;
  append_field(out, s, delimiter, lone_column);
  return out;
}

// True when every value of a float64 column is a whole number, so that some printed values would
// have no '.' or exponent and the column would read back as int64.
bool whole_numbers_only(const Column& c) {
  if (c.type != StorageType::float64) return false;
  return std::all_of(c.f64.begin(), c.f64.end(),
                     [](double v) { return std::isnan(v) || v == std::trunc(v); });
}

}  // namespace

void check_write_options(const CsvWriteOptions& options) {
  char d = options.delimiter;
  if (d == '"' || d == '\n' || d == '\r' || d == '\0')
    throw InvalidArgument(
        "CSV delimiter cannot be a quote, a line end or NUL; use one of ',', "
        "';', '\\t', '|'");
  if (options.line_end != "\n" && options.line_end != "\r\n")
    throw InvalidArgument("CSV line_end must be \"\\n\" or \"\\r\\n\"");
}

CsvRowFormatter::CsvRowFormatter(const Table& table, const CsvWriteOptions& options)
    : table_(table), options_(options), lone_(table.num_columns() == 1) {
  check_write_options(options);
  const size_t ncols = table.num_columns();
  add_point_.resize(ncols);
  escaped_dict_.resize(ncols);
  for (size_t c = 0; c < ncols; ++c) {
    const Column& col = table.column(c);
    add_point_[c] = whole_numbers_only(col);
    if (col.type == StorageType::categorical)
      for (const auto& level : col.dict)
        escaped_dict_[c].push_back(escaped(level, options.delimiter, lone_));
    if (col.type == StorageType::boolean)
      escaped_dict_[c] = {escaped(col.format.false_token, options.delimiter, lone_),
                          escaped(col.format.true_token, options.delimiter, lone_)};
  }
}

void CsvRowFormatter::header(std::string& out) const {
  for (size_t c = 0; c < table_.num_columns(); ++c) {
    if (c) out += options_.delimiter;
    append_field(out, table_.column(c).name, options_.delimiter, lone_);
  }
  out += options_.line_end;
}

void CsvRowFormatter::cell(std::string& out, size_t column, size_t row) const {
  const Column& c = table_.column(column);
  if (c.is_missing(row)) {
    if (lone_) out += "\"\"";
    return;
  }
  char buf[64];
  switch (c.type) {
    case StorageType::float64: {
      double v = c.f64[row];
      if (v == 0) v = 0;  // no "-0"
      char* end = std::to_chars(buf, buf + sizeof buf, v).ptr;
      if (add_point_[column] &&
          std::string_view(buf, static_cast<size_t>(end - buf)).find_first_of("e.ni") ==
              std::string_view::npos) {
        *end++ = '.';
        *end++ = '0';
      }
      append_field(out, std::string_view(buf, static_cast<size_t>(end - buf)), options_.delimiter,
                   lone_);
      return;
    }
    case StorageType::int64: {
      char* end = std::to_chars(buf, buf + sizeof buf, c.i64[row]).ptr;
      append_field(out, std::string_view(buf, static_cast<size_t>(end - buf)), options_.delimiter,
                   lone_);
      return;
    }
    case StorageType::boolean:
      out += escaped_dict_[column][c.b[row] ? 1 : 0];
      return;
    case StorageType::categorical:
      out += escaped_dict_[column][static_cast<size_t>(c.codes[row])];
      return;
    case StorageType::datetime:
      append_field(out, format_datetime(c.i64[row], c.format.date_only), options_.delimiter, lone_);
      return;
  }
}

void CsvRowFormatter::rows(std::string& out, size_t begin, size_t end) const {
  const size_t ncols = table_.num_columns();
  for (size_t r = begin; r < end; ++r) {
    for (size_t c = 0; c < ncols; ++c) {
      if (c) out += options_.delimiter;
      cell(out, c, r);
    }
    out += options_.line_end;
  }
}

}  // namespace csv_detail

namespace {

// Calls `sink` with pieces of the CSV text, so a large table is never held twice.
template <typename Sink>
void emit_csv(const Table& table, const CsvWriteOptions& options, Sink&& sink) {
  csv_detail::CsvRowFormatter format(table, options);
  std::string buf;
  format.header(buf);
  constexpr size_t kRowsPerPiece = 8192;
  for (size_t r = 0; r < table.num_rows(); r += kRowsPerPiece) {
    format.rows(buf, r, std::min(table.num_rows(), r + kRowsPerPiece));
    sink(buf);
    buf.clear();
  }
  if (!buf.empty()) sink(buf);
}

}  // namespace

void write_csv(const Table& table, std::ostream& out, const CsvWriteOptions& options) {
  emit_csv(table, options, [&](const std::string& piece) {
    out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    if (!out) throw IoError("writing CSV to the output stream failed");
  });
}

void write_csv(const Table& table, const std::string& path, const CsvWriteOptions& options) {
  csv_detail::check_write_options(options);
  AtomicFile file(path);
  emit_csv(table, options, [&](const std::string& piece) { file.append(piece); });
  file.commit();
}

}  // namespace calm
