// gcx-lookup: the batch driver. Both transports run the same operation, gcx::strategy_operation:
// curl on one thread through a libcurl multi handle, curl-threads and httplib through
// basic_client on one blocking thread per lookup in flight.
#include "batch.hpp"
#include "trace.hpp"
#include "interrupt.hpp"
#include "writer.hpp"

#include "report.hpp"

#include <gcx/adapters/curl.hpp>
#include <gcx/adapters/curl_multi.hpp>
#include <gcx/adapters/httplib.hpp>
#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx/strategy.hpp>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <pthread.h>
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
    double pace = 0;    // requests per minute over all credentials, now
    double paused = 0;  // seconds until the first credential's 429 pause ends (0: one is not paused)
};
budget_counts count(const gcx::session& s) {
    budget_counts c;
    const auto now = std::chrono::steady_clock::now();
    auto resumes = gcx::time_point::max();
    for (std::size_t i = 0; i < s.credentials(); ++i) {
        const auto a = s.budget(i).counters(), t = s.token_budget(i).counters();
        c.requests += a.admitted + t.admitted;
        c.rate_limited += a.rate_limited + t.rate_limited;
        c.pace += s.budget(i).pace(now);
        resumes = std::min(resumes, std::max(now, s.budget(i).paused_until()));
    }
    if (s.credentials() > 0) c.paused = std::chrono::duration<double>(resumes - now).count();
    return c;
}

/// The code of a number whose lookup the batch's SIGINT or SIGTERM cut short (--resume looks it up again).
constexpr std::string_view interrupted_code = "interrupted";

/// The error written for a number whose lookup a SIGINT or SIGTERM (`sig`) cut short: `started`,
/// it had sent a request of its own and its flow may have run; else nothing ran.
gcx::error interrupted_error(int sig, bool started) {
    const std::string by = sig == SIGINT ? "SIGINT" : "SIGTERM";
    gcx::error e = gcx::make_error(gcx::errc::timeout,
                                   started ? "not finished: the batch was interrupted (" + by +
                                                 ") while this lookup was in flight; its flow may "
                                                 "have run"
                                           : "not started: the batch was interrupted (" + by +
                                                 ") before this lookup sent its first request; "
                                                 "nothing ran",
                                   "run the batch again with --resume to look it up again");
    e.code = std::string(interrupted_code);
    e.sent = started ? gcx::delivery::maybe : gcx::delivery::not_sent;
    return e;
}

/// A line over max_line_bytes: refused as an invalid number, without a request.
gcx::error too_long_error() {
    gcx::error e =
        gcx::make_error(gcx::errc::invalid_input,
                        "invalid phone number: the line is longer than " + std::to_string(max_line_bytes) + " bytes",
                        "give one number a line, in E.164 form: '+', country code, subscriber number, "
                        "e.g. +14155550100");
    e.code = std::string(gcx::codes::phone);
    return e;
}

