// The shared machinery of the dp GANs: layout, conditional generator, conditions, sampling to
// codes, persistence and the guarantee (see dp_gan.hpp).
#include "models/deep/dp_gan.hpp"

#include <algorithm>
#include <cmath>

#include "calm/core/error.hpp"
#include "models/deep/torch_common.hpp"
#include "privacy/mechanisms.hpp"
#include "privacy/zcdp.hpp"

namespace calm {
namespace {

constexpr double kTau = 0.2;              // CTGAN's Gumbel-softmax temperature
constexpr double kEmptyCondition = 0.5;   // share of rows without a condition
constexpr int64_t kSampleBatch = 1000;    // rows per sampling batch (its own Philox stream)
constexpr int kTorchThreads = 1;          // as ctgan: same rows on any thread count
constexpr double kWarmWeightScale = 0.1;  // the output weights' scale after a warm start

}  // namespace

void DpGan::layout(const std::vector<int>& sizes) {
  sizes_ = sizes;
  offsets_.clear();
  spans_.clear();
  cond_attrs_.clear();
  cond_offsets_.assign(sizes.size(), -1);
  width_ = cond_width_ = 0;
  const DpDomain& d = domain();
  for (size_t a = 0; a < sizes.size(); ++a) {
    offsets_.push_back(width_);
    spans_.push_back({static_cast<size_t>(width_), static_cast<size_t>(sizes[a]),
                      SpanActivation::softmax, true});
    width_ += sizes[a];
    const SemanticType s = d.columns()[d.attribute_columns()[a]].semantic;
    if ((s == SemanticType::categorical || s == SemanticType::boolean) && sizes[a] >= 2) {
      cond_attrs_.push_back(static_cast<int>(a));
      cond_offsets_[a] = cond_width_;
      cond_width_ += sizes[a];
    }
  }
}

void DpGan::build_generator() {
  generator_ = build_residual_generator(o_.embedding_dim + cond_width_, o_.generator_dim, width_);
  generator_->to(device_);
}

void DpGan::prepare(const ModelFit& fit) {
  o_ = dp_gan_options(fit.params);
  device_ = resolve_device(o_.device, "dp");
  prepare_torch(fit.rng.next_u64(), kTorchThreads);
  data_ = &fit.data;
  layout(fit.data.sizes);
  const auto n = static_cast<int64_t>(fit.data.rows());
  if (n == 0) throw DataError("dp: the GANs need at least one row to fit");
  auto t = torch::zeros({n, width_}, torch::kFloat);
  float* p = t.data_ptr<float>();
  for (size_t a = 0; a < sizes_.size(); ++a)
    for (int64_t i = 0; i < n; ++i)
      p[i * width_ + offsets_[a] + fit.data.codes[a][static_cast<size_t>(i)]] = 1;
  train_ = t.to(device_);
  build_generator();
  model_guarantee_ = Json::object();
  anchor_ = torch::Tensor();
}

double DpGan::model_delta(const ModelFit& fit) const {
  return fit.params.get_double("delta") - domain_delta();
}

double DpGan::warm_start_rho(double epsilon, double delta) const {
  if (!(o_.warm_start > 0)) return 0;
  return o_.warm_start * privacy::zcdp_rho(epsilon, delta);
}

void DpGan::warm_start(const ModelFit& fit, double rho) {
  if (!(rho > 0)) return;
  const double per_attribute = rho / static_cast<double>(sizes_.size());
  auto* out = (*generator_)[generator_->size() - 1]->as<torch::nn::Linear>();
  auto bias = torch::zeros({width_}, torch::kFloat);
  float* b = bias.data_ptr<float>();
  for (size_t a = 0; a < sizes_.size(); ++a) {
    std::vector<int64_t> counts(static_cast<size_t>(sizes_[a]), 0);
    for (int32_t c : fit.data.codes[a]) ++counts[static_cast<size_t>(c)];
    const auto noisy = privacy::gaussian_counts(counts, per_attribute, 1.0, fit.rng);
    double total = 0;
    for (double c : noisy) total += std::max(c, 1.0);
    for (size_t k = 0; k < noisy.size(); ++k)
      b[offsets_[a] + static_cast<int64_t>(k)] =
          static_cast<float>(std::log(std::max(noisy[k], 1.0) / total));
  }
  torch::NoGradGuard no_grad;
  anchor_ = torch::zeros({width_}, torch::kFloat);
  for (size_t a = 0; a < sizes_.size(); ++a) {
    auto span = bias.narrow(0, offsets_[a], sizes_[a]);
    anchor_.narrow(0, offsets_[a], sizes_[a]).copy_(torch::softmax(span, 0));
  }
  anchor_ = anchor_.to(device_);
  out->bias.copy_(bias.to(device_));
  out->weight.mul_(kWarmWeightScale);
}

torch::Tensor DpGan::marginal_loss(const Fake& f) const {
  auto loss = torch::zeros({}, torch::TensorOptions().device(device_));
  if (!anchor_.defined()) return loss;
  std::vector<int64_t> free_rows;
  for (size_t i = 0; i < f.conditions.attr.size(); ++i)
    if (f.conditions.attr[i] < 0) free_rows.push_back(static_cast<int64_t>(i));
  if (free_rows.empty()) return loss;
  const auto logits = f.logits.index_select(0, torch::tensor(free_rows, torch::kLong).to(device_));
  for (size_t a = 0; a < sizes_.size(); ++a) {
    const auto q = torch::softmax(logits.narrow(1, offsets_[a], sizes_[a]), 1).mean(0);
    const auto p = anchor_.narrow(0, offsets_[a], sizes_[a]);
    loss = loss + (p * (p.clamp_min(1e-12).log() - q.clamp_min(1e-12).log())).sum();
  }
  return loss;
}

DpGan::Conditions DpGan::fake_conditions(int64_t batch, Rng& rng) const {
  Conditions c;
  c.attr.assign(static_cast<size_t>(batch), -1);
  c.level.assign(static_cast<size_t>(batch), 0);
  if (cond_attrs_.empty()) return c;
  for (size_t i = 0; i < c.attr.size(); ++i) {
    if (rng.uniform() < kEmptyCondition) continue;
    const int a = cond_attrs_[rng.below(cond_attrs_.size())];
    c.attr[i] = a;
    c.level[i] = static_cast<int>(rng.below(static_cast<uint64_t>(sizes_[a])));
  }
  return c;
}

DpGan::Conditions DpGan::real_conditions(const std::vector<int64_t>& rows, Rng& rng) const {
  Conditions c;
  c.attr.assign(rows.size(), -1);
  c.level.assign(rows.size(), 0);
  if (cond_attrs_.empty()) return c;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rng.uniform() < kEmptyCondition) continue;
    const int a = cond_attrs_[rng.below(cond_attrs_.size())];
    c.attr[i] = a;
    c.level[i] = data_->codes[a][static_cast<size_t>(rows[i])];
  }
  return c;
}

