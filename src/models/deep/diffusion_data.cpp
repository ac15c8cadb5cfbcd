// Encoding of a table for TabDDPM's Gaussian + multinomial diffusion (Kotelnikov et al. 2023) and
// the write-back of generated rows.
#include "models/deep/diffusion_data.hpp"

#include <cmath>
#include <limits>

#include "calm/core/error.hpp"

namespace calm {

void DiffusionData::fit(const Table& data, const Schema& schema,
                        const std::optional<std::string>& target) {
  layout_ = MixedLayout::fit(data, schema, /*standardize=*/false);
  const size_t n = data.num_rows(), p = layout_.numerics().size();
  const std::vector<double> numeric = layout_.numeric_matrix(data);
  quantiles_.assign(p, {});
  indicated_.clear();
  for (size_t j = 0; j < p; ++j) {
    std::vector<double> column(n);
    for (size_t i = 0; i < n; ++i) column[i] = numeric[i * p + j];
    quantiles_[j].fit(column);
    if (layout_.numerics()[j].has_missing) indicated_.push_back(j);
  }
  label_.reset();
  label_name_.clear();
  label_counts_.clear();
  if (target) {
    const auto names = data.column_names();
    for (size_t c = 0; c < names.size(); ++c)
      if (names[c] == *target && layout_.discrete_of_column(c) >= 0) {
        label_ = static_cast<size_t>(layout_.discrete_of_column(c));
        label_name_ = *target;
      }
  }
  diffused_.clear();
  categories_.clear();
  const auto& discretes = layout_.discretes();
  for (size_t f = 0; f < discretes.size(); ++f)
    if (f != label_) {
      diffused_.push_back(f);
      categories_.push_back(static_cast<int64_t>(discretes[f].levels.size()));
    }
  categories_.insert(categories_.end(), indicated_.size(), 2);
  if (label_) {
    label_counts_.assign(discretes[*label_].levels.size(), 0.0);
    const auto codes = layout_.discrete_codes(data);
    for (size_t i = 0; i < n; ++i)
      label_counts_[static_cast<size_t>(codes[i * discretes.size() + *label_])] += 1;
  }
}

int DiffusionData::label_of(double value) const {
  return label_ ? layout_.discretes()[*label_].level_of(value) : -1;
}

DiffusionRows DiffusionData::encode(const Table& data) const {
  DiffusionRows r;
  r.n = data.num_rows();
  const size_t p = quantiles_.size(), q = layout_.discretes().size(), c = categories_.size();
  const std::vector<double> numeric = layout_.numeric_matrix(data);
  const std::vector<int32_t> codes = layout_.discrete_codes(data);
  r.numeric.resize(r.n * p);
  r.codes.resize(r.n * c);
  if (label_) r.labels.resize(r.n);
  for (size_t i = 0; i < r.n; ++i) {
    for (size_t j = 0; j < p; ++j) {
      const double v = numeric[i * p + j];
      r.numeric[i * p + j] = std::isnan(v) ? 0.0F : static_cast<float>(quantiles_[j].to_score(v));
    }
    for (size_t k = 0; k < diffused_.size(); ++k) r.codes[i * c + k] = codes[i * q + diffused_[k]];
    for (size_t k = 0; k < indicated_.size(); ++k)
      r.codes[i * c + diffused_.size() + k] = std::isnan(numeric[i * p + indicated_[k]]) ? 1 : 0;
    if (label_) r.labels[i] = codes[i * q + *label_];
  }
  return r;
}

Table DiffusionData::decode(const DiffusionRows& r) const {
  const size_t p = quantiles_.size(), q = layout_.discretes().size(), c = categories_.size();
  std::vector<double> numeric(r.n * p);
  std::vector<int32_t> codes(r.n * q, 0);  // a discrete outside the model has one level
  for (size_t i = 0; i < r.n; ++i) {
    for (size_t j = 0; j < p; ++j)
      numeric[i * p + j] = quantiles_[j].from_score(r.numeric[i * p + j]);
    for (size_t k = 0; k < indicated_.size(); ++k)
      if (r.codes[i * c + diffused_.size() + k] == 1)
        numeric[i * p + indicated_[k]] = std::numeric_limits<double>::quiet_NaN();
    for (size_t k = 0; k < diffused_.size(); ++k)
      codes[i * q + diffused_[k]] = static_cast<int32_t>(r.codes[i * c + k]);
    if (label_) codes[i * q + *label_] = static_cast<int32_t>(r.labels[i]);
  }
  return layout_.build(r.n, numeric, codes);
}

namespace {

std::vector<int64_t> to_i64(const std::vector<size_t>& v) {
  return {v.begin(), v.end()};
}

std::vector<size_t> to_size(const std::vector<int64_t>& v, size_t bound) {
  std::vector<size_t> out;
  for (int64_t x : v) {
    if (x < 0 || static_cast<size_t>(x) >= bound)
      throw DataError("diffusion: corrupt column index in the model file");
    out.push_back(static_cast<size_t>(x));
  }
  return out;
}

}  // namespace

void DiffusionData::save(ArchiveWriter& out) const {
  out.tag("diffusion-data");
  layout_.save(out);
  for (const auto& q : quantiles_) q.save(out);
  out.i64s(to_i64(diffused_));
  out.i64s(to_i64(indicated_));
  out.i64s(categories_);
  out.boolean(label_.has_value());
  out.u64(label_.value_or(0));
  out.str(label_name_);
  out.f64s(label_counts_);
}

void DiffusionData::load(ArchiveReader& in) {
  in.tag("diffusion-data");
  layout_ = MixedLayout::load(in);
  quantiles_.assign(layout_.numerics().size(), {});
  for (auto& q : quantiles_) q.load(in);
  diffused_ = to_size(in.i64s(), layout_.discretes().size());
  indicated_ = to_size(in.i64s(), quantiles_.size());
  categories_ = in.i64s();
  const bool has_label = in.boolean();
  const uint64_t label = in.u64();
  label_ = has_label ? std::optional<size_t>(label) : std::nullopt;
  label_name_ = in.str();
  label_counts_ = in.f64s();
  if (categories_.size() != diffused_.size() + indicated_.size() ||
      (label_ && (*label_ >= layout_.discretes().size() ||
                  label_counts_.size() != layout_.discretes()[*label_].levels.size())))
    throw DataError("diffusion: inconsistent column layout in the model file");
}

}  // namespace calm