/// The reader went away (EPIPE): end as the default SIGPIPE would have, quietly, whatever the
/// disposition this process inherited or was given (the built-in simulator's HTTP server ignores
/// SIGPIPE; a parent may have too). The shell shows 141 (128 + SIGPIPE).
[[noreturn]] void end_as_sigpipe() {
    std::signal(SIGPIPE, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    std::raise(SIGPIPE);
    std::_Exit(128 + SIGPIPE);
}

/// Results in input order, whichever lookup ends first (or, with --unordered, each as it ends);
/// each is dropped once printed (only those waiting for an earlier one are held: the reorder
/// window), and only the worst severity is kept for the exit status. Also the progress bar and
/// the summary.
class printer {
public:
    /// `total`: the count of numbers when known (arguments), 0 when streaming from stdin.
    printer(const gcx::session& s, const options& opt, std::size_t total, std::string line_end)
        : session_(s), opt_(opt), total_(total), line_end_(std::move(line_end)),
          // Not when the results go to the terminal too: they would land in the bar's line.
          bar_(!opt.quiet && opt.trace == trace_format::none && total != 1 && isatty(2) && !isatty(1)),
          flush_each_(opt.line_buffered || isatty(1)), start_(std::chrono::steady_clock::now()),
          out_(1, flush_each_, [this] {  // the reader went away: nothing more to say, to anyone
              if (bar_) std::fputs("\n", stderr);
              end_as_sigpipe();
          }) {}

    void record(std::size_t i, std::string phone, std::string row, lookup_answer r) {
        outcome o = classify(std::move(phone), std::move(r));
        o.row = std::move(row);
        record(i, std::move(o));
    }

    /// Written before any result (--csv: the header row).
    void preamble(const std::string& text) {
        if (!text.empty()) out_.push(text, 0);
    }

    void record(std::size_t i, outcome o) {
        std::lock_guard<std::mutex> lk(m_);
        if (closed_) return;  // abandon() wrote this one as interrupted
        in_flight_.erase(i);
        if (o.err && o.err->code == interrupted_code && o.err->sent == gcx::delivery::not_sent) {
            o.looked_up = false;  // it sent nothing: counted with the lines not looked up
            ++unstarted_;
        }
        if (o.resumed) ++resumed_;
        else if (!o.looked_up) ++not_looked_up_;
        else ++tally_[o.st == status::found ? 0 : o.st == status::not_found ? 1 : 2];
        if (o.result) {
            requests_ended_ += static_cast<std::uint64_t>(std::max(0, o.result->execution.requests));
            ++with_result_;
        }
        ++completed_;
        accept(i, std::move(o));
        draw();
    }

    /// Number `i` (`phone`) was handed to a lookup: if the batch is interrupted before it ends,
    /// abandon() writes it as interrupted.
    void expect(std::size_t i, const std::string& phone, const std::string& row) {
        std::lock_guard<std::mutex> lk(m_);
        in_flight_.emplace(i, handed_out{phone, row, false, {}});
    }

    /// Number `i`'s lookup sent its first request of its own (a launch, a data action's run, a
    /// contact search; not a token request): interrupted now, it may have run.
    void started(std::size_t i) {
        std::lock_guard<std::mutex> lk(m_);
        if (auto it = in_flight_.find(i); it != in_flight_.end()) it->second.started = true;
    }

    /// Number `i`'s flow execution has this id: an "interrupted" line for it names it.
    void executing(std::size_t i, std::string execution_id) {
        std::lock_guard<std::mutex> lk(m_);
        if (auto it = in_flight_.find(i); it != in_flight_.end()) it->second.execution_id = std::move(execution_id);
    }

    /// The batch was interrupted by `sig` and what is in flight will not be waited for: each is
    /// written as an error (code "interrupted"), then the results behind it, and nothing after
    /// (a lookup ending later is not written). Ends the progress bar and prints the summary.
    void abandon(int sig) {
        write_unfinished(sig);
        (void)finish(sig);
    }

    /// The part of abandon() that writes: every number handed out and not recorded becomes an
    /// "interrupted" line (saying whether its lookup had started), then the results behind it are
    /// written. run_batch calls it too when the lookups ended on their own after a signal: a
    /// number queued again after a 429 (--wait-rate-limit) is not started after the signal, and
    /// must not hold back the lines behind it.
    void write_unfinished(int sig) {
        {
            std::lock_guard<std::mutex> lk(m_);
            if (closed_) return;
            closed_ = true;
            for (auto& [i, number] : in_flight_) {
                gcx::error e = interrupted_error(sig, number.started);
                e.execution_id = std::move(number.execution_id);
                outcome o = classify(number.phone, std::move(e));
                o.row = std::move(number.row);
                if (number.started) {
                    ++abandoned_;
                    ++tally_[2];
                } else {
                    ++unstarted_;
                    ++not_looked_up_;
                }
                ++completed_;
                accept(i, std::move(o));
            }
            in_flight_.clear();
        }
    }

    /// How many results were written (in input order unless --unordered): the head of the reorder window. Results
    /// waiting for a slow reader of stdout count as not written yet, so a paused reader stops
    /// new lookups from starting, never the lookups in flight (the writer has its own thread).
    std::size_t head() const { return out_.written(); }

    /// A first Ctrl-C: what is complete goes out now, and each result as it comes (a second
    /// Ctrl-C ends the process without waiting for anything).
    void write_promptly() { out_.write_promptly(); }

    /// Whether a result could not be written (a full disk): the batch stops starting lookups,
    /// since their results would be lost.
    bool broken() const { return out_.broken(); }

    /// Ends the progress bar, prints the summary; returns the exit status (128 + `sig` when
    /// the batch was interrupted by `sig`).
    int finish(int sig = 0) {
        out_.drain();
        if (bar_) std::fputs("\n", stderr);
        if (!opt_.quiet && (completed_ > 1 || sig)) summary();
        if (broken()) {
            // Said even with --quiet: a script must not take a truncated file for the results.
            std::string of = total_ ? " of " + std::to_string(total_) : std::string();
            std::fprintf(stderr, "gcx-lookup: cannot write the results to standard output (%s); %zu%s looked up\n",
                         out_.error().c_str(), completed_, of.c_str());
            return exit_failure;
        }
        if (sig) {
            // Said even with --quiet: the input was not read to its end.
            std::fprintf(stderr,
                         "gcx-lookup: interrupted by %s after %zu lines (%zu lookups in flight not finished, %zu "
                         "handed out and not started); run again with --resume to carry on\n",
                         sig == SIGINT ? "SIGINT" : "SIGTERM", completed_, abandoned_, unstarted_);
            return 128 + sig;
        }
        return exit_status_for(worst_);
    }

private:
    // Number `i`'s result is known: with --unordered it goes to the writer now; else it waits
    // in the reorder window for the results before it. Called with m_ held.
    void accept(std::size_t i, outcome o) {
        if (opt_.unordered) {
            std::string text;
            append(text, o, i);
            out_.push(std::move(text), 1);
            return;
        }
        const std::size_t at = i - head_;
        if (at >= waiting_.size()) waiting_.resize(at + 1);
        waiting_[at] = std::move(o);
        write_ready();
    }

    // Hands the results at the head of the window to the writer, in order. Called with m_ held.
    void write_ready() {
        std::string text;
        std::size_t n = 0;
        while (!waiting_.empty() && waiting_.front()) {
            append(text, *waiting_.front(), head_);
            waiting_.pop_front();
            ++head_;
            ++n;
        }
        if (n) out_.push(std::move(text), n);
    }

    // Adds number `i`'s result to `text` in the output's format (nothing for one whose result
    // stands in the --resume file), and keeps the worst severity.
    void append(std::string& text, const outcome& done, std::size_t i) {
        if (done.resumed) {
            // already in the --resume file
        } else if (opt_.csv) {
            text += to_csv_row(done, opt_.fields, line_end_);
            // A malformed row is said on stderr too, with its line number (which its output
            // row does not carry), even with --quiet: it was not looked up.
            if (done.err && done.err->code == "csv_malformed") {
                if (bar_) std::fputs("\r\033[K", stderr);
                std::fprintf(stderr, "gcx-lookup: %s\n", shown(done.err->message).c_str());
            }
        } else if (opt_.json) {
            text += to_json_line(done, opt_.unordered ? std::optional<std::size_t>(i) : std::nullopt);
            text += '\n';
        } else {
            text += to_text(done);
        }
        worst_ = std::max(worst_, severity(done));
    }

    // "[#####      ] 120/1000  ETA 6m12s": the rest at the requests per lookup seen so far,
    // paced by the budget, after the 429 pause every credential is in (if they all are). Streaming from stdin the total is unknown: "120 looked up, 35.2/s".
    void draw() {
        if (!bar_) return;
        const std::size_t total = total_;
        if (total == 0) {
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
            std::fprintf(stderr, "\r%zu looked up, %.1f/s   ", completed_,
                         elapsed > 0 ? static_cast<double>(completed_) / elapsed : 0.0);
            std::fflush(stderr);
            return;
        }
        const int width = 30;
        const auto filled = static_cast<int>(completed_ * width / total);
        std::string eta;
        const auto c = count(session_);
        const std::size_t rest = total - std::min(completed_, total);
        if (const double left = eta_seconds(c.paused, c.requests, requests_ended_, with_result_, rest, c.pace);
            left >= 0)
            eta = "  ETA " + duration_text(left);
        std::fprintf(stderr, "\r[%-*s] %zu/%zu%s   ", width, std::string(static_cast<std::size_t>(filled), '#').c_str(),
                     completed_, total, eta.c_str());
        std::fflush(stderr);
    }

    void summary() const {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        const auto c = count(session_);
        const std::size_t looked = completed_ - resumed_ - not_looked_up_;
        // Credentials whose secret was never refused (the others sent nothing), and not paused past
        // the retry ceiling now, nor without a token whose requests are (a limit of its own: the
        // batch went on without it).
        std::size_t working = 0, paused = 0;
        const auto now = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < session_.credentials(); ++i) {
            if (session_.tokens(i).refusals() != 0) continue;
            const auto long_pause = now + session_.config().retry.retry_after_ceiling;
            const bool off =
                session_.budget(i).paused_until() > long_pause ||
                (session_.token_budget(i).paused_until() > long_pause && !session_.tokens(i).fresh_token(now));
            (off ? paused : working) += 1;
        }
        const bool all_paused = working == 0 && paused > 0;  // "others" would name no one
        working = std::max<std::size_t>(working, 1);
        const double budget = session_.config().budget.requests_per_minute * static_cast<double>(working);
        std::fprintf(stderr,
                     "gcx-lookup: %zu lookups (%zu found, %zu not found, %zu errors) in %s; %llu requests "
                     "(%.2f per lookup), %llu answered 429",
                     looked, tally_[0], tally_[1], tally_[2], duration_text(elapsed).c_str(),
                     static_cast<unsigned long long>(c.requests),
                     looked ? static_cast<double>(c.requests) / static_cast<double>(looked) : 0.0,
                     static_cast<unsigned long long>(c.rate_limited));
        if (not_looked_up_)
            std::fprintf(stderr, "; %zu line%s not looked up (invalid, or after the batch stopped)", not_looked_up_,
                         not_looked_up_ == 1 ? "" : "s");
        if (resumed_) std::fprintf(stderr, "; %zu answered in the resume file, not looked up again", resumed_);
        if (budget > 0)
            std::fprintf(stderr, "; budget %.0f/min over %zu credential%s%s (ideal %s)", budget, working,
                         working == 1 ? "" : "s",
                         all_paused ? " (paused for long)"
                         : paused   ? " (others paused for long)"
                                    : "",
                         duration_text(static_cast<double>(c.requests) * 60.0 / budget).c_str());
        std::fputs("\n", stderr);
    }

    const gcx::session& session_;
    const options& opt_;
    const std::size_t total_;
    const std::string line_end_;
    std::mutex m_;
    std::deque<std::optional<outcome>> waiting_;  // results head_, head_ + 1, ...: those not yet written
    std::size_t head_ = 0, completed_ = 0;
    std::size_t tally_[3] = {0, 0, 0};
    int worst_ = 0;
    struct handed_out {
        std::string phone, row;    // the number, the CSV row
        bool started;              // it sent a request of its own (started())
        std::string execution_id;  // its flow's execution, once the launch was answered (executing())
    };
    std::map<std::size_t, handed_out> in_flight_;  // handed to a lookup, not yet recorded
    std::size_t resumed_ = 0, abandoned_ = 0, unstarted_ = 0, not_looked_up_ = 0;
    std::uint64_t requests_ended_ = 0;  // the requests of the lookups that ended with a result (the ETA's per lookup)
    std::size_t with_result_ = 0;       // those lookups
    bool closed_ = false;               // abandon() ran: nothing more is written
    bool bar_, flush_each_;
    std::chrono::steady_clock::time_point start_;
    fd_writer out_;  // last: its thread starts once the rest is ready
};

