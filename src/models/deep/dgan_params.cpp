// Declarations and validation of dgan's model_params (defaults: gretel-synthetics' DGANConfig).
#include "models/deep/dgan_params.hpp"

#include <algorithm>

#include "calm/core/error.hpp"
#include "models/deep/device_param.hpp"

namespace calm {
namespace {

ParamDef count(std::string name, int value, std::string doc, double max) {
  return {.name = std::move(name),
          .type = ParamType::integer,
          .default_value = value,
          .doc = std::move(doc),
          .min = 1.0,
          .max = max};
}

ParamDef rate(std::string name, double value, std::string doc, bool zero_ok = false) {
  return {.name = std::move(name),
          .type = ParamType::number,
          .default_value = value,
          .doc = std::move(doc),
          .min = 0.0,
          .min_exclusive = !zero_ok};
}

}  // namespace

size_t dgan_batch_size(size_t entities) {
  return std::clamp<size_t>((entities + 4) / 5, 16, 1024);
}

ParamSpec dgan_param_spec() {
  ParamSpec spec;
  for (ParamDef& d : sequence_param_defs()) spec.add(std::move(d));
  const DganOptions o;
  spec.add({.name = "seq_len",
            .type = ParamType::integer,
            .default_value = nullptr,
            .doc = "longest generated sequence (DGAN's max_sequence_len; longer real entities are "
                   "cut to their first seq_len steps for training); None = the longest real "
                   "entity, at most " +
                   std::to_string(kDganMaxDefaultSeqLen),
            .aliases = {"max_sequence_len"},
            .min = 1.0,
            .max = 100000.0,
            .nullable = true});
  spec.add({.name = "sample_len",
            .type = ParamType::integer,
            .default_value = nullptr,
            .doc = "time steps emitted per LSTM cell (DoppelGANger's batched generation); "
                   "seq_len is rounded up to a multiple of it. None = ceil(seq_len / " +
                   std::to_string(kDganDefaultCells) + ")",
            .min = 1.0,
            .max = 100000.0,
            .nullable = true});
  spec.add(count("epochs", o.epochs, "passes over the training entities", 1e9));
  spec.add({.name = "batch_size",
            .type = ParamType::integer,
            .default_value = nullptr,
            .doc = "entities per optimiser step; None = a fifth of the entities, at least 16 and "
                   "at most gretel's 1024",
            .min = 1.0,
            .nullable = true});
  spec.add(count("attribute_noise_dim", o.attribute_noise_dim,
                 "width of the noise the attribute generators read", 4096));
  spec.add(count("feature_noise_dim", o.feature_noise_dim,
                 "width of the noise the feature LSTM reads at every cell", 4096));
  spec.add(count("attribute_num_layers", o.attribute_num_layers,
                 "hidden layers of each attribute generator's MLP", 64));
  spec.add(count("attribute_num_units", o.attribute_num_units,
                 "width of the attribute generators' hidden layers", 4096));
  spec.add(count("feature_num_layers", o.feature_num_layers, "layers of the feature LSTM", 16));
  spec.add(
      count("feature_num_units", o.feature_num_units, "width of the feature LSTM's state", 4096));
  spec.add(rate("generator_learning_rate", o.generator_learning_rate,
                "Adam learning rate of the generator (beta1 0.5, beta2 0.999)"));
  spec.add(rate("discriminator_learning_rate", o.discriminator_learning_rate,
                "Adam learning rate of both discriminators (beta1 0.5, beta2 0.999)"));
  spec.add(rate("gradient_penalty_coef", o.gradient_penalty_coef,
                "weight of the WGAN-GP gradient penalty of both discriminators", true));
  spec.add(rate("attribute_loss_coef", o.attribute_loss_coef,
                "weight of the attribute discriminator's term in the generator's loss", true));
  spec.add({.name = "lengths",
            .type = ParamType::choice,
            .default_value = "flag",
            .doc = "where a generated entity's length comes from when real lengths vary: flag "
                   "(DoppelGANger's generation flag: the first step flagged last) or attribute "
                   "(the length the attribute generator drew alongside the context, which the "
                   "LSTM also reads)",
            .choices = {"flag", "attribute"}});
  spec.add({.name = "verbose",
            .type = ParamType::boolean,
            .default_value = false,
            .doc = "show a progress bar with the losses of every epoch"});
  spec.add(device_param_def());
  return spec;
}

DganOptions dgan_options(const Json& user) {
  const Params p = dgan_param_spec().resolve(user, "dgan");
  DganOptions o;
  o.columns = sequence_columns(p, "dgan");
  o.seq_len = p.is_null("seq_len") ? 0 : static_cast<size_t>(p.get_int("seq_len"));
  o.sample_len = p.is_null("sample_len") ? 0 : static_cast<size_t>(p.get_int("sample_len"));
  if (o.seq_len && o.sample_len > o.seq_len)
    throw InvalidArgument("dgan: sample_len (" + std::to_string(o.sample_len) +
                          ") is longer than seq_len (" + std::to_string(o.seq_len) + ")");
  o.epochs = static_cast<int>(p.get_int("epochs"));
  o.batch_size = p.is_null("batch_size") ? 0 : static_cast<int>(p.get_int("batch_size"));
  o.attribute_noise_dim = static_cast<int>(p.get_int("attribute_noise_dim"));
  o.feature_noise_dim = static_cast<int>(p.get_int("feature_noise_dim"));
  o.attribute_num_layers = static_cast<int>(p.get_int("attribute_num_layers"));
  o.attribute_num_units = static_cast<int>(p.get_int("attribute_num_units"));
  o.feature_num_layers = static_cast<int>(p.get_int("feature_num_layers"));
  o.feature_num_units = static_cast<int>(p.get_int("feature_num_units"));
  o.generator_learning_rate = p.get_double("generator_learning_rate");
  o.discriminator_learning_rate = p.get_double("discriminator_learning_rate");
  o.gradient_penalty_coef = p.get_double("gradient_penalty_coef");
  o.attribute_loss_coef = p.get_double("attribute_loss_coef");
  o.lengths_from_attribute = p.get_string("lengths") == "attribute";
  o.verbose = p.get_bool("verbose");
  o.device = p.get_string("device");
  return o;
}

}  // namespace calm
