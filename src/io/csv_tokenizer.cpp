// The untyped CSV pass: delimiter sniffing and field splitting (RFC 4180). Unquoted fields, the
// common case, are scanned 16 bytes at a time (SSE2 compares, as in simdjson/simdcsv structural
// scanning) with no bounds check (the buffer ends with '\n'); quoted fields jump from quote to
// quote with memchr.
#include "csv_tokenizer.hpp"

#include <algorithm>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "calm/core/error.hpp"

namespace calm::csv_detail {

namespace {

std::string printable(char c) {
  if (c == '\t') return "\\t";
  if (static_cast<unsigned char>(c) < 0x20) return "\\x" + std::to_string(int(c));
  return std::string(1, c);
}

// Field counts of the first complete records of `sample` when split on `delim`, honouring quotes.
std::vector<size_t> record_widths(std::string_view sample, char delim, size_t max_records) {
  std::vector<size_t> widths;
  size_t fields = 1;
  bool in_quotes = false, line_has_text = false;
  for (size_t i = 0; i < sample.size() && widths.size() < max_records; ++i) {
    char c = sample[i];
    if (in_quotes) {
      if (c == '"') in_quotes = false;  // a doubled quote re-enters on the next character
      continue;
    }
    if (c == '"') {
      in_quotes = true;
      line_has_text = true;
    } else if (c == delim) {
      ++fields;
      line_has_text = true;
    } else if (c == '\n' || c == '\r') {
      if (line_has_text) widths.push_back(fields);
      fields = 1;
      line_has_text = false;
    } else {
      line_has_text = true;
    }
  }
  return widths;  // a record cut off by the end of the sample is left out
}

DataError field_too_long(int64_t line) {
  return DataError("line " + std::to_string(line) + " has a field longer than " +
                   std::to_string(kMaxFieldSize) + " bytes; that is not tabular data");
}

// Finds the next delimiter, CR or LF. With SSE2 it tests 16 bytes per step, so a typical field
// costs one load and one well-predicted branch instead of a mispredicted byte loop exit.
class StopFinder {
 public:
  explicit StopFinder(char delimiter) : delimiter_(delimiter) {
#ifdef __SSE2__
    delim_ = _mm_set1_epi8(delimiter);
    lf_ = _mm_set1_epi8('\n');
    cr_ = _mm_set1_epi8('\r');
#endif
  }
  bool is_stop(char c) const {
    return c == delimiter_ || c == '\n' || c == '\r';
  }
  const char* operator()(const char* p) const {
#ifdef __SSE2__
    for (;;) {
      __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, delim_), _mm_cmpeq_epi8(x, lf_)),
                                 _mm_cmpeq_epi8(x, cr_));
      unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
      if (mask) return p + __builtin_ctz(mask);
      p += 16;
    }
#else
    while (!is_stop(*p)) ++p;
    return p;
#endif
  }

 private:
  char delimiter_;
#ifdef __SSE2__
  __m128i delim_, lf_, cr_;
#endif
};

// Splits the quoted field that starts at p (on its opening quote); leaves p after the closing
// quote and advances `line` over embedded line breaks.
FieldRef quoted_field(const char* base, const char* end, const char*& p, int64_t& line,
                      int64_t start_line) {
  const char* content = ++p;
  uint64_t flags = kQuoted;
  for (;;) {
    const char* close = static_cast<const char*>(std::memchr(p, '"', end - p));
    if (!close)
      throw DataError("line " + std::to_string(start_line) +
                      ": unterminated quote (a field opened with '\"' is never closed)");
    line += std::count(p, close, '\n');
    if (close + 1 < end && close[1] == '"') {
      flags |= kEscapedQuotes;
      p = close + 2;
      continue;
    }
    if (uint64_t(close - content) > kMaxFieldSize) throw field_too_long(start_line);
    p = close + 1;
    return {uint64_t(content - base), uint64_t(close - content), flags};
  }
}

}  // namespace

