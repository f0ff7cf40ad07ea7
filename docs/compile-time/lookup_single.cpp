// Compile-time measurement (docs/compile-time.md): the single header with the Boost.JSON backend,
// one output struct, and basic_client::lookup<T> (lookup_program.hpp).
#define GCX_WITH_BOOST_JSON
#include <gcx/gcx.hpp>

#include "small_outputs.hpp"
#include "lookup_program.hpp"
