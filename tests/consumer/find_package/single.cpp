// (c) The installed single header: gcx::boost_json defines GCX_WITH_BOOST_JSON, so the backend
// is there without defining anything here.
#include <gcx/single/gcx.hpp>

#include <iostream>

int main() {
    auto v = gcx::json::boost_json::parse(R"({"Flow.Found": true, "Flow.ContactId": "c-1"})");
    if (!v) return 1;
    auto out = gcx::read_outputs<gcx::json::boost_json, gcx::customer_lookup>(*v);
    if (!out || !out->Found.value_or(false)) {
        std::cerr << (out ? "Found is not true" : out.error().describe()) << "\n";
        return 1;
    }
    std::cout << "single header " << GCX_VERSION_STRING << ": ContactId=" << out->ContactId.value_or("-") << "\n";
    return 0;
}
