// The shared frame of the marginal-based DP methods (see coded_synthesizer.hpp).
#include "privacy/coded_synthesizer.hpp"

#include <algorithm>

#include "calm/core/apportion.hpp"
#include "calm/core/error.hpp"

namespace calm {
namespace {

// Row values of attribute `attr` meeting the requested shares exactly (largest remainder), in a
// seeded random order so that the fixed values are not sorted in the output.
std::vector<int32_t> fixed_values_for(const ColumnShares& s, const DomainColumn& col, size_t n,
                                      uint64_t seed) {
  std::vector<double> weights(s.shares);
  std::vector<int32_t> level(s.shares.size(), -1);
  for (size_t k = 0; k < s.labels.size(); ++k) {
    auto it = std::find(col.levels.begin(), col.levels.end(), s.labels[k]);
    if (it != col.levels.end()) {
      level[k] = static_cast<int32_t>(it - col.levels.begin());
    } else if (s.shares[k] > 0) {
      throw DataError("custom_distributions['" + s.column + "'] asks for '" + s.labels[k] +
                      "', which the DP domain does not hold (" +
                      (col.public_domain ? "not in the public domain given"
                                         : "too rare to be released privately") +
                      "): list it in model_params domain");
    }
  }
  const auto counts = largest_remainder(n, weights);
  std::vector<int32_t> v;
  v.reserve(n);
  for (size_t k = 0; k < counts.size(); ++k) v.insert(v.end(), counts[k], level[k]);
  Rng rng(seed, stream_id(StreamPurpose::sample, 1ULL << 55));
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
  return v;
}

}  // namespace

void CodedDpSynthesizer::fit(const Table& data, const FitContext& ctx) {
  budget_ = plan_budget(ctx.params, ctx.schema, data.num_rows(), accounting(), mechanism());
  Rng rng(ctx.seed, stream_id(StreamPurpose::fit, 0));
  domain_ = DpDomain::learn(data, ctx.schema, domain_options(ctx.params, budget_), rng, ctx.log);
  const CodedTable coded = domain_.encode(data);
  if (coded.attributes() == 0)
    throw DataError(std::string(mechanism()) + ": no column to model (every column is an id)");
  const int target = ctx.target_col ? domain_.attribute_of(*ctx.target_col) : -1;
  ModelFit fit{coded, budget_.model_budget, target, ctx.params, rng, ctx.threads, ctx.log};
  model_spends_ = fit_model(fit);
}

Table CodedDpSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  int fixed_attr = -1;
  std::vector<int32_t> fixed;
  if (ctx.shares) {
    fixed_attr = domain_.attribute_of(ctx.shares->column);
    if (fixed_attr < 0)
      throw NotAvailable("column '" + ctx.shares->column + "' is an id; it cannot take shares");
    const DomainColumn& col = domain_.columns()[domain_.attribute_columns()[fixed_attr]];
    if (col.semantic == SemanticType::numerical || col.semantic == SemanticType::datetime)
      throw NotAvailable(std::string(mechanism()) + " conditions on categorical columns only");
    fixed = fixed_values_for(*ctx.shares, col, n, ctx.seed);
  }
  const Codes codes =
      sample_model(n, ctx.seed, ctx.threads, fixed_attr, fixed_attr >= 0 ? &fixed : nullptr);
  // Codes index the domain's levels: a loaded model that draws past them is corrupt.
  const std::vector<size_t>& attributes = domain_.attribute_columns();
  if (codes.size() != attributes.size())
    throw DataError("model file: the DP model does not match its domain (corrupt)");
  for (size_t a = 0; a < codes.size(); ++a) {
    const int32_t levels = domain_.columns()[attributes[a]].size();
    for (int32_t c : codes[a])
      if (c < 0 || c >= levels)
        throw DataError("model file: the DP model draws codes outside its domain (corrupt)");
  }
  return domain_.decode(codes, ctx.seed, ctx.threads);
}

Json CodedDpSynthesizer::privacy_guarantee() const {
  return guarantee_json(budget_, domain_, model_spends_, mechanism());
}

void CodedDpSynthesizer::save(ArchiveWriter& out) const {
  out.tag(mechanism());
  domain_.save(out);
  out.f64s({budget_.epsilon, budget_.delta, budget_.rho, budget_.domain_budget,
            budget_.domain_delta, budget_.model_budget});
  out.str(model_spends_.dump());
  save_model(out);
}

void CodedDpSynthesizer::load(ArchiveReader& in) {
  in.tag(mechanism());
  domain_.load(in);
  const auto b = in.f64s();
  if (b.size() != 6) throw DataError("model file: the DP budget record is corrupt");
  budget_ = {accounting(), b[0], b[1], b[2], b[3], b[4], b[5]};
  model_spends_ = Json::parse(in.str(), nullptr, false);
  if (!model_spends_.is_array()) throw DataError("model file: the DP spend record is corrupt");
  load_model(in);
}

}  // namespace calm
