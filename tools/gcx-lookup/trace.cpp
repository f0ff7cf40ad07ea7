// gcx-lookup: --trace and --trace-json.
#include "trace.hpp"

#include <gcx/event_format.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <unistd.h>

namespace gcx_lookup {

namespace {
void write_all(int fd, const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
        const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // stderr gone: the trace is lost, the lookups go on
        done += static_cast<std::size_t>(n);
    }
}
}  // namespace

gcx::event_hook make_trace_hook(trace_format format, int fd) {
    if (format == trace_format::none) return {};
    struct state {
        std::mutex m;
        gcx::time_point start = std::chrono::steady_clock::now();
    };
    auto st = std::make_shared<state>();
    const bool json = format == trace_format::json;
    return [st, json, fd](const gcx::event& e) {
        const double t = std::chrono::duration<double>(e.at - st->start).count();
        char stamp[32];
        std::string line;
        if (json) {
            std::snprintf(stamp, sizeof stamp, "{\"t\":%.3f,", t < 0 ? 0.0 : t);
            line = gcx::to_json(e);
            line.replace(0, 1, stamp);
        } else {
            std::snprintf(stamp, sizeof stamp, "[%9.3f] ", t < 0 ? 0.0 : t);
            line = stamp + gcx::to_text(e);
        }
        line += '\n';
        std::lock_guard<std::mutex> lk(st->m);
        write_all(fd, line);
    };
}

}  // namespace gcx_lookup
