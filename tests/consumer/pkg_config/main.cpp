// (d) gcx through pkg-config:
//   c++ -std=c++17 main.cpp $(pkg-config --cflags --libs gcx-boost-json)
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json.hpp>

#include <iostream>

int main() {
    auto phone = gcx::normalize_e164("+44 20 7946 0958");
    auto outputs = gcx::json::boost_json::parse(R"({"Flow.Found": false})");
    if (!phone || !outputs) return 1;
    auto mapped = gcx::read_outputs<gcx::json::boost_json, gcx::customer_lookup>(*outputs);
    if (!mapped || mapped->Found != false) return 1;
    std::cout << "gcx " << GCX_VERSION_STRING << " via pkg-config: " << *phone << "\n";
    return 0;
}
