// Laid out by hand for the README, which quotes it (tests/consumer/readme_check.py): not formatted.
// clang-format off
// The README's "From an Asio program", as it stands there: built by consumer.find_package with
// gcx::asio, and run against gcx-sim (it prints the found contact's id).
#include <gcx/gcx.hpp>
#include <gcx/adapters/asio.hpp>
#include <gcx/json/boost_json.hpp>
#include <boost/asio/use_future.hpp>
#include <iostream>

int main() {
    boost::asio::io_context io;
    auto client = gcx::adapters::asio_client::create(io.get_executor(), gcx::client_config::from_env()).value();
    client.async_lookup<gcx::customer_lookup>("+13175550123", [](auto r) {    // a callback
        if (r && r->outputs.Found.value_or(false)) std::cout << *r->outputs.ContactId << "\n";
    });
    auto f = client.async_lookup("+14155550100", boost::asio::use_future);     // a std::future
    io.run();                                                                  // both complete
}
// In a C++20 coroutine:  auto r = co_await client.async_lookup(phone, boost::asio::use_awaitable);
// Launched later:        auto d = client.async_find_contacts(phone, boost::asio::deferred);
