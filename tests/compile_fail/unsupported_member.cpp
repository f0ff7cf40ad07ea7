// Must not compile: a member deep inside a described model has a type the walker cannot map
// (a std::set). Expect one short static_assert that names std::set, not pages of template errors.
#include <gcx/json/boost_json.hpp>
#include <gcx/reflect.hpp>

#include <boost/describe/class.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

struct tags {
    std::set<std::string> values;
};
BOOST_DESCRIBE_STRUCT(tags, (), (values))

struct contact {
    std::string id;
    std::optional<std::vector<tags>> labels;
};
BOOST_DESCRIBE_STRUCT(contact, (), (id, labels))

int main() {
    contact c;
    const auto v = gcx::to_json<gcx::json::boost_json>(c);
    auto back = gcx::from_json<gcx::json::boost_json, contact>(v);
    return back.has_value() ? 0 : 1;
}
