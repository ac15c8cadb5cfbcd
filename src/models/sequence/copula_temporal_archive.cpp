// Save/load of a fitted copula_temporal: the output layout, keys and time model, the entity
// copula (column models, variables, Cholesky factor) and the step copula (column models, gain and
// factor), stored value for value so that a loaded model samples bit-identical rows.
#include "calm/core/error.hpp"
#include "core/matrix_archive.hpp"
#include "models/sequence/copula_temporal.hpp"

namespace calm {
namespace {

constexpr const char* kWhat = "copula_temporal";

// A count written with u64(), refused above `most` (a corrupt file must not ask for gigabytes).
size_t count(ArchiveReader& in, size_t most = size_t{1} << 24) {
  const uint64_t n = in.u64();
  if (n > most) throw DataError(std::string(kWhat) + ": impossible count " + std::to_string(n));
  return static_cast<size_t>(n);
}

void save_vars(ArchiveWriter& out, const std::vector<CopulaVariable>& vars) {
  out.u64(vars.size());
  for (const CopulaVariable& v : vars) {
    out.u64(v.column);
    out.boolean(v.missing_indicator);
  }
}

std::vector<CopulaVariable> load_vars(ArchiveReader& in, size_t columns) {
  std::vector<CopulaVariable> vars(count(in, columns * 2));
  for (CopulaVariable& v : vars) {
    v.column = in.u64();
    v.missing_indicator = in.boolean();
    if (v.column >= columns) throw DataError(std::string(kWhat) + ": variable out of range");
  }
  return vars;
}

void save_models(ArchiveWriter& out, const std::vector<ColumnModel>& models) {
  out.u64(models.size());
  for (const ColumnModel& m : models) save_column_model(out, m);
}

std::vector<ColumnModel> load_models(ArchiveReader& in) {
  std::vector<ColumnModel> models;
  const size_t n = count(in);
  for (size_t i = 0; i < n; ++i) models.push_back(load_column_model(in));
  return models;
}

void save_optional_model(ArchiveWriter& out, const std::optional<ColumnModel>& m) {
  out.boolean(m.has_value());
  if (m) save_column_model(out, *m);
}

std::optional<ColumnModel> load_optional_model(ArchiveReader& in) {
  if (!in.boolean()) return std::nullopt;
  return load_column_model(in);
}

}  // namespace

void CopulaTemporalSynthesizer::save(ArchiveWriter& out) const {
  out.tag("copula_temporal-v1");
  out.u64(prototypes_.size());
  for (const Column& p : prototypes_) out.column(p);
  out.u64(key_);
  out.boolean(time_.has_value());
  out.u64(time_.value_or(0));
  std::vector<int64_t> varying(varying_.begin(), varying_.end());
  out.i64s(varying);
  keys_.save(out);
  out.boolean(timing_.has_value());
  if (timing_) timing_->save(out);
  out.boolean(rows_unit_);
  out.boolean(span_as_share_);
  out.u64(max_length_);
  out.tag("entity");
  save_models(out, entity_models_);
  std::vector<uint8_t> slots;
  for (Slot s : entity_slots_) slots.push_back(static_cast<uint8_t>(s));
  out.u8s(slots);
  std::vector<int64_t> sources(entity_source_.begin(), entity_source_.end());
  out.i64s(sources);
  out.schema(context_shape_);
  save_vars(out, entity_vars_);
  save_matrix(out, entity_lower_);
  out.tag("steps");
  save_models(out, step_models_);
  save_vars(out, step_vars_);
  out.i32s(std::vector<int32_t>(entity_inputs_.begin(), entity_inputs_.end()));
  save_optional_model(out, position_model_);
  save_optional_model(out, delta_model_);
  save_matrix(out, step_.gain);
  save_matrix(out, step_.lower);
  save_matrix(out, step_mean_);
  save_matrix(out, step_sd_);
}

void CopulaTemporalSynthesizer::load(ArchiveReader& in) {
  in.tag("copula_temporal-v1");
  prototypes_.clear();
  const size_t columns = count(in);
  for (size_t j = 0; j < columns; ++j) prototypes_.push_back(in.column());
  auto index = [&](uint64_t j) {
    if (j >= prototypes_.size()) throw DataError(std::string(kWhat) + ": column out of range");
    return static_cast<size_t>(j);
  };
  key_ = index(in.u64());
  const bool has_time = in.boolean();
  const uint64_t time = in.u64();
  time_.reset();
  if (has_time) time_ = index(time);
  varying_.clear();
  for (int64_t j : in.i64s()) varying_.push_back(index(static_cast<uint64_t>(j)));
  keys_ = EntityKeys::load(in);
  timing_.reset();
  if (in.boolean()) timing_ = SequenceTime::load(in);
  if (timing_) {
    for (const auto& l : timing_->lookups) index(l.column);
    for (const auto& b : timing_->bounds) index(b.column);
  }
  rows_unit_ = in.boolean();
  span_as_share_ = in.boolean();
  max_length_ = in.u64();
  if (max_length_ == 0) throw DataError(std::string(kWhat) + ": bad maximum length");
  in.tag("entity");
  entity_models_ = load_models(in);
  entity_slots_.clear();
  for (uint8_t s : in.u8s()) {
    if (s > static_cast<uint8_t>(Slot::level))
      throw DataError(std::string(kWhat) + ": bad entity column slot");
    entity_slots_.push_back(static_cast<Slot>(s));
  }
  entity_source_.clear();
  for (int64_t j : in.i64s()) entity_source_.push_back(index(static_cast<uint64_t>(j)));
  if (entity_slots_.size() != entity_models_.size() ||
      entity_source_.size() != entity_models_.size())
    throw DataError(std::string(kWhat) + ": entity columns do not match their models");
  context_shape_ = in.schema();
  size_t contexts = 0;
  for (Slot s : entity_slots_) contexts += s == Slot::context;
  if (context_shape_.size() != contexts)
    throw DataError(std::string(kWhat) + ": context shapes do not match the context columns");
  entity_vars_ = load_vars(in, entity_models_.size());
  entity_lower_ = load_matrix(in, kWhat);
  in.tag("steps");
  step_models_ = load_models(in);
  if (step_models_.size() != varying_.size())
    throw DataError(std::string(kWhat) + ": step models do not match the varying columns");
  step_vars_ = load_vars(in, step_models_.size());
  entity_inputs_.clear();
  for (int32_t v : in.i32s()) {
    if (v < 0 || static_cast<size_t>(v) >= entity_vars_.size())
      throw DataError(std::string(kWhat) + ": entity input out of range");
    entity_inputs_.push_back(v);
  }
  position_model_ = load_optional_model(in);
  delta_model_ = load_optional_model(in);
  if (!position_model_) throw DataError(std::string(kWhat) + ": no position model");
  step_.gain = load_matrix(in, kWhat);
  step_.lower = load_matrix(in, kWhat);
  const Eigen::MatrixXd mean = load_matrix(in, kWhat), sd = load_matrix(in, kWhat);
  if (mean.cols() != 1 || sd.cols() != 1)
    throw DataError(std::string(kWhat) + ": step scaling is not a vector");
  step_mean_ = mean.col(0);
  step_sd_ = sd.col(0);
  const auto d = static_cast<Eigen::Index>(entity_vars_.size());
  const Eigen::Index q = static_cast<Eigen::Index>(step_vars_.size()) +
                         (delta_model_ && delta_model_->var >= 0 ? 1 : 0);
  const Eigen::Index p = static_cast<Eigen::Index>(entity_inputs_.size()) +
                         (position_model_->var >= 0 ? 1 : 0) +
                         static_cast<Eigen::Index>(step_vars_.size());
  if (entity_lower_.rows() != d || entity_lower_.cols() != d || step_.lower.rows() != q ||
      step_.lower.cols() != q || step_.gain.rows() != q || step_.gain.cols() != p ||
      step_mean_.size() != p + q || step_sd_.size() != p + q)
    throw DataError(std::string(kWhat) + ": copula sizes do not match the variables");
  check_copula_variables(entity_models_, entity_vars_.size(), kWhat);
  check_copula_variables(step_models_, step_vars_.size(), kWhat);
}

}  // namespace calm
