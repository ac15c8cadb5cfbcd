// Declarations and validation of scvi's and scgen's model_params.
#include "models/deep/single_cell_params.hpp"

#include <utility>

#include "calm/core/error.hpp"
#include "models/deep/device_param.hpp"

namespace calm {
namespace {

// The network and training settings both methods declare; `scgen` takes SCGEN's network defaults
// (scvi-tools: n_hidden 800, n_layers 2, dropout 0.2, batch 32, kl_weight 5e-5).
std::vector<ParamDef> vae_defs(bool scgen) {
  return {
      {.name = "epochs",
       .type = ParamType::integer,
       .default_value = 100,
       .doc = "passes over the training cells (the seed's 100; scvi-tools' own rule is "
              "min(400, 20000 / cells x 400))",
       .aliases = {"max_epochs"},
       .min = 1.0},
      {.name = "n_latent",
       .type = ParamType::integer,
       .default_value = 10,
       .doc = "size of the latent code z",
       .min = 1.0},
      {.name = "n_layers",
       .type = ParamType::integer,
       .default_value = scgen ? 2 : 1,
       .doc = "hidden layers of the encoder and of the decoder",
       .min = 1.0},
      {.name = "n_hidden",
       .type = ParamType::integer,
       .default_value = scgen ? 800 : 128,
       .doc = "width of every hidden layer",
       .min = 1.0},
      {.name = "dropout_rate",
       .type = ParamType::number,
       .default_value = scgen ? 0.2 : 0.1,
       .doc = "dropout after every hidden layer while training",
       .min = 0.0,
       .max = 1.0,
       .max_exclusive = true},
      {.name = "batch_size",
       .type = ParamType::integer,
       .default_value = scgen ? 32 : 128,
       .doc = "cells per training step",
       .min = 2.0},
      {.name = "learning_rate",
       .type = ParamType::number,
       .default_value = 1e-3,
       .doc = "Adam learning rate (eps 0.01, weight decay 1e-6, as scvi-tools)",
       .aliases = {"lr"},
       .min = 0.0,
       .min_exclusive = true},
      {.name = "kl_weight",
       .type = ParamType::number,
       .default_value = scgen ? 5e-5 : 1.0,
       .doc = "weight of the KL divergence once warmed up",
       .min = 0.0},
      {.name = "kl_warmup_epochs",
       .type = ParamType::integer,
       .default_value = scgen ? 0 : 400,
       .doc = "epochs over which the KL weight rises linearly from 0 (0: none)",
       .min = 0.0},
      {.name = "early_stopping",
       .type = ParamType::boolean,
       .default_value = true,
       .doc = "stop when the validation split's ELBO has not improved for "
              "early_stopping_patience epochs"},
      {.name = "early_stopping_patience",
       .type = ParamType::integer,
       .default_value = scgen ? 25 : 45,
       .doc = "epochs without improvement before stopping",
       .aliases = {"patience"},
       .min = 1.0},
      {.name = "train_size",
       .type = ParamType::number,
       .default_value = 0.9,
       .doc = "share of cells trained on; the others form the validation split",
       .min = 0.0,
       .max = 1.0,
       .min_exclusive = true},
      {.name = "batch_key",
       .type = ParamType::string,
       .default_value = nullptr,
       .doc = "column of batch labels: a covariate of the decoder and of the library prior",
       .nullable = true},
      {.name = "gene_columns",
       .type = ParamType::string_list,
       .default_value = nullptr,
       .doc = "the expression columns; None: every int/float column except target_col, "
              "condition_col, batch_key and obs_columns",
       .nullable = true},
      {.name = "obs_columns",
       .type = ParamType::string_list,
       .default_value = nullptr,
       .doc = "numeric columns that are cell metadata (e.g. n_counts), not genes",
       .nullable = true},
      {.name = "verbose",
       .type = ParamType::boolean,
       .default_value = false,
       .doc = "show a progress bar with the losses of every epoch"},
      device_param_def(),
  };
}

ParamSpec spec_of(std::vector<ParamDef> defs) {
  ParamSpec spec;
  for (auto& d : defs) spec.add(std::move(d));
  return spec;
}

SingleCellVaeOptions read_vae(const Params& p) {
  SingleCellVaeOptions o;
  auto i = [&](const char* name) { return static_cast<int>(p.get_int(name)); };
  o.epochs = i("epochs");
  o.n_latent = i("n_latent");
  o.n_layers = i("n_layers");
  o.n_hidden = i("n_hidden");
  o.dropout_rate = p.get_double("dropout_rate");
  o.batch_size = i("batch_size");
  o.learning_rate = p.get_double("learning_rate");
  o.kl_weight = p.get_double("kl_weight");
  o.kl_warmup_epochs = i("kl_warmup_epochs");
  o.early_stopping = p.get_bool("early_stopping");
  o.early_stopping_patience = i("early_stopping_patience");
  o.train_size = p.get_double("train_size");
  if (!p.is_null("batch_key")) o.batch_key = p.get_string("batch_key");
  o.gene_columns = p.get_string_list("gene_columns");
  o.obs_columns = p.get_string_list("obs_columns");
  o.verbose = p.get_bool("verbose");
  o.device = p.get_string("device");
  return o;
}

}  // namespace

const char* to_string(GeneLikelihood l) {
  switch (l) {
    case GeneLikelihood::zinb:
      return "zinb";
    case GeneLikelihood::nb:
      return "nb";
    case GeneLikelihood::normal:
      return "normal";
    case GeneLikelihood::mse:
      return "mse";
  }
  return "?";
}

ParamSpec scvi_param_spec() {
  auto defs = vae_defs(false);
  defs.push_back({.name = "gene_likelihood",
                  .type = ParamType::choice,
                  .default_value = "zinb",
                  .doc = "zinb / nb: (zero-inflated) negative binomial on counts; normal: a "
                         "Gaussian on log1p of the values, for log-normalised or TPM input",
                  .choices = {"zinb", "nb", "normal"}});
  defs.push_back({.name = "latent_sampling",
                  .type = ParamType::choice,
                  .default_value = "aggregate",
                  .doc = "aggregate: z from a Gaussian fitted to the cells' posteriors (per "
                         "target_col type when given); prior: z ~ N(0, I)",
                  .choices = {"aggregate", "prior"}});
  return spec_of(std::move(defs));
}

SingleCellVaeOptions scvi_options(const Json& user) {
  const Params p = scvi_param_spec().resolve(user, "scvi");
  SingleCellVaeOptions o = read_vae(p);
  const std::string lik = p.get_string("gene_likelihood");
  o.likelihood = lik == "nb"       ? GeneLikelihood::nb
                 : lik == "normal" ? GeneLikelihood::normal
                                   : GeneLikelihood::zinb;
  o.sample_from_prior = p.get_string("latent_sampling") == "prior";
  return o;
}

ParamSpec scgen_param_spec() {
  auto defs = vae_defs(true);
  defs.push_back({.name = "condition_col",
                  .type = ParamType::string,
                  .default_value = nullptr,
                  .doc = "column of conditions (e.g. ctrl / stim); None: a warning and scvi",
                  .nullable = true});
  defs.push_back({.name = "noise_scale",
                  .type = ParamType::number,
                  .default_value = 0.1,
                  .doc = "sd of the Gaussian noise added to a real cell's latent code",
                  .min = 0.0});
  // scGen's prediction of one cell type's response, as three strings (ParamSpec has no object
  // type): every output cell is a predict_cell_type cell of predict_from moved to predict_to.
  for (const auto& [name, doc] : std::vector<std::pair<std::string, std::string>>{
           {"predict_cell_type",
            "target_col value (cell type) whose response is predicted; with predict_from and "
            "predict_to"},
           {"predict_from", "condition_col value the predicted cells start from (e.g. ctrl)"},
           {"predict_to",
            "condition_col value they are moved to (e.g. stim) by the latent "
            "delta: mean latent of predict_to minus that of predict_from"}})
    defs.push_back({.name = name,
                    .type = ParamType::string,
                    .default_value = nullptr,
                    .doc = doc,
                    .nullable = true});
  return spec_of(std::move(defs));
}

ScgenOptions scgen_options(const Json& user) {
  const Params p = scgen_param_spec().resolve(user, "scgen");
  ScgenOptions o;
  o.vae = read_vae(p);
  o.vae.likelihood = GeneLikelihood::mse;
  if (!p.is_null("condition_col")) o.condition_col = p.get_string("condition_col");
  o.noise_scale = p.get_double("noise_scale");
  const bool any =
      !p.is_null("predict_cell_type") || !p.is_null("predict_from") || !p.is_null("predict_to");
  if (any) {
    for (const char* name : {"predict_cell_type", "predict_from", "predict_to"})
      if (p.is_null(name))
        throw InvalidArgument(std::string("model_param '") + name +
                              "' of method 'scgen' is missing: predict_cell_type, predict_from "
                              "and predict_to go together");
    o.predict = ScgenPredict{p.get_string("predict_cell_type"), p.get_string("predict_from"),
                             p.get_string("predict_to")};
    if (o.predict->from == o.predict->to)
      throw InvalidArgument(
          "model_params of method 'scgen': predict_from and predict_to are "
          "both \"" +
          o.predict->from + "\"");
  }
  return o;
}

Json scgen_fallback_params(const Json& scgen_params) {
  Json out = Json::object();
  const ParamSpec scvi = scvi_param_spec();
  for (const auto& [key, value] : scgen_params.items())
    if (scvi.find(key) && key != "kl_weight" && key != "kl_warmup_epochs") out[key] = value;
  return out;
}

}  // namespace calm
