// Dense tables over a sorted attribute subset for Private-PGM (McKenna, Sheldon & Miklau,
// "Graphical-model based estimation and inference for differential privacy", ICML 2019): the
// index arithmetic that maps a cell of a table onto the cell of a table over a subset of its
// attributes (marginalising, broadcasting), set operations on cliques, and linear-space factors
// with product and summing-out for variable elimination.
#pragma once

#include <cstddef>
#include <vector>

namespace calm::pgm {

using Clique = std::vector<int>;  // attribute indices, ascending, no repeats

// Number of cells of a table over `attrs` (1 for none).
size_t table_cells(const std::vector<int>& sizes, const Clique& attrs);
// The same as a double, for models whose tables would be too large to allocate.
double table_cells_f(const std::vector<int>& sizes, const Clique& attrs);

bool is_subset(const Clique& sub, const Clique& of);  // both ascending
bool contains(const Clique& c, int attr);
Clique set_union(const Clique& a, const Clique& b);
Clique set_intersection(const Clique& a, const Clique& b);
Clique set_difference(const Clique& a, const Clique& b);

// The walk over the cells of a table over `attrs` (row-major, last attribute fastest) that also
// tracks the matching cell of a table over `sub` (any subset of attrs, row-major over its own
// ascending order) — or two such subsets at once. Adjacent dimensions that stay contiguous in
// every target are merged first, so the inner loop is as long as the layouts allow.
class CellMap {
 public:
  CellMap(const std::vector<int>& sizes, const Clique& attrs, const Clique& sub);
  CellMap(const std::vector<int>& sizes, const Clique& attrs, const Clique& sub_a,
          const Clique& sub_b);

  size_t cells() const { return cells_; }

  // fn(i, j, len, step) for each run of the innermost (merged) dimension: cells i .. i+len-1 of
  // the attrs table match cells j, j+step, .. of the sub table (step 0: all the same cell).
  template <typename Fn>
  void for_each_run(Fn&& fn) const {
    if (dims_.empty()) {
      fn(size_t{0}, size_t{0}, size_t{1}, size_t{0});
      return;
    }
    const size_t k = dims_.size();
    const size_t inner = dims_[k - 1], s_inner = stride_a_[k - 1];
    std::vector<size_t> idx(k, 0);
    size_t j = 0;
    for (size_t i = 0; i < cells_; i += inner) {
      fn(i, j, inner, s_inner);
      for (size_t d = k - 1; d-- > 0;) {
        j += stride_a_[d];
        if (++idx[d] < dims_[d]) break;
        j -= stride_a_[d] * dims_[d];
        idx[d] = 0;
      }
    }
  }

  // fn(i, j): i the cell of the attrs table, j the cell of the sub table.
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for_each_run([&](size_t i, size_t j, size_t len, size_t step) {
      for (size_t x = 0; x < len; ++x) fn(i + x, j + x * step);
    });
  }

  // fn(i, ja, jb) for the two-subset form.
  template <typename Fn>
  void for_each2(Fn&& fn) const {
    if (dims_.empty()) {
      fn(size_t{0}, size_t{0}, size_t{0});
      return;
    }
    const size_t k = dims_.size();
    const size_t inner = dims_[k - 1], sa = stride_a_[k - 1], sb = stride_b_[k - 1];
    std::vector<size_t> idx(k, 0);
    size_t ja = 0, jb = 0;
    for (size_t i = 0; i < cells_; i += inner) {
      for (size_t x = 0; x < inner; ++x) fn(i + x, ja + x * sa, jb + x * sb);
      for (size_t d = k - 1; d-- > 0;) {
        ja += stride_a_[d];
        jb += stride_b_[d];
        if (++idx[d] < dims_[d]) break;
        ja -= stride_a_[d] * dims_[d];
        jb -= stride_b_[d] * dims_[d];
        idx[d] = 0;
      }
    }
  }

 private:
  void build(const std::vector<int>& sizes, const Clique& attrs, const Clique* sub_a,
             const Clique* sub_b);
  std::vector<size_t> dims_, stride_a_, stride_b_;
  size_t cells_ = 1;
};

// out (cells of sub, overwritten) = sums of `table` (over attrs) over the attributes not in sub.
void sum_to(const std::vector<int>& sizes, const Clique& attrs, const double* table,
            const Clique& sub, double* out);
// table (over attrs) = broadcast of `sub_table` (over sub).
void broadcast(const std::vector<int>& sizes, const Clique& attrs, double* table, const Clique& sub,
               const double* sub_table);
// table (over attrs) += scale * broadcast of `sub_table` (over sub).
void add_broadcast(const std::vector<int>& sizes, const Clique& attrs, double* table,
                   const Clique& sub, const double* sub_table, double scale = 1);

// A table in linear space, for variable elimination.
struct Factor {
  Clique attrs;
  std::vector<double> values;
};
Factor multiply(const std::vector<int>& sizes, const Factor& a, const Factor& b);
Factor sum_to(const std::vector<int>& sizes, const Factor& f, const Clique& keep);

}  // namespace calm::pgm
