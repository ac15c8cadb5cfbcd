// Registration of the deep family (built only with libtorch): ctgan, tvae, copulagan.
#include "models/deep/ctgan.hpp"
#include "models/deep/tvae.hpp"
#include "models/families.hpp"

namespace calm {

void register_deep_methods(Registry& r) {
  MethodInfo ctgan;
  ctgan.name = "ctgan";
  ctgan.family = "deep";
  ctgan.summary =
      "Conditional tabular GAN: mode-specific normalisation, training-by-sampling, PacGAN, "
      "WGAN-GP (libtorch); honours custom_distributions on one discrete column";
  ctgan.reference =
      "Xu, Skoularidou, Cuesta-Infante & Veeramachaneni (2019), Modeling Tabular "
      "Data using Conditional GAN, NeurIPS";
  ctgan.params = ctgan_param_spec(false);
  ctgan.create = [] { return std::make_unique<CtganSynthesizer>(false); };
  r.add(std::move(ctgan));

  MethodInfo tvae;
  tvae.name = "tvae";
  tvae.family = "deep";
  tvae.summary = "Tabular variational autoencoder over mode-normalised rows (libtorch)";
  tvae.reference =
      "Xu et al. (2019), Modeling Tabular Data using Conditional GAN, NeurIPS; "
      "Kingma & Welling (2014), Auto-Encoding Variational Bayes";
  tvae.params = tvae_param_spec();
  tvae.create = [] { return std::make_unique<TvaeSynthesizer>(); };
  r.add(std::move(tvae));

  MethodInfo copulagan;
  copulagan.name = "copulagan";
  copulagan.family = "deep";
  copulagan.summary =
      "CTGAN over normal scores of fitted marginals (SDV's CopulaGAN); honours "
      "custom_distributions on one discrete column";
  copulagan.reference =
      "Xu et al. (2019); Patki, Wedge & Veeramachaneni (2016), The Synthetic "
      "Data Vault (CopulaGAN)";
  copulagan.params = ctgan_param_spec(true);
  copulagan.create = [] { return std::make_unique<CtganSynthesizer>(true); };
  r.add(std::move(copulagan));
}

}  // namespace calm
