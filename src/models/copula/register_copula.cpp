// Registration of the copula family (filled in by its implementation).
#include "models/families.hpp"

namespace calm {

void register_copula_methods(Registry&) {}

}  // namespace calm
