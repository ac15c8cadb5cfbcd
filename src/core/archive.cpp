// Typed, bounds-checked binary fields for model files (see include/calm/core/archive.hpp).
#include "calm/core/archive.hpp"

#include <cstring>
#include <nlohmann/json.hpp>

#include "calm/core/error.hpp"

namespace calm {
namespace {

// One byte before every field says what it is, so a reader out of step fails at once.
enum FieldKind : uint8_t {
  k_u64 = 1,
  k_i64,
  k_f64,
  k_str,
  k_bytes,
  k_f64s,
  k_i64s,
  k_i32s,
  k_u8s,
  k_strs,
  k_column,
  k_table,
  k_schema,
};

}  // namespace

void ArchiveWriter::raw(const void* p, size_t n) {
  buf_.append(static_cast<const char*>(p), n);
}
void ArchiveWriter::kind(uint8_t k) {
  raw(&k, 1);
}

void ArchiveWriter::u64(uint64_t v) {
  kind(k_u64);
  raw(&v, sizeof v);
}
void ArchiveWriter::i64(int64_t v) {
  kind(k_i64);
  raw(&v, sizeof v);
}
void ArchiveWriter::f64(double v) {
  kind(k_f64);
  raw(&v, sizeof v);
}

template <typename T>
void ArchiveWriter::vec(uint8_t k, const std::vector<T>& v) {
  kind(k);
  const uint64_t n = v.size();
  raw(&n, sizeof n);
  if (n) raw(v.data(), n * sizeof(T));
}
void ArchiveWriter::f64s(const std::vector<double>& v) {
  vec(k_f64s, v);
}
void ArchiveWriter::i64s(const std::vector<int64_t>& v) {
  vec(k_i64s, v);
}
void ArchiveWriter::i32s(const std::vector<int32_t>& v) {
  vec(k_i32s, v);
}
void ArchiveWriter::u8s(const std::vector<uint8_t>& v) {
  vec(k_u8s, v);
}

void ArchiveWriter::str(std::string_view v) {
  kind(k_str);
  const uint64_t n = v.size();
  raw(&n, sizeof n);
  raw(v.data(), n);
}
void ArchiveWriter::bytes(std::string_view v) {
  kind(k_bytes);
  const uint64_t n = v.size();
  raw(&n, sizeof n);
  raw(v.data(), n);
}
void ArchiveWriter::strs(const std::vector<std::string>& v) {
  kind(k_strs);
  const uint64_t n = v.size();
  raw(&n, sizeof n);
  for (const auto& s : v) str(s);
}

void ArchiveWriter::column(const Column& c) {
  kind(k_column);
  str(c.name);
  u64(static_cast<uint64_t>(c.type));
  i64(c.format.decimals);
  boolean(c.format.date_only);
  str(c.format.true_token);
  str(c.format.false_token);
  f64s(c.f64);
  i64s(c.i64);
  u8s(c.b);
  i32s(c.codes);
  strs(c.dict);
  u8s(c.valid);
}

void ArchiveWriter::table(const Table& t) {
  kind(k_table);
  u64(t.num_columns());
  for (size_t j = 0; j < t.num_columns(); ++j) column(t.column(j));
}

void ArchiveWriter::schema(const Schema& s) {
  kind(k_schema);
  u64(s.size());
  for (const ColumnSchema& c : s.columns) {
    str(c.name);
    u64(static_cast<uint64_t>(c.semantic));
    u64(static_cast<uint64_t>(c.storage));
    boolean(c.integer);
    i64(c.decimals);
    f64(c.min);
    f64(c.max);
    u64(c.distinct);
    u64(c.missing);
  }
}

ArchiveReader::ArchiveReader(std::string_view data, std::string what)
    : data_(data), what_(std::move(what)) {}

void ArchiveReader::corrupt(const std::string& why) const {
  throw DataError("model file '" + what_ +
                  "' is corrupt or was written by another version of calm (" + why + " at byte " +
                  std::to_string(pos_) + ")");
}

void ArchiveReader::raw(void* p, size_t n) {
  if (n > data_.size() - pos_) corrupt("unexpected end of data");
  std::memcpy(p, data_.data() + pos_, n);
  pos_ += n;
}

void ArchiveReader::expect(uint8_t k, const char* name) {
  uint8_t got = 0;
  raw(&got, 1);
  if (got != k) corrupt(std::string("expected a field of kind ") + name);
}

size_t ArchiveReader::count(size_t element_size) {
  uint64_t n = 0;
  raw(&n, sizeof n);
  if (element_size && n > (data_.size() - pos_) / element_size) corrupt("impossible length");
  return static_cast<size_t>(n);
}

uint64_t ArchiveReader::u64() {
  expect(k_u64, "u64");
  uint64_t v;
  raw(&v, sizeof v);
  return v;
}
int64_t ArchiveReader::i64() {
  expect(k_i64, "i64");
  int64_t v;
  raw(&v, sizeof v);
  return v;
}
double ArchiveReader::f64() {
  expect(k_f64, "f64");
  double v;
  raw(&v, sizeof v);
  return v;
}

template <typename T>
std::vector<T> ArchiveReader::vec(uint8_t k, const char* name) {
  expect(k, name);
  std::vector<T> v(count(sizeof(T)));
  if (!v.empty()) raw(v.data(), v.size() * sizeof(T));
  return v;
}
std::vector<double> ArchiveReader::f64s() {
  return vec<double>(k_f64s, "f64s");
}
std::vector<int64_t> ArchiveReader::i64s() {
  return vec<int64_t>(k_i64s, "i64s");
}
std::vector<int32_t> ArchiveReader::i32s() {
  return vec<int32_t>(k_i32s, "i32s");
}
std::vector<uint8_t> ArchiveReader::u8s() {
  return vec<uint8_t>(k_u8s, "u8s");
}

std::string ArchiveReader::str() {
  expect(k_str, "str");
  std::string s(count(1), '\0');
  if (!s.empty()) raw(s.data(), s.size());
  return s;
}
nlohmann::json ArchiveReader::json(std::string_view field) {
  const std::string text = str();
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    corrupt(std::string(field) + " are not JSON");
  }
}
std::string ArchiveReader::bytes() {
  expect(k_bytes, "bytes");
  std::string s(count(1), '\0');
  if (!s.empty()) raw(s.data(), s.size());
  return s;
}
std::vector<std::string> ArchiveReader::strs() {
  expect(k_strs, "strs");
  // Each string takes at least its kind byte and length.
  std::vector<std::string> v(count(1 + sizeof(uint64_t)));
  for (auto& s : v) s = str();
  return v;
}

