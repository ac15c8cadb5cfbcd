// libFuzzer target: the CSV reader (tokenizer, sniffing, UTF-8 checks, type inference) on any
// bytes, then the writer. A table read back from what calm wrote must write the same bytes again
// (the reader keeps every value exactly: calm/io/csv.hpp).
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "calm/core/error.hpp"
#include "calm/io/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace calm;
  CsvReadOptions o;
  o.threads = 1;
  Table t;
  try {
    t = read_csv_string(std::string(reinterpret_cast<const char*>(data), size), o);
  } catch (const DataError&) {
    return 0;
  } catch (const InvalidArgument&) {
    return 0;
  }
  std::ostringstream first;
  write_csv(t, first);
  o.delimiter = ',';
  const Table again = read_csv_string(first.str(), o);
  std::ostringstream second;
  write_csv(again, second);
  if (first.str() != second.str()) std::abort();  // the round trip changed a value
  return 0;
}
