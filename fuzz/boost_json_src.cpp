// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// Boost.JSON's own sources, compiled with the fuzz targets' instrumentation (fuzz/CMakeLists.txt)
// and linked into the four Boost.JSON targets in place of the prebuilt library.
#include <boost/json/src.hpp>