/// The input lines, as they come: the arguments, or standard input read on a thread of its own
/// into a bounded queue (so a lookup loop never blocks on a slow pipe).
class number_feed {
public:
    static constexpr std::size_t capacity = 256;  // lines read ahead, at most

    explicit number_feed(std::vector<std::string> args) : st_(std::make_shared<state>()), total_(args.size()) {
        for (auto& a : args) {
            st_->lines.emplace_back();
            st_->lines.back().text = std::move(a);
        }
        st_->ended = true;
    }

    number_feed(std::unique_ptr<input_source> reader, std::optional<input_line> first)
        : st_(std::make_shared<state>()) {
        if (first) st_->lines.push_back(std::move(*first));
        // Detached: when the batch ends early (a full disk) it may be blocked in read() on a
        // pipe that stays open; the state it uses is its own share.
        std::thread([st = st_, r = std::shared_ptr<input_source>(std::move(reader))] {
            int error = 0;
            try {
                while (auto l = r->next()) {
                    std::unique_lock<std::mutex> lk(st->m);
                    st->space.wait(lk, [&] { return st->lines.size() < capacity || st->abandoned; });
                    if (st->abandoned) return;
                    st->lines.push_back(std::move(*l));
                    st->ready.notify_all();
                }
                error = r->read_error();
            } catch (...) {  // out of memory: the input ends here, and the batch says so
                error = ENOMEM;
            }
            std::lock_guard<std::mutex> lk(st->m);
            st->ended = true;
            st->read_error = error;
            st->ready.notify_all();
        }).detach();
    }

