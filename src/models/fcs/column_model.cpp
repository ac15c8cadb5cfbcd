// Fitting of the per-column FCS model (see column_model.hpp).
#include "models/fcs/column_model.hpp"

#include <algorithm>

#include "models/fcs/balanced_draws.hpp"
#include "models/fcs/fcs_engine.hpp"

namespace calm::fcs {

void make_class_labels(const tree::BinnedData& x, int column, std::vector<uint8_t>& labels,
                       int& num_classes) {
  constexpr int kMaxClasses = 64;
  std::vector<size_t> count(256, 0);
  for (size_t r = 0; r < x.rows; ++r) ++count[x.at(r, column)];
  std::vector<int> bins;
  for (int b = 0; b < 256; ++b)
    if (count[b]) bins.push_back(b);
  // Most frequent first; ties by bin so the mapping is unique.
  std::stable_sort(bins.begin(), bins.end(), [&](int a, int b) { return count[a] > count[b]; });
  std::vector<uint8_t> cls(256, 0);
  for (size_t i = 0; i < bins.size(); ++i)
    cls[bins[i]] = static_cast<uint8_t>(std::min<size_t>(i, kMaxClasses - 1));
  num_classes = std::max(1, std::min<int>(static_cast<int>(bins.size()), kMaxClasses));
  labels.resize(x.rows);
  for (size_t r = 0; r < x.rows; ++r) labels[r] = cls[x.at(r, column)];
}

void ColumnModel::fit(const ModelData& d, int column, const std::vector<int>& features,
                      const ColumnModelSettings& s, uint64_t seed, uint64_t stream) {
  column_ = column;
  tree::ForestParams fp = s.learner;
  auto fit_forest = [&](tree::Forest& f, const tree::TreeTarget& t,
                        const std::vector<int32_t>& rows, uint64_t sub, bool bandwidth) {
    if (s.auto_min_samples_leaf)
      fp.tree.min_samples_leaf = auto_min_samples_leaf(rows.size(), s.auto_leaf_floor);
    fp.tree.leaf_bandwidth = bandwidth;
    f.fit(d.x, features, t, rows, fp, seed, stream + sub * 4096, 1);
  };
  const int32_t n = static_cast<int32_t>(d.x.rows);
  if (!d.regression[column]) {
    std::vector<int32_t> rows(n);
    for (int32_t r = 0; r < n; ++r) rows[r] = r;
    tree::TreeTarget t{.num_classes = d.num_classes[column], .labels = d.labels[column].data()};
    fit_forest(value_, t, rows, 0, false);
    return;
  }
  std::vector<int32_t> all(n), present;
  std::vector<uint8_t> is_missing(n);
  for (int32_t r = 0; r < n; ++r) {
    all[r] = r;
    is_missing[r] = d.x.at(r, column) == tree::kMissingBin;
    if (!is_missing[r]) present.push_back(r);
  }
  if (present.size() < all.size()) {
    tree::TreeTarget t{.num_classes = 2, .labels = is_missing.data()};
    fit_forest(missing_, t, all, 0, false);
  }
  if (!present.empty()) {
    tree::TreeTarget t{.values = d.values[column].data()};
    fit_forest(value_, t, present, 1, s.smoothing);
  }
}

namespace {
// Leaf lookups of stage s use the chunk streams stream + (s << 22) + chunk (a forest picks a tree
// per row), the dealing of stage s the stream stream + (1 << 21) + s.
void draw_stage(const tree::Forest& f, const uint8_t* codes, size_t stride,
                const std::vector<size_t>& rows, uint64_t seed, uint64_t stream, uint64_t s,
                int threads, tree::Donor* out) {
  std::vector<tree::LeafRef> refs(rows.size());
  const int64_t chunks = static_cast<int64_t>((rows.size() + kSampleChunk - 1) / kSampleChunk);
#pragma omp parallel for schedule(static) num_threads(threads > 0 ? threads : 1)
  for (int64_t c = 0; c < chunks; ++c) {
    Rng rng(seed, stream + (s << 22) + static_cast<uint64_t>(c));
    const size_t end = std::min(rows.size(), static_cast<size_t>(c + 1) * kSampleChunk);
    for (size_t k = static_cast<size_t>(c) * kSampleChunk; k < end; ++k)
      refs[k] = f.locate(codes + rows[k] * stride, rng);
  }
  Rng rng(seed, stream + (uint64_t{1} << 21) + s);
  deal_donors(f, refs, rows, rng, out);
}
}  // namespace

void ColumnModel::draw_rows(const ModelData& d, const uint8_t* codes, size_t stride, size_t n,
                            uint64_t seed, uint64_t stream, int threads, tree::Donor* out) const {
  std::vector<size_t> rows(n);
  for (size_t i = 0; i < n; ++i) rows[i] = i;
  if (!missing_.empty()) {
    draw_stage(missing_, codes, stride, rows, seed, stream, 0, threads, out);
    // Rows dealt a donor whose value is missing keep it; the others draw a present value.
    std::vector<size_t> present;
    for (size_t i = 0; i < n; ++i) {
      if (d.x.at(out[i].row, column_) == tree::kMissingBin || value_.empty())
        out[i].bandwidth = 0;
      else
        present.push_back(i);
    }
    rows.swap(present);
  }
  if (!value_.empty()) draw_stage(value_, codes, stride, rows, seed, stream, 1, threads, out);
}

void ColumnModel::redraw_values(const ModelData& d, const uint8_t* codes, size_t stride, size_t n,
                                uint64_t seed, uint64_t stream, int threads,
                                tree::Donor* out) const {
  if (missing_.empty()) return draw_rows(d, codes, stride, n, seed, stream, threads, out);
  std::vector<size_t> present;
  for (size_t i = 0; i < n; ++i) {
    if (codes[i * stride + static_cast<size_t>(column_)] == tree::kMissingBin || value_.empty())
      out[i] = {-1, 0};
    else
      present.push_back(i);
  }
  draw_stage(value_, codes, stride, present, seed, stream, 1, threads, out);
}

}  // namespace calm::fcs
