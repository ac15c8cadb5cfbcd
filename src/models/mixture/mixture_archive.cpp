// Save/load of the mixed layout and of a fitted Gaussian mixture. Everything sample() reads is
// stored as computed at fit (Cholesky factors and cumulative tables included), not recomputed, so
// a loaded model draws bit-identical rows.
#include "calm/core/error.hpp"
#include "core/matrix_archive.hpp"
#include "models/mixture/gmm_synthesizer.hpp"
#include "transform/mixed_layout.hpp"

namespace calm {
namespace {

void save_matrices(ArchiveWriter& out, const std::vector<Eigen::MatrixXd>& ms) {
  out.u64(ms.size());
  for (const auto& m : ms) save_matrix(out, m);
}

// Element counts are read as u64 fields and the elements appended one by one, so a corrupt count
// fails at the end of the data instead of allocating for it.
template <typename T, typename Read>
std::vector<T> load_list(ArchiveReader& in, Read read) {
  std::vector<T> out;
  for (uint64_t k = in.u64(); k > 0; --k) out.push_back(read());
  return out;
}

std::vector<Eigen::MatrixXd> load_matrices(ArchiveReader& in) {
  return load_list<Eigen::MatrixXd>(in, [&] { return load_matrix(in, "gmm"); });
}

}  // namespace

void MixedLayout::save(ArchiveWriter& out) const {
  out.tag("mixed-layout");
  out.u64(rows_);
  out.u64(numerics_.size());
  for (const NumericFeature& f : numerics_) {
    out.u64(f.column);
    out.f64(f.mean);
    out.f64(f.scale);
    out.boolean(f.has_missing);
  }
  out.u64(discretes_.size());
  for (const DiscreteFeature& f : discretes_) {
    out.u64(f.column);
    out.f64s(f.levels);
  }
  out.u64(outputs_.size());
  for (const ColumnModel& m : outputs_) save_column_model(out, m);
  out.u64(slots_.size());
  for (const Slot& s : slots_) {
    out.u64(static_cast<uint64_t>(s.role));
    out.u64(s.index);
  }
}

MixedLayout MixedLayout::load(ArchiveReader& in) {
  in.tag("mixed-layout");
  MixedLayout L;
  L.rows_ = in.u64();
  L.numerics_ = load_list<NumericFeature>(in, [&] {
    NumericFeature f;
    f.column = in.u64();
    f.mean = in.f64();
    f.scale = in.f64();
    f.has_missing = in.boolean();
    return f;
  });
  L.discretes_ = load_list<DiscreteFeature>(in, [&] {
    DiscreteFeature f;
    f.column = in.u64();
    f.levels = in.f64s();
    return f;
  });
  L.outputs_ = load_list<ColumnModel>(in, [&] { return load_column_model(in); });
  L.slots_ = load_list<Slot>(in, [&] {
    const uint64_t role = in.u64();
    if (role > static_cast<uint64_t>(Role::id)) throw DataError("mixed layout: unknown role");
    Slot s{static_cast<Role>(role), static_cast<size_t>(in.u64())};
    const size_t bound = s.role == Role::numeric ? L.numerics_.size() : L.discretes_.size();
    if (s.role != Role::id && s.index >= bound)
      throw DataError("mixed layout: feature index out of range");
    return s;
  });
  if (L.slots_.size() != L.outputs_.size())
    throw DataError("mixed layout: columns and slots disagree");
  return L;
}

void GaussianMixtureSynthesizer::save(ArchiveWriter& out) const {
  out.tag("gmm-v1");
  layout_.save(out);
  out.u64(static_cast<uint64_t>(covariance_));
  out.f64s(
      std::vector<double>(model_.weights.data(), model_.weights.data() + model_.weights.size()));
  out.u64(model_.means.size());
  for (const auto& m : model_.means) out.f64s(std::vector<double>(m.data(), m.data() + m.size()));
  save_matrices(out, model_.covariances);
  save_matrices(out, model_.log_theta);
  out.f64(model_.lower_bound);
  out.f64(model_.score);
  out.i64(model_.iterations);
  out.boolean(model_.converged);
  out.i32s(std::vector<int32_t>(indicator_of_numeric_.begin(), indicator_of_numeric_.end()));
  save_matrices(out, chol_);
  out.f64s(cum_weights_);
  out.u64(cum_theta_.size());
  for (const auto& per_component : cum_theta_) {
    out.u64(per_component.size());
    for (const auto& table : per_component) out.f64s(table);
  }
  out.f64(score_);
}

void GaussianMixtureSynthesizer::load(ArchiveReader& in) {
  in.tag("gmm-v1");
  layout_ = MixedLayout::load(in);
  const uint64_t cov = in.u64();
  if (cov > static_cast<uint64_t>(CovarianceType::spherical))
    throw DataError("gmm: unknown covariance type");
  covariance_ = static_cast<CovarianceType>(cov);
  const std::vector<double> w = in.f64s();
  model_.weights = Eigen::Map<const Eigen::VectorXd>(w.data(), static_cast<Eigen::Index>(w.size()));
  model_.means = load_list<Eigen::VectorXd>(in, [&] {
    const std::vector<double> v = in.f64s();
    return Eigen::VectorXd(
        Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size())));
  });
  model_.covariances = load_matrices(in);
  model_.log_theta = load_matrices(in);
  model_.lower_bound = in.f64();
  model_.score = in.f64();
  model_.iterations = static_cast<int>(in.i64());
  model_.converged = in.boolean();
  const std::vector<int32_t> ind = in.i32s();
  indicator_of_numeric_.assign(ind.begin(), ind.end());
  chol_ = load_matrices(in);
  cum_weights_ = in.f64s();
  cum_theta_ = load_list<std::vector<std::vector<double>>>(
      in, [&] { return load_list<std::vector<double>>(in, [&] { return in.f64s(); }); });
  score_ = in.f64();
  const size_t K = cum_weights_.size(), p = layout_.numerics().size();
  if (K == 0 || model_.means.size() != K || chol_.size() != K || cum_theta_.size() != K ||
      indicator_of_numeric_.size() != p)
    throw DataError("gmm: component counts disagree");
  for (size_t k = 0; k < K; ++k)
    if (static_cast<size_t>(model_.means[k].size()) != p ||
        cum_theta_[k].size() < layout_.discretes().size())
      throw DataError("gmm: component sizes disagree");
  for (int ind : indicator_of_numeric_)
    for (size_t k = 0; k < K; ++k)
      if (ind >= static_cast<int>(cum_theta_[k].size()))
        throw DataError("gmm: missing-value indicator out of range");
}

}  // namespace calm
