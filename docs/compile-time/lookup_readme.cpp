// Compile-time measurement (docs/compile-time.md): the README's "Using the library in one screen"
// program as far as the compiler is concerned: the single header with the Boost.JSON backend, the
// README's `outputs` struct (readme_outputs.hpp) and one basic_client::lookup<outputs>
// (lookup_program.hpp: the transport is a stub that never runs).
#define GCX_WITH_BOOST_JSON
#include <gcx/gcx.hpp>

#include "readme_outputs.hpp"
#include "lookup_program.hpp"