    ~number_feed() {
        std::lock_guard<std::mutex> lk(st_->m);
        st_->abandoned = true;
        st_->space.notify_all();
    }
    number_feed(const number_feed&) = delete;
    number_feed& operator=(const number_feed&) = delete;

    enum class got { line, later, end };

    /// The next line if one was read, without waiting.
    got try_next(input_line& out) {
        std::lock_guard<std::mutex> lk(st_->m);
        return pop(out);
    }

    /// The next line, waiting for it; false at the end of the input.
    bool next(input_line& out) {
        std::unique_lock<std::mutex> lk(st_->m);
        st_->ready.wait(lk, [&] { return !st_->lines.empty() || st_->ended; });
        return pop(out) == got::line;
    }

    /// Whether a line (or the end) is there to take.
    bool ready() const {
        std::lock_guard<std::mutex> lk(st_->m);
        return !st_->lines.empty() || st_->ended;
    }

    /// Waits up to `d` for ready().
    void wait_ready(std::chrono::milliseconds d) {
        std::unique_lock<std::mutex> lk(st_->m);
        st_->ready.wait_for(lk, d, [&] { return !st_->lines.empty() || st_->ended; });
    }

    /// The count of numbers when known in advance (arguments), else 0.
    std::size_t total() const { return total_; }

