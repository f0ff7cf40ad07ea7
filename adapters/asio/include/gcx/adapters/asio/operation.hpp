// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_ASIO_OPERATION_HPP
#define GCX_ADAPTERS_ASIO_OPERATION_HPP

// asio_op: one asio operation in flight. It steps a sans-I/O gcx operation (strategy_operation,
// direct_lookup_operation, check_operation) on a strand of its own: its sleeps and token waits on
// a timer, its requests as exchanges (exchange.hpp), the handler's cancellation slot, and the
// completion through the handler's associated executor.

#include <gcx/adapters/asio/exchange.hpp>
#include <gcx/adapters/asio/shared.hpp>
#include <gcx/check.hpp>
#include <gcx/error.hpp>
#include <gcx/fwd.hpp>
#include <gcx/http.hpp>
#include <gcx/json/backend.hpp>
#include <gcx/operation.hpp>
#include <gcx/result.hpp>
#include <gcx/version.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

namespace asio_ns = boost::asio;

/// Whether an operation can be ended without its result, its events closed (strategy_operation).
template <class O, class = void>
struct can_abandon : std::false_type {};
template <class O>
struct can_abandon<O, std::void_t<decltype(std::declval<O&>().abandon(std::declval<const error&>(), time_point{}))>>
    : std::true_type {};

/// Whether an operation reports the execution it launched (strategy_operation::execution_id).
template <class O, class = void>
struct reports_execution : std::false_type {};
template <class O>
struct reports_execution<O, std::void_t<decltype(std::declval<const O&>().execution_id())>> : std::true_type {};

/// One operation in flight: steps the sans-I/O operation on its strand and completes the handler.
/// Result is what finish(op) returns (a gcx::result).
template <class J, class Operation, class Finish, class Handler>
class asio_op : public std::enable_shared_from_this<asio_op<J, Operation, Finish, Handler>>, public asio_exchange {
    using exchange = asio_exchange;
    using exchange::conn_;
    using exchange::io_seq_;
    using exchange::io_timer_;
    using exchange::launch_kind_;
    using exchange::launch_pending_;
    using exchange::resolver_;
    using exchange::send;
    using exchange::st_;
    using exchange::strand_;
    using exchange::writing_;
    using exchange::written_;
    using result_type = decltype(std::declval<Finish&>()(std::declval<Operation&>()));
    using handler_executor = typename asio_ns::associated_executor<Handler, asio_ns::any_io_executor>::type;
    using work_type = std::decay_t<
        typename asio_ns::prefer_result<handler_executor, asio_ns::execution::outstanding_work_t::tracked_t>::type>;

public:
    asio_op(std::shared_ptr<asio_shared> st, Operation op, Finish finish, Handler handler)
        : exchange(std::move(st)), timer_(strand_), op_(std::move(op)), finish_(std::move(finish)),
          handler_(std::move(handler)), work_(asio_ns::prefer(asio_ns::get_associated_executor(handler_, st_->ex),
                                                              asio_ns::execution::outstanding_work.tracked)) {}

    /// Connects the handler's cancellation slot and takes the first step (posted: never inline).
    void start() {
        st_->in_flight.fetch_add(1, std::memory_order_relaxed);
        auto slot = asio_ns::get_associated_cancellation_slot(handler_);
        if (slot.is_connected()) {
            std::weak_ptr<asio_op> weak = this->shared_from_this();
            slot.assign([weak](asio_ns::cancellation_type type) {
                if (type == asio_ns::cancellation_type::none) return;
                if (auto self = weak.lock()) asio_ns::post(self->strand_, [self, type] { self->cancel(type); });
            });
        }
        asio_ns::post(strand_, [self = this->shared_from_this()] { self->step(); });
    }

private:
    static time_point now() { return std::chrono::steady_clock::now(); }

    // ---- the operation's moves ---------------------------------------------------------------
    void step() {
        if (finished_) return;
        if (cancelled_) return finish_cancelled();
        for (;;) {
            action a = op_->next(now());
            switch (a.kind) {
            case action::type::done: return complete(finish_(*op_));
            case action::type::sleep: {
                const std::uint64_t seq = ++wait_seq_;
                timer_.expires_at(a.until);
                timer_.async_wait(
                    [self = this->shared_from_this(), seq](boost::system::error_code) { self->wake(seq); });
                return;
            }
            case action::type::wait_token: {
                // Another lookup (maybe on another thread, or a blocking client) fetches the
                // token: go on when it ends or at `until`, whichever is first.
                const std::uint64_t seq = ++wait_seq_;
                timer_.expires_at(a.until);
                timer_.async_wait(
                    [self = this->shared_from_this(), seq](boost::system::error_code) { self->wake(seq); });
                std::weak_ptr<asio_op> weak = this->shared_from_this();
                op_->tokens().on_change([weak, seq] {
                    if (auto self = weak.lock())
                        asio_ns::post(self->strand_, [self, seq] {
                            if (self->wait_seq_ == seq) self->timer_.cancel();
                            self->wake(seq);
                        });
                });
                return;
            }
            case action::type::send:
                if (auto refused = send(std::move(a.request))) {
                    hand_in(std::move(*refused), /*then_step=*/false);
                    continue;  // the operation decides what that error means
                }
                return;
            }
        }
    }

    void wake(std::uint64_t seq) {
        if (finished_) return;
        if (cancelled_) return finish_cancelled();
        if (seq != wait_seq_) return;  // the other of timer and token change came first
        ++wait_seq_;
        step();
    }

