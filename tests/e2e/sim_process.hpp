// gcx-sim started as its own process for end-to-end tests.
#ifndef GCX_TESTS_E2E_SIM_PROCESS_HPP
#define GCX_TESTS_E2E_SIM_PROCESS_HPP

#include "process.hpp"

#include <boost/json.hpp>
#include <httplib.h>

#include <map>
#include <string>
#include <vector>

namespace e2e {

class sim_process {
public:
    /// `ca_file`: the CA that signed the simulator's certificate when `extra` has --tls-cert/--tls-key
    /// (stats() trusts it).
    explicit sim_process(std::vector<std::string> extra = {}, std::string ca_file = {})
        : ca_file_(std::move(ca_file)), proc_(args(std::move(extra))) {
        std::string first = proc_.line();
        const std::string prefix = "gcx-sim listening on ";
        if (first.rfind(prefix, 0) != 0) throw std::runtime_error("gcx-sim did not start: " + first);
        url = first.substr(prefix.size());
        for (std::string l = proc_.line(); !l.empty(); l = proc_.line()) {
            auto eq = l.find('=');
            if (eq != std::string::npos) demo[l.substr(0, eq)] = l.substr(eq + 1);
            if (l.rfind("unknown_number=", 0) == 0) break;
        }
    }

    /// GET /sim/stats as JSON.
    boost::json::object stats() const {
        httplib::Client c(url);
        if (!ca_file_.empty()) c.set_ca_cert_path(ca_file_.c_str());
        auto r = c.Get("/sim/stats");
        if (!r || r->status != 200) throw std::runtime_error("no /sim/stats");
        return boost::json::parse(r->body).as_object();
    }
    std::int64_t stat(const char* name) const { return stats().at(name).to_number<std::int64_t>(); }

    /// The environment gcx-lookup needs to use this simulator with the demo client.
    std::map<std::string, std::string> env(bool no_launch_client = false) const {
        return {{"GENESYS_CLIENT_ID", demo.at(no_launch_client ? "no_launch_client_id" : "client_id")},
                {"GENESYS_CLIENT_SECRET", demo.at(no_launch_client ? "no_launch_client_secret" : "client_secret")},
                {"TARGET_FLOW_ID", demo.at("lookup_flow_id")},
                {"GCX_API_URL", url}};
    }

    std::string url;
    std::map<std::string, std::string> demo;

private:
    static std::vector<std::string> args(std::vector<std::string> extra) {
        std::vector<std::string> a{GCX_SIM_BIN, "--port", "0", "--run-ms", "60"};
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }
    std::string ca_file_;
    server proc_;
};

}  // namespace e2e

#endif
