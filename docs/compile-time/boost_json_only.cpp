// Compile-time measurement (docs/compile-time.md): the baseline, Boost.JSON's header alone with a
// parse and a serialize.
#include <boost/json.hpp>

int main() {
    auto v = boost::json::parse(R"({"Flow.Found": true})");
    return boost::json::serialize(v).empty() ? 1 : 0;
}
