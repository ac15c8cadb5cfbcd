// Registry of synthesis methods: name -> factory + ParamSpec + documentation. Adding a method is
// one folder under src/models/ and one registration; nothing else switches over method names.
// The registry holding the built-in methods is filled by the api layer (calm/api/methods.hpp):
// core knows nothing of the families.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "calm/core/memory_budget.hpp"
#include "calm/core/params.hpp"
#include "calm/core/synthesizer.hpp"

namespace calm {

struct MethodInfo {
  std::string name;
  std::string family;     // statistical, fcs, oversampling, deep, privacy, time-series, single-cell
  std::string summary;    // one line
  std::string reference;  // paper / algorithm it implements
  bool available = true;  // false: declared by the seed, built in a later release
  bool needs_target = false;
  ParamSpec params;
  std::function<std::unique_ptr<Synthesizer>()> create;
  // What fit() allocates for a table of `rows` x `columns` with these (resolved) params, at
  // least roughly; `driver` names the params it grows with. Unset: the generic estimate of the
  // api layer (a few copies of the table).
  std::function<MemoryEstimate(size_t rows, size_t columns, const Params& params)> memory;
};

class Registry {
 public:
  void add(MethodInfo info);
  // Throws InvalidArgument listing the valid names; NotAvailable for declared-but-unbuilt methods.
  const MethodInfo& get(const std::string& name) const;
  const MethodInfo* find(const std::string& name) const;
  const std::vector<MethodInfo>& all() const { return methods_; }
  std::vector<std::string> names() const;
  // Every method as [{name, family, summary, reference, available, needs_target, params}], params
  // as ParamSpec::to_json: what `calm methods --json` prints and Python's methods() returns.
  Json to_json() const;

 private:
  std::vector<MethodInfo> methods_;
};

}  // namespace calm
