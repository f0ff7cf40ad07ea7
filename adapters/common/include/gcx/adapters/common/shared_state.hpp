// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_COMMON_SHARED_STATE_HPP
#define GCX_ADAPTERS_COMMON_SHARED_STATE_HPP

// How a transport's copies share its state (options, pool of connections): a transport holds a
// shared_state<State> and defaults its copy and move operations.

#include <gcx/version.hpp>

#include <memory>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// A shared pointer to a transport's state (never null: construct it with a made state). Copies
/// share it; so do moves: a moved-from transport stays usable (it still shares the state), and
/// moving never throws.
template <class State>
class shared_state {
public:
    explicit shared_state(std::shared_ptr<State> p) noexcept : p_(std::move(p)) {}

    shared_state(const shared_state&) = default;
    shared_state(shared_state&& other) noexcept : p_(other.p_) {}
    shared_state& operator=(const shared_state&) = default;
    shared_state& operator=(shared_state&& other) noexcept {
        p_ = other.p_;
        return *this;
    }
    ~shared_state() = default;

    State& operator*() const noexcept { return *p_; }
    State* operator->() const noexcept { return p_.get(); }

private:
    std::shared_ptr<State> p_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