void ArchiveReader::tag(std::string_view name) {
  const auto got = str();
  if (got != name) corrupt("expected section '" + std::string(name) + "', found '" + got + "'");
}

Column ArchiveReader::column() {
  expect(k_column, "column");
  Column c;
  c.name = str();
  const auto type = u64();
  if (type > static_cast<uint64_t>(StorageType::datetime)) corrupt("unknown storage type");
  c.type = static_cast<StorageType>(type);
  c.format.decimals = static_cast<int>(i64());
  c.format.date_only = boolean();
  c.format.true_token = str();
  c.format.false_token = str();
  c.f64 = f64s();
  c.i64 = i64s();
  c.b = u8s();
  c.codes = i32s();
  c.dict = strs();
  c.valid = u8s();
  for (const int32_t code : c.codes)
    if (code < -1 || code >= static_cast<int32_t>(c.dict.size()))
      corrupt("categorical code out of range");
  return c;
}

Table ArchiveReader::table() {
  expect(k_table, "table");
  const auto n = u64();
  if (n > data_.size() - pos_) corrupt("impossible column count");
  std::vector<Column> cols;
  cols.reserve(n);
  for (uint64_t j = 0; j < n; ++j) cols.push_back(column());
  try {
    return Table(std::move(cols));
  } catch (const Error& e) {
    corrupt(e.what());
  }
}

Schema ArchiveReader::schema() {
  expect(k_schema, "schema");
  Schema s;
  const uint64_t n = u64();
  if (n > data_.size() - pos_) corrupt("impossible column count");
  for (uint64_t j = 0; j < n; ++j) {
    ColumnSchema c;
    c.name = str();
    const uint64_t semantic = u64(), storage = u64();
    if (semantic > static_cast<uint64_t>(SemanticType::id) ||
        storage > static_cast<uint64_t>(StorageType::datetime))
      corrupt("column '" + c.name + "' has an unknown type");
    c.semantic = static_cast<SemanticType>(semantic);
    c.storage = static_cast<StorageType>(storage);
    c.integer = boolean();
    c.decimals = static_cast<int>(i64());
    c.min = f64();
    c.max = f64();
    c.distinct = u64();
    c.missing = u64();
    s.columns.push_back(std::move(c));
  }
  return s;
}

}  // namespace calm
