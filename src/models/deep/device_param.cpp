#include "models/deep/device_param.hpp"

namespace calm {

ParamDef device_param_def(const std::string& doc_prefix) {
  return {.name = "device",
          .type = ParamType::choice,
          .default_value = "cpu",
          .doc = doc_prefix + "where to train: cpu, or cuda when libtorch was built with CUDA",
          .choices = {"cpu", "cuda"}};
}

}  // namespace calm
