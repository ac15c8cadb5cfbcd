// read_csv / read_csv_string: map the whole file (csv_text.cpp), strip a UTF-8 BOM, validate UTF-8,
// sniff the delimiter, tokenize (csv_tokenizer.cpp), then type each column (csv_columns.cpp), in
// parallel over columns. Every DataError names the line and, where it applies, the column.
#include <omp.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <optional>
#include <unordered_map>

#include "calm/core/error.hpp"
#include "calm/core/memory_budget.hpp"
#include "calm/io/csv.hpp"
#include "csv_columns.hpp"
#include "csv_text.hpp"
#include "csv_tokenizer.hpp"
#include "utf8.hpp"

namespace calm {

namespace {

using namespace csv_detail;

void check_options(const CsvReadOptions& options) {
  if (options.delimiter) {
    char d = *options.delimiter;
    if (d == '"' || d == '\n' || d == '\r' || d == '\0')
      throw InvalidArgument(std::string("CSV delimiter cannot be a quote, a line end or NUL; ") +
                            "use one of ',', ';', '\\t', '|' (or leave it unset to sniff)");
  }
  if (options.threads < 0)
    throw InvalidArgument("threads = " + std::to_string(options.threads) +
                          " is invalid; use 0 (all cores) or a positive count");
}

// A regular file is held in memory while its columns are built: at least twice its size (the text,
// and cells of >= 2 bytes of text stored in 4 or 8 bytes). Pipes and missing files pass through.
void check_csv_memory(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return;
  check_memory({2.0 * static_cast<double>(size), "twice the file's size: its text and columns", ""},
               "reading '" + path + "' (" + format_bytes(static_cast<double>(size)) + ")",
               "calm holds the whole table in memory: read a sample of its rows (a shorter file, "
               "or a database source with a sampling --query)");
}

bool only_whitespace(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
  });
}

[[noreturn]] void throw_invalid_utf8(std::string_view text, const TokenizedCsv& tok, size_t bad,
                                     const std::vector<std::string>& names) {
  const int64_t line = line_at(text, bad);
  // The field holding the byte: the last one, in the header or in any column, starting before it.
  auto last_start_before = [&](const FieldArray& fields) -> std::optional<uint64_t> {
    auto it = std::upper_bound(fields.begin(), fields.end(), uint64_t(bad),
                               [](uint64_t pos, const FieldRef& f) { return pos < f.begin; });
    if (it == fields.begin()) return std::nullopt;
    return std::prev(it)->begin;
  };
  const bool in_header = tok.num_rows() == 0 || bad < tok.columns[0][0].begin;
  if (in_header) {
    auto it = std::upper_bound(tok.header.begin(), tok.header.end(), uint64_t(bad),
                               [](uint64_t pos, const FieldRef& f) { return pos < f.begin; });
    size_t col = it == tok.header.begin() ? 0 : size_t(it - tok.header.begin() - 1);
    throw DataError("line " + std::to_string(line) + ": header name " + std::to_string(col + 1) +
                    ": bytes are not valid UTF-8 (save the file as UTF-8)");
  }
  size_t col = 0;
  uint64_t nearest = 0;
  for (size_t c = 0; c < tok.num_columns; ++c) {
    auto start = last_start_before(tok.columns[c]);
    if (start && *start >= nearest) {
      nearest = *start;
      col = c;
    }
  }
  throw DataError("line " + std::to_string(line) + " column '" + names[col] +
                  "': bytes are not valid UTF-8 (save the file as UTF-8)");
}

std::vector<std::string> header_names(std::string_view text, const TokenizedCsv& tok) {
  std::vector<std::string> names;
  std::unordered_map<std::string, size_t> seen;
  for (size_t c = 0; c < tok.header.size(); ++c) {
    std::string name = field_string(text, tok.header[c]);
    if (only_whitespace(name))
      throw DataError("line 1: column " + std::to_string(c + 1) +
                      " has an empty header name; every column needs a name");
    auto [it, fresh] = seen.emplace(name, c);
    if (!fresh)
      throw DataError("line 1: duplicate header name '" + name + "' (columns " +
                      std::to_string(it->second + 1) + " and " + std::to_string(c + 1) + ")");
    names.push_back(std::move(name));
  }
  return names;
}

Table parse_csv(const CsvText& source, const CsvReadOptions& options) {
  std::string_view text = source.text();
  // Every leading BOM (a file saved twice by a BOM-adding tool has two): a first column name that
  // kept one would lose it when the file is written and read again.
  while (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (only_whitespace(text)) throw DataError("the CSV is empty (no header line)");

  // A NUL byte is never text: a binary file, a UTF-16 export or a damaged file. Named here,
  // before the tokenizer would report it as a short row.
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos)
    throw DataError("line " +
                    std::to_string(1 + std::count(text.begin(), text.begin() + nul, '\n')) +
                    ": a NUL byte (\\0) in the file; a CSV holds text (is it binary, or UTF-16? "
                    "save it as UTF-8 CSV)");
  const size_t bad_utf8 = find_invalid_utf8(text);
  const char delimiter = options.delimiter ? *options.delimiter : sniff_delimiter(text);
  const TokenizedCsv tok = tokenize_csv(text, delimiter);
  if (bad_utf8 != std::string_view::npos) {
    std::vector<std::string> names;
    for (const auto& f : tok.header) names.push_back(field_string(text, f));
    throw_invalid_utf8(text, tok, bad_utf8, names);
  }
  std::vector<std::string> names = header_names(text, tok);

  const NaMatcher is_na(options.na_tokens);
  const size_t ncols = tok.num_columns;
  std::vector<Column> columns(ncols);
  std::vector<std::exception_ptr> errors(ncols);
  int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  threads = std::max(1, std::min<int>(threads, static_cast<int>(ncols)));
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(ncols); ++c) {
    try {
      columns[c] = build_column(text, tok, c, names[c], is_na);
    } catch (...) {
      errors[c] = std::current_exception();
    }
  }
  for (auto& e : errors)  // the leftmost failing column, whatever the thread count
    if (e) std::rethrow_exception(e);
  return Table(std::move(columns));
}

}  // namespace

Table read_csv(const std::string& path, const CsvReadOptions& options) {
  check_options(options);
  check_csv_memory(path);
  const CsvText source = CsvText::from_file(path);
  try {
    return parse_csv(source, options);
  } catch (const DataError& e) {
    throw DataError("'" + path + "': " + e.what());
  }
}

Table read_csv_string(const std::string& text, const CsvReadOptions& options) {
  check_options(options);
  return parse_csv(CsvText::from_string(text), options);
}

}  // namespace calm
