// Binary archive for fitted models (RealGenerator::save / load).
// A flat little-endian byte stream of typed fields. Every read is bounds-checked and type-tagged,
// so a truncated, corrupt or foreign file fails with a DataError instead of undefined behaviour.
// Methods persist their fitted state through Synthesizer::save/load with these primitives; the
// api layer wraps the payload with a header (magic, format version, method, params, schema).
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "calm/core/schema.hpp"
#include "calm/core/table.hpp"

namespace calm {

class ArchiveWriter {
 public:
  void u64(uint64_t v);
  void i64(int64_t v);
  void f64(double v);
  void boolean(bool v) { u64(v ? 1 : 0); }
  void str(std::string_view v);
  void bytes(std::string_view v);  // an opaque blob (e.g. a serialised torch module)
  void f64s(const std::vector<double>& v);
  void i64s(const std::vector<int64_t>& v);
  void i32s(const std::vector<int32_t>& v);
  void u8s(const std::vector<uint8_t>& v);
  void strs(const std::vector<std::string>& v);
  void column(const Column& c);
  void table(const Table& t);
  void schema(const Schema& s);
  // A named marker: load checks it, which catches a save/load mismatch at the exact place.
  void tag(std::string_view name) { str(name); }

  const std::string& data() const { return buf_; }
  std::string take() { return std::move(buf_); }

 private:
  void raw(const void* p, size_t n);
  void kind(uint8_t k);
  template <typename T>
  void vec(uint8_t k, const std::vector<T>& v);
  std::string buf_;
};

class ArchiveReader {
 public:
  // `what` names the source in error messages (usually the file path).
  ArchiveReader(std::string_view data, std::string what);

  uint64_t u64();
  int64_t i64();
  double f64();
  bool boolean() { return u64() != 0; }
  std::string str();
  std::string bytes();
  // A str holding JSON text (a model's params); `field` names it if the text does not parse.
  nlohmann::json json(std::string_view field);
  std::vector<double> f64s();
  std::vector<int64_t> i64s();
  std::vector<int32_t> i32s();
  std::vector<uint8_t> u8s();
  std::vector<std::string> strs();
  Column column();
  Table table();
  Schema schema();
  // Throws DataError unless the next field is the marker `name`.
  void tag(std::string_view name);
  // A count read from the archive, checked against what is left so that a corrupt size cannot
  // ask for gigabytes.
  size_t count(size_t element_size);

  bool at_end() const { return pos_ == data_.size(); }

 private:
  void raw(void* p, size_t n);
  void expect(uint8_t k, const char* name);
  template <typename T>
  std::vector<T> vec(uint8_t k, const char* name);
  [[noreturn]] void corrupt(const std::string& why) const;
  std::string_view data_;
  size_t pos_ = 0;
  std::string what_;
};

}  // namespace calm
