// gcx-lookup: --trace and --trace-json.
#include "trace.hpp"

#include <gcx/event_format.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <map>
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

struct trace_state {
    std::mutex m;
    gcx::time_point start = std::chrono::steady_clock::now();
    bool json = false;
    int fd = 2;
    std::string strategy;
    bool ended = false;
    struct open_lookup {
        gcx::time_point first;
        int requests = 0, polls = 0;
        // The request sent and not yet answered, if any (kept as text: an event's views do not
        // outlive its hook call).
        bool in_flight = false;
        gcx::operation operation = gcx::operation::launch;
        std::string method, path;
        int attempt = 0;
        std::size_t credential = 0;
        gcx::time_point sent{};
    };
    static open_lookup first_seen(gcx::time_point at) {
        open_lookup l;
        l.first = at;
        return l;
    }
    std::map<std::uint64_t, open_lookup> open;  // lookups seen and not finished

    void write(const gcx::event& e) {  // with m held
        const double t = std::chrono::duration<double>(e.at - start).count();
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
        write_all(fd, line);
    }
    void note(const gcx::event& e) {  // with m held: which lookups are open, and what they sent
        if (e.lookup == 0) return;
        if (e.kind == gcx::event_kind::lookup_finished) {
            open.erase(e.lookup);
            return;
        }
        auto& l = open.try_emplace(e.lookup, first_seen(e.at)).first->second;
        if (e.kind == gcx::event_kind::request_sent) {
            ++l.requests;
            l.in_flight = true;
            l.operation = e.operation;
            l.method = std::string(e.method);
            l.path = std::string(e.path);
            l.attempt = e.attempt;
            l.credential = e.credential;
            l.sent = e.at;
        }
        if (e.kind == gcx::event_kind::request_answered) l.in_flight = false;
        if (e.kind == gcx::event_kind::request_answered && e.operation == gcx::operation::poll && e.status >= 200 &&
            e.status <= 299)
            ++l.polls;
    }
};

std::mutex current_m;
std::weak_ptr<trace_state> current;  // the trace end_trace closes
}  // namespace

gcx::event_hook make_trace_hook(trace_format format, int fd, std::string strategy) {
    if (format == trace_format::none) return {};
    auto st = std::make_shared<trace_state>();
    st->json = format == trace_format::json;
    st->fd = fd;
    st->strategy = std::move(strategy);
    {
        std::lock_guard<std::mutex> lk(current_m);
        current = st;
    }
    return [st](const gcx::event& e) {
        std::lock_guard<std::mutex> lk(st->m);
        if (st->ended) return;
        st->note(e);
        st->write(e);
    };
}

void end_trace() {
    std::shared_ptr<trace_state> st;
    {
        std::lock_guard<std::mutex> lk(current_m);
        st = current.lock();
    }
    if (!st) return;
    std::lock_guard<std::mutex> lk(st->m);
    if (st->ended) return;
    st->ended = true;
    const gcx::time_point now = std::chrono::steady_clock::now();
    for (const auto& [id, l] : st->open) {
        if (l.in_flight) {  // answered first, as the Asio adapter does on a cancel: every sent has its answer
            gcx::event a;
            a.kind = gcx::event_kind::request_answered;
            a.at = now;
            a.lookup = id;
            a.operation = l.operation;
            a.method = l.method;
            a.path = l.path;
            a.attempt = l.attempt;
            a.credential = l.credential;
            a.duration = std::chrono::duration_cast<gcx::milliseconds>(now - l.sent);
            a.error_kind = "timeout";
            a.error_code = "interrupted";
            st->write(a);
        }
        gcx::event e;
        e.kind = gcx::event_kind::lookup_finished;
        e.at = now;
        e.lookup = id;
        e.duration = std::chrono::duration_cast<gcx::milliseconds>(now - l.first);
        e.strategy = st->strategy;
        e.outcome = "error";
        e.error_kind = "timeout";
        e.error_code = "interrupted";
        e.requests = l.requests;
        e.polls = l.polls;
        st->write(e);
    }
    st->open.clear();
}

}  // namespace gcx_lookup
