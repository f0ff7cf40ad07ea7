// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_LOOKUP_RESULT_HPP
#define GCX_LOOKUP_RESULT_HPP

// A lookup's answer, whichever path gave it (the flow, the direct lookup, a data action):
// execution_info (what is known of the execution: id, status, requests, polls, source, ...),
// lookup_result<Outputs> (the outputs, a JSON value or the caller's struct, and the execution),
// and map_outputs, which maps a JSON answer into the caller's struct.

#include <gcx/clock.hpp>
#include <gcx/credential_scrub.hpp>
#include <gcx/error.hpp>
#include <gcx/json/backend.hpp>
#include <gcx/reflect.hpp>
#include <gcx/result.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

/// What is known about the execution that answered a lookup.
struct execution_info {
    std::string id;                 ///< flow execution id (a credential or the number echoed in it: replaced)
    std::string status;             ///< last status seen (COMPLETED on success)
    std::string completion_reason;  ///< completionReason, if the server gave one
    std::string flow_version;       ///< the flow version that ran
    std::string date_launched;      ///< ISO-8601, as the server wrote it
    std::string date_completed;
    std::string correlation_id;   ///< ININ-Correlation-Id of the launch
    int polls = 0;                ///< GET requests answered
    int requests = 0;             ///< HTTP requests sent in all (token, launch, polls, retries)
    std::string source = "flow";  ///< which path answered: "flow", "direct" or "data_action"
    std::string fallback_reason;  ///< a chain's second path answered: why the first was not used
    /// Found / not found: the data action's (data_action_options: its found_key, else any output
    /// with a value) and the direct lookup's (a contact matched, as its Flow.Found). Unset for the
    /// flow: its outputs say it (Flow.Found).
    std::optional<bool> found;
    milliseconds since_launch{0};  ///< from the launch's answer to the execution's last answer
    milliseconds queued{0};        ///< waited for the request budget before the first request
    std::size_t credential = 0;    ///< which of the client's credentials it used
};

/// A lookup's answer: the outputs (a JSON value, or the caller's struct) and the execution.
template <class Outputs>
struct lookup_result {
    Outputs outputs;
    execution_info execution;
};

/// The status strings of FlowRuntimeExecution that end an execution unsuccessfully.
inline bool is_failed_status(std::string_view s) noexcept { return s == "FAILED" || s == "ERROR" || s == "TERMINATED"; }

/// The execution_info::source of a data action's answer (data_action.hpp).
inline constexpr std::string_view data_action_source = "data_action";

/// Maps a lookup's outputData into T (a described struct, see reflect.hpp). A mapping error keeps
/// the execution id, and when the flow gave no outputs at all the hint says why that happens.
/// A data action's answer (execution.source "data_action") has no "Flow." prefix: member `X`
/// binds the key `X` (opt.prefix is not used) and error paths start at `output` (unless opt.root
/// was changed from its default). `number`, the E.164 number looked up, is scrubbed from a
/// mapping error (an output keyed or valued by it would show in its path).
template <class J, class T>
result<lookup_result<T>> map_outputs(result<lookup_result<typename J::value>> r, const map_options& opt = {},
                                     std::string_view number = {}) {
    if (!r) return std::move(r.error());
    const bool action = r->execution.source == data_action_source;
    map_options o = opt;
    if (action) {
        o.prefix = std::string_view();
        if (o.root == map_options{}.root) o.root = "output";
    }
    auto mapped = read_outputs<J, T>(r->outputs, o);
    if (!mapped) {
        error e = std::move(mapped.error());
        detail::redact_number(e, number);
        e.execution_id = r->execution.id;
        bool empty = J::kind_of(r->outputs) != json::kind::object || J::size(r->outputs) == 0;
        if (action)
            e.hint = empty ? "the data action answered without any output (it found no match?); make the members it "
                             "may leave out std::optional"
                           : "compare the data action's output contract (successSchema) with your struct: each member "
                             "binds the output key of its name; a key the action may leave out must be a std::optional "
                             "member";
        else if (empty)
            e.hint = "the flow completed without any output: it has no \"Output from flow\" variables, or it found no "
                     "match and set none; make such members std::optional, or set the outputs in the flow";
        return e;
    }
    return lookup_result<T>{std::move(*mapped), std::move(r->execution)};
}

namespace detail {
/// take_result_as<T>() for an operation `Op` whose take_result() is a lookup's answer as JSON
/// (lookup_operation, data_action_operation, strategy_operation): that answer mapped into T by
/// map_outputs (which knows a data action's answer from its execution.source).
template <class Op, class J>
class outputs_as_struct {
public:
    /// The outcome mapped into T (see map_outputs). Valid once done().
    template <class T>
    result<lookup_result<T>> take_result_as(const map_options& opt = {}) {
        Op& op = static_cast<Op&>(*this);
        return map_outputs<J, T>(op.take_result(), opt, op.number());
    }
};
}  // namespace detail

GCX_NAMESPACE_END

#endif
