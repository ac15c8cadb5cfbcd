// The built-in registry: each family's register_* function (models/families.hpp), then the methods
// the seed names that are not built yet, declared unavailable so that `calm methods` lists them
// and using one gives a clear "not available yet" error.
#include <array>

#include "calm/api/methods.hpp"
#include "models/families.hpp"

namespace calm {

namespace {

void declare_planned(Registry& r, const std::string& name, const std::string& family,
                     const std::string& summary) {
  MethodInfo m;
  m.name = name;
  m.family = family;
  m.summary = summary;
  m.available = false;
  r.add(std::move(m));
}

void register_builtin_methods(Registry& r) {
  register_resample_methods(r);
  register_copula_methods(r);
  register_fcs_methods(r);
  register_mixture_methods(r);
  register_oversampling_methods(r);
  register_sequence_methods(r);
#ifdef CALM_HAS_TORCH  // without libtorch the deep methods stay declared as planned below
  register_deep_methods(r);
  const DpGanHooks gans = dp_gan_hooks();
  register_dp_methods(r, &gans);
#else
  register_dp_methods(r, nullptr);
#endif
  const std::vector<std::array<std::string, 3>> planned = {
      {"gmm", "statistical", "Gaussian mixture model (EM)"},
      {"smote", "oversampling", "SMOTE / SMOTE-NC oversampling of the minority classes"},
      {"adasyn", "oversampling", "ADASYN adaptive synthetic oversampling"},
      {"ctgan", "deep", "Conditional tabular GAN (Xu et al. 2019)"},
      {"tvae", "deep", "Tabular variational autoencoder (Xu et al. 2019)"},
      {"copulagan", "deep", "CTGAN over Gaussian-copula normal scores"},
      {"diffusion", "deep", "TabDDPM tabular diffusion (Kotelnikov et al. 2023)"},
      {"par", "time-series", "Probabilistic autoregressive model for sequences"},
      {"timegan", "time-series", "TimeGAN"},
      {"dgan", "time-series", "DoppelGANger"},
      {"scvi", "single-cell", "scVI variational autoencoder"},
      {"scgen", "single-cell", "scGen perturbation model"},
  };
  for (const auto& p : planned)
    if (!r.find(p[0])) declare_planned(r, p[0], p[1], p[2]);
}

}  // namespace

const Registry& method_registry() {
  static const Registry instance = [] {
    Registry r;
    register_builtin_methods(r);
    return r;
  }();
  return instance;
}

}  // namespace calm
