// Many lookups in flight on ONE thread, with Boost.Asio + Boost.Beast: the reason gcx's core is
// sans-I/O. Each lookup is a gcx::lookup_operation; this file only carries its requests over
// Beast, arms Asio timers for its waits, and subscribes to the token cache when another lookup is
// fetching the token. Nothing blocks.
//
//   async_beast [API_BASE_URL CLIENT_ID CLIENT_SECRET FLOW_ID]
//
// With no arguments it starts gcx-sim in-process and runs 100 lookups with 20 in flight. Plain
// HTTP only (loopback); over TLS the stream would be a beast::ssl_stream<beast::tcp_stream>.
#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx_sim/simulator.hpp>

#include "example_config.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using J = gcx::json::boost_json;

namespace {

struct stats {
    int started = 0, ok = 0, found = 0, failed = 0, in_flight = 0, max_in_flight = 0;
    std::vector<std::pair<std::string, std::string>> spans;  // server's dateLaunched, dateCompleted
};

/// One lookup: owns its operation, its keep-alive connection and its timer.
class session : public std::enable_shared_from_this<session> {
public:
    session(asio::io_context& io, const gcx::session& shared, std::string phone, stats& st, std::function<void()> on_done)
        : io_(io), stream_(io), timer_(io), resolver_(io),
          op_(shared, phone, gcx::steady_clock{}.now()), stats_(st), on_done_(std::move(on_done)) {}

    void start() { step(); }

private:
    // Ask the operation what to do, and do it asynchronously.
    void step() {
        gcx::action a = op_.next(gcx::steady_clock{}.now());
        switch (a.kind) {
        case gcx::action::type::send: send(std::move(a.request)); return;
        case gcx::action::type::sleep:
            timer_.expires_at(a.until);
            timer_.async_wait([self = shared_from_this()](beast::error_code) { self->step(); });
            return;
        case gcx::action::type::wait_token:
            // Another lookup is fetching the token: continue when it is done (posted, so the
            // callback never runs inside the token cache's notification).
            op_.tokens().on_change([self = shared_from_this()] { asio::post(self->io_, [self] { self->step(); }); });
            return;
        case gcx::action::type::done: finish(); return;
        }
    }

    void send(gcx::http::request r) {
        auto url = gcx::http::parse_url(r.url);
        if (!url) return deliver(url.error());
        req_ = {};
        req_.method(r.verb == gcx::http::method::get ? bhttp::verb::get : bhttp::verb::post);
        req_.target(url->target);
        req_.version(11);
        req_.set(bhttp::field::host, url->host + ":" + std::to_string(url->port));
        req_.keep_alive(true);
        for (const auto& h : r.fields) req_.set(h.name, h.value);
        req_.body() = std::move(r.body);
        req_.prepare_payload();
        timeout_ = r.timeout;
        if (connected_to_ == url->host + ":" + std::to_string(url->port)) return write(/*reused=*/true);
        connected_to_.clear();
        stream_.close();
        stream_.expires_after(timeout_);
        resolver_.async_resolve(url->host, std::to_string(url->port),
            [self = shared_from_this(), key = url->host + ":" + std::to_string(url->port)](beast::error_code ec, asio::ip::tcp::resolver::results_type res) {
                if (ec) return self->deliver(transport_error("resolve", ec, gcx::delivery::not_sent));
                self->stream_.async_connect(res, [self, key](beast::error_code ec2, const asio::ip::tcp::endpoint&) {
                    if (ec2) return self->deliver(transport_error("connect", ec2, gcx::delivery::not_sent));
                    self->connected_to_ = key;
                    self->write(/*reused=*/false);
                });
            });
    }

    void write(bool reused) {
        stream_.expires_after(timeout_);
        bhttp::async_write(stream_, req_, [self = shared_from_this(), reused](beast::error_code ec, std::size_t) {
            if (ec) {
                self->connected_to_.clear();
                // A write on a kept-alive connection the server had closed never reached it.
                return self->deliver(transport_error("send", ec, reused ? gcx::delivery::not_sent : gcx::delivery::maybe));
            }
            self->res_ = {};
            self->parser_.emplace();
            self->parser_->body_limit(4 * 1024 * 1024);
            bhttp::async_read(self->stream_, self->buffer_, *self->parser_, [self](beast::error_code ec2, std::size_t) {
                if (ec2) {
                    self->connected_to_.clear();
                    auto kind = ec2 == beast::error::timeout ? "timeout" : "receive";
                    return self->deliver(transport_error(kind, ec2, gcx::delivery::maybe));
                }
                auto msg = self->parser_->release();
                gcx::http::response r;
                r.status = static_cast<int>(msg.result_int());
                for (const auto& f : msg) r.fields.push_back({std::string(f.name_string()), std::string(f.value())});
                r.body = std::move(msg.body());
                if (!msg.keep_alive()) self->connected_to_.clear();
                self->deliver(std::move(r));
            });
        });
    }