char sniff_delimiter(std::string_view text) {
  constexpr size_t kSampleBytes = 1 << 16, kSampleRecords = 50;
  std::string_view sample = text.substr(0, kSampleBytes);
  char best = ',';
  size_t best_width = 1;
  for (char delim : {',', ';', '\t', '|'}) {
    auto widths = record_widths(sample, delim, kSampleRecords);
    if (widths.empty() || widths[0] <= 1) continue;
    bool consistent =
        std::all_of(widths.begin(), widths.end(), [&](size_t w) { return w == widths[0]; });
    if (consistent && widths[0] > best_width) {
      best = delim;
      best_width = widths[0];
    }
  }
  return best;
}

int64_t line_at(std::string_view text, size_t pos) {
  int64_t line = 1;
  for (size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n')
      ++line;
    else if (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))
      ++line;
  }
  return line;
}

int64_t row_line(std::string_view text, const TokenizedCsv& tok, size_t row) {
  const FieldRef& first = tok.columns[0][row];
  return line_at(text, first.begin - ((first.flags & kQuoted) ? 1 : 0));
}

std::string field_string(std::string_view text, const FieldRef& f) {
  std::string_view raw = field_text(text, f);
  if (!(f.flags & kEscapedQuotes)) return std::string(raw);
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    out.push_back(raw[i]);
    if (raw[i] == '"') ++i;  // skip the second quote of the pair
  }
  return out;
}

TokenizedCsv tokenize_csv(std::string_view text, char delimiter) {
  if (text.empty() || text.back() != '\n')
    throw InternalError("tokenize_csv needs a buffer that ends with a newline");
  if (text.size() >= kMaxTextSize)
    throw DataError("the CSV is larger than " + std::to_string(kMaxTextSize) + " bytes");
  const StopFinder find_stop(delimiter);
  TokenizedCsv out;
  const char* const base = text.data();
  const char* const end = base + text.size();
  const char* p = base;
  int64_t line = 1;
  bool header_done = false, reserved = false;

  while (p < end) {
    if (*p == '\n' || *p == '\r') {  // blank line
      p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
      ++line;
      continue;
    }
    const int64_t start_line = line;
    size_t width = 0;
    for (;;) {
      FieldRef f;
      if (*p == '"') {
        f = quoted_field(base, end, p, line, start_line);
        if (p < end && !find_stop.is_stop(*p))
          throw DataError("line " + std::to_string(line) + ": unexpected character '" +
                          printable(*p) + "' after a closing quote (expected '" +
                          printable(delimiter) + "' or the end of the line)");
      } else {
        const char* start = p;
        p = find_stop(p);  // stops at the final '\n' at worst
        if (uint64_t(p - start) > kMaxFieldSize) throw field_too_long(start_line);
        f = {uint64_t(start - base), uint64_t(p - start), 0};
      }
      if (!header_done)
        out.header.push_back(f);
      else if (width < out.num_columns)
        out.columns[width].push_back(f);
      ++width;
      if (*p != delimiter) break;
      ++p;
    }
    if (p < end) {  // consume the line end
      p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
      ++line;
    }
    if (!header_done) {
      header_done = true;
      out.num_columns = width;
      out.columns.resize(width);
      continue;
    }
    if (width != out.num_columns)
      throw DataError("line " + std::to_string(start_line) + " has " + std::to_string(width) +
                      " fields, expected " + std::to_string(out.num_columns) +
                      " (as many as the header)");
    // After a few rows, size the arrays for the whole file from the bytes per row seen so far.
    if (!reserved && out.columns[0].size() == 64) {
      reserved = true;
      double bytes_per_row = double(p - (base + out.columns[0].front().begin)) / 64.0;
      size_t rows = size_t(double(end - base) / std::max(bytes_per_row, 1.0) * 1.05) + 64;
      for (auto& c : out.columns) c.reserve(rows);
    }
  }
  return out;
}

}  // namespace calm::csv_detail
