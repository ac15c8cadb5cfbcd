// Entry points of the deep-method plugin libcalm_deep.so (see deep_plugin.hpp): the only
// symbols it exports.
#include "models/deep/ctgan.hpp"
#include "models/deep/deep_plugin_abi.hpp"
#include "models/deep/dgan.hpp"
#include "models/deep/diffusion.hpp"
#include "models/deep/dp_gan.hpp"
#include "models/deep/par.hpp"
#include "models/deep/scgen.hpp"
#include "models/deep/scvi.hpp"
#include "models/deep/timegan.hpp"
#include "models/deep/tvae.hpp"

extern "C" __attribute__((visibility("default"))) calm::Synthesizer* calm_deep_create(
    const char* method, const char** error) {
  const std::string name = method ? method : "";
  if (name == "ctgan") return new calm::CtganSynthesizer(false);
  if (name == "copulagan") return new calm::CtganSynthesizer(true);
  if (name == "tvae") return new calm::TvaeSynthesizer();
  if (name == "diffusion") return new calm::DiffusionSynthesizer();
  if (name == "dpctgan") return calm::make_dpctgan().release();
  if (name == "pate_ctgan") return calm::make_pate_ctgan().release();
  if (name == "par") return new calm::ParSynthesizer();
  if (name == "scvi") return new calm::ScviSynthesizer();
  if (name == "scgen") return new calm::ScgenSynthesizer();
  if (name == "timegan") return new calm::TimeganSynthesizer();
  if (name == "dgan") return new calm::DganSynthesizer();
  if (error) *error = "the deep plugin has no such method";
  return nullptr;
}

extern "C" __attribute__((visibility("default"))) const char* calm_deep_build_id() {
  return CALM_DEEP_BUILD_ID;
}
