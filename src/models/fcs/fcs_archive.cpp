// Persistence of the FCS synthesizers `cart` and `rf` (Synthesizer::save / load). The payload is
// the real table (the donors), the column roles, the options sampling and lazily fitted
// conditional sequences need, and every fitted tree. The binned view of the table (ModelData) is
// a deterministic function of the table and the roles, so it is rebuilt on load, not stored.
#include <numeric>

#include "calm/core/error.hpp"
#include "models/fcs/fcs_engine.hpp"
#include "models/fcs/visit_order.hpp"

namespace calm::fcs {

namespace {

[[noreturn]] void bad(const std::string& why) {
  throw DataError("corrupt FCS model archive: " + why);
}

std::vector<uint8_t> flags(const std::vector<bool>& v) {
  return std::vector<uint8_t>(v.begin(), v.end());
}

std::vector<bool> flags(const std::vector<uint8_t>& v, size_t expected, const char* what) {
  if (v.size() != expected) bad(std::string(what) + " flags of the wrong length");
  return std::vector<bool>(v.begin(), v.end());
}

void save_options(ArchiveWriter& out, const FcsOptions& o) {
  const tree::ForestParams& f = o.learner;
  out.i64s({o.iterations, o.auto_min_samples_leaf, o.auto_leaf_floor, o.smoothing, f.n_estimators,
            f.bootstrap, static_cast<int64_t>(f.max_features.kind), f.tree.max_depth,
            f.tree.min_samples_leaf, f.tree.min_samples_split, f.tree.max_features,
            f.tree.leaf_bandwidth, o.redraw_copies});
  out.f64s({f.max_features.value, f.tree.ccp_alpha});
}

FcsOptions load_options(ArchiveReader& in) {
  const std::vector<int64_t> i = in.i64s();
  const std::vector<double> d = in.f64s();
  // 12 values: a model saved before redraw_copies existed (its samples keep their copies).
  if ((i.size() != 12 && i.size() != 13) || d.size() != 2) bad("options of the wrong length");
  if (i[0] < 0 || i[0] > 1000 || i[4] < 1 || i[6] < 0 || i[6] > 4) bad("options out of range");
  FcsOptions o;
  o.iterations = static_cast<int>(i[0]);
  o.auto_min_samples_leaf = i[1] != 0;
  o.auto_leaf_floor = i[2];
  o.smoothing = i[3] != 0;
  tree::ForestParams& f = o.learner;
  f.n_estimators = static_cast<int>(i[4]);
  f.bootstrap = i[5] != 0;
  f.max_features.kind = static_cast<tree::MaxFeatures::Kind>(i[6]);
  f.tree.max_depth = static_cast<int>(i[7]);
  f.tree.min_samples_leaf = i[8];
  f.tree.min_samples_split = i[9];
  f.tree.max_features = static_cast<int>(i[10]);
  f.tree.leaf_bandwidth = i[11] != 0;
  o.redraw_copies = i.size() > 12 && i[12] != 0;
  f.max_features.value = d[0];
  f.tree.ccp_alpha = d[1];
  return o;
}

}  // namespace

void ColumnModel::save(ArchiveWriter& out) const {
  out.i64(column_);
  missing_.save(out);
  value_.save(out);
}

void ColumnModel::load(ArchiveReader& in, const ModelData& d) {
  const int64_t column = in.i64();
  if (column < 0 || static_cast<size_t>(column) >= d.x.cols) bad("column model out of range");
  column_ = static_cast<int>(column);
  missing_.load(in, d.x.rows, d.x.cols);
  value_.load(in, d.x.rows, d.x.cols);
  if (value_.empty() && missing_.empty()) bad("column model without trees");
}

void FcsSynthesizer::save(ArchiveWriter& out) const {
  if (data_.num_columns() == 0) throw InvalidArgument("save() called before fit()");
  out.tag(method_ + "-v1");
  save_options(out, opt_);
  out.table(data_);
  out.i32s(std::vector<int32_t>(model_of_.begin(), model_of_.end()));
  out.u8s(flags(categorical_));
  out.u8s(flags(md_.regression));
  out.u8s(flags(smoothed_));
  out.u64(seed_);
  out.i32s(std::vector<int32_t>(main_.order.begin(), main_.order.end()));
  for (const ColumnModel& c : main_.models) c.save(out);
  out.u64(gibbs_.size());
  for (const ColumnModel& c : gibbs_) c.save(out);
}

void FcsSynthesizer::load(ArchiveReader& in) {
  in.tag(method_ + "-v1");
  opt_ = load_options(in);
  data_ = in.table();
  const std::vector<int32_t> model_of = in.i32s();
  if (data_.num_columns() == 0 || data_.num_rows() == 0 || model_of.size() != data_.num_columns())
    bad("table and column roles disagree");
  model_of_.assign(model_of.begin(), model_of.end());
  auto table_of = table_columns(model_of_);
  if (!table_of) bad("column roles out of order");
  table_of_ = std::move(*table_of);
  const size_t m = table_of_.size();
  categorical_ = flags(in.u8s(), m, "categorical");
  md_ = ModelData{};
  md_.regression = flags(in.u8s(), m, "regression");
  smoothed_ = flags(in.u8s(), m, "smoothing");
  // Smoothing perturbs a regression column's donor value: other columns have no values to smooth.
  for (size_t j = 0; j < m; ++j)
    if (smoothed_[j] && !md_.regression[j]) bad("smoothing on a column that is not numeric");
  seed_ = in.u64();
  build_model_data(1);
  const std::vector<int32_t> order = in.i32s();
  std::vector<int> seen(m, 0);
  for (int32_t j : order)
    if (j < 0 || static_cast<size_t>(j) >= m || seen[j]++) bad("visit order is not a permutation");
  if (order.size() != m) bad("visit order is not a permutation");
  main_ = Sequence{std::vector<int>(order.begin(), order.end()), std::vector<ColumnModel>(m)};
  for (ColumnModel& c : main_.models) c.load(in, md_);
  const uint64_t g = in.u64();
  if (g != (opt_.iterations > 0 ? m : 0)) bad("Gibbs models do not match the iterations");
  gibbs_.assign(g, ColumnModel{});
  for (ColumnModel& c : gibbs_) c.load(in, md_);
  std::lock_guard lock(mutex_);
  conditional_.clear();
}

}  // namespace calm::fcs
