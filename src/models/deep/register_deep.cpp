// Registration of the deep family (builds with libtorch): ctgan, tvae, copulagan, diffusion, and
// the sequence methods par and dgan.
// Names, documentation and parameters live here in the engine; the networks live in the
// libcalm_deep.so plugin, loaded when a deep synthesizer is first created (deep_plugin.hpp).
#include "models/deep/deep_params.hpp"
#include "models/deep/deep_plugin.hpp"
#include "models/deep/dgan_params.hpp"
#include "models/deep/dp_gan_params.hpp"
#include "models/deep/network_memory.hpp"
#include "models/deep/par_params.hpp"
#include "models/deep/single_cell_params.hpp"
#include "models/deep/timegan_params.hpp"
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
  ctgan.create = [] { return create_deep_synthesizer("ctgan"); };
  ctgan.memory = deep_fit_memory;
  r.add(std::move(ctgan));

  MethodInfo tvae;
  tvae.name = "tvae";
  tvae.family = "deep";
  tvae.summary = "Tabular variational autoencoder over mode-normalised rows (libtorch)";
  tvae.reference =
      "Xu et al. (2019), Modeling Tabular Data using Conditional GAN, NeurIPS; "
      "Kingma & Welling (2014), Auto-Encoding Variational Bayes";
  tvae.params = tvae_param_spec();
  tvae.create = [] { return create_deep_synthesizer("tvae"); };
  tvae.memory = deep_fit_memory;
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
  copulagan.create = [] { return create_deep_synthesizer("copulagan"); };
  copulagan.memory = deep_fit_memory;
  r.add(std::move(copulagan));

  MethodInfo diffusion;
  diffusion.name = "diffusion";
  diffusion.family = "deep";
  diffusion.summary =
      "TabDDPM: Gaussian diffusion on quantile-normalised numerics, multinomial diffusion on "
      "categories, one MLP denoiser (libtorch); class-conditional on a discrete target_col, "
      "which honours custom_distributions on it exactly";
  diffusion.reference =
      "Kotelnikov, Baranchuk, Rubachev & Babenko (2023), TabDDPM: Modelling Tabular Data with "
      "Diffusion Models, ICML; Hoogeboom et al. (2021), Argmax Flows and Multinomial Diffusion";
  diffusion.params = diffusion_param_spec();
  diffusion.create = [] { return create_deep_synthesizer("diffusion"); };
  diffusion.memory = deep_fit_memory;
  r.add(std::move(diffusion));

  // A sequence method (family time-series: the pipeline keeps its entities whole) whose network
  // lives in the plugin.
  MethodInfo par;
  par.name = "par";
  par.family = kSequenceFamily;
  par.summary =
      "Probabilistic autoregressive model (SDV's PAR): Gaussian copula over context, length and "
      "time span, then a GRU drawing each step given the previous one (libtorch); n_samples "
      "counts entities";
  par.reference =
      "Zhang, Patki & Veeramachaneni (2022), Sequential Models in the Synthetic Data Vault, "
      "arXiv:2207.14406";
  par.params = par_param_spec();
  par.create = [] { return create_deep_synthesizer("par"); };
  par.memory = par_fit_memory;
  r.add(std::move(par));

  // Single-cell expression (docs/single_cell.md): gene columns + cell metadata.
  MethodInfo scvi;
  scvi.name = "scvi";
  scvi.family = "single-cell";
  scvi.summary =
      "scVI: VAE with a ZINB/NB likelihood on counts, observed library sizes and an optional "
      "batch covariate (libtorch); per-cell-type latent draws keep type shares and metadata";
  scvi.reference =
      "Lopez, Regier, Cole, Jordan & Yosef (2018), Deep generative modeling for single-cell "
      "transcriptomics, Nature Methods";
  scvi.params = scvi_param_spec();
  scvi.create = [] { return create_deep_synthesizer("scvi"); };
  scvi.memory = single_cell_fit_memory;
  r.add(std::move(scvi));

  MethodInfo scgen;
  scgen.name = "scgen";
  scgen.family = "single-cell";
  scgen.summary =
      "scGen: VAE on log-normalised expression with latent vector arithmetic between "
      "conditions (condition_col; predict one cell type's response); scvi without condition_col";
  scgen.reference =
      "Lotfollahi, Wolf & Theis (2019), scGen predicts single-cell perturbation responses, "
      "Nature Methods";
  scgen.params = scgen_param_spec();
  scgen.create = [] { return create_deep_synthesizer("scgen"); };
  scgen.memory = single_cell_fit_memory;
  r.add(std::move(scgen));
  MethodInfo timegan;
  timegan.name = "timegan";
  timegan.family = kSequenceFamily;
  timegan.summary =
      "TimeGAN: embedder, recovery, generator, supervisor and discriminator GRUs trained in three "
      "phases (autoencoder, supervised, joint adversarial + moments), conditioned on par's "
      "context copula (context, length, level); n_samples counts entities";
  timegan.reference =
      "Yoon, Jarrett & van der Schaar (2019), Time-series Generative Adversarial Networks, "
      "NeurIPS";
  timegan.params = timegan_param_spec();
  timegan.create = [] { return create_deep_synthesizer("timegan"); };
  timegan.memory = timegan_fit_memory;
  r.add(std::move(timegan));
  MethodInfo dgan;
  dgan.name = "dgan";
  dgan.family = kSequenceFamily;
  dgan.summary =
      "DoppelGANger (gretel's DGAN): MLP attribute and min/max generators, an LSTM emitting "
      "sample_len steps per cell with a generation flag for lengths, WGAN-GP with an auxiliary "
      "attribute critic (libtorch); categories kept; n_samples counts entities";
  dgan.reference =
      "Lin, Jain, Wang, Fanti & Sekar (2020), Using GANs for Sharing Networked Time Series Data: "
      "Challenges, Initial Promise, and Open Questions, IMC";
  dgan.params = dgan_param_spec();
  dgan.create = [] { return create_deep_synthesizer("dgan"); };
  dgan.memory = dgan_fit_memory;
  r.add(std::move(dgan));
}

}  // namespace calm

namespace calm {

// dp's pate_ctgan and dpctgan (dp_gan.hpp): their params join dp's; the synthesizers come from
// the plugin.
DpGanHooks dp_gan_hooks() {
  DpGanHooks hooks;
  hooks.params = dp_gan_param_defs();
  hooks.create = [](const std::string& synth_type) { return create_deep_synthesizer(synth_type); };
  hooks.memory = deep_fit_memory;
  return hooks;
}

}  // namespace calm
