// Writing AnnData's HDF5 layout (see anndata.hpp): X as a csr_matrix group, obs and var as
// dataframes (categories as categorical groups, numbers as arrays), the encoding attributes
// anndata 0.8+ reads. The file is built under <path>.tmp-<pid> and renamed into place; SIGINT and
// SIGTERM remove the temporary file (register_temp_file). The table sink (-o cells.h5ad) collects
// its blocks: int64/float64 columns form X, the others obs.
#include <hdf5.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>

#include "calm/core/atomic_file.hpp"
#include "calm/core/error.hpp"
#include "calm/io/anndata.hpp"
#include "calm/io/table_sink.hpp"

namespace calm {
namespace {

class Id {
 public:
  Id(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
    if (id_ < 0) throw IoError("HDF5: cannot create " + what);
  }
  Id(Id&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  ~Id() {
    if (id_ >= 0) close_(id_);
  }
  hid_t get() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void check(herr_t status, const std::string& what) {
  if (status < 0) throw IoError("HDF5: cannot write " + what);
}

// Creation properties of a dataset or group without HDF5's default modification times, so that
// the same seed writes a byte-identical file (as the CSV writer does).
Id untimed(hid_t plist_class) {
  Id p(H5Pcreate(plist_class), H5Pclose, "a creation property list");
  check(H5Pset_obj_track_times(p.get(), false), "creation properties");
  return p;
}

Id text_type() {
  Id t(H5Tcopy(H5T_C_S1), H5Tclose, "a text type");
  H5Tset_size(t.get(), H5T_VARIABLE);
  H5Tset_cset(t.get(), H5T_CSET_UTF8);
  return Id(H5Tcopy(t.get()), H5Tclose, "a text type");
}

void text_attribute(hid_t obj, const char* name, const std::string& value) {
  Id type = text_type();
  Id space(H5Screate(H5S_SCALAR), H5Sclose, "a scalar space");
  Id attr(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
          std::string("attribute ") + name);
  const char* p = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &p), name);
}

void texts_attribute(hid_t obj, const char* name, const std::vector<std::string>& values) {
  const hsize_t n = values.size();
  Id space(H5Screate_simple(1, &n, nullptr), H5Sclose, "a space");
  if (values.empty()) {  // as anndata writes an empty column-order: an empty float array
    Id attr(H5Acreate2(obj, name, H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
            name);
    return;
  }
  Id type = text_type();
  Id attr(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, name);
  std::vector<const char*> p;
  for (const auto& v : values) p.push_back(v.c_str());
  check(H5Awrite(attr.get(), type.get(), p.data()), name);
}

void encoding(hid_t obj, const std::string& type, const std::string& version) {
  text_attribute(obj, "encoding-type", type);
  text_attribute(obj, "encoding-version", version);
}

template <typename T>
void array(hid_t loc, const std::string& name, hid_t file_type, hid_t mem_type,
           const std::vector<T>& v, bool tagged = true) {
  const hsize_t n = v.size();
  Id space(H5Screate_simple(1, &n, nullptr), H5Sclose, "a space");
  Id ds(H5Dcreate2(loc, name.c_str(), file_type, space.get(), H5P_DEFAULT,
                   untimed(H5P_DATASET_CREATE).get(), H5P_DEFAULT),
        H5Dclose, name);
  if (!v.empty())
    check(H5Dwrite(ds.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), name);
  if (tagged) encoding(ds.get(), "array", "0.2.0");
}

void texts(hid_t loc, const std::string& name, const std::vector<std::string>& values) {
  const hsize_t n = values.size();
  Id type = text_type();
  Id space(H5Screate_simple(1, &n, nullptr), H5Sclose, "a space");
  Id ds(H5Dcreate2(loc, name.c_str(), type.get(), space.get(), H5P_DEFAULT,
                   untimed(H5P_DATASET_CREATE).get(), H5P_DEFAULT),
        H5Dclose, name);
  std::vector<const char*> p;
  for (const auto& v : values) p.push_back(v.c_str());
  if (!p.empty())
    check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), name);
  encoding(ds.get(), "string-array", "0.2.0");
}

Id group(hid_t loc, const std::string& name) {
  return Id(
      H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, untimed(H5P_GROUP_CREATE).get(), H5P_DEFAULT),
      H5Gclose, name);
}

