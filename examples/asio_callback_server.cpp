// gcx inside an Asio server that already exists, in callback style: a line-based TCP service
// (a CTI connector, an IVR back end...) answers "PHONE\n" with the caller's name. The lookups run
// on the server's own io_context through gcx/adapters/asio.hpp; nothing blocks its thread. A
// caller that hangs up cancels its lookup in flight (asio::cancellation_signal).
//
//   asio_callback_server
//
// It serves on 127.0.0.1 (a free port), asks itself three numbers from a second thread, prints
// the answers and stops. GENESYS_* / TARGET_FLOW_ID when GENESYS_CLIENT_ID is set, else gcx-sim.
#include <gcx/adapters/asio.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx/models.hpp>
#include <gcx_sim/simulator.hpp>

#include "example_config.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <iostream>
#include <istream>
#include <memory>
#include <string>
#include <thread>

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using answer = gcx::result<gcx::lookup_result<gcx::customer_lookup>>;

// One caller's connection: read a number, look it up, write the answer, read the next.
class connection : public std::enable_shared_from_this<connection> {
public:
    connection(tcp::socket s, gcx::adapters::asio_client& gcx) : socket_(std::move(s)), gcx_(gcx) {}

    void read() {
        asio::async_read_until(
            socket_, in_, '\n', [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                if (ec) {  // the caller hung up: its lookup in flight, if any, is cancelled
                    self->cancel_.emit(asio::cancellation_type::terminal);
                    return;
                }
                std::string phone;
                std::istream is(&self->in_);
                std::getline(is, phone);
                // The callback runs on this io_context (bind_executor to a strand if several threads run it).
                self->gcx_.async_lookup<gcx::customer_lookup>(
                    phone,
                    asio::bind_cancellation_slot(self->cancel_.slot(), [self](answer r) { self->reply(text(r)); }));
            });
    }

private:
    static std::string text(const answer& r) {
        if (!r) return "ERROR " + r.error().describe() + "\n";
        const auto& o = r->outputs;
        if (!o.Found.value_or(false) || !o.externalContact) return "UNKNOWN\n";
        return "FOUND " + o.externalContact->firstName.value_or("") + " " + o.externalContact->lastName.value_or("") +
               "\n";
    }

    void reply(std::string line) {
        out_ = std::move(line);
        asio::async_write(socket_, asio::buffer(out_),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                              if (!ec) self->read();
                          });
    }

    tcp::socket socket_;
    gcx::adapters::asio_client& gcx_;
    asio::streambuf in_;
    std::string out_;
    asio::cancellation_signal cancel_;
};

void accept(tcp::acceptor& acceptor, gcx::adapters::asio_client& gcx) {
    acceptor.async_accept([&](boost::system::error_code ec, tcp::socket s) {
        if (ec) return;
        std::make_shared<connection>(std::move(s), gcx)->read();
        accept(acceptor, gcx);
    });
}

int main() {
    std::unique_ptr<gcx_sim::simulator> sim;
    gcx::client_config cfg;
    if (int rc = examples::env_or_sim_config(sim, cfg)) return rc;

    asio::io_context io;  // the server's loop
    auto gcx = gcx::adapters::asio_client::create(io.get_executor(), cfg);
    if (!gcx) {
        std::cerr << gcx.error().describe() << "\n";
        return 2;
    }
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    accept(acceptor, *gcx);

    // A caller on another thread (a blocking socket), then the server stops.
    int answered = 0;
    std::thread caller([&, port = acceptor.local_endpoint().port()] {
        asio::io_context cio;
        tcp::socket s(cio);
        boost::system::error_code ec;
        s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
        asio::streambuf buf;
        for (const char* phone : {"+13175550123", "+14155550001", "not a number"}) {
            if (ec) break;
            asio::write(s, asio::buffer(std::string(phone) + "\n"), ec);
            if (!ec) asio::read_until(s, buf, '\n', ec);
            if (ec) break;
            std::string line;
            std::istream is(&buf);
            std::getline(is, line);
            std::cout << phone << " -> " << line << "\n";
            ++answered;
        }
        asio::post(io, [&] { io.stop(); });
    });
    io.run();
    caller.join();
    return answered == 3 ? 0 : 1;
}
