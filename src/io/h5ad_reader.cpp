// Reading AnnData's HDF5 layout with the HDF5 C library (see anndata.hpp). Every element is
// dispatched on its "encoding-type" attribute, as anndata's own reader does; HDF5's error stack
// is silenced and every failure becomes a DataError naming the file and the element.
#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>

#include "calm/core/error.hpp"
#include "calm/io/anndata.hpp"

namespace calm {
namespace {

// An HDF5 identifier closed by its own close function.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

class H5adFile {
 public:
  explicit H5adFile(const std::string& path) : path_(path), file_(open(path), H5Fclose) {}

  [[noreturn]] void fail(const std::string& element, const std::string& why) const {
    throw DataError("'" + path_ + "' (" + element + "): " + why);
  }

  bool exists(const std::string& name) const {
    // Each level must exist before the next is asked for.
    size_t at = 0;
    while ((at = name.find('/', at + 1)) != std::string::npos)
      if (H5Lexists(file_.get(), name.substr(0, at).c_str(), H5P_DEFAULT) <= 0) return false;
    return H5Lexists(file_.get(), name.c_str(), H5P_DEFAULT) > 0;
  }

  bool is_group(const std::string& name) const {
    H5O_info_t info;
    if (H5Oget_info_by_name(file_.get(), name.c_str(), &info, H5P_DEFAULT) < 0)
      fail(name, "cannot be read");
    return info.type == H5O_TYPE_GROUP;
  }

