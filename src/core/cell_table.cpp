// Consistency of a CellTable's parts (cell_table.hpp).
#include "calm/core/cell_table.hpp"

#include <cmath>
#include <unordered_set>

#include "calm/core/error.hpp"

namespace calm {

void CellTable::check() const {
  if (borrowed)
    borrowed->check("the expression matrix");
  else
    x.check("the expression matrix");
  const CsrView m = matrix();
  if (genes.size() != m.cols)
    throw DataError("the expression matrix has " + std::to_string(m.cols) + " genes but " +
                    std::to_string(genes.size()) + " gene names");
  if (obs.num_columns() > 0 && obs.num_rows() != m.rows)
    throw DataError("the cell metadata has " + std::to_string(obs.num_rows()) + " rows for " +
                    std::to_string(m.rows) + " cells");
  std::unordered_set<std::string> seen;
  for (const std::string& g : genes)
    if (!seen.insert(g).second) throw DataError("gene name '" + g + "' occurs twice");
  for (const std::string& c : obs.column_names())
    if (seen.count(c))
      throw DataError("'" + c + "' is both a gene and a cell metadata column; rename one");
}

Table CellTable::rows(size_t begin, size_t end) const {
  const CsrView m = matrix();
  if (begin > end || end > m.rows) throw InternalError("CellTable::rows: range past the cells");
  const size_t n = end - begin;
  std::vector<std::vector<double>> dense(m.cols, std::vector<double>(n, 0.0));
  for (size_t r = begin; r < end; ++r)
    for (auto k = static_cast<size_t>(m.indptr[r]); k < static_cast<size_t>(m.indptr[r + 1]); ++k)
      dense[static_cast<size_t>(m.indices[k])][r - begin] = m.data[k];
  std::vector<Column> cols;
  cols.reserve(m.cols + obs.num_columns());
  for (size_t g = 0; g < m.cols; ++g) {
    if (integer_genes) {
      std::vector<int64_t> v(n);
      for (size_t i = 0; i < n; ++i) v[i] = static_cast<int64_t>(std::llround(dense[g][i]));
      cols.push_back(Column::int64(genes[g], std::move(v)));
    } else {
      cols.push_back(Column::float64(genes[g], std::move(dense[g])));
    }
  }
  std::vector<int64_t> at(n);
  for (size_t i = 0; i < n; ++i) at[i] = static_cast<int64_t>(begin + i);
  for (size_t c = 0; c < obs.num_columns(); ++c) cols.push_back(obs.column(c).take(at));
  return Table(std::move(cols));
}

}  // namespace calm
