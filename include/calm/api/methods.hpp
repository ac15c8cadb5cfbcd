// The built-in synthesis methods: the registry every front end and the pipeline look methods up in.
#pragma once

#include "calm/core/registry.hpp"

namespace calm {

// Every family's methods (src/models/families.hpp) plus the methods the seed names that are not
// built yet (declared unavailable), registered on first use.
const Registry& method_registry();

}  // namespace calm
