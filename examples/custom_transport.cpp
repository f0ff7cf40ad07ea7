// Writing your own transport: gcx needs one member function,
//     gcx::result<gcx::http::response> send(const gcx::http::request&)
// Here it is over Boost.Beast's *synchronous* API, standing in for whatever HTTP stack your
// program already has. The adapter is the ~35 lines of `beast_transport`; the rest is a demo.
// The request carries no Host and no Content-Length header: the transport adds them (here
// `out.set(http::field::host, ...)` and `prepare_payload()`). gcx::is_transport<T> checks the
// signature; basic_client refuses a type without it.
//
//   custom_transport [PHONE]      (runs against an in-process gcx-sim)
#include <gcx/client.hpp>
#include <gcx/transport.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx_sim/simulator.hpp>

#include "example_config.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <iostream>

namespace beast = boost::beast;
namespace http = beast::http;

// ---- the adapter ------------------------------------------------------------------------------
// Plain HTTP, one connection per request (keep-alive and TLS are left out to keep it short).
struct beast_transport {
    gcx::result<gcx::http::response> send(const gcx::http::request& req) const {
        auto url = gcx::http::parse_url(req.url);
        if (!url) return url.error();
        boost::asio::io_context io;
        beast::tcp_stream stream(io);
        stream.expires_after(req.timeout);  // honour gcx's per-request deadline
        beast::error_code ec;
        auto hosts = boost::asio::ip::tcp::resolver(io).resolve(url->host, std::to_string(url->port), ec);
        if (!ec) stream.connect(hosts, ec);
        if (ec) return failure(ec, gcx::delivery::not_sent);  // nothing reached the server: safe to resend
        http::request<http::string_body> out{req.verb == gcx::http::method::get ? http::verb::get : http::verb::post,
                                             url->target, 11};
        out.set(http::field::host, url->host);  // gcx sends no Host header: add it
        for (const auto& h : req.fields) out.set(h.name, h.value);
        out.body() = req.body;
        out.prepare_payload();  // and Content-Length, from the body
        http::response<http::string_body> in;
        beast::flat_buffer buf;
        http::write(stream, out, ec);
        if (!ec) http::read(stream, buf, in, ec);
        if (ec) return failure(ec, gcx::delivery::maybe);  // the server may have acted on it
        gcx::http::response r;
        r.status = static_cast<int>(in.result_int());
        for (const auto& f : in) r.fields.push_back({std::string(f.name_string()), std::string(f.value())});
        r.body = std::move(in.body());
        return r;
    }

    static gcx::error failure(const beast::error_code& ec, gcx::delivery sent) {
        auto e = gcx::make_error(ec == beast::error::timeout ? gcx::errc::timeout : gcx::errc::transport, ec.message());
        e.sent = sent;  // tells gcx whether a flow launch may be sent again
        return e;
    }
};
// ---- end of the adapter -----------------------------------------------------------------------
static_assert(gcx::is_transport_v<beast_transport>);

int main(int argc, char** argv) {
    gcx_sim::simulator sim;
    if (!sim.start()) return 1;
    const gcx::client_config cfg = examples::sim_config(sim);

    auto client = gcx::basic_client<beast_transport, gcx::json::boost_json>::create(cfg).value();
    auto r = client.lookup(argc > 1 ? argv[1] : "+13175550123");
    if (!r) {
        std::cerr << r.error().describe() << "\n";
        return 1;
    }
    std::cout << "execution " << r->execution.id << ": " << boost::json::serialize(r->outputs.at("Flow.Found")) << "\n";
    return r->outputs.at("Flow.Found").as_bool() ? 0 : 1;
}