    // The exchange's owner, for its completions.
    std::shared_ptr<asio_exchange> keep() override { return this->shared_from_this(); }

    // Hands an exchange's outcome to the operation.
    void hand_in(result<http::response> r, bool then_step) override {
        if (launch_pending_) {
            launch_pending_ = false;
            started_kind_ = launch_kind_;
            if (r && r->status >= 200 && r->status < 300) launched_ = true;
            else if (!r && r.error().sent == delivery::maybe) launch_maybe_ = true;
        }
        op_->on_response(std::move(r), now(), std::chrono::system_clock::now());
        // The execution's id as the lookup took it from the launch's answer: checked, scrubbed of
        // credentials and the number (an action's answer is its own data, not an execution).
        if constexpr (reports_execution<Operation>::value)
            if (launched_ && started_kind_ == starts::flow && execution_id_.empty())
                execution_id_ = op_->execution_id();
        if (then_step) step();
    }

    // True when the handler has nothing to do: the lookup was cancelled (it ends here) or ended.
    bool interrupted(const boost::system::error_code&) override {
        if (finished_) return true;
        if (!cancelled_) return false;
        finish_cancelled();
        return true;
    }

    // ---- the end -----------------------------------------------------------------------------
    void cancel(asio_ns::cancellation_type type) {
        if (finished_ || cancelled_) return;
        using ct = asio_ns::cancellation_type;
        if ((type & ct::terminal) == ct::none) {
            // partial: only with what was started known; total: only with nothing started (asio.hpp).
            const bool unknown = launch_maybe_ || (launch_pending_ && (writing_ || written_));  // (bytes may be out)
            const bool started = unknown || launched_;
            if ((type & ct::partial) != ct::none ? unknown : started) return;
        }
        cancelled_ = true;
        timer_.cancel();
        io_timer_.cancel();
        resolver_.cancel();
        if (conn_) conn_->close();                              // the pending read or write ends with operation_aborted
        if (this->stop_waiting()) return finish_cancelled();    // queued for a connection: nothing is pending
        if (this->stop_resolving()) return finish_cancelled();  // a resolve is not waited for
        // Whatever was pending (a sleep, a token wait: both arm timer_; a resolve, a connect, a
        // write or a read) completes on the strand, finds cancelled_ and ends the lookup.
    }

    void finish_cancelled() {
        if (finished_) return;
        if (conn_) conn_->close();
        conn_.reset();
        const bool launch_unanswered = launch_pending_ && written_;
        if (launch_unanswered) started_kind_ = launch_kind_;
        const bool action = started_kind_ == starts::action;
        error e = make_error(errc::transport, "the lookup was cancelled");
        e.code = std::string(codes::canceled);
        e.execution_id = execution_id_;
        if (launched_) {
            e.sent = delivery::maybe;
            e.message += action ? ": the data action had run"
                                : ": the flow execution was launched and runs on in "
                                  "Genesys Cloud";
        } else if (launch_unanswered || launch_maybe_) {
            e.sent = delivery::maybe;
            e.message += action ? " after the data action's request was sent and before it was answered: the action "
                                  "may have run"
                                : " after the launch request was sent and before it was answered: the flow may be "
                                  "running (its execution id is unknown)";
        } else {
            e.sent = delivery::not_sent;
            e.message += " before it started anything in Genesys Cloud (no flow launched, no data action run)";
        }
        if constexpr (std::is_same_v<result_type, check_report>) {
            // A check has no error to complete with: what it found so far, and that it was cut short.
            check_report r = op_ ? finish_(*op_) : check_report{};
            r.add("cancelled", check_status::fail,
                  "the check was cancelled before it ended: the items above are all it found", {}, check_area::other);
            op_.reset();
            return complete(std::move(r));
        } else {
            // A lookup's events end as the blocking driver's would: the request in flight answered
            // (canceled), then lookup_finished.
            if constexpr (can_abandon<Operation>::value)
                if (op_) op_->abandon(e, now());
            op_.reset();  // hands back a token fetch in flight and the request budget's ticket
            complete(result_type(std::move(e)));
        }
    }

    void complete(result_type r) {
        if (finished_) return;
        finished_ = true;
        st_->in_flight.fetch_sub(1, std::memory_order_relaxed);
        ++io_seq_;
        ++wait_seq_;
        timer_.cancel();
        io_timer_.cancel();
        // The handler's cancellation slot is cleared on the handler's executor, where its owner
        // may emit (a parallel_group on a strand): clearing it here, on the lookup's own strand,
        // would race with an emit there. An emit in between finds the lookup finished.
        auto ex = asio_ns::get_associated_executor(handler_, st_->ex);
        asio_ns::dispatch(ex, [h = std::move(handler_), r = std::move(r), w = std::move(work_)]() mutable {
            auto slot = asio_ns::get_associated_cancellation_slot(h);
            if (slot.is_connected()) slot.clear();
            std::move(h)(std::move(r));
        });
    }

    asio_ns::steady_timer timer_;  // sleeps and token waits
    std::optional<Operation> op_;
    Finish finish_;
    Handler handler_;
    work_type work_;

    std::uint64_t wait_seq_ = 0;
    bool finished_ = false, cancelled_ = false;
    // The launch: answered (with its id), or failed after it may have been written.
    bool launched_ = false, launch_maybe_ = false;
    starts started_kind_ = starts::nothing;  ///< what the last request that started something started
    std::string execution_id_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
