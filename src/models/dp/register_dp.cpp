// The dp family's methods: `dp` (one method, the algorithm chosen by synth_type) and `datasynth`.
#include <memory>

#include "calm/core/error.hpp"
#include "models/dp/datasynth.hpp"
#include "models/dp/dp_params.hpp"
#include "models/dp/marginal_methods.hpp"
#include "models/dp/mwem_synthesizer.hpp"
#include "models/families.hpp"

namespace calm {
namespace {

// `dp`: the synth_type's synthesizer, created at fit (or load) time.
class DpSynthesizer final : public Synthesizer {
 public:
  explicit DpSynthesizer(std::shared_ptr<const DpGanHooks> gans) : gans_(std::move(gans)) {}

  void fit(const Table& data, const FitContext& ctx) override {
    create(ctx.params.get_string("synth_type"));
    inner_->fit(data, ctx);
  }
  Table sample(size_t n, const SampleContext& ctx) const override {
    return fitted().sample(n, ctx);
  }
  bool can_condition() const override { return inner_ && inner_->can_condition(); }
  bool concurrent_sampling() const override { return inner_ && inner_->concurrent_sampling(); }
  const Schema* released_schema() const override { return fitted().released_schema(); }
  Json privacy_guarantee() const override { return fitted().privacy_guarantee(); }
  void save(ArchiveWriter& out) const override {
    out.tag("dp");
    out.str(synth_type_);
    fitted().save(out);
  }
  void load(ArchiveReader& in) override {
    in.tag("dp");
    create(in.str());
    inner_->load(in);
  }

 private:
  void create(const std::string& synth_type) {
    synth_type_ = synth_type;
    if (synth_type == "mst") {
      inner_ = std::make_unique<MstSynthesizer>();
    } else if (synth_type == "aim") {
      inner_ = std::make_unique<AimSynthesizer>();
    } else if (synth_type == "mwem") {
      inner_ = std::make_unique<MwemSynthesizer>();
    } else if (synth_type == "pate_ctgan" || synth_type == "dpctgan") {
      if (!gans_)
        throw NotAvailable("dp synth_type '" + synth_type +
                           "' needs the deep methods (this build has no libtorch); "
                           "synth_type mst, aim or mwem work without it");
      inner_ = gans_->create(synth_type);
    } else {
      throw InvalidArgument("unknown dp synth_type '" + synth_type +
                            "'; valid: " + join_names(dp_synth_types()));
    }
  }
  const Synthesizer& fitted() const {
    if (!inner_) throw InternalError("dp: used before fit or load");
    return *inner_;
  }

  std::shared_ptr<const DpGanHooks> gans_;
  std::string synth_type_;
  std::unique_ptr<Synthesizer> inner_;
};

}  // namespace

ParamSpec DatasynthSynthesizer::param_spec() {
  ParamSpec spec;
  spec.add({.name = "k",
            .type = ParamType::integer,
            .default_value = 5,
            .doc = "most parents of an attribute in the Bayesian network (0: independent "
                   "columns; 1: a tree)",
            .aliases = {"degree"},
            .min = 0.0,
            .max = 20.0});
  spec.add({.name = "theta",
            .type = ParamType::number,
            .default_value = 4.0,
            .doc = "PrivBayes' theta-usefulness (Zhang et al. 2017): parent sets are kept small "
                   "enough that a conditional table averages theta rows per cell of noise, so k "
                   "is an upper bound on small tables; 0: always k parents (DataSynthesizer)",
            .min = 0.0,
            .max = 1000.0});
  for (auto& p : dp_common_params(1.0, 20)) spec.add(std::move(p));
  return spec;
}

void register_dp_methods(Registry& r, const DpGanHooks* gans) {
  auto hooks = gans ? std::make_shared<const DpGanHooks>(*gans) : nullptr;
  MethodInfo dp;
  dp.name = "dp";
  dp.family = "privacy";
  dp.summary =
      "Differentially private synthesis, (epsilon, delta)-DP: synth_type mst, aim (Private-PGM), "
      "mwem, pate_ctgan, dpctgan; exact discrete noise; the guarantee goes into the report";
  dp.reference =
      "McKenna, Miklau & Sheldon (2021) MST; McKenna et al. (2022) AIM; McKenna, Sheldon & "
      "Miklau (2019) Private-PGM; Hardt, Ligett & McSherry (2012) MWEM; Jordon, Yoon & van der "
      "Schaar (2019) PATE-GAN; Abadi et al. (2016) DP-SGD; Canonne, Kamath & Steinke (2020)";
  for (auto& p : dp_marginal_params()) dp.params.add(std::move(p));
  for (auto& p : dp_common_params(1.0, 32)) dp.params.add(std::move(p));
  if (hooks)
    for (const auto& p : hooks->params) dp.params.add(p);
  dp.create = [hooks] { return std::make_unique<DpSynthesizer>(hooks); };
  // The marginal methods hold the table and its discretised copy (their model size is bounded
  // by max_model_size / max_cells); the GANs, their networks.
  dp.memory = [hooks](size_t rows, size_t columns, const Params& p) {
    const std::string type = p.get_string("synth_type");
    if (hooks && hooks->memory && (type == "pate_ctgan" || type == "dpctgan"))
      return hooks->memory(rows, columns, p);
    return table_fit_memory(rows, columns);
  };
  r.add(std::move(dp));

  MethodInfo ds;
  ds.name = "datasynth";
  ds.family = "privacy";
  ds.summary =
      "PrivBayes as DataSynthesizer's correlated mode: a degree-k Bayesian network learnt "
      "under epsilon-DP, noisy conditionals, ancestral sampling";
  ds.reference =
      "Zhang, Cormode, Procopiuc, Srivastava & Xiao (2014/2017) PrivBayes; Ping, Stoyanovich & "
      "Howe (2017) DataSynthesizer";
  ds.params = DatasynthSynthesizer::param_spec();
  ds.create = [] { return std::make_unique<DatasynthSynthesizer>(); };
  r.add(std::move(ds));
}

}  // namespace calm