    /// The errno of a failed read of standard input (the numbers after it were never seen), or 0.
    int read_error() const {
        std::lock_guard<std::mutex> lk(st_->m);
        return st_->read_error;
    }

private:
    struct state {
        mutable std::mutex m;
        std::condition_variable ready, space;
        std::deque<input_line> lines;
        bool ended = false, abandoned = false;
        int read_error = 0;
    };
    got pop(input_line& out) {  // with st_->m held
        if (st_->lines.empty()) return st_->ended ? got::end : got::later;
        out = std::move(st_->lines.front());
        st_->lines.pop_front();
        st_->space.notify_one();
        return got::line;
    }
    std::shared_ptr<state> st_;
    std::size_t total_ = 0;
};

/// A number handed out: its place in the input, the line, the times it was queued again.
struct job {
    std::size_t index = 0;
    std::string phone;
    int tries = 0;
    std::string row;  // --csv: the input row's original fields
};

/// Hands out the numbers in order as they are read, within the reorder window, and stops handing
/// them out when the budget says stop.
class work_queue {
public:
    work_queue(number_feed& feed, bool wait_rate_limit, printer& out, std::size_t window, resume_set* resume)
        : feed_(feed), wait_(wait_rate_limit), out_(out), window_(window), resume_(resume) {}

    enum class why { none, input, window };
    struct taken {
        std::optional<job> j;
        why later = why::none;  ///< no job now, but maybe later: what it waits for
    };

    /// The next number, without waiting: a job; or none now (`later` says why); or none ever
    /// (the input ended, the batch was stopped, or its results can no longer be written).
    taken try_take() {
        std::lock_guard<std::mutex> lk(m_);
        if (out_.broken() || aborted_ || interrupt_signal()) return {};
        if (!again_.empty()) {
            taken t{std::move(again_.front()), why::none};
            again_.pop_front();
            return t;
        }
        if (stop_) return {};
        for (;;) {
            if (next_ >= out_.head() + window_) return {std::nullopt, why::window};
            input_line l;
            const auto g = feed_.try_next(l);
            if (g == number_feed::got::end) return {};
            if (g == number_feed::got::later) return {std::nullopt, why::input};
            const std::size_t i = next_++;
            if (l.error || l.too_long) {
                out_.record(i, std::move(l.text), std::move(l.row), l.error ? std::move(*l.error) : too_long_error());
                continue;
            }
            if (resumed(i, l, out_)) continue;
            out_.expect(i, l.text, l.row);
            return {job{i, std::move(l.text), 0, std::move(l.row)}, why::none};
        }
    }

