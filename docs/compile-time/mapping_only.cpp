// Compile-time measurement (docs/compile-time.md): the floor under any lookup unit. The README's
// `outputs` struct (readme_outputs.hpp) mapped from a JSON value by gcx's reflection, with nothing
// else of gcx: the Boost.JSON backend, the models and <gcx/reflect.hpp> from the multi-header
// tree, no client, no operation, no transport. Whatever a lookup adds comes on top of this.
#define GCX_WITH_BOOST_JSON
#include <gcx/json/boost_json.hpp>
#include <gcx/models.hpp>
#include <gcx/reflect.hpp>

#include "readme_outputs.hpp"

int main() {
    auto v = gcx::json::boost_json::parse(R"({"Found":true})", 8);
    if (!v) return 1;
    auto r = gcx::from_json<gcx::json::boost_json, outputs>(*v);
    return r && r->Found == true ? 0 : 1;
}
