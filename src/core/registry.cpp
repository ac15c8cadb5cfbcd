// Method lookup with messages that list what exists.
#include "calm/core/registry.hpp"

#include "calm/core/error.hpp"

namespace calm {

void Registry::add(MethodInfo info) {
  if (find(info.name)) throw InternalError("method '" + info.name + "' registered twice");
  methods_.push_back(std::move(info));
}

const MethodInfo* Registry::find(const std::string& name) const {
  for (const auto& m : methods_)
    if (m.name == name) return &m;
  return nullptr;
}

Json Registry::to_json() const {
  Json out = Json::array();
  for (const MethodInfo& m : methods_)
    out.push_back({{"name", m.name},
                   {"family", m.family},
                   {"summary", m.summary},
                   {"reference", m.reference},
                   {"available", m.available},
                   {"needs_target", m.needs_target},
                   {"params", m.params.to_json()}});
  return out;
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  for (const auto& m : methods_) out.push_back(m.name);
  return out;
}

const MethodInfo& Registry::get(const std::string& name) const {
  const MethodInfo* m = find(name);
  if (!m)
    throw InvalidArgument("unknown method '" + name + "'; valid methods: " + join_names(names()));
  if (!m->available) {
    std::vector<std::string> ready;
    for (const auto& x : methods_)
      if (x.available) ready.push_back(x.name);
    throw NotAvailable("method '" + name + "' is not available yet in this release (" + m->summary +
                       "); available now: " + join_names(ready));
  }
  return *m;
}

}  // namespace calm
