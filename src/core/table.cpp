// Column constructors, cell access and the cheap Table derivations (columns are shared_ptr).
#include "calm/core/table.hpp"

#include "calm/core/error.hpp"
#include "calm/core/text.hpp"

namespace calm {

const char* to_string(StorageType t) {
  switch (t) {
    case StorageType::float64:
      return "float64";
    case StorageType::int64:
      return "int64";
    case StorageType::boolean:
      return "boolean";
    case StorageType::categorical:
      return "categorical";
    case StorageType::datetime:
      return "datetime";
  }
  return "?";
}

Column Column::float64(std::string name, std::vector<double> values) {
  Column c;
  c.name = std::move(name);
  c.type = StorageType::float64;
  c.f64 = std::move(values);
  return c;
}

Column Column::int64(std::string name, std::vector<int64_t> values, std::vector<uint8_t> valid) {
  Column c;
  c.name = std::move(name);
  c.type = StorageType::int64;
  c.i64 = std::move(values);
  c.valid = std::move(valid);
  return c;
}

Column Column::boolean(std::string name, std::vector<uint8_t> values, std::vector<uint8_t> valid) {
  Column c;
  c.name = std::move(name);
  c.type = StorageType::boolean;
  c.b = std::move(values);
  c.valid = std::move(valid);
  return c;
}

Column Column::categorical(std::string name, std::vector<int32_t> codes,
                           std::vector<std::string> dict) {
  Column c;
  c.name = std::move(name);
  c.type = StorageType::categorical;
  c.codes = std::move(codes);
  c.dict = std::move(dict);
  return c;
}

Column Column::datetime(std::string name, std::vector<int64_t> ns, std::vector<uint8_t> valid) {
  Column c;
  c.name = std::move(name);
  c.type = StorageType::datetime;
  c.i64 = std::move(ns);
  c.valid = std::move(valid);
  return c;
}

size_t Column::size() const {
  switch (type) {
    case StorageType::float64:
      return f64.size();
    case StorageType::int64:
    case StorageType::datetime:
      return i64.size();
    case StorageType::boolean:
      return b.size();
    case StorageType::categorical:
      return codes.size();
  }
  return 0;
}

bool Column::is_missing(size_t i) const {
  switch (type) {
    case StorageType::float64:
      return std::isnan(f64[i]);
    case StorageType::categorical:
      return codes[i] < 0;
    default:
      return !valid.empty() && !valid[i];
  }
}

size_t Column::missing_count() const {
  size_t n = 0, rows = size();
  for (size_t i = 0; i < rows; ++i) n += is_missing(i);
  return n;
}

double Column::numeric(size_t i) const {
  if (is_missing(i)) return std::nan("");
  switch (type) {
    case StorageType::float64:
      return f64[i];
    case StorageType::int64:
    case StorageType::datetime:
      return static_cast<double>(i64[i]);
    case StorageType::boolean:
      return b[i];
    case StorageType::categorical:
      return codes[i];
  }
  return std::nan("");
}

std::string Column::text(size_t i) const {
  if (is_missing(i)) return {};
  switch (type) {
    case StorageType::float64:
      return format_double(f64[i]);
    case StorageType::int64:
      return std::to_string(i64[i]);
    case StorageType::datetime:
      return format_datetime(i64[i], format.date_only);
    case StorageType::boolean:
      return b[i] ? format.true_token : format.false_token;
    case StorageType::categorical:
      return dict[codes[i]];
  }
  return {};
}

template <typename T>
static std::vector<T> gather(const std::vector<T>& v, const std::vector<int64_t>& rows) {
  if (v.empty()) return {};
  std::vector<T> out(rows.size());
  for (size_t k = 0; k < rows.size(); ++k) out[k] = v[rows[k]];
  return out;
}

Column Column::take(const std::vector<int64_t>& rows) const {
  Column c;
  c.name = name;
  c.type = type;
  c.format = format;
  c.f64 = gather(f64, rows);
  c.i64 = gather(i64, rows);
  c.b = gather(b, rows);
  c.codes = gather(codes, rows);
  c.dict = dict;
  c.valid = gather(valid, rows);
  return c;
}

Table::Table(std::vector<Column> columns) {
  for (auto& c : columns) {
    if (!columns_.empty() && c.size() != rows_)
      throw InternalError("column '" + c.name + "' has " + std::to_string(c.size()) +
                          " rows, expected " + std::to_string(rows_));
    if (columns_.empty()) rows_ = c.size();
    if (!index_.emplace(c.name, columns_.size()).second)
      throw DataError("duplicate column name '" + c.name + "'");
    columns_.push_back(std::make_shared<const Column>(std::move(c)));
  }
}

const Column& Table::column(const std::string& name) const {
  auto it = index_.find(name);
  if (it == index_.end())
    throw InvalidArgument("unknown column '" + name +
                          "'; columns are: " + join_names(column_names()));
  return *columns_[it->second];
}

std::optional<size_t> Table::find(const std::string& name) const {
  auto it = index_.find(name);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Table::column_names() const {
  std::vector<std::string> names;
  names.reserve(columns_.size());
  for (const auto& c : columns_) names.push_back(c->name);
  return names;
}

Table Table::take_rows(const std::vector<int64_t>& rows) const {
  std::vector<Column> cols;
  cols.reserve(columns_.size());
  for (const auto& c : columns_) cols.push_back(c->take(rows));
  Table t(std::move(cols));
  t.rows_ = rows.size();
  return t;
}

Table Table::with_column(Column c, std::optional<size_t> position) const {
  Table t;
  t.rows_ = columns_.empty() ? c.size() : rows_;
  if (c.size() != t.rows_)
    throw InternalError("column '" + c.name + "' has the wrong number of rows");
  auto added = std::make_shared<const Column>(std::move(c));
  bool replaced = false;
  for (const auto& existing : columns_) {
    if (existing->name == added->name) {
      t.columns_.push_back(added);
      replaced = true;
    } else {
      t.columns_.push_back(existing);
    }
  }
  if (!replaced) {
    size_t pos = position ? std::min(*position, t.columns_.size()) : t.columns_.size();
    t.columns_.insert(t.columns_.begin() + static_cast<std::ptrdiff_t>(pos), added);
  }
  for (size_t i = 0; i < t.columns_.size(); ++i) t.index_[t.columns_[i]->name] = i;
  return t;
}

Table Table::select(const std::vector<std::string>& names) const {
  Table t;
  t.rows_ = rows_;
  for (const auto& n : names) {
    (void)column(n);  // throws with the list of columns
    t.index_[n] = t.columns_.size();
    t.columns_.push_back(columns_[index_.at(n)]);
  }
  return t;
}

Table Table::drop(const std::string& name) const {
  std::vector<std::string> keep;
  for (const auto& c : columns_)
    if (c->name != name) keep.push_back(c->name);
  return select(keep);
}

}  // namespace calm
