// gcx-lookup: the batch driver. Both transports run the same operation, gcx::strategy_operation:
// curl on one thread through a libcurl multi handle, curl-threads and httplib through
// basic_client on one blocking thread per lookup in flight.
#include "batch.hpp"

#include "report.hpp"

#include <gcx/adapters/curl.hpp>
#include <gcx/adapters/curl_multi.hpp>
#include <gcx/adapters/httplib.hpp>
#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx/strategy.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>

namespace gcx_lookup {
namespace {

using json = gcx::json::boost_json;
using lookup_answer = gcx::result<gcx::lookup_result<boost::json::value>>;

std::string duration_text(double seconds) {
    char buf[32];
    const auto s = static_cast<long>(seconds + 0.5);
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
    else if (s >= 60) std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%.1fs", seconds);
    return buf;
}

/// Requests sent and 429s answered, over every credential of the session.
struct budget_counts {
    std::uint64_t requests = 0, rate_limited = 0;
    double pace = 0;  // requests per minute over all credentials, now
};
budget_counts count(const gcx::session& s) {
    budget_counts c;
    const auto now = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < s.credentials(); ++i) {
        const auto a = s.budget(i).counters(), t = s.token_budget(i).counters();
        c.requests += a.admitted + t.admitted;
        c.rate_limited += a.rate_limited + t.rate_limited;
        c.pace += s.budget(i).pace(now);
    }
    return c;
}

/// Results in input order, whichever lookup ends first; each is dropped once printed, and only
/// the worst severity is kept for the exit status. Also the progress bar and the summary.
class printer {
public:
    printer(const gcx::session& s, const options& opt, std::size_t total)
        : session_(s), opt_(opt), results_(total), bar_(!opt.quiet && total > 1 && isatty(2)),
          flush_each_(opt.line_buffered || isatty(1)), start_(std::chrono::steady_clock::now()) {}

    void record(std::size_t i, std::string phone, lookup_answer r) {
        outcome o = classify(std::move(phone), std::move(r));
        std::lock_guard<std::mutex> lk(m_);
        ++tally_[o.st == status::found ? 0 : o.st == status::not_found ? 1 : 2];
        results_[i] = std::move(o);
        ++completed_;
        for (; next_ < results_.size() && results_[next_]; ++next_) {
            const auto& done = *results_[next_];
            if (opt_.json) std::cout << to_json_line(done) << "\n";
            else std::cout << to_text(done);
            worst_ = std::max(worst_, severity(done));
            results_[next_].reset();
        }
        if (flush_each_) std::cout.flush();
        note_write_failure();
        draw();
    }

    /// Whether a result could not be written (a full disk, a closed pipe): the batch stops
    /// starting lookups, since their results would be lost.
    bool broken() const { return broken_.load(); }

    /// Ends the progress bar, prints the summary; returns the exit status.
    int finish() {
        std::cout.flush();
        {
            std::lock_guard<std::mutex> lk(m_);
            note_write_failure();
        }
        if (bar_) std::fputs("\n", stderr);
        if (!opt_.quiet && results_.size() > 1) summary();
        if (broken()) {
            // Said even with --quiet: a script must not take a truncated file for the results.
            std::fprintf(stderr, "gcx-lookup: cannot write the results to standard output (%s); %zu of %zu looked up\n",
                         write_error_.c_str(), completed_, results_.size());
            return exit_failure;
        }
        return exit_status_for(worst_);
    }

private:
    // Called with m_ held, after writing.
    void note_write_failure() {
        if (std::cout || broken_.load()) return;
        const int err = errno;
        write_error_ = err ? std::strerror(err) : "write error";
        broken_ = true;
    }