void frame(hid_t file, const std::string& name, const Table& t,
           const std::vector<std::string>& index) {
  Id g = group(file, name);
  encoding(g.get(), "dataframe", "0.2.0");
  text_attribute(g.get(), "_index", "_index");
  texts_attribute(g.get(), "column-order", t.column_names());
  texts(g.get(), "_index", index);
  for (size_t j = 0; j < t.num_columns(); ++j) {
    const Column& c = t.column(j);
    if (c.type == StorageType::categorical) {
      Id cat = group(g.get(), c.name);
      encoding(cat.get(), "categorical", "0.2.0");
      {  // anndata reads bool(ordered): an int8 0 (h5py writes numpy booleans as an enum)
        Id space(H5Screate(H5S_SCALAR), H5Sclose, "a scalar space");
        Id attr(
            H5Acreate2(cat.get(), "ordered", H5T_STD_I8LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
            H5Aclose, "ordered");
        const int8_t no = 0;
        check(H5Awrite(attr.get(), H5T_NATIVE_INT8, &no), "ordered");
      }
      array(cat.get(), "codes", H5T_STD_I32LE, H5T_NATIVE_INT32, c.codes);
      texts(cat.get(), "categories", c.dict);
      continue;
    }
    std::vector<double> v(c.size());
    for (size_t i = 0; i < v.size(); ++i) v[i] = c.numeric(i);
    if (c.type == StorageType::float64 || c.missing_count() > 0) {
      array(g.get(), c.name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v);
    } else {
      std::vector<int64_t> i64(v.begin(), v.end());
      array(g.get(), c.name, H5T_STD_I64LE, H5T_NATIVE_INT64, i64);
    }
  }
}

void write_file(const std::string& path, const AnnData& a) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Id file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, untimed(H5P_FILE_CREATE).get(), H5P_DEFAULT),
          H5Fclose, "'" + path + "'");
  encoding(file.get(), "anndata", "0.1.0");
  {
    Id x = group(file.get(), "X");
    encoding(x.get(), "csr_matrix", "0.1.0");
    const std::vector<int64_t> shape = {static_cast<int64_t>(a.x.rows),
                                        static_cast<int64_t>(a.x.cols)};
    const hsize_t two = 2;
    Id space(H5Screate_simple(1, &two, nullptr), H5Sclose, "a space");
    Id attr(H5Acreate2(x.get(), "shape", H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
            H5Aclose, "shape");
    check(H5Awrite(attr.get(), H5T_NATIVE_INT64, shape.data()), "shape");
    array(x.get(), "data", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, a.x.data, false);
    array(x.get(), "indices", H5T_STD_I32LE, H5T_NATIVE_INT32, a.x.indices, false);
    array(x.get(), "indptr", H5T_STD_I64LE, H5T_NATIVE_INT64, a.x.indptr, false);
  }
  frame(file.get(), "obs", a.obs, a.obs_names);
  frame(file.get(), "var", a.var, a.var_names);
  for (const char* empty : {"layers", "obsm", "obsp", "varm", "varp", "uns"}) {
    Id g = group(file.get(), empty);
    encoding(g.get(), "dict", "0.1.0");
  }
}

// Collects blocks; int64/float64 columns are the genes of X, the others obs.
class H5adSink final : public TableSink {
 public:
  explicit H5adSink(std::string path) : path_(std::move(path)) {}
  void write(const Table& rows) override {
    if (first_) {
      first_ = false;
      for (size_t j = 0; j < rows.num_columns(); ++j) {
        const Column& c = rows.column(j);
        (c.is_numeric_storage() ? genes_ : obs_).push_back(j);
      }
      data_.x.cols = genes_.size();
      data_.x.indptr.assign(1, 0);
      for (size_t j : genes_) data_.var_names.push_back(rows.column(j).name);
      obs_text_.resize(obs_.size());
    }
    for (size_t i = 0; i < rows.num_rows(); ++i) {
      for (size_t g = 0; g < genes_.size(); ++g) {
        const double v = rows.column(genes_[g]).numeric(i);
        if (v != 0 && !std::isnan(v)) {
          data_.x.indices.push_back(static_cast<int32_t>(g));
          data_.x.data.push_back(static_cast<float>(v));
        }
      }
      data_.x.indptr.push_back(static_cast<int64_t>(data_.x.data.size()));
      data_.obs_names.push_back(std::to_string(data_.x.rows++));
      for (size_t k = 0; k < obs_.size(); ++k)
        obs_text_[k].push_back(rows.column(obs_[k]).is_missing(i) ? std::string()
                                                                  : rows.column(obs_[k]).text(i));
    }
    if (obs_columns_.empty())
      for (size_t k : obs_) obs_columns_.push_back(rows.column(k).name);
  }
  bool write_cells(const CellTable& cells) override {
    if (!first_ || cells_) throw InternalError("the .h5ad sink takes cells once, before any rows");
    cells_ = cells;
    return true;
  }
  void commit() override {
    if (cells_) {
      write_h5ad(path_, cells_anndata(std::move(*cells_)));
      return;
    }
    std::vector<Column> obs;
    for (size_t k = 0; k < obs_.size(); ++k) {
      std::map<std::string, int32_t> code;
      std::vector<std::string> dict;
      std::vector<int32_t> codes;
      for (const auto& t : obs_text_[k]) {
        if (t.empty()) {
          codes.push_back(-1);
          continue;
        }
        auto [it, fresh] = code.emplace(t, static_cast<int32_t>(dict.size()));
        if (fresh) dict.push_back(t);
        codes.push_back(it->second);
      }
      obs.push_back(Column::categorical(obs_columns_[k], std::move(codes), std::move(dict)));
    }
    data_.obs = Table(std::move(obs));
    write_h5ad(path_, data_);
  }
  std::string description() const override { return path_; }

 private:
  std::string path_;
  bool first_ = true;
  std::vector<size_t> genes_, obs_;
  std::vector<std::string> obs_columns_;
  std::vector<std::vector<std::string>> obs_text_;
  AnnData data_;
  std::optional<CellTable> cells_;  // write_cells()
};

}  // namespace

void write_h5ad(const std::string& path, const AnnData& a) {
  a.x.check("AnnData X");
  if (a.obs_names.size() != a.x.rows || a.var_names.size() != a.x.cols)
    throw InvalidArgument("AnnData: obs_names/var_names do not match X's shape");
  output_folder(path);  // a missing folder named as the CSV writer names it
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  const int ticket = register_temp_file(temp);
  try {
    write_file(temp, a);
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) throw IoError("cannot write '" + path + "': " + ec.message());
  } catch (...) {
    std::remove(temp.c_str());
    unregister_temp_file(ticket);
    throw;
  }
  unregister_temp_file(ticket);
}

std::unique_ptr<TableSink> open_h5ad_sink(const std::string& path) {
  // The folder is checked now, not at commit(): a run must not learn for an hour and then find
  // that its output cannot be written.
  output_folder(path);
  return std::make_unique<H5adSink>(path);
}

}  // namespace calm