torch::Tensor DpGan::condition_tensor(const Conditions& c) const {
  const auto B = static_cast<int64_t>(c.attr.size());
  auto t = torch::zeros({B, cond_width_}, torch::kFloat);
  float* p = t.data_ptr<float>();
  for (int64_t i = 0; i < B; ++i) {
    const int a = c.attr[static_cast<size_t>(i)];
    if (a >= 0) p[i * cond_width_ + cond_offsets_[a] + c.level[static_cast<size_t>(i)]] = 1;
  }
  return t.to(device_);
}

torch::Tensor DpGan::real_rows(const std::vector<int64_t>& rows) const {
  return train_.index_select(0, torch::tensor(rows, torch::kLong).to(device_));
}

DpGan::Fake DpGan::generate(Conditions c, at::Generator& gen) const {
  Fake f;
  f.conditions = std::move(c);
  f.cond = condition_tensor(f.conditions);
  const auto B = static_cast<int64_t>(f.conditions.attr.size());
  const auto z = torch::randn({B, o_.embedding_dim}, gen).to(device_);
  f.logits = generator_->forward(torch::cat({z, f.cond}, 1));
  f.rows = activate_gumbel(f.logits, spans_, kTau, gen);
  return f;
}

torch::Tensor DpGan::condition_loss(const Fake& f) const {
  const auto B = static_cast<int64_t>(f.conditions.attr.size());
  auto loss = torch::zeros({}, f.logits.options());
  for (int a : cond_attrs_) {
    std::vector<int64_t> rows, levels;
    for (int64_t i = 0; i < B; ++i)
      if (f.conditions.attr[static_cast<size_t>(i)] == a) {
        rows.push_back(i);
        levels.push_back(f.conditions.level[static_cast<size_t>(i)]);
      }
    if (rows.empty()) continue;
    const auto logits = f.logits.index_select(0, torch::tensor(rows, torch::kLong).to(device_))
                            .narrow(1, offsets_[a], sizes_[a]);
    loss = loss + torch::nn::functional::cross_entropy(
                      logits, torch::tensor(levels, torch::kLong).to(device_),
                      torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
  }
  return loss / static_cast<double>(B);
}

void DpGan::progress(const ModelFit& fit, const std::string& line) const {
  if (o_.verbose)
    fit.log.info(line);
  else
    fit.log.debug(line);
}

Codes DpGan::sample_model(size_t n, uint64_t seed, int /*threads*/, int fixed_attr,
                          const std::vector<int32_t>* fixed_values) const {
  torch::NoGradGuard no_grad;
  set_torch_threads(kTorchThreads);
  generator_->eval();
  Codes codes(sizes_.size(), std::vector<int32_t>(n));
  if (fixed_attr >= 0 && cond_offsets_[static_cast<size_t>(fixed_attr)] < 0)
    throw NotAvailable("dp: the GANs condition on categorical columns only");
  for (size_t b = 0; b * kSampleBatch < n; ++b) {
    const size_t begin = b * kSampleBatch;
    const auto B = static_cast<int64_t>(std::min<size_t>(kSampleBatch, n - begin));
    Rng rng(seed, stream_id(StreamPurpose::sample, b));
    at::Generator gen = make_generator(rng);
    Conditions c;
    c.attr.assign(static_cast<size_t>(B), fixed_attr);
    c.level.assign(static_cast<size_t>(B), 0);
    if (fixed_attr >= 0)
      for (int64_t i = 0; i < B; ++i)
        c.level[static_cast<size_t>(i)] = (*fixed_values)[begin + static_cast<size_t>(i)];
    const auto cond = condition_tensor(c);
    const auto z = torch::randn({B, o_.embedding_dim}, gen).to(device_);
    const auto logits = generator_->forward(torch::cat({z, cond}, 1)).to(torch::kCPU);
    // Gumbel-max: the argmax of logits + Gumbel noise is a draw from softmax(logits).
    for (size_t a = 0; a < sizes_.size(); ++a) {
      const auto span = logits.narrow(1, offsets_[a], sizes_[a]);
      const auto gumbel =
          torch::empty(span.sizes(), torch::kFloat).exponential_(1, gen).log().neg();
      const auto pick = (span + gumbel).argmax(1).contiguous();
      const int64_t* p = pick.data_ptr<int64_t>();
      for (int64_t i = 0; i < B; ++i)
        codes[a][begin + static_cast<size_t>(i)] = static_cast<int32_t>(p[i]);
    }
    if (fixed_attr >= 0)
      for (int64_t i = 0; i < B; ++i)
        codes[static_cast<size_t>(fixed_attr)][begin + static_cast<size_t>(i)] =
            c.level[static_cast<size_t>(i)];
  }
  return codes;
}

void DpGan::save_model(ArchiveWriter& out) const {
  out.tag("dp-gan-v1");
  out.str(dp_gan_options_json(o_).dump());
  out.str(model_guarantee_.dump());
  out.i32s(std::vector<int32_t>(sizes_.begin(), sizes_.end()));
  out.bytes(module_to_bytes(generator_));
}

void DpGan::load_model(ArchiveReader& in) {
  in.tag("dp-gan-v1");
  const Json options = Json::parse(in.str(), nullptr, false);
  model_guarantee_ = Json::parse(in.str(), nullptr, false);
  if (!options.is_object() || !model_guarantee_.is_object())
    throw DataError("model file: the dp GAN's settings are corrupt");
  o_ = dp_gan_options_from_json(options);
  device_ = device_for_loading(o_.device, "dp");
  const auto sizes = in.i32s();
  if (sizes.size() != domain().attribute_columns().size())
    throw DataError("model file: the dp GAN does not fit the saved domain");
  layout(std::vector<int>(sizes.begin(), sizes.end()));
  build_generator();
  module_from_bytes(generator_, in.bytes(), device_, "dp");
  generator_->eval();
  train_ = torch::Tensor();
  data_ = nullptr;
}

Json DpGan::privacy_guarantee() const {
  Json g = CodedDpSynthesizer::privacy_guarantee();
  for (const auto& [k, v] : model_guarantee_.items()) {
    if (k == "not_covered" && g.contains(k) && g[k].is_array()) {
      for (const auto& x : v) g[k].push_back(x);
    } else {
      g[k] = v;
    }
  }
  return g;
}

}  // namespace calm
