// Table index arithmetic and linear-space factors for Private-PGM (McKenna, Sheldon & Miklau,
// ICML 2019).
#include "models/dp/pgm/factor.hpp"

#include <algorithm>
#include <iterator>

namespace calm::pgm {

size_t table_cells(const std::vector<int>& sizes, const Clique& attrs) {
  size_t n = 1;
  for (int a : attrs) n *= static_cast<size_t>(sizes[a]);
  return n;
}

double table_cells_f(const std::vector<int>& sizes, const Clique& attrs) {
  double n = 1;
  for (int a : attrs) n *= sizes[a];
  return n;
}

bool is_subset(const Clique& sub, const Clique& of) {
  return std::includes(of.begin(), of.end(), sub.begin(), sub.end());
}

bool contains(const Clique& c, int attr) {
  return std::binary_search(c.begin(), c.end(), attr);
}

Clique set_union(const Clique& a, const Clique& b) {
  Clique out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Clique set_intersection(const Clique& a, const Clique& b) {
  Clique out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Clique set_difference(const Clique& a, const Clique& b) {
  Clique out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

namespace {

// Stride in the row-major layout of `sub` of each attribute of `attrs` (0 where sub lacks it).
std::vector<size_t> strides_in(const std::vector<int>& sizes, const Clique& attrs,
                               const Clique& sub) {
  std::vector<size_t> out(attrs.size(), 0);
  size_t s = 1;
  for (size_t p = sub.size(); p-- > 0;) {
    const auto it = std::lower_bound(attrs.begin(), attrs.end(), sub[p]);
    out[static_cast<size_t>(it - attrs.begin())] = s;
    s *= static_cast<size_t>(sizes[sub[p]]);
  }
  return out;
}

}  // namespace

CellMap::CellMap(const std::vector<int>& sizes, const Clique& attrs, const Clique& sub) {
  build(sizes, attrs, &sub, nullptr);
}

CellMap::CellMap(const std::vector<int>& sizes, const Clique& attrs, const Clique& sub_a,
                 const Clique& sub_b) {
  build(sizes, attrs, &sub_a, &sub_b);
}

void CellMap::build(const std::vector<int>& sizes, const Clique& attrs, const Clique* sub_a,
                    const Clique* sub_b) {
  const std::vector<size_t> sa = strides_in(sizes, attrs, *sub_a);
  const std::vector<size_t> sb =
      sub_b ? strides_in(sizes, attrs, *sub_b) : std::vector<size_t>(attrs.size(), 0);
  cells_ = table_cells(sizes, attrs);
  // Built from the last dimension backwards, then reversed: a dimension joins the one after it
  // when both targets step through them as through one longer dimension.
  for (size_t p = attrs.size(); p-- > 0;) {
    const size_t n = static_cast<size_t>(sizes[attrs[p]]);
    if (n == 1) continue;
    if (!dims_.empty() && sa[p] == stride_a_.back() * dims_.back() &&
        sb[p] == stride_b_.back() * dims_.back()) {
      dims_.back() *= n;
      continue;
    }
    dims_.push_back(n);
    stride_a_.push_back(sa[p]);
    stride_b_.push_back(sb[p]);
  }
  std::reverse(dims_.begin(), dims_.end());
  std::reverse(stride_a_.begin(), stride_a_.end());
  std::reverse(stride_b_.begin(), stride_b_.end());
}

namespace {

double sum_run(const double* v, size_t n) {
  // Four running sums: one chain of dependent additions would take the adder's latency per cell.
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t x = 0;
  for (; x + 4 <= n; x += 4) {
    s0 += v[x];
    s1 += v[x + 1];
    s2 += v[x + 2];
    s3 += v[x + 3];
  }
  for (; x < n; ++x) s0 += v[x];
  return (s0 + s1) + (s2 + s3);
}

}  // namespace

void sum_to(const std::vector<int>& sizes, const Clique& attrs, const double* table,
            const Clique& sub, double* out) {
  std::fill(out, out + table_cells(sizes, sub), 0.0);
  CellMap(sizes, attrs, sub).for_each_run([&](size_t i, size_t j, size_t len, size_t step) {
    if (step == 0) {
      out[j] += sum_run(table + i, len);
    } else if (step == 1) {
      for (size_t x = 0; x < len; ++x) out[j + x] += table[i + x];
    } else {
      for (size_t x = 0; x < len; ++x) out[j + x * step] += table[i + x];
    }
  });
}

void broadcast(const std::vector<int>& sizes, const Clique& attrs, double* table, const Clique& sub,
               const double* sub_table) {
  CellMap(sizes, attrs, sub).for_each_run([&](size_t i, size_t j, size_t len, size_t step) {
    double* t = table + i;
    if (step == 0) {
      std::fill(t, t + len, sub_table[j]);
    } else if (step == 1) {
      std::copy(sub_table + j, sub_table + j + len, t);
    } else {
      for (size_t x = 0; x < len; ++x) t[x] = sub_table[j + x * step];
    }
  });
}

void add_broadcast(const std::vector<int>& sizes, const Clique& attrs, double* table,
                   const Clique& sub, const double* sub_table, double scale) {
  CellMap(sizes, attrs, sub).for_each_run([&](size_t i, size_t j, size_t len, size_t step) {
    double* t = table + i;
    if (step == 0) {
      const double v = scale * sub_table[j];
      for (size_t x = 0; x < len; ++x) t[x] += v;
    } else if (step == 1) {
      const double* s = sub_table + j;
      for (size_t x = 0; x < len; ++x) t[x] += scale * s[x];
    } else {
      for (size_t x = 0; x < len; ++x) t[x] += scale * sub_table[j + x * step];
    }
  });
}

Factor multiply(const std::vector<int>& sizes, const Factor& a, const Factor& b) {
  Factor out{set_union(a.attrs, b.attrs), {}};
  out.values.resize(table_cells(sizes, out.attrs));
  CellMap(sizes, out.attrs, a.attrs, b.attrs).for_each2([&](size_t i, size_t ia, size_t ib) {
    out.values[i] = a.values[ia] * b.values[ib];
  });
  return out;
}

Factor sum_to(const std::vector<int>& sizes, const Factor& f, const Clique& keep) {
  Factor out{set_intersection(f.attrs, keep), {}};
  out.values.resize(table_cells(sizes, out.attrs));
  sum_to(sizes, f.attrs, f.values.data(), out.attrs, out.values.data());
  return out;
}

}  // namespace calm::pgm