    /// The next number, waiting for the input or the window; nullopt when there is none.
    std::optional<job> take() {
        for (;;) {
            auto t = try_take();
            if (t.j || t.later == why::none) return std::move(t.j);
            if (t.later == why::input) feed_.wait_ready(std::chrono::milliseconds(50));
            else std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the head is in flight
        }
    }

    /// Whether try_take() may have something new: a line was read, the input ended, or the batch stopped.
    bool input_ready() {
        std::lock_guard<std::mutex> lk(m_);
        if (stop_ || out_.broken() || interrupt_signal() || !again_.empty()) return true;
        // A line to take only counts when the window has room for it: the window's head moves
        // when the writer thread takes the results, after their lookups ended.
        return feed_.ready() && next_ < out_.head() + window_;
    }

    /// Stops handing out numbers at once (a worker failed).
    void abort() {
        std::lock_guard<std::mutex> lk(m_);
        aborted_ = true;
    }

    /// With --wait-rate-limit, a lookup that a 429 stopped before its flow started is queued
    /// again (up to 3 times): the client's budget holds every lookup until the limit lifts.
    bool requeue(const job& j, const gcx::error& e) {
        if (!wait_ || e.kind != gcx::errc::rate_limited || !e.execution_id.empty() ||
            e.code == gcx::codes::retry_ceiling || j.tries >= 3)
            return false;
        std::lock_guard<std::mutex> lk(m_);
        again_.push_back(job{j.index, j.phone, j.tries + 1, j.row});
        return true;
    }

    /// A lookup ended with `e`: a Retry-After beyond the ceiling (a daily or org limit) stops the
    /// batch; every line not yet started is then reported with that error.
    void note(const gcx::error& e) {
        if (e.kind != gcx::errc::rate_limited || e.code != gcx::codes::retry_ceiling) return;
        std::lock_guard<std::mutex> lk(m_);
        if (!stop_) stop_ = e;
    }

    /// After the batch: the lines never started, each with the error that stopped it. The rest of
    /// the input is read to its end, one result line per input line, as a stream.
    void report_unstarted(printer& p) {
        std::lock_guard<std::mutex> lk(m_);
        if (!stop_ || interrupt_signal()) return;
        gcx::error e = *stop_;
        e.execution_id.clear();
        e.correlation_id.clear();
        e.message = "not looked up: the batch stopped after the server asked to wait " +
                    std::to_string(e.retry_after_seconds) + " s";
        e.hint = "run the rest later, or pass --wait-rate-limit to wait";
        input_line l;
        while (!p.broken() && feed_.next(l)) {
            const std::size_t i = next_++;
            if (!l.error && !l.too_long)
                if (auto n = gcx::normalize_e164(l.text); !n) l.error = n.error();  // as a lookup would say
            if (l.error) p.record(i, std::move(l.text), std::move(l.row), std::move(*l.error));
            else if (l.too_long) p.record(i, std::move(l.text), std::move(l.row), too_long_error());
            else if (!resumed(i, l, p)) {
                outcome o = classify(std::move(l.text), e);
                o.row = std::move(l.row);
                o.looked_up = false;
                p.record(i, std::move(o));
            }
        }
    }

private:
    // A line whose result stands in the --resume file: recorded as answered there (not looked
    // up, not written again), whether the batch runs or has stopped. Each standing result
    // answers one line: a number (a row) given twice is looked up again if the file has it once.
    bool resumed(std::size_t i, input_line& l, printer& p) {
        if (!resume_) return false;
        const auto r = resume_->take(l.text, l.row);
        if (r == resume_set::recorded::none) return false;
        outcome o;
        o.phone = std::move(l.text);
        o.st = r == resume_set::recorded::found ? status::found : status::not_found;
        o.resumed = true;
        p.record(i, std::move(o));
        return true;
    }

