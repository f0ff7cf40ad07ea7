// The one unit of the program that compiles the lookup machinery for Boost.JSON.
#define GCX_INSTANTIATE_TEMPLATES
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json_templates.hpp>