    static gcx::error transport_error(const char* code, const beast::error_code& ec, gcx::delivery d) {
        gcx::error e = gcx::make_error(std::string(code) == "timeout" ? gcx::errc::timeout : gcx::errc::transport, ec.message());
        e.code = code;
        e.sent = d;
        return e;
    }

    void deliver(gcx::result<gcx::http::response> r) {
        op_.on_response(std::move(r), gcx::steady_clock{}.now(), std::chrono::system_clock::now());
        step();
    }

    void finish() {
        auto r = op_.take_result();
        if (r) {
            ++stats_.ok;
            const auto* f = r->outputs.as_object().if_contains("Flow.Found");
            stats_.found += f && f->is_bool() && f->as_bool();
            stats_.spans.emplace_back(r->execution.date_launched, r->execution.date_completed);
        } else {
            ++stats_.failed;
            std::cerr << "lookup failed: " << r.error().describe() << "\n";
        }
        stream_.close();
        on_done_();
    }

    asio::io_context& io_;
    beast::tcp_stream stream_;
    asio::steady_timer timer_;
    asio::ip::tcp::resolver resolver_;
    gcx::lookup_operation<J> op_;
    stats& stats_;
    std::function<void()> on_done_;
    std::string connected_to_;
    std::chrono::milliseconds timeout_{16000};
    bhttp::request<bhttp::string_body> req_;
    bhttp::response<bhttp::string_body> res_;
    std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
    beast::flat_buffer buffer_;
};

// Largest number of [launched, completed] intervals that overlap, from the server's timestamps.
int max_overlap(std::vector<std::pair<std::string, std::string>> spans) {
    std::vector<std::pair<std::string, int>> ev;
    for (auto& [a, b] : spans) {
        ev.emplace_back(a, +1);
        ev.emplace_back(b, -1);
    }
    std::sort(ev.begin(), ev.end(), [](const auto& x, const auto& y) { return x.first != y.first ? x.first < y.first : x.second < y.second; });
    int cur = 0, best = 0;
    for (auto& e : ev) best = std::max(best, cur += e.second);
    return best;
}

} // namespace

int main(int argc, char** argv) {
    const int total = 100, parallel = 20;
    std::unique_ptr<gcx_sim::simulator> sim;
    gcx::client_config cfg;
    if (argc == 5) {
        cfg.endpoints = gcx::endpoints::from_urls(argv[1]).value();
        cfg.client_id = argv[2];
        cfg.client_secret = gcx::secret(argv[3]);
        cfg.flow_id = argv[4];
    } else {
        gcx_sim::options so;
        so.run_time = std::chrono::milliseconds{300};
        so.rate_limit_per_minute = 0;
        sim = std::make_unique<gcx_sim::simulator>(so);
        if (!sim->start()) return 1;
        cfg = examples::sim_config(*sim);
    }
    cfg.budget.requests_per_minute = 0;  // the simulator here has no rate limit: no pacing
    auto shared = gcx::session::create(cfg).value();
    gcx::token_cache& tokens = shared.tokens();

    asio::io_context io;  // run() on this thread only
    stats st;
    std::deque<std::string> numbers;
    for (int i = 0; i < total; ++i)
        numbers.push_back(i % 2 ? gcx_sim::simulator::found_number(i) : gcx_sim::simulator::unknown_number(i));

    std::function<void()> launch_next = [&] {
        if (numbers.empty()) return;
        auto phone = numbers.front();
        numbers.pop_front();
        ++st.started;
        st.max_in_flight = std::max(st.max_in_flight, ++st.in_flight);
        std::make_shared<session>(io, shared, phone, st, [&] {
            --st.in_flight;
            launch_next();
        })->start();
    };
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < parallel; ++i) launch_next();
    io.run();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();

    // The server's own record (dateLaunched, dateCompleted of each execution) says how many ran at once.
    int overlap = max_overlap(st.spans);
    std::printf("%d lookups on one thread: %d ok (%d found), %d failed, %d in flight at most, "
                "%d executions running at once on the server, %lld ms, %llu token(s)\n",
                st.started, st.ok, st.found, st.failed, st.max_in_flight, overlap, static_cast<long long>(ms),
                static_cast<unsigned long long>(tokens.tokens_fetched()));
    bool good = st.ok == total && st.failed == 0 && tokens.tokens_fetched() == 1 && overlap > 1;
    return good ? 0 : 1;
}