    number_feed& feed_;
    const bool wait_;
    printer& out_;
    const std::size_t window_;
    resume_set* resume_;  // taken from under m_
    std::mutex m_;
    std::deque<job> again_;
    std::size_t next_ = 0;
    std::optional<gcx::error> stop_;
    bool aborted_ = false;
};

/// Keeps the one-thread loop alive while standard input is slow or the reorder window is full:
/// ends once a line (or the end of the input) is there to take, looking every 10 ms.
struct input_wait {
    work_queue& q;
    gcx::token_cache& cache;
    gcx::action next(gcx::time_point now) {
        return q.input_ready() ? gcx::action::done() : gcx::action::sleep(now + std::chrono::milliseconds(10));
    }
    void on_response(gcx::result<gcx::http::response>, gcx::time_point, std::chrono::system_clock::time_point) {}
    gcx::token_cache& tokens() { return cache; }
};

/// One number's lookup in the batch: the configured strategy (gcx::strategy_operation), and the
/// batch's Ctrl-C. A SIGINT or SIGTERM starts no new lookup: one handed out that has not sent a
/// request of its own yet (it waited for the budget or for the token; a token request is not
/// one) ends at its next step with nothing sent, as "not started"; one that has goes on within
/// interrupt_grace. The printer hears when it starts, to say which of those cut short may have run.
class batch_lookup {
public:
    batch_lookup(const gcx::session& s, const job& j, printer& p, gcx::time_point now)
        : op_(std::in_place, s, j.phone, now), printer_(&p), index_(j.index),
          token_url_(s.config().endpoints.login + "/oauth/token") {}

