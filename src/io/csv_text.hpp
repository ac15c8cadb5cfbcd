// Internal to the CSV reader: the bytes of a CSV in memory, in the shape the tokenizer needs —
// ending with '\n' (added when missing) and followed by kTokenizerPadding readable bytes. A regular
// file is mapped (mmap, prefaulted), not copied; strings and pipes are copied once.
#pragma once

#include <string>
#include <string_view>

namespace calm::csv_detail {

class CsvText {
 public:
  static CsvText from_string(const std::string& text);
  // Throws IoError naming the path for a missing, unreadable or non-file path.
  static CsvText from_file(const std::string& path);

  CsvText(CsvText&& other) noexcept;
  CsvText& operator=(CsvText&&) = delete;
  CsvText(const CsvText&) = delete;
  ~CsvText();

  // Empty for an empty input; otherwise ends with '\n'.
  std::string_view text() const { return {data_, size_}; }

 private:
  CsvText() = default;
  void adopt_copy(std::string bytes);

  const char* data_ = "";
  size_t size_ = 0;
  void* map_ = nullptr;  // the mapping, when the file is mapped
  size_t map_size_ = 0;
  std::string copy_;  // the bytes, when they were copied
};

}  // namespace calm::csv_detail
