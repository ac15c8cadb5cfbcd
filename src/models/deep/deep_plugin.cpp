// Loads libcalm_deep.so on first use (see deep_plugin.hpp). Search order: $CALM_DEEP_PLUGIN, the
// folder of the binary holding this code (the calm executable, or the Python extension inside the
// installed package), then the build tree's copy (CALM_DEEP_PLUGIN_PATH, for tests and
// developer builds).
#include "models/deep/deep_plugin.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <vector>

#include "calm/core/error.hpp"
#include "models/deep/deep_plugin_abi.hpp"

namespace calm {
namespace {

constexpr const char* kPluginFile = "libcalm_deep.so";

std::vector<std::string> candidate_paths() {
  std::vector<std::string> paths;
  if (const char* env = std::getenv("CALM_DEEP_PLUGIN"); env && *env) paths.emplace_back(env);
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&candidate_paths), &info) && info.dli_fname) {
    const auto dir = std::filesystem::path(info.dli_fname).parent_path();
    paths.push_back((dir / kPluginFile).string());
  }
#ifdef CALM_DEEP_PLUGIN_PATH
  paths.emplace_back(CALM_DEEP_PLUGIN_PATH);
#endif
  return paths;
}

struct Plugin {
  CalmDeepCreateFn create = nullptr;
  std::string failure;  // why it could not be loaded, when create is null
};

Plugin load_plugin() {
  Plugin p;
  std::string tried;
  for (const auto& path : candidate_paths()) {
    if (!std::filesystem::exists(path)) {
      tried += "\n  " + path + ": no such file";
      continue;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = dlerror();
      tried += "\n  " + path + ": " + (why ? why : "dlopen failed");
      continue;
    }
    auto build_id = reinterpret_cast<CalmDeepBuildIdFn>(dlsym(handle, CALM_DEEP_BUILD_ID_SYMBOL));
    auto create = reinterpret_cast<CalmDeepCreateFn>(dlsym(handle, CALM_DEEP_CREATE_SYMBOL));
    if (!build_id || !create) {
      tried += "\n  " + path + ": not a calm deep plugin";
      continue;
    }
    if (std::string(build_id()) != CALM_DEEP_BUILD_ID) {
      // Left loaded: unloading a library that initialised libtorch is not safe.
      tried += "\n  " + path + ": built from another build of calm (" + build_id() + ", this is " +
               CALM_DEEP_BUILD_ID + ")";
      continue;
    }
    p.create = create;
    return p;
  }
  p.failure = "the deep methods' plugin " + std::string(kPluginFile) +
              " (libtorch) could not be loaded; tried:" + tried +
              "\nset CALM_DEEP_PLUGIN to its path, or rebuild calm with libtorch";
  return p;
}

const Plugin& plugin() {
  static std::once_flag once;
  static Plugin p;
  std::call_once(once, [] { p = load_plugin(); });
  return p;
}

}  // namespace

std::unique_ptr<Synthesizer> create_deep_synthesizer(const std::string& method) {
  const Plugin& p = plugin();
  if (!p.create) throw NotAvailable("method '" + method + "': " + p.failure);
  const char* error = nullptr;
  Synthesizer* s = p.create(method.c_str(), &error);
  if (!s)
    throw InternalError("method '" + method + "': " + (error ? error : "the deep plugin failed"));
  return std::unique_ptr<Synthesizer>(s);
}

}  // namespace calm
