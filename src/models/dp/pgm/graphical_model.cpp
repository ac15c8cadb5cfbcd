// The Private-PGM model (McKenna, Sheldon & Miklau, "Graphical-model based estimation and
// inference for differential privacy", ICML 2019): construction, warm starts, persistence.
// Estimation, marginals and sampling live in estimation.cpp, model_marginal.cpp and
// model_sampling.cpp; belief propagation in belief_propagation.cpp.
#include "models/dp/pgm/graphical_model.hpp"

#include <string>

#include "calm/core/error.hpp"
#include "calm/core/memory_budget.hpp"
#include "calm/core/text.hpp"

namespace calm::pgm {

namespace {

std::string clique_text(const Clique& c) {
  std::string s = "{";
  for (size_t i = 0; i < c.size(); ++i) s += (i ? ", " : "") + std::to_string(c[i]);
  return s + "}";
}

void check_model(const std::vector<int>& sizes, const std::vector<Clique>& cliques) {
  if (sizes.empty()) throw InvalidArgument("pgm: a graphical model needs at least one attribute");
  for (size_t a = 0; a < sizes.size(); ++a)
    if (sizes[a] < 1)
      throw InvalidArgument("pgm: attribute " + std::to_string(a) + " has domain size " +
                            std::to_string(sizes[a]) + "; sizes must be >= 1");
  for (const Clique& c : cliques) {
    if (c.empty()) throw InvalidArgument("pgm: a model clique is empty");
    for (size_t i = 0; i < c.size(); ++i) {
      if (c[i] < 0 || c[i] >= static_cast<int>(sizes.size()))
        throw InvalidArgument("pgm: clique " + clique_text(c) + " names an attribute outside 0.." +
                              std::to_string(sizes.size() - 1));
      if (i > 0 && c[i] <= c[i - 1])
        throw InvalidArgument("pgm: clique " + clique_text(c) +
                              " is not ascending without repeats");
    }
  }
}

}  // namespace

GraphicalModel::GraphicalModel(std::vector<int> sizes, std::vector<Clique> cliques)
    : sizes_(std::move(sizes)), cliques_(std::move(cliques)) {
  check_model(sizes_, cliques_);
  std::vector<char> named(sizes_.size(), 0);
  for (const Clique& c : cliques_)
    for (int a : c) named[a] = 1;
  for (size_t a = 0; a < sizes_.size(); ++a)
    if (!named[a]) cliques_.push_back({static_cast<int>(a)});
  potentials_.resize(cliques_.size());
  for (size_t c = 0; c < cliques_.size(); ++c)
    potentials_[c].assign(table_cells(sizes_, cliques_[c]), 0.0);
  build_structure();
  calibrate();
}

void GraphicalModel::build_structure() {
  tree_ = build_junction_tree(sizes_, cliques_);
  bp_order_ = tree_.rooted(0);
  home_.resize(cliques_.size());
  homed_.assign(tree_.cliques.size(), {});
  for (size_t c = 0; c < cliques_.size(); ++c) {
    home_[c] = tree_.smallest_containing(sizes_, cliques_[c]);
    if (home_[c] < 0)
      throw InternalError("pgm: no junction-tree clique holds model clique " +
                          clique_text(cliques_[c]));
    homed_[home_[c]].push_back(static_cast<int>(c));
  }
}

double GraphicalModel::junction_tree_cells(const std::vector<int>& sizes,
                                           const std::vector<Clique>& cliques) {
  check_model(sizes, cliques);
  return build_junction_tree(sizes, cliques).cells(sizes);
}

void GraphicalModel::adopt_potentials(const GraphicalModel& other) {
  if (other.sizes_ != sizes_)
    throw InvalidArgument("pgm: adopt_potentials from a model over other attribute domains");
  // Each of other's tables joins one clique here, so the sum of broadcast potentials (the model's
  // distribution) is other's wherever this model's cliques cover other's.
  std::vector<int> target(other.cliques_.size(), -1);
  for (size_t o = 0; o < other.cliques_.size(); ++o) {
    double best_cells = 0;
    for (size_t c = 0; c < cliques_.size(); ++c) {
      if (!is_subset(other.cliques_[o], cliques_[c])) continue;
      const double cells = table_cells_f(sizes_, cliques_[c]);
      if (target[o] < 0 || cells < best_cells) {
        target[o] = static_cast<int>(c);
        best_cells = cells;
      }
    }
    if (target[o] < 0)
      throw InvalidArgument("pgm: adopt_potentials: clique " + clique_text(other.cliques_[o]) +
                            " of the other model lies in no clique of this one");
  }
  for (auto& p : potentials_) std::fill(p.begin(), p.end(), 0.0);
  for (size_t o = 0; o < other.cliques_.size(); ++o) {
    const int c = target[o];
    add_broadcast(sizes_, cliques_[c], potentials_[c].data(), other.cliques_[o],
                  other.potentials_[o].data());
  }
  total_ = other.total_;
  calibrate();
}

void GraphicalModel::save(ArchiveWriter& out) const {
  out.tag("pgm.model");
  out.i32s(std::vector<int32_t>(sizes_.begin(), sizes_.end()));
  // Clique lengths, then their attributes end to end: counts stay archive-checked vectors.
  std::vector<int32_t> lengths, attrs;
  for (const Clique& c : cliques_) {
    lengths.push_back(static_cast<int32_t>(c.size()));
    attrs.insert(attrs.end(), c.begin(), c.end());
  }
  out.i32s(lengths);
  out.i32s(attrs);
  for (const auto& p : potentials_) out.f64s(p);
  out.f64(total_);
  out.tag("pgm.end");
}

void GraphicalModel::load(ArchiveReader& in) {
  in.tag("pgm.model");
  const std::vector<int32_t> sizes = in.i32s();
  const std::vector<int32_t> lengths = in.i32s(), attrs = in.i32s();
  const size_t n = lengths.size();
  std::vector<Clique> cliques(n);
  size_t at = 0;
  for (size_t c = 0; c < n; ++c) {
    if (lengths[c] < 0 || static_cast<size_t>(lengths[c]) > attrs.size() - at)
      throw DataError("pgm archive: clique lengths do not match the attribute list");
    cliques[c].assign(attrs.begin() + static_cast<long>(at),
                      attrs.begin() + static_cast<long>(at + lengths[c]));
    at += static_cast<size_t>(lengths[c]);
  }
  if (at != attrs.size())
    throw DataError("pgm archive: clique lengths do not match the attributes");
  std::vector<std::vector<double>> potentials(n);
  for (size_t c = 0; c < n; ++c) potentials[c] = in.f64s();
  const double total = in.f64();
  in.tag("pgm.end");
  std::vector<int> sz(sizes.begin(), sizes.end());
  try {
    check_model(sz, cliques);
  } catch (const InvalidArgument& e) {
    throw DataError(std::string("pgm archive: ") + e.what());
  }
  // A file's cliques may triangulate into tables far bigger than the potentials it holds: the
  // junction tree must fit in memory before it is built.
  const double cells = junction_tree_cells(sz, cliques);
  check_memory({cells * 8 * 4, "a junction tree of " + format_double(cells) + " cells", ""},
               "loading a Private-PGM model",
               "the model file may be corrupt, or was fitted on a machine with more memory");
  for (size_t c = 0; c < n; ++c)
    if (potentials[c].size() != table_cells(sz, cliques[c]))
      throw DataError("pgm archive: the potential of clique " + clique_text(cliques[c]) +
                      " has the wrong number of cells");
  if (!(total > 0)) throw DataError("pgm archive: the total is not positive");
  sizes_ = std::move(sz);
  cliques_ = std::move(cliques);
  potentials_ = std::move(potentials);
  total_ = total;
  build_structure();
  calibrate();
}

}  // namespace calm::pgm