    gcx::action next(gcx::time_point now) {
        if (!op_) return gcx::action::done();
        if (!started_) {
            if (const int sig = interrupt_signal()) {
                op_->abandon(not_started_ = interrupted_error(sig, false), now);  // its lookup_finished event
                op_.reset();  // hands back its place in the budget's queue, a token fetch it held
                return gcx::action::done();
            }
        }
        gcx::action a = op_->next(now);
        if (a.kind == gcx::action::type::send && !started_ && a.request.url != token_url_) {
            started_ = true;
            printer_->started(index_);
        }
        return a;
    }
    void on_response(gcx::result<gcx::http::response> r, gcx::time_point now,
                     std::chrono::system_clock::time_point wall_now) {
        if (!op_) return;
        op_->on_response(std::move(r), now, wall_now);
        if (started_ && !id_told_) {
            if (std::string id = op_->execution_id(); !id.empty()) {
                printer_->executing(index_, std::move(id));
                id_told_ = true;
            }
        }
    }
    gcx::token_cache& tokens() { return op_->tokens(); }  // asked only after a wait_token step
    bool done() const { return !op_ || op_->done(); }
    lookup_answer take_result() { return op_ ? op_->take_result() : lookup_answer(not_started_); }

private:
    std::optional<gcx::strategy_operation<json>> op_;  // reset when it ends not started
    printer* printer_;
    std::size_t index_;
    std::string token_url_;
    bool started_ = false;
    bool id_told_ = false;  // the printer knows its execution id
    gcx::error not_started_;
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
    bool waiting = false;  // an input_wait is in the loop
    std::function<void()> fill;
    auto start_one = [&]() -> bool {
        auto t = q.try_take();
        if (!t.j) {
            // Waiting for the input, or for the window to move: the head's results are handed
            // to the writer thread when its lookup ends, and the window moves when the writer
            // has taken them, which may be after that completion. Either way a waiting operation
            // keeps the loop alive and fills again once there is something to take.
            if (t.later != work_queue::why::none && !waiting) {
                waiting = true;
                loop.add(input_wait{q, s.tokens()}, [&](input_wait&) {
                    waiting = false;
                    fill();
                });
            }
            return false;
        }
        batch_lookup lookup(s, *t.j, p, loop.now());  // before the job moves below
        loop.add(std::move(lookup), [&, j = std::move(*t.j)](batch_lookup& op) mutable {
            auto r = op.take_result();
            if (r || !q.requeue(j, r.error())) {
                if (!r) q.note(r.error());
                p.record(j.index, std::move(j.phone), std::move(j.row), std::move(r));
            }
            fill();
        });
        return true;
    };
    fill = [&] {
        while (loop.size() - (waiting ? 1 : 0) < in_flight && start_one()) {}
    };
    fill();
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
    auto transport = opt.transport == "httplib" ? shared_transport<gcx::adapters::httplib_transport>(in_flight + 2, net)
                                                : shared_transport<gcx::adapters::curl_transport>(in_flight + 2, net);
    gcx::basic_client<any_transport, json> client(s, std::move(transport));
    std::mutex failure_m;
    std::exception_ptr failure;  // the first exception of a worker: the batch stops, main reports it
    auto worker = [&] {
        try {
            while (auto j = q.take()) {
                batch_lookup op(s, *j, p, client.clock().now());
                client.run(op);
                auto r = op.take_result();
                if (!r && q.requeue(*j, r.error())) continue;
                if (!r) q.note(r.error());
                p.record(j->index, std::move(j->phone), std::move(j->row), std::move(r));
            }
        } catch (...) {
            std::lock_guard<std::mutex> lk(failure_m);
            if (!failure) failure = std::current_exception();
            q.abort();
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < in_flight; ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    if (failure) std::rethrow_exception(failure);
}

/// After a SIGINT or SIGTERM, gives the lookups in flight interrupt_grace to end; if the batch
/// has not ended by then, writes what is known (printer::abandon) and ends the process with
/// 128 + the signal.
class interrupt_watch {
public:
    explicit interrupt_watch(printer& p)
        : thread_([this, &p] {
              std::unique_lock<std::mutex> lk(m_);
              // The signal handler cannot wake a condition variable: look every 50 ms.
              while (!done_ && !interrupt_signal()) cv_.wait_for(lk, std::chrono::milliseconds(50));
              if (done_) return;
              p.write_promptly();
              if (cv_.wait_for(lk, interrupt_grace, [this] { return done_; })) return;
              p.abandon(interrupt_signal());
              end_trace();  // every lookup the trace saw start ends in it too
              std::_Exit(128 + interrupt_signal());
          }) {}
    ~interrupt_watch() { stop(); }
    interrupt_watch(const interrupt_watch&) = delete;
    interrupt_watch& operator=(const interrupt_watch&) = delete;

    /// The batch ended on its own.
    void stop() {
        {
            std::lock_guard<std::mutex> lk(m_);
            done_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    bool done_ = false;
    std::thread thread_;  // last: started once the rest is ready
};

}  // namespace

int run_batch(const gcx::session& session, numbers_in numbers, const batch_settings& settings) {
    const options& opt = settings.opt;
    std::unique_ptr<number_feed> feed =
        numbers.reader ? std::make_unique<number_feed>(std::move(numbers.reader), std::move(numbers.first))
                       : std::make_unique<number_feed>(std::move(numbers.args));
    printer p(session, opt, feed->total(), numbers.line_end);
    p.preamble(numbers.preamble);
    const auto concurrency = static_cast<std::size_t>(opt.concurrency);
    work_queue q(*feed, opt.wait_rate_limit, p, concurrency + reorder_bound, settings.resume);
    const auto in_flight = feed->total() ? std::min(concurrency, feed->total()) : concurrency;
    install_interrupt_handlers();
    interrupt_watch watch(p);
    if (opt.transport == "curl") run_on_one_thread(session, q, p, in_flight, settings);
    else run_on_threads(session, q, p, in_flight, opt, settings);
    q.report_unstarted(p);  // still watched: it reads stdin to its end, which a signal must not wait for
    watch.stop();
    if (const int sig = interrupt_signal()) p.write_unfinished(sig);
    const int status = p.finish(interrupt_signal());
    if (const int err = feed->read_error()) {
        // Said even with --quiet: the numbers after the failed read were never looked up.
        std::fprintf(stderr, "gcx-lookup: reading the %s from standard input failed (%s); the rest was not looked up\n",
                     opt.csv ? "CSV" : "numbers", std::strerror(err));
        return exit_failure;
    }
    return status;
}

}  // namespace gcx_lookup
