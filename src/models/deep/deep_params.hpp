// The model_params of the deep methods, declared once (ParamSpec) with the defaults of the
// reference implementations (sdv-dev/CTGAN 0.12: CTGAN and TVAE classes; SDV's CopulaGAN), and
// their validated, typed form.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/core/params.hpp"
#include "transform/marginals.hpp"

namespace calm {

// The fewest generator steps of ctgan/copulagan when epochs is left to its default (see
// ctgan_param_spec), and the epochs that gives for `rows` rows.
inline constexpr int kCtganMinSteps = 1500;
int ctgan_default_epochs(size_t rows, int batch_size);
// Training is step-limited where ctgan_default_epochs raises the epochs (under 5 batches).
bool ctgan_step_limited(size_t rows, int batch_size);
// discriminator_steps = None: 5 where training is step-limited, else 1.
int ctgan_default_discriminator_steps(size_t rows, int batch_size);
// copulagan's default_distribution = None: empirical where training is step-limited, else beta.
MarginalFamily copulagan_default_family(size_t rows, int batch_size);

struct CtganOptions {
  int epochs = 0;  // 0: ctgan_default_epochs
  int batch_size = 500;
  int embedding_dim = 128;
  std::vector<int64_t> generator_dim{256, 256};
  std::vector<int64_t> discriminator_dim{256, 256};
  double generator_lr = 2e-4, discriminator_lr = 2e-4;
  double generator_decay = 1e-6, discriminator_decay = 1e-6;
  int discriminator_steps = 0;  // 0: ctgan_default_discriminator_steps
  bool log_frequency = true;
  int pac = 10;
  bool verbose = false;
  std::string device = "cpu";
  std::optional<MarginalFamily> family;  // copulagan: forced marginal family (nullopt: KS choice)
  bool family_by_size = false;           // copulagan: copulagan_default_family at fit
};

struct TvaeOptions {
  int epochs = 300;
  int batch_size = 500;
  int embedding_dim = 128;
  std::vector<int64_t> compress_dims{128, 128};
  std::vector<int64_t> decompress_dims{128, 128};
  double l2scale = 1e-5;
  double loss_factor = 2;
  bool verbose = false;
  std::string device = "cpu";
};

// TabDDPM (Kotelnikov et al. 2023): defaults chosen for CPU training on tables of 10^2 - 10^4 rows
// (docs/methods.md); the paper tunes T up to 1000, widths up to 1024 and ~30000 steps on a GPU.
struct DiffusionOptions {
  int epochs = 300;
  int diffusion_steps = 50;  // T; alias `steps`
  int batch_size = 1024;     // capped at the row count
  std::vector<int64_t> mlp_dims{256, 256};
  int time_embedding_dim = 128;
  double lr = 2e-3;
  double weight_decay = 1e-4;
  double dropout = 0.0;
  bool verbose = false;
  std::string device = "cpu";
};

// `copula` adds copulagan's default_distribution.
ParamSpec ctgan_param_spec(bool copula);
// Resolves and validates (batch_size a multiple of pac); `method` names the method in errors.
CtganOptions ctgan_options(const Json& user, const std::string& method, bool copula);

ParamSpec tvae_param_spec();
TvaeOptions tvae_options(const Json& user);

ParamSpec diffusion_param_spec();
DiffusionOptions diffusion_options(const Json& user);

}  // namespace calm
