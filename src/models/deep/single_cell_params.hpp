// The model_params of the single-cell methods scvi and scgen, declared once (ParamSpec) with the
// defaults of scvi-tools 1.x (SCVI, and SCGEN for scgen's network), the seed's n_latent = 10 and
// epochs = 100, and their validated, typed form. No torch here: the engine registers the methods.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/core/params.hpp"

namespace calm {

// zinb / nb: counts (Lopez et al. 2018); normal: a Gaussian with a per-gene variance on log1p of
// non-negative values (as given when some are negative); mse: scGen's squared error on
// log-normalised expression (a unit-variance Gaussian).
enum class GeneLikelihood { zinb, nb, normal, mse };

struct SingleCellVaeOptions {
  int epochs = 100;
  int n_latent = 10, n_layers = 1, n_hidden = 128;
  double dropout_rate = 0.1;
  int batch_size = 128;
  double learning_rate = 1e-3;
  double kl_weight = 1.0;      // the KL term's weight once warmed up
  int kl_warmup_epochs = 400;  // linear warm-up of the KL weight from 0 (scvi-tools' default)
  bool early_stopping = true;
  int early_stopping_patience = 45;
  double train_size = 0.9;  // share of cells trained on; the rest is the validation split
  GeneLikelihood likelihood = GeneLikelihood::zinb;
  std::string batch_key;                  // "" = no batch covariate
  std::vector<std::string> gene_columns;  // empty: every numeric non-reserved column
  std::vector<std::string> obs_columns;   // numeric columns that are metadata, not genes
  bool sample_from_prior = false;         // latent_sampling = "prior"
  bool verbose = false;
  std::string device = "cpu";
};

struct ScgenPredict {
  std::string cell_type, from, to;
};

struct ScgenOptions {
  SingleCellVaeOptions vae;
  std::string condition_col;  // "" = none: scgen falls back to scvi
  double noise_scale = 0.1;
  std::optional<ScgenPredict> predict;
};

ParamSpec scvi_param_spec();
SingleCellVaeOptions scvi_options(const Json& user);

ParamSpec scgen_param_spec();
ScgenOptions scgen_options(const Json& user);
// The model_params scvi gets when scgen has no condition_col: the keys both declare.
Json scgen_fallback_params(const Json& scgen_params);

const char* to_string(GeneLikelihood l);

}  // namespace calm