    // "[#####      ] 120/1000  ETA 6m12s": the rest at the requests per lookup seen so far,
    // paced by the budget.
    void draw() {
        if (!bar_) return;
        const std::size_t total = results_.size();
        const int width = 30;
        const auto filled = static_cast<int>(total ? completed_ * width / total : width);
        std::string eta;
        const auto c = count(session_);
        if (completed_ > 0 && completed_ < total && c.pace > 0) {
            const double per_lookup = static_cast<double>(c.requests) / static_cast<double>(completed_);
            eta = "  ETA " + duration_text(per_lookup * static_cast<double>(total - completed_) * 60.0 / c.pace);
        }
        std::fprintf(stderr, "\r[%-*s] %zu/%zu%s   ", width, std::string(static_cast<std::size_t>(filled), '#').c_str(),
                     completed_, total, eta.c_str());
        std::fflush(stderr);
    }

    void summary() const {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        const auto c = count(session_);
        const double budget =
            session_.config().budget.requests_per_minute * static_cast<double>(session_.credentials());
        std::fprintf(stderr,
                     "gcx-lookup: %zu lookups (%zu found, %zu not found, %zu errors) in %s; %llu requests "
                     "(%.2f per lookup), %llu answered 429",
                     completed_, tally_[0], tally_[1], tally_[2], duration_text(elapsed).c_str(),
                     static_cast<unsigned long long>(c.requests),
                     completed_ ? static_cast<double>(c.requests) / static_cast<double>(completed_) : 0.0,
                     static_cast<unsigned long long>(c.rate_limited));
        if (budget > 0)
            std::fprintf(stderr, "; budget %.0f/min over %zu credential%s (ideal %s)", budget, session_.credentials(),
                         session_.credentials() == 1 ? "" : "s",
                         duration_text(static_cast<double>(c.requests) * 60.0 / budget).c_str());
        std::fputs("\n", stderr);
    }

    const gcx::session& session_;
    const options& opt_;
    std::mutex m_;
    std::vector<std::optional<outcome>> results_;
    std::size_t next_ = 0, completed_ = 0;
    std::size_t tally_[3] = {0, 0, 0};
    int worst_ = 0;
    std::atomic<bool> broken_{false};
    std::string write_error_;
    bool bar_, flush_each_;
    std::chrono::steady_clock::time_point start_;
};

/// Hands out the numbers in order, and stops handing them out when the budget says stop.
class work_queue {
public:
    work_queue(const std::vector<std::string>& phones, bool wait_rate_limit, const printer& out)
        : phones_(phones), wait_(wait_rate_limit), out_(out), tries_(wait_rate_limit ? phones.size() : 0) {}

    /// The next number's index, or nullopt when none is left (or the batch was stopped, or its
    /// results can no longer be written).
    std::optional<std::size_t> take() {
        std::lock_guard<std::mutex> lk(m_);
        if (out_.broken()) return std::nullopt;
        if (!again_.empty()) {
            auto i = again_.front();
            again_.pop_front();
            return i;
        }
        if (stop_ || next_ >= phones_.size()) return std::nullopt;
        return next_++;
    }

    /// With --wait-rate-limit, a lookup that a 429 stopped before its flow started is queued
    /// again (up to 3 times): the client's budget holds every lookup until the limit lifts.
    bool requeue(std::size_t i, const gcx::error& e) {
        if (!wait_ || e.kind != gcx::errc::rate_limited || !e.execution_id.empty() ||
            e.code == gcx::codes::retry_ceiling)
            return false;
        std::lock_guard<std::mutex> lk(m_);
        if (++tries_[i] > 3) return false;
        again_.push_back(i);
        return true;
    }

    /// A lookup ended with `e`: a Retry-After beyond the ceiling (a daily or org limit) stops the
    /// batch; every number not yet started is then reported with that error.
    void note(const gcx::error& e) {
        if (e.kind != gcx::errc::rate_limited || e.code != gcx::codes::retry_ceiling) return;
        std::lock_guard<std::mutex> lk(m_);
        if (!stop_) stop_ = e;
    }

