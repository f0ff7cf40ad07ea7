// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_COMMON_TRANSPORT_BASE_HPP
#define GCX_ADAPTERS_COMMON_TRANSPORT_BASE_HPP

// What the two shipped transports (curl_transport, httplib_transport) are made of alike: their
// options, a state made from them and shared by copies, settings(), and the checks every send()
// makes before it touches the network.

#include <gcx/adapters/common/preflight.hpp>
#include <gcx/adapters/common/shared_state.hpp>
#include <gcx/error.hpp>
#include <gcx/http.hpp>
#include <gcx/result.hpp>
#include <gcx/version.hpp>

#include <memory>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// Base of a transport whose `State` (possibly const) is constructed from `Options` and has the
/// members `opts` (the options) and `init_error` (a std::unique_ptr<error>, set when the options
/// cannot be used). Copies and moves share the state (shared_state).
template <class Options, class State>
class transport_base {
public:
    using options = Options;

    /// Default options: verified HTTPS with the system CA store, no proxy, 4 MiB body cap.
    transport_base() : transport_base(options{}) {}

    explicit transport_base(options opts) : state_(std::make_shared<State>(std::move(opts))) {}

    /// The options this transport was made with.
    const options& settings() const noexcept { return state_->opts; }

protected:
    /// The request's parsed URL, or the error send() returns before anything else: preflight's
    /// refusal of the request, else the options' init_error.
    result<http::url_parts> admit(const http::request& req) const {
        auto target = preflight(req, state_->opts);
        if (target && state_->init_error) return *state_->init_error;
        return target;
    }

    shared_state<State> state_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
