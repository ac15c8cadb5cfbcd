// The single-cell view of a Table: gene/metadata split, float32 CSR, groups, output assembly.
#include "models/deep/single_cell_data.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "calm/core/error.hpp"

namespace calm {

int32_t CellGroups::find(const std::string& label) const {
  const auto it = std::find(labels.begin(), labels.end(), label);
  return it == labels.end() ? -1 : static_cast<int32_t>(it - labels.begin());
}

CellGroups cell_groups(const Column& c) {
  CellGroups g;
  g.code.resize(c.size());
  std::unordered_map<std::string, int32_t> seen;
  for (size_t i = 0; i < c.size(); ++i) {
    auto [it, added] = seen.emplace(c.text(i), static_cast<int32_t>(g.labels.size()));
    if (added) g.labels.push_back(it->first);
    g.code[i] = it->second;
  }
  return g;
}

SingleCellLayout SingleCellLayout::of(const Table& t, const std::vector<std::string>& gene_columns,
                                      const std::vector<std::string>& obs_columns,
                                      const std::vector<std::string>& reserved,
                                      const std::string& method) {
  for (const auto& r : reserved)
    if (!r.empty() && !t.has(r))
      throw DataError(method + ": column '" + r + "' is not in the data");
  for (const auto& g : gene_columns)
    if (!t.has(g)) throw DataError(method + ": gene column '" + g + "' is not in the data");
  SingleCellLayout l;
  l.gene_of.assign(t.num_columns(), -1);
  auto listed = [](const std::vector<std::string>& v, const std::string& name) {
    return std::find(v.begin(), v.end(), name) != v.end();
  };
  for (size_t c = 0; c < t.num_columns(); ++c) {
    const Column& col = t.column(c);
    l.names.push_back(col.name);
    l.types.push_back(col.type);
    const bool gene = gene_columns.empty()
                          ? col.is_numeric_storage() && !listed(reserved, col.name) &&
                                !listed(obs_columns, col.name)
                          : listed(gene_columns, col.name);
    if (gene && !col.is_numeric_storage())
      throw DataError(method + ": gene column '" + col.name + "' holds " + to_string(col.type) +
                      " values; expression columns must be numbers");
    if (gene) {
      l.gene_of[c] = static_cast<int64_t>(l.genes.size());
      l.genes.push_back(c);
    } else {
      l.metadata.push_back(c);
    }
  }
  if (l.genes.empty())
    throw DataError(method + ": the data has no gene (int/float expression) column");
  return l;
}

SingleCellLayout SingleCellLayout::of(const CellTable& cells,
                                      const std::vector<std::string>& gene_columns,
                                      const std::vector<std::string>& obs_columns,
                                      const std::vector<std::string>& reserved,
                                      const std::string& method) {
  if (!gene_columns.empty() || !obs_columns.empty())
    throw DataError(method +
                    ": model_params gene_columns and obs_columns choose the columns of a "
                    "table; with an AnnData matrix the genes are its columns (X) and "
                    "the metadata its obs. Leave them out");
  for (const auto& r : reserved)
    if (!r.empty() && !cells.obs.has(r))
      throw DataError(method + ": column '" + r + "' is not in the cells' metadata (obs)");
  if (cells.genes.empty()) throw DataError(method + ": the expression matrix has no gene");
  SingleCellLayout l;
  const StorageType gene_type = cells.integer_genes ? StorageType::int64 : StorageType::float64;
  for (size_t g = 0; g < cells.genes.size(); ++g) {
    l.names.push_back(cells.genes[g]);
    l.types.push_back(gene_type);
    l.gene_of.push_back(static_cast<int64_t>(g));
    l.genes.push_back(g);
  }
  for (size_t c = 0; c < cells.obs.num_columns(); ++c) {
    l.metadata.push_back(l.names.size());
    l.names.push_back(cells.obs.column(c).name);
    l.types.push_back(cells.obs.column(c).type);
    l.gene_of.push_back(-1);
  }
  return l;
}

bool SingleCellLayout::genes_are_int() const {
  return std::all_of(genes.begin(), genes.end(),
                     [&](size_t c) { return types[c] == StorageType::int64; });
}

void SingleCellLayout::save(ArchiveWriter& out) const {
  out.strs(names);
  std::vector<int64_t> t;
  for (auto s : types) t.push_back(static_cast<int64_t>(s));
  out.i64s(t);
  out.i64s(gene_of);
}

SingleCellLayout SingleCellLayout::load(ArchiveReader& in, const std::string& method) {
  SingleCellLayout l;
  l.names = in.strs();
  for (int64_t t : in.i64s()) {
    if (t < 0 || t > static_cast<int64_t>(StorageType::datetime))
      throw DataError(method + ": the saved column layout is corrupt");
    l.types.push_back(static_cast<StorageType>(t));
  }
  l.gene_of = in.i64s();
  if (l.types.size() != l.names.size() || l.gene_of.size() != l.names.size())
    throw DataError(method + ": the saved column layout is corrupt");
  for (size_t c = 0; c < l.names.size(); ++c) {
    if (l.gene_of[c] >= 0) {
      if (l.gene_of[c] != static_cast<int64_t>(l.genes.size()))
        throw DataError(method + ": the saved column layout is corrupt");
      l.genes.push_back(c);
    } else {
      l.metadata.push_back(c);
    }
  }
  if (l.genes.empty()) throw DataError(method + ": the saved column layout has no gene");
  return l;
}

CellMatrix cell_matrix(const Table& t, const SingleCellLayout& layout, const std::string& method) {
  const size_t n = t.num_rows(), G = layout.genes.size();
  CellMatrix m;
  CsrMatrix x;
  x.rows = n;
  x.cols = G;
  m.library.assign(n, 0.0);
  // Two passes over the columns (counting, then filling) so that only the stored values exist.
  std::vector<int64_t> per_row(n + 1, 0);
  auto value = [&](const Column& c, size_t i) -> double {
    if (c.is_missing(i))
      throw DataError(method + ": gene column '" + c.name + "' has a missing value (row " +
                      std::to_string(i + 1) + "); expression matrices cannot have gaps");
    return c.type == StorageType::int64 ? static_cast<double>(c.i64[i]) : c.f64[i];
  };
  for (size_t g = 0; g < G; ++g) {
    const Column& c = t.column(layout.genes[g]);
    for (size_t i = 0; i < n; ++i) {
      const double v = value(c, i);
      if (!std::isfinite(v))
        throw DataError(method + ": gene column '" + c.name + "' has a non-finite value");
      if (v != 0) ++per_row[i + 1];
      if (v < 0) m.negative = true;
      if (v < 0 || v != std::floor(v)) m.counts = false;
      m.library[i] += v;
    }
  }
  for (size_t i = 0; i < n; ++i) per_row[i + 1] += per_row[i];
  x.indptr = per_row;
  x.indices.resize(static_cast<size_t>(per_row[n]));
  x.data.resize(static_cast<size_t>(per_row[n]));
  std::vector<int64_t> fill(per_row.begin(), per_row.end() - 1);
  for (size_t g = 0; g < G; ++g) {
    const Column& c = t.column(layout.genes[g]);
    for (size_t i = 0; i < n; ++i) {
      const double v = c.type == StorageType::int64 ? static_cast<double>(c.i64[i]) : c.f64[i];
      if (v == 0) continue;
      const auto k = static_cast<size_t>(fill[i]++);
      x.indices[k] = static_cast<int32_t>(g);
      x.data[k] = static_cast<float>(v);
    }
  }
  m.own(std::move(x));
  return m;
}

void CellMatrix::own(CsrMatrix m) {
  owned = std::move(m);
  x = owned;
}

CellMatrix cell_matrix(CsrView x, const std::string& method) {
  CellMatrix m;
  m.x = x;
  m.library.assign(x.rows, 0.0);
  for (size_t i = 0; i < x.rows; ++i)
    for (auto k = static_cast<size_t>(x.indptr[i]); k < static_cast<size_t>(x.indptr[i + 1]); ++k) {
      const double v = x.data[k];
      if (!std::isfinite(v))
        throw DataError(method + ": the expression matrix has a non-finite value (cell " +
                        std::to_string(i + 1) + ", gene " + std::to_string(x.indices[k] + 1) + ")");
      if (v < 0) m.negative = true;
      if (v < 0 || v != std::floor(v)) m.counts = false;
      m.library[i] += v;
    }
  return m;
}

std::vector<int64_t> cells_with_counts(const CellMatrix& m, const std::string& method) {
  std::vector<int64_t> rows;
  for (size_t i = 0; i < m.library.size(); ++i)
    if (m.library[i] > 0) rows.push_back(static_cast<int64_t>(i));
  if (rows.empty())
    throw DataError(method + ": every cell has zero total counts; there is nothing to learn");
  return rows;
}

CsrMatrix take_rows(CsrView m, const std::vector<int64_t>& rows) {
  CsrMatrix out;
  out.rows = rows.size();
  out.cols = m.cols;
  out.indptr.assign(1, 0);
  for (int64_t r : rows) {
    const auto b = static_cast<size_t>(m.indptr[static_cast<size_t>(r)]);
    const auto e = static_cast<size_t>(m.indptr[static_cast<size_t>(r) + 1]);
    out.indices.insert(out.indices.end(), m.indices + b, m.indices + e);
    out.data.insert(out.data.end(), m.data + b, m.data + e);
    out.indptr.push_back(static_cast<int64_t>(out.data.size()));
  }
  return out;
}

Table single_cell_output(const SingleCellLayout& layout, const CsrMatrix& genes,
                         const Table& metadata, const std::vector<int64_t>& donor) {
  const size_t n = donor.size();
  // Column-major values of every gene, filled from the stored entries (the rest stay 0).
  std::vector<std::vector<float>> by_gene(layout.genes.size(), std::vector<float>(n, 0.0f));
  for (size_t i = 0; i < n; ++i)
    for (auto k = static_cast<size_t>(genes.indptr[i]);
         k < static_cast<size_t>(genes.indptr[i + 1]); ++k)
      by_gene[static_cast<size_t>(genes.indices[k])][i] = genes.data[k];
  std::vector<Column> cols;
  cols.reserve(layout.names.size());
  size_t meta = 0;
  for (size_t c = 0; c < layout.names.size(); ++c) {
    if (layout.gene_of[c] < 0) {
      cols.push_back(metadata.column(meta++).take(donor));
      continue;
    }
    std::vector<float>& values = by_gene[static_cast<size_t>(layout.gene_of[c])];
    if (layout.types[c] == StorageType::int64) {
      std::vector<int64_t> v(n);
      for (size_t i = 0; i < n; ++i) v[i] = std::llround(values[i]);
      cols.push_back(Column::int64(layout.names[c], std::move(v)));
    } else {
      cols.push_back(
          Column::float64(layout.names[c], std::vector<double>(values.begin(), values.end())));
    }
    std::vector<float>().swap(values);
  }
  return Table(std::move(cols));
}

CellTable single_cell_cells(const SingleCellLayout& layout, CsrMatrix genes, const Table& metadata,
                            const std::vector<int64_t>& donor) {
  CellTable out;
  const bool integer = layout.genes_are_int();
  if (integer) {  // as the table view's int64 columns: rounded, and the zeros it makes not stored
    size_t kept = 0;
    int64_t begin = 0;
    for (size_t i = 0; i < genes.rows; ++i) {
      const int64_t end = genes.indptr[i + 1];
      for (auto k = static_cast<size_t>(begin); k < static_cast<size_t>(end); ++k)
        if (const float v = std::round(genes.data[k]); v != 0) {
          genes.indices[kept] = genes.indices[k];
          genes.data[kept++] = v;
        }
      begin = end;
      genes.indptr[i + 1] = static_cast<int64_t>(kept);
    }
    genes.indices.resize(kept);
    genes.data.resize(kept);
  }
  out.x = std::move(genes);
  for (size_t c : layout.genes) out.genes.push_back(layout.names[c]);
  out.integer_genes = integer;
  std::vector<Column> obs;
  for (size_t m = 0; m < metadata.num_columns(); ++m) obs.push_back(metadata.column(m).take(donor));
  out.obs = Table(std::move(obs));
  return out;
}

SparseRowsBuilder::SparseRowsBuilder(size_t genes) {
  m_.cols = genes;
  m_.indptr.assign(1, 0);
}

void SparseRowsBuilder::append(const float* rows, size_t k) {
  for (size_t r = 0; r < k; ++r) {
    const float* row = rows + r * m_.cols;
    for (size_t g = 0; g < m_.cols; ++g)
      if (row[g] != 0) {
        m_.indices.push_back(static_cast<int32_t>(g));
        m_.data.push_back(row[g]);
      }
    m_.indptr.push_back(static_cast<int64_t>(m_.data.size()));
  }
  m_.rows += k;
}

}  // namespace calm
