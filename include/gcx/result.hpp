// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_RESULT_HPP
#define GCX_RESULT_HPP

#include <gcx/error.hpp>

#include <cstdlib>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

GCX_NAMESPACE_BEGIN

/// Thrown only by result<T>::value() on an error, for callers who prefer exceptions.
/// Its what() is error::describe(), which never contains a secret.
class exception : public std::runtime_error {
public:
    explicit exception(gcx::error e) : std::runtime_error(e.describe()), error_(std::move(e)) {}
    const gcx::error& error() const noexcept { return error_; }

private:
    gcx::error error_;
};

namespace detail {
[[noreturn]] inline void throw_error(const error& e) {
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
    throw exception(e);
#else
    (void)e;
    std::abort();
#endif
}
} // namespace detail

/// Either a T or a gcx::error. Every gcx operation returns one: no path needs exceptions.
/// `value()` throws gcx::exception (or aborts without exceptions); `*r` and `r->` do not check.
template <class T>
class [[nodiscard]] result {
    static_assert(!std::is_same_v<std::decay_t<T>, gcx::error>, "result<error> is ambiguous");

public:
    using value_type = T;

    result(const T& v) : v_(std::in_place_index<0>, v) {}
    result(T&& v) : v_(std::in_place_index<0>, std::move(v)) {}
    result(const gcx::error& e) : v_(std::in_place_index<1>, e) {}
    result(gcx::error&& e) : v_(std::in_place_index<1>, std::move(e)) {}

    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & {
        if (!has_value()) detail::throw_error(std::get<1>(v_));
        return std::get<0>(v_);
    }
    const T& value() const& {
        if (!has_value()) detail::throw_error(std::get<1>(v_));
        return std::get<0>(v_);
    }
    T&& value() && {
        if (!has_value()) detail::throw_error(std::get<1>(v_));
        return std::move(std::get<0>(v_));
    }

    T& operator*() & noexcept { return *std::get_if<0>(&v_); }
    const T& operator*() const& noexcept { return *std::get_if<0>(&v_); }
    T&& operator*() && noexcept { return std::move(*std::get_if<0>(&v_)); }
    T* operator->() noexcept { return std::get_if<0>(&v_); }
    const T* operator->() const noexcept { return std::get_if<0>(&v_); }

    /// The error; only meaningful when !has_value().
    const gcx::error& error() const& noexcept { return *std::get_if<1>(&v_); }
    gcx::error& error() & noexcept { return *std::get_if<1>(&v_); }

private:
    std::variant<T, gcx::error> v_;
};

/// result<void>: success, or an error.
template <>
class [[nodiscard]] result<void> {
public:
    result() = default;
    result(const gcx::error& e) : e_(e), ok_(false) {}
    result(gcx::error&& e) : e_(std::move(e)), ok_(false) {}

    bool has_value() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }
    void value() const {
        if (!ok_) detail::throw_error(e_);
    }
    const gcx::error& error() const& noexcept { return e_; }
    gcx::error& error() & noexcept { return e_; }

private:
    gcx::error e_;
    bool ok_ = true;
};

GCX_NAMESPACE_END

#endif
