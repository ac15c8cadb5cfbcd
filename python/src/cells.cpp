// The binding of calm::generate_cells: an AnnData's sparse X goes to the single-cell methods as
// CSR arrays, never as a dense table view (docs/single_cell.md, "Large AnnData files"). The
// arrays are read in place, never copied, when they already have the engine's types (int64
// offsets, int32 gene indices, float32 values; other types are converted by pybind11, and a
// 32-bit indptr costs only cells + 1 offsets); the synthetic matrix comes back as numpy arrays
// that own the engine's buffers (no copy on the way out either).
#include "cells.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calm/api/cell_generator.hpp"
#include "calm/core/cell_table.hpp"
#include "calm/core/error.hpp"
#include "generate.hpp"
#include "table_convert.hpp"

namespace py = pybind11;

namespace calm::bind {
namespace {

template <class T>
using InArray = py::array_t<T, py::array::c_style | py::array::forcecast>;

template <class T>
const T* data_of(const InArray<T>& a, size_t size, const char* name) {
  if (a.ndim() != 1) throw InvalidArgument("CSR arrays must be one-dimensional");
  if (static_cast<size_t>(a.size()) != size)
    throw InvalidArgument(std::string("CSR ") + name + " has " + std::to_string(a.size()) +
                          " entries; expected " + std::to_string(size));
  return a.data();
}

// A numpy array that owns `v`'s buffer.
template <class T>
py::array_t<T> numpy_owning(std::vector<T>&& v) {
  auto* held = new std::vector<T>(std::move(v));
  py::capsule owner(held, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(held->size()), held->data(), owner);
}

py::tuple run_cells(bool auto_report, bool minimal_report, std::optional<uint64_t> random_state,
                    const py::object& log_callback, int log_level, const InArray<int64_t>& indptr,
                    const InArray<int32_t>& indices, const InArray<float>& data, size_t n_cells,
                    size_t n_genes, std::vector<std::string> genes, const py::list& obs_columns,
                    const std::string& options_json) {
  // The matrix is read in place (the arrays outlive the call: the caller holds them).
  CellTable real;
  const size_t stored = static_cast<size_t>(data.size());
  real.borrowed =
      CsrView(n_cells, n_genes, data_of(indptr, n_cells + 1, "indptr"),
              data_of(indices, stored, "indices"), data_of(data, stored, "data"), stored);
  real.integer_genes = real.borrowed->holds_counts();
  real.genes = std::move(genes);
  real.obs = table_from_columns(obs_columns);
  // generate_cells checks the matrix and its names (CellTable::check) before it fits.
  const GenerateOptions options = parse_options(options_json);
  const GeneratorSettings settings =
      make_settings(auto_report, minimal_report, random_state, log_callback, log_level);
  CellRunResult result;
  {
    py::gil_scoped_release release;
    result = generate_cells(real, options, settings);
  }
  CellTable& s = result.synthetic;
  const size_t cells = s.cells();
  return py::make_tuple(numpy_owning(std::move(s.x.indptr)), numpy_owning(std::move(s.x.indices)),
                        numpy_owning(std::move(s.x.data)), cells, py::cast(s.genes),
                        s.integer_genes, columns_from_table(s.obs), py::cast(result.files),
                        result.seed);
}

}  // namespace

void bind_cells(py::module_& m) {
  m.def(
      "runs_on_cells",
      [](const std::string& options_json) { return runs_on_cells(parse_options(options_json)); },
      py::arg("options_json"),
      "Whether generate() options can run on cells as a sparse matrix (a single-cell method, no "
      "option defined on table rows).");
  m.def("generate_cells", &run_cells, py::arg("auto_report"), py::arg("minimal_report"),
        py::arg("random_state"), py::arg("log_callback"), py::arg("log_level"), py::arg("indptr"),
        py::arg("indices"), py::arg("data"), py::arg("n_cells"), py::arg("n_genes"),
        py::arg("genes"), py::arg("obs_columns"), py::arg("options_json"),
        "calm::generate_cells on a CSR matrix (cells x genes) and its obs column tuples; returns "
        "(indptr, indices, data, cells, genes, integer_genes, obs columns, files written, seed "
        "used).");
}

}  // namespace calm::bind
