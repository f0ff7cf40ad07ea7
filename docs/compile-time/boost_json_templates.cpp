// Compile-time measurement (docs/compile-time.md): the one .cpp of a program built with
// GCX_EXTERN_TEMPLATES, which compiles the lookup machinery for the Boost.JSON backend
// (<gcx/json/boost_json_templates.hpp>) that the other units then only declare.
#define GCX_WITH_BOOST_JSON
#define GCX_INSTANTIATE_TEMPLATES
#include <gcx/gcx.hpp>
