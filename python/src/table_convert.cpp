// Column tuples <-> calm::Table (see table_convert.hpp). The dtype decisions (which pandas dtype
// becomes which storage type, and back) live in _frames.py; this file only moves whole buffers.
#include "table_convert.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>
#include <string>
#include <vector>

#include "calm/core/error.hpp"

namespace py = pybind11;

namespace calm::bind {
namespace {

template <typename T>
std::vector<T> to_vector(const py::handle& obj, const std::string& column) {
  auto arr = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(obj);
  if (!arr) throw InvalidArgument("column '" + column + "': values are not a numeric array");
  if (arr.ndim() != 1)
    throw InvalidArgument("column '" + column + "': values must be one-dimensional");
  std::vector<T> out(static_cast<size_t>(arr.size()));
  if (!out.empty()) std::memcpy(out.data(), arr.data(), out.size() * sizeof(T));
  return out;
}

std::vector<uint8_t> validity(const py::handle& obj, const std::string& column, size_t rows) {
  if (obj.is_none()) return {};
  auto valid = to_vector<uint8_t>(obj, column);
  if (valid.size() != rows)
    throw InternalError("column '" + column + "': validity has " + std::to_string(valid.size()) +
                        " entries for " + std::to_string(rows) + " rows");
  return valid;
}

template <typename T>
py::array_t<T> to_array(const std::vector<T>& v) {
  py::array_t<T> arr(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::memcpy(arr.mutable_data(), v.data(), v.size() * sizeof(T));
  return arr;
}

Column column_from_tuple(const py::handle& item) {
  auto t = py::reinterpret_borrow<py::tuple>(item);
  if (t.size() != 5) throw InternalError("a column tuple must have 5 fields");
  auto name = t[0].cast<std::string>();
  auto kind = t[1].cast<std::string>();
  if (kind == "float64") return Column::float64(name, to_vector<double>(t[2], name));
  if (kind == "int64") {
    auto values = to_vector<int64_t>(t[2], name);
    auto valid = validity(t[3], name, values.size());
    return Column::int64(name, std::move(values), std::move(valid));
  }
  if (kind == "boolean") {
    auto values = to_vector<uint8_t>(t[2], name);
    auto valid = validity(t[3], name, values.size());
    return Column::boolean(name, std::move(values), std::move(valid));
  }
  if (kind == "datetime") {
    auto values = to_vector<int64_t>(t[2], name);
    auto valid = validity(t[3], name, values.size());
    return Column::datetime(name, std::move(values), std::move(valid));
  }
  if (kind == "categorical") {
    auto codes = to_vector<int32_t>(t[2], name);
    auto dict = t[4].cast<std::vector<std::string>>();
    for (int32_t c : codes)
      if (c >= static_cast<int32_t>(dict.size()) || c < -1)
        throw InternalError("column '" + name + "': code " + std::to_string(c) +
                            " outside the dictionary of " + std::to_string(dict.size()));
    return Column::categorical(name, std::move(codes), std::move(dict));
  }
  throw InternalError("column '" + name + "': unknown column kind '" + kind + "'");
}

}  // namespace

Table table_from_columns(const py::list& columns) {
  std::vector<Column> cols;
  cols.reserve(columns.size());
  for (const auto& item : columns) cols.push_back(column_from_tuple(item));
  if (!cols.empty()) {
    const size_t rows = cols.front().size();
    for (const auto& c : cols)
      if (c.size() != rows)
        throw DataError("column '" + c.name + "' has " + std::to_string(c.size()) +
                        " rows, expected " + std::to_string(rows));
  }
  return Table(std::move(cols));
}

py::list columns_from_table(const Table& table) {
  py::list out;
  for (size_t i = 0; i < table.num_columns(); ++i) {
    const Column& c = table.column(i);
    py::object valid = c.valid.empty() ? py::object(py::none()) : py::object(to_array(c.valid));
    py::object dict = py::none();
    py::object values;
    switch (c.type) {
      case StorageType::float64:
        values = to_array(c.f64);
        break;
      case StorageType::int64:
      case StorageType::datetime:
        values = to_array(c.i64);
        break;
      case StorageType::boolean:
        values = to_array(c.b);
        break;
      case StorageType::categorical:
        values = to_array(c.codes);
        dict = py::cast(c.dict);
        break;
    }
    out.append(py::make_tuple(c.name, to_string(c.type), values, valid, dict));
  }
  return out;
}

}  // namespace calm::bind
