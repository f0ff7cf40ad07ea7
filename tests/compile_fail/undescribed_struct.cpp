// Must not compile: the outputs struct is not described. Expect one short static_assert.
#include <gcx/json/boost_json.hpp>
#include <gcx/reflect.hpp>

#include <string>

struct outputs {
    std::string ContactId;
};

int main() {
    const boost::json::value v = boost::json::object();
    auto r = gcx::read_outputs<gcx::json::boost_json, outputs>(v);
    return r.has_value() ? 0 : 1;
}
