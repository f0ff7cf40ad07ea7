// Compile-time measurement (docs/compile-time.md): lookup_single.cpp, through the multi-header
// tree (include/) instead of the single header.
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json.hpp>

#include "small_outputs.hpp"
#include "lookup_program.hpp"
