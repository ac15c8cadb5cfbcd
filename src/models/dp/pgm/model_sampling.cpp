// Exact ancestral sampling from a calibrated Private-PGM model (McKenna, Sheldon & Miklau, ICML
// 2019): the junction tree is rooted at a clique (one holding the fixed attribute when there is
// one); the root's attributes are drawn from its belief (given the fixed attribute), then each
// child clique's new attributes from its belief conditioned on the separator already drawn.
#include <algorithm>
#include <cmath>
#include <string>

#include "calm/core/error.hpp"
#include "calm/core/rng.hpp"
#include "core/parallel.hpp"
#include "models/dp/pgm/graphical_model.hpp"

namespace calm::pgm {

namespace {

// One clique's draw: the attributes it adds given those (`given`) fixed before it.
struct Step {
  Clique given, drawn;
  std::vector<size_t> given_stride;  // row-major strides of `given`
  size_t drawn_cells = 1;
  // Cumulative conditional distribution of the drawn cell, one slice of drawn_cells per given cell.
  std::vector<double> cumulative;
};

Step make_step(const std::vector<int>& sizes, const Clique& attrs, const std::vector<double>& b,
               Clique given) {
  Step st;
  st.drawn = set_difference(attrs, given);
  st.given = std::move(given);
  st.given_stride.assign(st.given.size(), 1);
  for (size_t d = st.given.size(); d-- > 1;)
    st.given_stride[d - 1] = st.given_stride[d] * static_cast<size_t>(sizes[st.given[d]]);
  st.drawn_cells = table_cells(sizes, st.drawn);
  std::vector<double>& cum = st.cumulative;
  cum.resize(b.size());
  CellMap(sizes, attrs, st.given, st.drawn).for_each2([&](size_t i, size_t g, size_t d) {
    cum[g * st.drawn_cells + d] = b[i];
  });
  // Exponentiated slice by slice from its own maximum, so a given cell of tiny probability
  // (reachable through fixed values) still has a proper conditional.
  for (size_t at = 0; at < cum.size(); at += st.drawn_cells) {
    double* slice = cum.data() + at;
    const double m = *std::max_element(slice, slice + st.drawn_cells);
    double run = 0;
    for (size_t d = 0; d < st.drawn_cells; ++d) slice[d] = run += std::exp(slice[d] - m);
  }
  return st;
}

}  // namespace

std::vector<std::vector<int32_t>> GraphicalModel::sample(
    size_t n, uint64_t seed, int threads, int fixed_attr,
    const std::vector<int32_t>* fixed_values) const {
  const int na = static_cast<int>(sizes_.size());
  if (fixed_attr >= na || fixed_attr < -1)
    throw InvalidArgument("pgm: fixed attribute " + std::to_string(fixed_attr) + " outside 0.." +
                          std::to_string(na - 1));
  std::vector<std::vector<int32_t>> out(sizes_.size());
  if (fixed_attr >= 0) {
    if (!fixed_values || fixed_values->size() != n)
      throw InvalidArgument("pgm: sample with a fixed attribute needs its " + std::to_string(n) +
                            " values");
    for (int32_t v : *fixed_values)
      if (v < 0 || v >= sizes_[fixed_attr])
        throw InvalidArgument("pgm: fixed value " + std::to_string(v) + " of attribute " +
                              std::to_string(fixed_attr) + " outside 0.." +
                              std::to_string(sizes_[fixed_attr] - 1));
  }
  for (int a = 0; a < na; ++a)
    if (a == fixed_attr)
      out[a] = *fixed_values;
    else
      out[a].assign(n, 0);
  if (n == 0) return out;

  const int root = fixed_attr >= 0 ? tree_.smallest_containing(sizes_, {fixed_attr}) : 0;
  const JunctionTree::Rooted r = tree_.rooted(root);
  std::vector<Step> steps;
  for (const int c : r.order) {
    Clique given = c == root ? (fixed_attr >= 0 ? Clique{fixed_attr} : Clique{}) : r.separator[c];
    Step st = make_step(sizes_, tree_.cliques[c], beliefs_[c], std::move(given));
    if (!st.drawn.empty()) steps.push_back(std::move(st));
  }

  const size_t chunks = (n + kSampleChunk - 1) / kSampleChunk;
  parallel_tasks(chunks, threads, [&](size_t chunk) {
    Rng rng(seed, stream_id(StreamPurpose::sample, chunk));
    const size_t begin = chunk * kSampleChunk, end = std::min(n, begin + kSampleChunk);
    for (const Step& st : steps) {
      for (size_t row = begin; row < end; ++row) {
        size_t g = 0;
        for (size_t d = 0; d < st.given.size(); ++d)
          g += static_cast<size_t>(out[st.given[d]][row]) * st.given_stride[d];
        size_t cell = rng.categorical(st.cumulative.data() + g * st.drawn_cells, st.drawn_cells);
        for (size_t d = st.drawn.size(); d-- > 0;) {
          const size_t k = static_cast<size_t>(sizes_[st.drawn[d]]);
          out[st.drawn[d]][row] = static_cast<int32_t>(cell % k);
          cell /= k;
        }
      }
    }
  });
  return out;
}

}  // namespace calm::pgm
