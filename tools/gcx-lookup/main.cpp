// gcx-lookup: look up the customer behind phone numbers in Genesys Cloud, from the command line.
// The tutorial's "complete working example", grown into a tool: configuration from the
// environment or flags, one shared client (one token, kept-alive connections) for a whole batch,
// and a built-in simulator when no Genesys org is configured.
#include "options.hpp"
#include "report.hpp"

#include <gcx/adapters/curl.hpp>
#include <gcx/adapters/curl_multi.hpp>
#include <gcx/adapters/httplib.hpp>
#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx_sim/simulator.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace {

using namespace gcx_lookup;

/// The transport chosen at run time, behind one type (basic_client takes any callable shape).
struct any_transport {
    std::function<gcx::result<gcx::http::response>(const gcx::http::request&)> fn;
    gcx::result<gcx::http::response> send(const gcx::http::request& r) const { return fn(r); }
};

any_transport make_transport(const std::string& name, int concurrency, const std::string& ca_file) {
    if (name == "httplib") {
        gcx::adapters::httplib_transport::options o;
        o.max_idle_connections = static_cast<std::size_t>(concurrency) + 2;
        o.ca_file = ca_file;
        auto t = std::make_shared<gcx::adapters::httplib_transport>(o);
        return {[t](const gcx::http::request& r) { return t->send(r); }};
    }
    gcx::adapters::curl_transport::options o;  // curl-threads
    o.max_idle_connections = static_cast<std::size_t>(concurrency) + 2;
    o.ca_file = ca_file;
    auto t = std::make_shared<gcx::adapters::curl_transport>(o);
    return {[t](const gcx::http::request& r) { return t->send(r); }};
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return s.substr(i);
}

int fail_usage(const std::string& msg) {
    std::cerr << "gcx-lookup: " << msg << "\n(see gcx-lookup --help)\n";
    return exit_usage;
}

/// A one-line progress bar on stderr, redrawn in place.
class progress {
public:
    progress(bool on, std::size_t total) : on_(on), total_(total) {}
    void tick(std::size_t done) {
        if (!on_) return;
        const int width = 30;
        auto filled = static_cast<int>(total_ ? done * width / total_ : width);
        std::fprintf(stderr, "\r[%-*s] %zu/%zu", width, std::string(static_cast<std::size_t>(filled), '#').c_str(), done, total_);
        std::fflush(stderr);
    }
    void end() {
        if (on_) std::fputs("\n", stderr);
    }

private:
    bool on_;
    std::size_t total_;
};

} // namespace

