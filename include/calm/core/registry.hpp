// Registry of synthesis methods: name -> factory + ParamSpec + documentation. Adding a method is
// one folder under src/models/ and one registration; nothing else switches over method names.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "calm/core/params.hpp"
#include "calm/core/synthesizer.hpp"

namespace calm {

struct MethodInfo {
  std::string name;
  std::string family;      // statistical, fcs, oversampling, deep, privacy, time-series, single-cell
  std::string summary;     // one line
  std::string reference;   // paper / algorithm it implements
  bool available = true;   // false: declared by the seed, built in a later release
  bool needs_target = false;
  ParamSpec params;
  std::function<std::unique_ptr<Synthesizer>()> create;
};

class Registry {
 public:
  // The registry with every built-in method (built on first use).
  static const Registry& global();

  void add(MethodInfo info);
  // Throws InvalidArgument listing the valid names; NotAvailable for declared-but-unbuilt methods.
  const MethodInfo& get(const std::string& name) const;
  const MethodInfo* find(const std::string& name) const;
  const std::vector<MethodInfo>& all() const { return methods_; }
  std::vector<std::string> names() const;

 private:
  std::vector<MethodInfo> methods_;
};

// Defined in src/models/builtin_methods.cpp: registers every family.
void register_builtin_methods(Registry& registry);

}  // namespace calm
