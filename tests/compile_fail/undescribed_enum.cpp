// Must not compile: an enum without BOOST_DESCRIBE_ENUM has no names to map to.
#include <gcx/json/boost_json.hpp>
#include <gcx/reflect.hpp>

#include <boost/describe/class.hpp>

enum class tier { bronze, gold };

struct inputs {
    tier Tier = tier::gold;
};
BOOST_DESCRIBE_STRUCT(inputs, (), (Tier))

int main() {
    const auto v = gcx::write_inputs<gcx::json::boost_json>(inputs{});
    return gcx::json::boost_json::size(v) == 1 ? 0 : 1;
}
