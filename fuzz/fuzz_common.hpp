// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
//
// Shared by the libFuzzer targets in this directory. Each target is one .cpp compiled twice, once
// per JSON backend (see fuzz/CMakeLists.txt):
//   GCX_FUZZ_NLOHMANN    J = gcx::json::nlohmann
//   otherwise            J = gcx::json::boost_json, linked with Boost.JSON's sources compiled with
//                        the same instrumentation (boost_json_src.cpp), so that libFuzzer sees
//                        coverage inside its parser too
//
// Inputs may start with an optional one-line envelope that sets what a JSON body cannot:
//     @<status> [op=token|launch|poll|direct] [ra=<Retry-After value, rest of the line>]\n<body>
// Without the envelope the whole input is the body, so the API documentation's JSON examples are
// seeds as they are (fuzz/corpus/<target>/).
#ifndef GCX_FUZZ_COMMON_HPP
#define GCX_FUZZ_COMMON_HPP

#if defined(GCX_FUZZ_NLOHMANN)
#include <gcx/json/nlohmann.hpp>
#else
#include <gcx/json/boost_json.hpp>
#endif

#include <gcx/api_error.hpp>
#include <gcx/auth.hpp>
#include <gcx/error.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace gcx_fuzz {

#if defined(GCX_FUZZ_NLOHMANN)
using J = gcx::json::nlohmann;
inline constexpr const char* backend_name = "nlohmann";
#else
using J = gcx::json::boost_json;
inline constexpr const char* backend_name = "boost_json";
#endif

// Recognisable credentials: an error text that contains any of them is a leak.
inline const std::string client_id = "fuzz-client-id";
inline const std::string client_secret = "FuzzS3cret-never-in-errors-4b1d";
inline const std::string access_token = "FuzzT0ken-never-in-errors-77e2";
inline const std::string phone = "+13175550123";
inline const std::string flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
inline const std::string exec_id = "c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10";

/// An invariant of the library. A violation aborts, which libFuzzer reports as a crash with the input.
[[noreturn]] inline void violated(const char* what, const char* file, int line, const std::string& detail) {
    std::fprintf(stderr, "\n*** gcx fuzz invariant violated (%s): %s at %s:%d\n%s\n", backend_name, what, file, line,
                 detail.c_str());
    std::abort();
}
#define GCX_FUZZ_CHECK(cond, detail)                                                                                   \
    do {                                                                                                               \
        if (!(cond)) ::gcx_fuzz::violated(#cond, __FILE__, __LINE__, (detail));                                        \
    } while (0)

struct envelope {
    int status = 200;
    std::string op = "poll";
    std::optional<std::string> retry_after;
    std::string_view body;
};

/// Splits the optional "@status ..." first line off the input (see the top of this file).
inline envelope split(const std::uint8_t* data, std::size_t size, int default_status, std::string_view default_op) {
    envelope e;
    e.status = default_status;
    e.op = std::string(default_op);
    std::string_view in(reinterpret_cast<const char*>(data), size);
    e.body = in;
    if (in.empty() || in.front() != '@') return e;
    auto nl = in.find('\n');
    if (nl == std::string_view::npos || nl > 200) return e;
    std::string_view line = in.substr(1, nl - 1);
    e.body = in.substr(nl + 1);
    int status = 0, digits = 0;
    while (!line.empty() && line.front() >= '0' && line.front() <= '9' && digits < 3) {
        status = status * 10 + (line.front() - '0');
        line.remove_prefix(1);
        ++digits;
    }
    if (digits == 3 && status >= 100) e.status = status;
    while (!line.empty()) {
        while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
        if (line.substr(0, 3) == "ra=") {
            e.retry_after = std::string(line.substr(3));
            break;
        }
        auto sp = line.find(' ');
        std::string_view tok = line.substr(0, sp);
        if (tok.substr(0, 3) == "op=") e.op = std::string(tok.substr(3));
        line = sp == std::string_view::npos ? std::string_view{} : line.substr(sp);
    }
    return e;
}

inline gcx::operation op_of(const std::string& s) {
    if (s == "token") return gcx::operation::token;
    if (s == "launch") return gcx::operation::launch;
    if (s == "direct") return gcx::operation::direct_lookup;
    return gcx::operation::poll;
}

/// Every text of an error, as a caller would log it.
inline std::string all_text(const gcx::error& e) {
    return e.describe() + "\n" + e.message + "\n" + e.hint + "\n" + e.code + "\n" + e.path + "\n" + e.correlation_id +
           "\n" + e.execution_id;
}

/// The invariants every error gcx hands out must keep, whatever the server sent.
/// `credentials_known`: the error passed through a call that knows the credentials (scrubbed).
inline void check_error(const gcx::error& e, bool credentials_known, bool phone_known) {
    const std::string d = e.describe();
    // describe() is "one line for logs": a server must not be able to forge log lines.
    GCX_FUZZ_CHECK(d.find('\n') == std::string::npos && d.find('\r') == std::string::npos, d);
    GCX_FUZZ_CHECK(!e.message.empty(), d);
    GCX_FUZZ_CHECK(e.retry_after_seconds >= -1, d);
    if (credentials_known) {
        const std::string text = all_text(e);
        GCX_FUZZ_CHECK(text.find(client_secret) == std::string::npos, text);
        GCX_FUZZ_CHECK(text.find(access_token) == std::string::npos, text);
        GCX_FUZZ_CHECK(text.find(gcx::detail::base64(client_id + ":" + client_secret)) == std::string::npos, text);
    }
    if (phone_known) {
        const std::string text = e.describe() + "\n" + e.message + "\n" + e.hint;
        GCX_FUZZ_CHECK(text.find(phone) == std::string::npos, text);
    }
}

}  // namespace gcx_fuzz

#endif
