// Persistence of the `lgbm` synthesizer (Synthesizer::save / load): the real table (levels are
// written by taking a real row), the feature encoder's learnt levels and offsets, and each column
// model — its boosters in XGBoost's UBJSON model format (XGBoosterSaveModelToBuffer) and the
// sorted predictions/values its numeric draws search. Loading checks every index sampling will
// use, so a corrupt archive fails with a DataError rather than reading out of bounds.
#include <algorithm>
#include <cmath>

#include "calm/core/error.hpp"
#include "learn/feature_encoding.hpp"
#include "models/fcs/lgbm_synthesizer.hpp"
#include "models/fcs/visit_order.hpp"

namespace calm {

namespace {

[[noreturn]] void bad(const std::string& why) {
  throw DataError("corrupt lgbm model archive: " + why);
}

template <typename T>
std::vector<int64_t> wide(const std::vector<T>& v) {
  return std::vector<int64_t>(v.begin(), v.end());
}

template <typename T>
std::vector<T> narrow(const std::vector<int64_t>& v) {
  return std::vector<T>(v.begin(), v.end());
}

}  // namespace

namespace xgb {

void FeatureEncoder::save(ArchiveWriter& out) const {
  out.tag("encoder");
  out.u64(features_.size());
  for (const FeatureColumn& f : features_) {
    out.str(f.name);
    out.i64s({f.categorical, f.datetime});
    out.f64(f.offset);
    out.strs(f.level_names);
    out.i64s(wide(f.level_count));
    out.i64s(f.level_row);
    std::vector<std::string> texts;
    std::vector<int64_t> text_codes, value_codes;
    std::vector<double> values;
    for (const auto& [t, k] : f.by_text) texts.push_back(t), text_codes.push_back(k);
    for (const auto& [v, k] : f.by_value) values.push_back(v), value_codes.push_back(k);
    out.strs(texts);
    out.i64s(text_codes);
    out.f64s(values);
    out.i64s(value_codes);
  }
}

void FeatureEncoder::load(ArchiveReader& in) {
  in.tag("encoder");
  const uint64_t n = in.u64();
  if (n > (uint64_t{1} << 24)) bad("impossible feature count");
  features_.assign(n, FeatureColumn{});
  for (FeatureColumn& f : features_) {
    f.name = in.str();
    const std::vector<int64_t> kinds = in.i64s();
    if (kinds.size() != 2) bad("feature kinds of the wrong length");
    f.categorical = kinds[0] != 0;
    f.datetime = kinds[1] != 0;
    f.offset = in.f64();
    f.level_names = in.strs();
    f.level_count = narrow<size_t>(in.i64s());
    f.level_row = in.i64s();
    const size_t levels = f.level_names.size();
    if (f.level_count.size() != levels || f.level_row.size() != levels)
      bad("levels of feature '" + f.name + "' of inconsistent lengths");
    const std::vector<std::string> texts = in.strs();
    const std::vector<int64_t> text_codes = in.i64s();
    const std::vector<double> values = in.f64s();
    const std::vector<int64_t> value_codes = in.i64s();
    if (texts.size() != text_codes.size() || values.size() != value_codes.size())
      bad("level maps of feature '" + f.name + "' of inconsistent lengths");
    auto code = [&](int64_t k) {
      if (k < 0 || static_cast<size_t>(k) >= levels) bad("level code out of range");
      return static_cast<int>(k);
    };
    for (size_t i = 0; i < texts.size(); ++i) f.by_text.emplace(texts[i], code(text_codes[i]));
    for (size_t i = 0; i < values.size(); ++i) f.by_value.emplace(values[i], code(value_codes[i]));
  }
}

}  // namespace xgb

namespace lgbm {

void ColumnModel::save(ArchiveWriter& out) const {
  out.tag("lgbm-column");
  out.i64s({regression_, static_cast<int64_t>(features_), static_cast<int64_t>(residuals_),
            static_cast<int64_t>(window_)});
  out.i64s(wide(class_level_));
  out.i64s(wide(pooled_));
  out.f64s(pooled_cumulative_);
  out.f64s(prior_cumulative_);
  out.f64s({missing_rate_, mean_, scale_});
  out.f64s(present_);
  out.f64s(support_);
  out.f64s(sorted_pred_);
  out.f64s(sorted_draw_);
  out.bytes(classes_.save());
  out.bytes(missing_.save());
  out.bytes(values_.save());
}

void ColumnModel::load(ArchiveReader& in, size_t features, size_t levels) {
  in.tag("lgbm-column");
  const std::vector<int64_t> head = in.i64s();
  if (head.size() != 4 || head[1] != static_cast<int64_t>(features) || head[2] < 0 || head[2] > 2 ||
      head[3] < 0)
    bad("column model header does not match its features");
  regression_ = head[0] != 0;
  features_ = features;
  residuals_ = static_cast<Residuals>(head[2]);
  window_ = static_cast<size_t>(head[3]);
  class_level_ = narrow<int>(in.i64s());
  pooled_ = narrow<int>(in.i64s());
  pooled_cumulative_ = in.f64s();
  prior_cumulative_ = in.f64s();
  const std::vector<double> scalars = in.f64s();
  if (scalars.size() != 3) bad("column model scalars of the wrong length");
  missing_rate_ = scalars[0], mean_ = scalars[1], scale_ = scalars[2];
  present_ = in.f64s();
  support_ = in.f64s();
  sorted_pred_ = in.f64s();
  sorted_draw_ = in.f64s();
  const std::string classes = in.bytes(), missing = in.bytes(), values = in.bytes();
  xgb::BoosterParams p;
  if (!regression_) {
    const size_t k = class_level_.size();
    if (k == 0 || prior_cumulative_.size() != k || pooled_.size() != pooled_cumulative_.size())
      bad("class tables of inconsistent lengths");
    for (int l : class_level_)
      if (l < -2 || l >= static_cast<int>(levels) || (l == -2 && pooled_.empty()))
        bad("class level out of range");
    for (int l : pooled_)
      if (l < 0 || l >= static_cast<int>(levels)) bad("pooled level out of range");
    p.objective = k == 2 ? xgb::Objective::binary : xgb::Objective::multiclass;
    p.num_class = static_cast<int>(k);
    classes_.load(classes, p, features);
    return;
  }
  p.objective = xgb::Objective::binary;
  missing_.load(missing, p, features);
  p.objective = xgb::Objective::regression;
  values_.load(values, p, features);
  if (values_.trained() && (present_.empty() || window_ == 0 || window_ > sorted_pred_.size() ||
                            sorted_draw_.size() != sorted_pred_.size()))
    bad("prediction tables of inconsistent lengths");
}

}  // namespace lgbm

namespace lgbm {

void LgbmSynthesizer::save(ArchiveWriter& out) const {
  if (data_.num_columns() == 0) throw InvalidArgument("save() called before fit()");
  out.tag("lgbm-v3");
  out.i64(opt_.iterations);
  out.boolean(opt_.redraw_copies);
  out.u64(seed_);
  out.table(data_);
  out.i64s(wide(model_of_));
  enc_.save(out);
  auto save_steps = [&](const std::vector<Step>& steps) {
    out.u64(steps.size());
    for (const Step& s : steps) {
      out.i64(s.column);
      out.i64s(wide(s.features));
      s.model.save(out);
    }
  };
  save_steps(sequence_);
  save_steps(gibbs_);
}

void LgbmSynthesizer::load(ArchiveReader& in) {
  // v2 (before redraw_copies): its samples keep their copies, as they did when it was saved.
  const std::string version = in.str();
  if (version != "lgbm-v2" && version != "lgbm-v3")
    bad("unknown payload '" + version + "' (expected lgbm-v2 or lgbm-v3)");
  const int64_t iterations = in.i64();
  if (iterations < 0 || iterations > 1000) bad("iterations out of range");
  opt_ = LgbmOptions{};
  opt_.iterations = static_cast<int>(iterations);
  opt_.redraw_copies = version == "lgbm-v3" && in.boolean();
  seed_ = in.u64();
  data_ = in.table();
  model_of_ = narrow<int>(in.i64s());
  if (data_.num_columns() == 0 || model_of_.size() != data_.num_columns())
    bad("table and column roles disagree");
  auto table_of = table_columns(model_of_);
  if (!table_of) bad("column roles out of order");
  table_of_ = std::move(*table_of);
  const size_t m = table_of_.size();
  enc_.load(in);
  if (enc_.size() != m) bad("encoder does not match the columns");
  for (size_t j = 0; j < m; ++j) {
    const xgb::FeatureColumn& f = enc_.feature(j);
    if (f.name != data_.column(table_of_[j]).name) bad("encoder column '" + f.name + "' misplaced");
    for (int64_t r : f.level_row)
      if (r < -1 || r >= static_cast<int64_t>(data_.num_rows())) bad("level row out of range");
  }
  auto load_steps = [&](std::vector<Step>& steps) {
    const uint64_t k = in.u64();
    if (k > m) bad("more column models than columns");
    steps.clear();
    steps.resize(k);
    for (Step& s : steps) {
      const int64_t column = in.i64();
      if (column < 0 || static_cast<size_t>(column) >= m) bad("column model out of range");
      s.column = static_cast<int>(column);
      s.features = narrow<int>(in.i64s());
      for (size_t f = 0; f < s.features.size(); ++f)
        if (s.features[f] < 0 || static_cast<size_t>(s.features[f]) >= m ||
            (f > 0 && s.features[f] <= s.features[f - 1]))
          bad("model features out of range or order");
      const xgb::FeatureColumn& fc = enc_.feature(s.column);
      s.model.load(in, s.features.size(), fc.categorical ? fc.level_names.size() : 0);
    }
  };
  load_steps(sequence_);
  std::vector<int> seen(m, 0);
  for (const Step& s : sequence_)
    if (seen[s.column]++) bad("visit order is not a permutation");
  if (sequence_.size() != m) bad("visit order is not a permutation");
  load_steps(gibbs_);
  if (!gibbs_.empty()) {
    if (gibbs_.size() != m) bad("Gibbs models do not cover every column");
    for (size_t j = 0; j < m; ++j)
      if (gibbs_[j].column != static_cast<int>(j)) bad("Gibbs models out of order");
  }
}

}  // namespace lgbm

}  // namespace calm