int main(int argc, char** argv) {
    std::string perr;
    auto parsed = parse(argc, argv, perr);
    if (!parsed) return fail_usage(perr);
    options opt = std::move(*parsed);
    if (opt.help) {
        std::cout << usage();
        return 0;
    }
    if (opt.version) {
        std::cout << "gcx-lookup " GCX_VERSION_STRING "\n";
        return 0;
    }

    auto env = [](const char* n) -> std::string {
        const char* v = std::getenv(n);
        return v ? std::string(v) : std::string();
    };
    bool have_credentials = !env("GENESYS_CLIENT_ID").empty() || opt.client_id;
    bool have_api = !env("GCX_API_URL").empty() || opt.api_url;
    bool use_sim = opt.force_simulator || (!have_credentials && !have_api);
    // A CA file that cannot be read is a configuration error before any lookup, not a TLS
    // failure per number.
    const std::string ca_file = opt.ca_file ? *opt.ca_file : env("GCX_CA_FILE");
    if (!ca_file.empty()) {
        std::error_code ec;
        if (std::filesystem::is_directory(ca_file, ec) || !std::ifstream(ca_file))
            return fail_usage("cannot read the CA file " + ca_file + " (a PEM file of CA certificates)");
    }

    // Numbers: arguments, or stdin in batch mode.
    std::vector<std::string> phones = opt.phones;
    if (phones.empty()) {
        if (isatty(0)) return fail_usage("no phone number given (pass numbers as arguments, or one per line on stdin)");
        std::string line;
        while (std::getline(std::cin, line)) {
            line = trim(line);
            if (!line.empty() && line[0] != '#') phones.push_back(line);
        }
        if (phones.empty()) return fail_usage("no phone number on stdin");
    }

    gcx::client_config cfg;
    std::unique_ptr<gcx_sim::simulator> sim;
    if (use_sim) {
        gcx_sim::options so;
        so.run_time = std::chrono::milliseconds{250};
        sim = std::make_unique<gcx_sim::simulator>(so);
        if (!sim->start()) {
            std::cerr << "gcx-lookup: could not start the built-in simulator\n";
            return exit_failure;
        }
        cfg.endpoints = *gcx::endpoints::from_urls(sim->base_url());
        cfg.client_id = sim->demo().client_id;
        cfg.client_secret = gcx::secret(sim->demo().client_secret);
        cfg.flow_id = opt.flow_id ? *opt.flow_id : sim->demo().lookup_flow_id;
        cfg.strategy = opt.strategy;
        if (!opt.quiet)
            std::cerr << "gcx-lookup: no Genesys Cloud credentials configured (GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET);\n"
                      << "gcx-lookup: using the built-in simulator at " << sim->base_url()
                      << " (demo org; try " << gcx_sim::simulator::found_number(123) << ")\n";
    } else {
        // Flags override the environment: read both through from_env, so the rules are one.
        std::map<std::string, std::string> overlay;
        if (opt.region) overlay["GENESYS_REGION"] = *opt.region;
        if (opt.flow_id) overlay["TARGET_FLOW_ID"] = *opt.flow_id;
        if (opt.api_url) overlay["GCX_API_URL"] = *opt.api_url;
        if (opt.login_url) overlay["GCX_LOGIN_URL"] = *opt.login_url;
        if (opt.client_id) overlay["GENESYS_CLIENT_ID"] = *opt.client_id;
        if (opt.client_secret_file) {
            std::ifstream f(*opt.client_secret_file);
            std::stringstream ss;
            ss << f.rdbuf();
            if (!f) return fail_usage("cannot read --client-secret-file " + *opt.client_secret_file);
            overlay["GENESYS_CLIENT_SECRET"] = trim(ss.str());
        }
        auto c = gcx::client_config::from_env(opt.strategy, [&overlay](const char* name) -> const char* {
            auto it = overlay.find(name);
            if (it != overlay.end()) return it->second.c_str();
            return std::getenv(name);
        });
        if (!c) return fail_usage(c.error().describe());
        cfg = std::move(*c);
    }
    cfg.input_variable = opt.input_var;
    cfg.lookup_timeout = gcx::milliseconds{static_cast<std::int64_t>(opt.timeout_seconds * 1000)};
    if (opt.poll_ms > 0) {
        cfg.poll.initial = gcx::milliseconds{opt.poll_ms};
        cfg.poll.max = std::max(cfg.poll.max, cfg.poll.initial);
    }
    if (auto v = cfg.validate(); !v) return fail_usage(v.error().describe());

    // Results print in input order, whichever lookup ends first; each is dropped once printed,
    // and only the worst severity is kept for the exit status.
    std::vector<std::optional<outcome>> results(phones.size());
    std::mutex m;
    std::size_t next_print = 0, completed = 0;
    int worst = 0;
    progress bar(!opt.quiet && phones.size() > 1 && isatty(2), phones.size());
    // Results reach a terminal (or, with --line-buffered, anything) as soon as they are known; a
    // pipe or a file gets whole blocks, which saves a write(2) per number in a long batch.
    const bool flush_each = opt.line_buffered || isatty(1);
    auto record = [&](std::size_t i, gcx::result<gcx::lookup_result<boost::json::value>> r) {
        auto o = classify(phones[i], std::move(r));
        std::lock_guard<std::mutex> lk(m);
        results[i] = std::move(o);
        ++completed;
        bar.tick(completed);
        for (; next_print < results.size() && results[next_print]; ++next_print) {
            const auto& done = *results[next_print];
            if (opt.json) std::cout << to_json_line(done) << "\n";
            else std::cout << to_text(done);
            worst = std::max(worst, severity(done));
            results[next_print].reset();
        }
        if (flush_each) std::cout.flush();
    };
    const auto in_flight = std::min<std::size_t>(static_cast<std::size_t>(opt.concurrency), phones.size());

    if (opt.transport == "curl") {
        // Every lookup on this thread, through one libcurl multi handle: `in_flight` at once,
        // the next one started as soon as one ends.
        using json = gcx::json::boost_json;
        gcx::adapters::curl_multi_runner::options o;
        o.max_idle_connections = in_flight + 2;
        o.ca_file = ca_file;
        gcx::adapters::curl_multi_runner loop(o);
        gcx::token_cache tokens(cfg.client_id, cfg.client_secret, cfg.endpoints.login, cfg.token_refresh_window);
        std::size_t next_index = 0;
        std::function<void()> start_next;  // the next number's lookup, if one is left
        std::function<void(std::size_t, std::string)> start_direct = [&](std::size_t i, std::string why) {
            loop.add(gcx::direct_lookup_operation<json>(tokens, cfg, phones[i], loop.now(), cfg.direct),
                     [&, i, why = std::move(why)](gcx::direct_lookup_operation<json>& op) {
                         auto r = gcx::direct_as_lookup<json>(op.take_result());
                         if (r && !why.empty()) r->execution.fallback_reason = why;
                         record(i, std::move(r));
                         start_next();
                     });
        };
        start_next = [&] {
            if (next_index >= phones.size()) return;
            const std::size_t i = next_index++;
            if (cfg.strategy == gcx::lookup_strategy::direct) return start_direct(i, {});
            loop.add(gcx::lookup_operation<json>(tokens, cfg, phones[i], loop.now()),
                     [&, i](gcx::lookup_operation<json>& op) {
                         auto r = op.take_result();
                         if (!r && cfg.strategy == gcx::lookup_strategy::flow_then_direct && gcx::launch_refused(r.error()))
                             return start_direct(i, r.error().describe());
                         record(i, std::move(r));
                         start_next();
                     });
        };
        for (std::size_t k = 0; k < in_flight; ++k) start_next();
        loop.run();
    } else {
        // One blocking thread per lookup in flight, sharing one client (one token cache).
        gcx::basic_client<any_transport, gcx::json::boost_json> client(cfg, make_transport(opt.transport, opt.concurrency, ca_file));
        std::atomic<std::size_t> next_index{0};
        auto worker = [&] {
            for (;;) {
                std::size_t i = next_index++;
                if (i >= phones.size()) return;
                record(i, client.lookup(phones[i]));
            }
        };
        std::vector<std::thread> threads;
        for (std::size_t t = 1; t < in_flight; ++t) threads.emplace_back(worker);
        worker();
        for (auto& t : threads) t.join();
    }
    bar.end();
    std::cout.flush();

    return exit_status_for(worst);
}
