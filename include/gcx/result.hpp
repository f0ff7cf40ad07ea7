// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_RESULT_HPP
#define GCX_RESULT_HPP

#include <gcx/error.hpp>

#include <cstdlib>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>

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
}  // namespace detail

namespace detail {
/// A parameter type no argument converts to: result<T>'s copies take it when T has none, so they
/// are not copy operations and the implicit ones (deleted) stand: result<T> is then not copyable.
struct no_copy {
    explicit no_copy() = default;
};
}  // namespace detail

/// Either a T or a gcx::error. Every gcx operation returns one: no path needs exceptions.
/// `value()` throws gcx::exception (or aborts without exceptions); `*r` and `r->` do not check.
/// Copyable when T is; an assignment whose T throws while being built leaves a default error.
///
/// A union and a flag rather than std::variant<T, error>: every result<T> is instantiated in each
/// translation unit that uses gcx, and std::variant's machinery (visitation tables, one function
/// per alternative and operation) was a third of the functions a typed lookup compiled at -O0.
template <class T>
class [[nodiscard]] result {
    static_assert(!std::is_same_v<std::decay_t<T>, gcx::error>, "result<error> is ambiguous");
    static_assert(std::is_object_v<T> && !std::is_const_v<T>, "result<T>: T must be a non-const object type");
    using copy_source = std::conditional_t<std::is_copy_constructible_v<T>, result, detail::no_copy>;

public:
    using value_type = T;

    result(const T& v) : ok_(true) { ::new (static_cast<void*>(std::addressof(v_))) T(v); }
    result(T&& v) : ok_(true) { ::new (static_cast<void*>(std::addressof(v_))) T(std::move(v)); }
    result(const gcx::error& e) : ok_(false) { ::new (static_cast<void*>(std::addressof(e_))) gcx::error(e); }
    result(gcx::error&& e) : ok_(false) { ::new (static_cast<void*>(std::addressof(e_))) gcx::error(std::move(e)); }

    result(const copy_source& o) : ok_(o.ok_) {
        if (ok_) ::new (static_cast<void*>(std::addressof(v_))) T(o.v_);
        else ::new (static_cast<void*>(std::addressof(e_))) gcx::error(o.e_);
    }
    result(result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) : ok_(o.ok_) {
        if (ok_) ::new (static_cast<void*>(std::addressof(v_))) T(std::move(o.v_));
        else ::new (static_cast<void*>(std::addressof(e_))) gcx::error(std::move(o.e_));
    }
    result& operator=(const copy_source& o) {
        if (this != &o) *this = result(o);  // copy first: a throwing copy leaves *this as it was
        return *this;
    }
    result& operator=(result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) {
        if (this == &o) return *this;
        destroy();
        if (!o.ok_) {
            ::new (static_cast<void*>(std::addressof(e_))) gcx::error(std::move(o.e_));
            ok_ = false;
            return *this;
        }
        // If T's move throws, the union holds nothing: the guard puts an error there first.
        struct guard {
            result* r;
            bool armed = true;
            ~guard() {
                if (!armed) return;
                ::new (static_cast<void*>(std::addressof(r->e_))) gcx::error();
                r->ok_ = false;
            }
        } g{this};
        ::new (static_cast<void*>(std::addressof(v_))) T(std::move(o.v_));
        g.armed = false;
        ok_ = true;
        return *this;
    }
    ~result() { destroy(); }

    bool has_value() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }

    T& value() & {
        if (!ok_) detail::throw_error(e_);
        return v_;
    }
    const T& value() const& {
        if (!ok_) detail::throw_error(e_);
        return v_;
    }
    T&& value() && {
        if (!ok_) detail::throw_error(e_);
        return std::move(v_);
    }

    T& operator*() & noexcept { return v_; }
    const T& operator*() const& noexcept { return v_; }
    T&& operator*() && noexcept { return std::move(v_); }
    T* operator->() noexcept { return std::addressof(v_); }
    const T* operator->() const noexcept { return std::addressof(v_); }

    /// The error; only meaningful when !has_value().
    const gcx::error& error() const& noexcept { return e_; }
    gcx::error& error() & noexcept { return e_; }

private:
    void destroy() noexcept {
        if (ok_) v_.~T();
        else e_.~error();
    }

    union {
        T v_;
        gcx::error e_;
    };
    bool ok_;
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
