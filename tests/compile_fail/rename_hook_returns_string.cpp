// Must not compile: a rename hook that returns std::string. gcx keeps the name as a view, which a
// returned std::string would leave dangling (a read of freed memory at run time): one static_assert
// that says what to return instead.
// EXPECT: gcx: gcx_json_name must return a std::string_view
// MAX_LINES: 45
// (clang prints the instantiation trail down to the member-name table: about 40 lines)
#include <gcx/json/boost_json.hpp>
#include <gcx/reflect.hpp>

#include <boost/describe/class.hpp>

#include <string>
#include <string_view>

struct profile {
    std::string customer_id;
    friend std::string gcx_json_name(const profile*, std::string_view member) {
        return member == "customer_id" ? std::string("customerId") : std::string(member);
    }
};
BOOST_DESCRIBE_STRUCT(profile, (), (customer_id))

int main() {
    auto r = gcx::from_json_text<gcx::json::boost_json, profile>(R"({"customerId":"c"})");
    return r.has_value() ? 0 : 1;
}
