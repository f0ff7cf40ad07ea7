// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_SECRET_HPP
#define GCX_SECRET_HPP

#include <gcx/version.hpp>

#include <cstddef>
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

    /// Equal texts. The time taken depends on the lengths only, never on where the texts first
    /// differ, so a comparison with a presented credential does not reveal how much of it was right.
    friend bool operator==(const secret& a, const secret& b) noexcept { return equal(a.s_, b.s_); }
    friend bool operator!=(const secret& a, const secret& b) noexcept { return !equal(a.s_, b.s_); }
    friend std::ostream& operator<<(std::ostream& os, const secret&) { return os << "[REDACTED]"; }

private:
    static bool equal(std::string_view a, std::string_view b) noexcept {
        if (a.size() != b.size()) return false;
        unsigned diff = 0;
        for (std::size_t i = 0; i < a.size(); ++i)
            diff |= static_cast<unsigned>(static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
        return diff == 0;
    }

    std::string s_;
};

GCX_NAMESPACE_END

#endif