  // A string attribute (variable or fixed length); empty when absent.
  std::vector<std::string> string_attribute(const std::string& object,
                                            const std::string& attribute) const {
    if (H5Aexists_by_name(file_.get(), object.c_str(), attribute.c_str(), H5P_DEFAULT) <= 0)
      return {};
    Handle attr(
        H5Aopen_by_name(file_.get(), object.c_str(), attribute.c_str(), H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose);
    Handle type(H5Aget_type(attr.get()), H5Tclose);
    Handle space(H5Aget_space(attr.get()), H5Sclose);
    const hssize_t points = H5Sget_simple_extent_npoints(space.get());
    // anndata writes an empty column-order as an empty float array.
    if (points == 0) return {};
    if (H5Tget_class(type.get()) != H5T_STRING)
      fail(object, "attribute '" + attribute + "' is not text");
    const auto n = static_cast<size_t>(std::max<hssize_t>(1, points));
    return read_strings(type.get(), n, object + "@" + attribute,
                        [&](hid_t mem, void* buf) { return H5Aread(attr.get(), mem, buf); });
  }

  std::string encoding(const std::string& object) const {
    const auto v = string_attribute(object, "encoding-type");
    return v.empty() ? std::string() : v[0];
  }

  std::vector<int64_t> shape_attribute(const std::string& object) const {
    if (H5Aexists_by_name(file_.get(), object.c_str(), "shape", H5P_DEFAULT) <= 0)
      fail(object, "has no shape attribute");
    Handle attr(H5Aopen_by_name(file_.get(), object.c_str(), "shape", H5P_DEFAULT, H5P_DEFAULT),
                H5Aclose);
    std::vector<int64_t> shape(2);
    Handle space(H5Aget_space(attr.get()), H5Sclose);
    if (H5Sget_simple_extent_npoints(space.get()) != 2) fail(object, "shape is not 2-D");
    if (H5Aread(attr.get(), H5T_NATIVE_INT64, shape.data()) < 0) fail(object, "bad shape");
    if (shape[0] < 0 || shape[1] < 0) fail(object, "negative shape");
    return shape;
  }

  // Dimensions of a dataset.
  std::vector<size_t> dims(const std::string& name) const {
    Handle ds(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds.valid()) fail(name, "is not a dataset");
    Handle space(H5Dget_space(ds.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0 || rank > 2) fail(name, "has " + std::to_string(rank) + " dimensions");
    hsize_t d[2] = {0, 0};
    H5Sget_simple_extent_dims(space.get(), d, nullptr);
    std::vector<size_t> out;
    for (int k = 0; k < rank; ++k) out.push_back(static_cast<size_t>(d[k]));
    return out;
  }

  H5T_class_t type_class(const std::string& name) const {
    Handle ds(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds.valid()) fail(name, "is not a dataset");
    Handle type(H5Dget_type(ds.get()), H5Tclose);
    return H5Tget_class(type.get());
  }

  // A numeric dataset read (and converted by HDF5) into T.
  template <typename T>
  std::vector<T> numbers(const std::string& name, hid_t memory_type) const {
    Handle ds(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds.valid()) fail(name, "is not a dataset");
    Handle space(H5Dget_space(ds.get()), H5Sclose);
    const hssize_t n = H5Sget_simple_extent_npoints(space.get());
    if (n < 0) fail(name, "has no size");
    std::vector<T> out(static_cast<size_t>(n));
    Handle type(H5Dget_type(ds.get()), H5Tclose);
    if (H5Tget_class(type.get()) == H5T_ENUM) {  // h5py's booleans: an enum over int8
      Handle base(H5Tget_super(type.get()), H5Tclose);
      if (H5Tget_size(base.get()) != 1) fail(name, "is an enumeration calm does not read");
      std::vector<int8_t> raw(out.size());
      if (!raw.empty() &&
          H5Dread(ds.get(), base.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0)
        fail(name, "cannot be read as numbers");
      std::transform(raw.begin(), raw.end(), out.begin(),
                     [](int8_t v) { return static_cast<T>(v); });
      return out;
    }
    if (H5Tget_class(type.get()) != H5T_INTEGER && H5Tget_class(type.get()) != H5T_FLOAT)
      fail(name, "does not hold numbers");
    if (!out.empty() &&
        H5Dread(ds.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
      fail(name, "cannot be read as numbers");
    return out;
  }

  std::vector<std::string> strings(const std::string& name) const {
    Handle ds(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds.valid()) fail(name, "is not a dataset");
    Handle type(H5Dget_type(ds.get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_STRING) fail(name, "does not hold text");
    Handle space(H5Dget_space(ds.get()), H5Sclose);
    const auto n =
        static_cast<size_t>(std::max<hssize_t>(0, H5Sget_simple_extent_npoints(space.get())));
    return read_strings(type.get(), n, name, [&](hid_t mem, void* buf) {
      return H5Dread(ds.get(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
    });
  }

 private:
  static hid_t open(const std::string& path) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    if (!std::filesystem::exists(path)) throw IoError("'" + path + "' does not exist");
    if (H5Fis_hdf5(path.c_str()) <= 0)
      throw DataError("'" + path +
                      "' is not an HDF5 file (an .h5ad file is AnnData's HDF5 layout)");
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) throw IoError("cannot open '" + path + "'");
    return f;
  }

  std::vector<std::string> read_strings(hid_t file_type, size_t n, const std::string& what,
                                        const std::function<herr_t(hid_t, void*)>& read) const {
    std::vector<std::string> out(n);
    if (n == 0) return out;
    if (H5Tis_variable_str(file_type) > 0) {
      Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
      H5Tset_size(mem.get(), H5T_VARIABLE);
      H5Tset_cset(mem.get(), H5Tget_cset(file_type));
      std::vector<char*> buf(n, nullptr);
      if (read(mem.get(), buf.data()) < 0) fail(what, "cannot be read as text");
      for (size_t i = 0; i < n; ++i) {
        out[i] = buf[i] ? buf[i] : "";
        H5free_memory(buf[i]);
      }
      return out;
    }
    const size_t size = H5Tget_size(file_type);
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.get(), size);
    std::vector<char> buf(n * size);
    if (read(mem.get(), buf.data()) < 0) fail(what, "cannot be read as text");
    for (size_t i = 0; i < n; ++i) {
      const char* s = buf.data() + i * size;
      out[i] = std::string(s, strnlen(s, size));
    }
    return out;
  }

  std::string path_;
  Handle file_;
};

CsrMatrix read_matrix(const H5adFile& f, const std::string& name) {
  if (!f.is_group(name)) {  // dense: a 2-D dataset
    const auto d = f.dims(name);
    if (d.size() != 2) f.fail(name, "a dense matrix must have 2 dimensions");
    return CsrMatrix::from_dense(d[0], d[1], f.numbers<float>(name, H5T_NATIVE_FLOAT));
  }
  const std::string enc = f.encoding(name);
  if (enc != "csr_matrix" && enc != "csc_matrix")
    f.fail(name, "encoding '" + enc +
                     "' is not a matrix (expected csr_matrix, csc_matrix or a "
                     "dense array)");
  const auto shape = f.shape_attribute(name);
  auto data = f.numbers<float>(name + "/data", H5T_NATIVE_FLOAT);
  auto indices = f.numbers<int32_t>(name + "/indices", H5T_NATIVE_INT32);
  auto indptr = f.numbers<int64_t>(name + "/indptr", H5T_NATIVE_INT64);
  const auto rows = static_cast<size_t>(shape[0]), cols = static_cast<size_t>(shape[1]);
  if (enc == "csc_matrix")
    return CsrMatrix::from_csc(rows, cols, std::move(indptr), std::move(indices), std::move(data));
  CsrMatrix m{rows, cols, std::move(indptr), std::move(indices), std::move(data)};
  m.check(name);
  return m;
}

Column numeric_column(const std::string& column, const std::vector<double>& v,
                      const std::vector<uint8_t>& valid, bool integer) {
  if (!integer) {
    std::vector<double> f = v;
    for (size_t i = 0; i < valid.size(); ++i)
      if (!valid[i]) f[i] = std::numeric_limits<double>::quiet_NaN();
    return Column::float64(column, std::move(f));
  }
  std::vector<int64_t> i64(v.size());
  std::transform(v.begin(), v.end(), i64.begin(), [](double x) { return static_cast<int64_t>(x); });
  return Column::int64(column, std::move(i64), valid);
}

// One dataframe column (anndata 0.7-0.10 encodings) of `rows` cells.
Column read_frame_column(const H5adFile& f, const std::string& path, const std::string& column,
                         size_t rows) {
  const std::string enc = f.encoding(path);
  Column c;
  if (enc == "categorical") {
    const auto codes = f.numbers<int64_t>(path + "/codes", H5T_NATIVE_INT64);
    std::vector<std::string> categories;
    if (f.type_class(path + "/categories") == H5T_STRING) {
      categories = f.strings(path + "/categories");
    } else {
      for (double v : f.numbers<double>(path + "/categories", H5T_NATIVE_DOUBLE)) {
        std::string text = std::to_string(v);
        if (v == static_cast<double>(static_cast<int64_t>(v)))
          text = std::to_string(static_cast<int64_t>(v));
        categories.push_back(text);
      }
    }
    std::vector<int32_t> c32(codes.size());
    for (size_t i = 0; i < codes.size(); ++i) {
      if (codes[i] < -1 || codes[i] >= static_cast<int64_t>(categories.size()))
        f.fail(path, "a category code is out of range");
      c32[i] = static_cast<int32_t>(codes[i]);
    }
    c = Column::categorical(column, std::move(c32), std::move(categories));
  } else if (enc == "nullable-integer" || enc == "nullable-boolean") {
    const auto values = f.numbers<double>(path + "/values", H5T_NATIVE_DOUBLE);
    const auto mask = f.numbers<uint8_t>(path + "/mask", H5T_NATIVE_UINT8);
    if (mask.size() != values.size()) f.fail(path, "mask and values differ in length");
    std::vector<uint8_t> valid(mask.size());
    for (size_t i = 0; i < mask.size(); ++i) valid[i] = !mask[i];
    if (enc == "nullable-integer") {
      c = numeric_column(column, values, valid, true);
    } else {
      std::vector<uint8_t> b(values.size());
      for (size_t i = 0; i < b.size(); ++i) b[i] = values[i] != 0;
      c = Column::boolean(column, std::move(b), valid);
    }
  } else if (enc == "string-array" || f.type_class(path) == H5T_STRING) {
    const auto texts = f.strings(path);
    std::map<std::string, int32_t> code;
    std::vector<std::string> dict;
    std::vector<int32_t> codes(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
      auto [it, fresh] = code.emplace(texts[i], static_cast<int32_t>(dict.size()));
      if (fresh) dict.push_back(texts[i]);
      codes[i] = it->second;
    }
    c = Column::categorical(column, std::move(codes), std::move(dict));
  } else if (enc.empty() || enc == "array") {
    const H5T_class_t cls = f.type_class(path);
    const auto values = f.numbers<double>(path, H5T_NATIVE_DOUBLE);
    if (cls == H5T_ENUM) {
      std::vector<uint8_t> b(values.size());
      for (size_t i = 0; i < b.size(); ++i) b[i] = values[i] != 0;
      c = Column::boolean(column, std::move(b));
    } else {
      c = numeric_column(column, values, {}, cls == H5T_INTEGER);
    }
  } else {
    f.fail(path, "encoding '" + enc +
                     "' is not read (categorical, string-array, array, nullable-integer, "
                     "nullable-boolean are)");
  }
  if (c.size() != rows)
    f.fail(path,
           "has " + std::to_string(c.size()) + " values for " + std::to_string(rows) + " rows");
  return c;
}

// A dataframe group: its index (names) and its columns in column-order.
void read_frame(const H5adFile& f, const std::string& group, size_t rows,
                std::vector<std::string>& names, Table& table) {
  if (!f.exists(group)) {
    table = Table();
    return;
  }
  const auto index = f.string_attribute(group, "_index");
  const std::string index_name = index.empty() ? "_index" : index[0];
  if (f.exists(group + "/" + index_name)) {
    names = f.strings(group + "/" + index_name);
    if (names.size() != rows)
      f.fail(group, "its index has " + std::to_string(names.size()) + " names for " +
                        std::to_string(rows) + " rows");
  }
  std::vector<Column> cols;
  for (const std::string& column : f.string_attribute(group, "column-order"))
    if (!column.empty()) cols.push_back(read_frame_column(f, group + "/" + column, column, rows));
  table = Table(std::move(cols));
}

}  // namespace

AnnData read_h5ad(const std::string& path) {
  const H5adFile f(path);
  if (!f.exists("X")) f.fail("/", "has no X matrix: not an AnnData file");
  AnnData a;
  a.x = read_matrix(f, "X");
  if (f.exists("layers/counts")) {
    a.counts = read_matrix(f, "layers/counts");
    if (a.counts->rows != a.x.rows || a.counts->cols != a.x.cols)
      f.fail("layers/counts", "its shape differs from X's");
  }
  read_frame(f, "obs", a.x.rows, a.obs_names, a.obs);
  read_frame(f, "var", a.x.cols, a.var_names, a.var);
  if (a.var_names.empty())
    for (size_t j = 0; j < a.x.cols; ++j) a.var_names.push_back("gene_" + std::to_string(j));
  return a;
}

Table anndata_table(const AnnData& a, bool layer_counts, size_t max_cells) {
  if (layer_counts && !a.counts) throw InvalidArgument("the AnnData file has no layers['counts']");
  const CsrMatrix& m = layer_counts ? *a.counts : a.x;
  if (m.rows != 0 && m.cols > max_cells / m.rows)
    throw DataError("the AnnData matrix has " + std::to_string(m.rows) + " cells x " +
                    std::to_string(m.cols) +
                    " genes, too many for a dense table view; use a single-cell method, which "
                    "reads the sparse matrix");
  const bool counts = m.holds_counts();
  std::vector<std::vector<double>> dense(m.cols, std::vector<double>(m.rows, 0.0));
  for (size_t r = 0; r < m.rows; ++r)
    for (int64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k)
      dense[static_cast<size_t>(m.indices[static_cast<size_t>(k)])][r] =
          m.data[static_cast<size_t>(k)];
  std::vector<Column> cols;
  std::map<std::string, int> seen;
  for (size_t j = 0; j < m.cols; ++j) {
    const std::string& name = a.var_names[j];
    if (seen[name]++) throw DataError("gene name '" + name + "' occurs twice in var_names");
    cols.push_back(numeric_column(name, dense[j], {}, counts));
    dense[j].clear();
    dense[j].shrink_to_fit();
  }
  for (size_t j = 0; j < a.obs.num_columns(); ++j) {
    const Column& c = a.obs.column(j);
    if (seen[c.name]++)
      throw DataError("obs column '" + c.name + "' has the name of a gene; rename one of them");
    cols.push_back(c);
  }
  return Table(std::move(cols));
}

CellTable anndata_cells(AnnData a, bool layer_counts) {
  if (layer_counts && !a.counts) throw InvalidArgument("the AnnData file has no layers['counts']");
  CellTable cells;
  cells.x = layer_counts ? std::move(*a.counts) : std::move(a.x);
  cells.integer_genes = cells.x.holds_counts();
  cells.genes = std::move(a.var_names);
  cells.obs = std::move(a.obs);
  cells.check();
  return cells;
}

AnnData cells_anndata(CellTable cells) {
  AnnData a;
  a.obs_names.reserve(cells.cells());
  for (size_t i = 0; i < cells.cells(); ++i) a.obs_names.push_back(std::to_string(i));
  a.x = std::move(cells.x);
  a.var_names = std::move(cells.genes);
  a.obs = std::move(cells.obs);
  return a;
}

}  // namespace calm
