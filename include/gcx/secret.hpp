// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_SECRET_HPP
#define GCX_SECRET_HPP

#include <gcx/version.hpp>

#include <ostream>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

/// A string that must never be printed: the client secret, an access token.
/// It has no implicit conversion to a string and streams as "[REDACTED]"; code that really
/// needs the text (building the Authorization header) says so with reveal().
class secret {
public:
    secret() = default;
    explicit secret(std::string s) : s_(std::move(s)) {}
    secret& operator=(std::string s) {
        s_ = std::move(s);
        return *this;
    }

    const std::string& reveal() const noexcept { return s_; }
    bool empty() const noexcept { return s_.empty(); }

    friend bool operator==(const secret& a, const secret& b) noexcept { return a.s_ == b.s_; }
    friend bool operator!=(const secret& a, const secret& b) noexcept { return a.s_ != b.s_; }
    friend std::ostream& operator<<(std::ostream& os, const secret&) { return os << "[REDACTED]"; }

private:
    std::string s_;
};

GCX_NAMESPACE_END

#endif
