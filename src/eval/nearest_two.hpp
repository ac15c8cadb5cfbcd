// Exact distances to the nearest and second-nearest reference row of every query row, by blocked
// brute force: squared distances |q|^2 + |r|^2 - 2 q.r of query and reference tiles come from one
// single-precision matrix product per tile pair (GEMM), the best kCandidates references of each
// query are kept, and their distances are measured again exactly in double precision. In the
// 20-200 dimensions of the privacy metrics' mixed-type embedding a k-d tree degrades to worse than
// brute force (Weber, Schek & Blott 1998, "A quantitative analysis and performance study for
// similarity-search methods in high-dimensional spaces"); the product runs at the machine's
// matrix-multiply speed instead.
#pragma once

#include <cstddef>
#include <vector>

namespace calm::eval {

struct NearestTwo {
  std::vector<double> nearest, second;  // Euclidean distances; second = nearest with one reference
};

// `reference` and `queries` are row-major with `dim` columns. Output does not depend on `threads`
// nor on which build of the tile loop runs (the one for the CPU: avx2 when it has AVX2 and FMA).
NearestTwo nearest_two(const std::vector<double>& reference, const std::vector<double>& queries,
                       size_t dim, int threads);
namespace generic {
NearestTwo nearest_two(const std::vector<double>&, const std::vector<double>&, size_t, int);
}
namespace avx2 {  // call only when cpu_has_avx2()
NearestTwo nearest_two(const std::vector<double>&, const std::vector<double>&, size_t, int);
}
bool cpu_has_avx2();

}  // namespace calm::eval
