// The one unit of the program that compiles the lookup machinery for Boost.JSON. The target
// defines GCX_EXTERN_TEMPLATES for every unit, as a CMake user would (CMakeLists.txt): in the unit
// that also defines GCX_INSTANTIATE_TEMPLATES, the latter wins.
#define GCX_INSTANTIATE_TEMPLATES
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json_templates.hpp>

#ifndef GCX_EXTERN_TEMPLATES
#error "tests/extern_templates/CMakeLists.txt defines GCX_EXTERN_TEMPLATES for the whole target"
#endif
