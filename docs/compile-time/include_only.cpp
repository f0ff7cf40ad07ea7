// Compile-time measurement (docs/compile-time.md): the single header with the Boost.JSON backend
// included, nothing instantiated: what parsing gcx costs before any template is used.
#define GCX_WITH_BOOST_JSON
#include <gcx/gcx.hpp>

int main() { return 0; }
