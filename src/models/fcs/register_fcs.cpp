// Registration of the fcs family (filled in by its implementation).
#include "models/families.hpp"

namespace calm {

void register_fcs_methods(Registry&) {}

}  // namespace calm