    /// After the batch: the numbers never started, with the error that stopped it.
    void report_unstarted(printer& p) {
        std::lock_guard<std::mutex> lk(m_);
        if (!stop_) return;
        gcx::error e = *stop_;
        e.execution_id.clear();
        e.correlation_id.clear();
        e.message = "not looked up: the batch stopped after the server asked to wait " +
                    std::to_string(e.retry_after_seconds) + " s";
        e.hint = "run the rest later, or pass --wait-rate-limit to wait";
        for (; next_ < phones_.size(); ++next_) p.record(next_, phones_[next_], e);
    }

    const std::string& phone(std::size_t i) const { return phones_[i]; }

private:
    const std::vector<std::string>& phones_;
    const bool wait_;
    const printer& out_;
    std::mutex m_;
    std::vector<int> tries_;
    std::deque<std::size_t> again_;
    std::size_t next_ = 0;
    std::optional<gcx::error> stop_;
};

/// Every lookup on this thread, through one libcurl multi handle: `in_flight` at once, the next
/// one started as soon as one ends.
void run_on_one_thread(const gcx::session& s, work_queue& q, printer& p, std::size_t in_flight,
                       const batch_settings& net) {
    gcx::adapters::curl_multi_runner::options o;
    o.max_idle_connections = in_flight + 2;
    o.ca_file = net.ca_file;
    o.proxy = net.proxy;
    o.no_proxy = net.no_proxy;
    gcx::adapters::curl_multi_runner loop(o);
    std::function<void()> start_next = [&] {
        auto i = q.take();
        if (!i) return;
        loop.add(gcx::strategy_operation<json>(s, q.phone(*i), loop.now()),
                 [&, i = *i](gcx::strategy_operation<json>& op) {
                     auto r = op.take_result();
                     if (r || !q.requeue(i, r.error())) {
                         if (!r) q.note(r.error());
                         p.record(i, q.phone(i), std::move(r));
                     }
                     start_next();
                 });
    };
    for (std::size_t k = 0; k < in_flight; ++k) start_next();
    loop.run();
}

/// The transport chosen at run time, behind one type.
struct any_transport {
    std::function<gcx::result<gcx::http::response>(const gcx::http::request&)> fn;
    gcx::result<gcx::http::response> send(const gcx::http::request& r) const { return fn(r); }
};

template <class Transport>
any_transport shared_transport(std::size_t connections, const batch_settings& net) {
    typename Transport::options o;
    o.max_idle_connections = connections;
    o.ca_file = net.ca_file;
    o.proxy = net.proxy;
    o.no_proxy = net.no_proxy;
    auto t = std::make_shared<Transport>(o);
    return {[t](const gcx::http::request& r) { return t->send(r); }};
}

/// One blocking thread per lookup in flight, sharing one client (one session).
void run_on_threads(const gcx::session& s, work_queue& q, printer& p, std::size_t in_flight, const options& opt,
                    const batch_settings& net) {
    auto transport = opt.transport == "httplib"
                         ? shared_transport<gcx::adapters::httplib_transport>(in_flight + 2, net)
                         : shared_transport<gcx::adapters::curl_transport>(in_flight + 2, net);
    gcx::basic_client<any_transport, json> client(s, std::move(transport));
    auto worker = [&] {
        while (auto i = q.take()) {
            auto r = client.lookup(q.phone(*i));
            if (!r && q.requeue(*i, r.error())) continue;
            if (!r) q.note(r.error());
            p.record(*i, q.phone(*i), std::move(r));
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < in_flight; ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
}

}  // namespace

int run_batch(const gcx::session& session, const std::vector<std::string>& phones, const batch_settings& settings) {
    const options& opt = settings.opt;
    printer p(session, opt, phones.size());
    work_queue q(phones, opt.wait_rate_limit, p);
    const auto in_flight = std::min<std::size_t>(static_cast<std::size_t>(opt.concurrency), phones.size());
    if (opt.transport == "curl") run_on_one_thread(session, q, p, in_flight, settings);
    else run_on_threads(session, q, p, in_flight, opt, settings);
    q.report_unstarted(p);
    return p.finish();
}

}  // namespace gcx_lookup
