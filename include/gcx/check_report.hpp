// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CHECK_REPORT_HPP
#define GCX_CHECK_REPORT_HPP

// The answer of the preflight check (check.hpp, basic_client::check): a list of checks, each
// ok | warn | fail | skipped with a message and a hint (what to do). Plain data: print it
// (to_text), serialise it (to_json / to_json_text, through any JSON backend), or walk `items`.
//
//   {"checks": [{"name": "credentials", "status": "ok", "message": "...", "hint": ""}, ...]}
//
// `area` says what a failing check is about, so a tool can choose its exit status: the
// credentials and the permissions the lookups need (exit 3 in gcx-lookup), the configuration
// (the flow id, the input variable: 2), or anything else (4). A report never holds a secret, a
// token or a phone number.

#include <gcx/error.hpp>
#include <gcx/json/backend.hpp>

#include <string>
#include <string_view>
#include <vector>

GCX_NAMESPACE_BEGIN

enum class check_status {
    ok,       ///< checked, and fine
    warn,     ///< works, but probably not as meant (an output the code reads is not in the flow, ...)
    fail,     ///< lookups will fail for this reason
    skipped,  ///< could not be checked (a permission only the check needs, an earlier failure, unknowable)
};

inline const char* to_string(check_status s) noexcept {
    switch (s) {
    case check_status::ok: return "ok";
    case check_status::warn: return "warn";
    case check_status::fail: return "fail";
    case check_status::skipped: return "skipped";
    }
    return "unknown";
}

/// What a check is about (for exit statuses; not serialised).
enum class check_area {
    credentials,    ///< the token, the OAuth client
    permission,     ///< a permission the lookups need
    configuration,  ///< what the configuration names: the flow, its input variable
    other,          ///< the flow's state, its outputs, limits, the network
};

struct check_item {
    std::string name;  ///< "credentials", "flow", "output Found", "permission architect:flow:view", ...
    check_status status = check_status::ok;
    std::string message;  ///< what was found
    std::string hint;     ///< what to do about it (may be empty when ok)
    check_area area = check_area::other;
};

struct check_report {
    std::vector<check_item> items;

    /// Whether any check failed.
    bool failed() const noexcept {
        for (const auto& i : items)
            if (i.status == check_status::fail) return true;
        return false;
    }
    /// Whether a check of `area` failed.
    bool failed(check_area area) const noexcept {
        for (const auto& i : items)
            if (i.status == check_status::fail && i.area == area) return true;
        return false;
    }
    /// The first check called `name`, or nullptr.
    const check_item* find(std::string_view name) const noexcept {
        for (const auto& i : items)
            if (i.name == name) return &i;
        return nullptr;
    }
    check_item* find(std::string_view name) noexcept {
        for (auto& i : items)
            if (i.name == name) return &i;
        return nullptr;
    }
    std::size_t count(check_status s) const noexcept {
        std::size_t n = 0;
        for (const auto& i : items) n += i.status == s;
        return n;
    }

    check_item& add(std::string name, check_status st, std::string message, std::string hint = {},
                    check_area area = check_area::other) {
        items.push_back(check_item{std::move(name), st, std::move(message), std::move(hint), area});
        return items.back();
    }

    /// One line per check, "[ ok ] name: message", the hint on the next line ("       -> hint"),
    /// and a last line that counts them.
    std::string to_text() const {
        std::string out;
        for (const auto& i : items) {
            out += '[';
            const std::string_view st = to_string(i.status);
            out.append(st.data(), st.size());
            out.append(st.size() < 7 ? 7 - st.size() : 0, ' ');
            out += "] ";
            out += one_line(i.name);
            out += ": ";
            out += one_line(i.message);
            out += '\n';
            if (!i.hint.empty()) {
                out += "          -> ";
                out += one_line(i.hint);
                out += '\n';
            }
        }
        out += std::to_string(count(check_status::ok)) + " ok, " + std::to_string(count(check_status::warn)) +
               " warnings, " + std::to_string(count(check_status::fail)) + " failed, " +
               std::to_string(count(check_status::skipped)) + " skipped\n";
        return out;
    }

private:
    // A server's text (a flow name) must not forge lines nor drive the terminal: C0 controls and
    // DEL, C1 controls (U+0080 to U+009F: CSI, NEL) and U+2028/U+2029 become spaces.
    static std::string one_line(const std::string& s) {
        std::string out;
        out.reserve(s.size());
        for (std::size_t i = 0; i < s.size(); ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            if (const std::size_t n = detail::line_breaker_at(s, i)) {
                out += ' ';
                i += n - 1;
            } else {
                out += c < 0x20 || c == 0x7f ? ' ' : s[i];
            }
        }
        return out;
    }
};

/// {"checks": [{"name", "status", "message", "hint"}, ...]}
template <class J>
typename J::value to_json(const check_report& r) {
    auto checks = J::make_array();
    for (const auto& i : r.items) {
        auto o = J::make_object();
        J::set(o, "name", J::make_string(i.name));
        J::set(o, "status", J::make_string(to_string(i.status)));
        J::set(o, "message", J::make_string(i.message));
        J::set(o, "hint", J::make_string(i.hint));
        J::push_back(checks, std::move(o));
    }
    auto out = J::make_object();
    J::set(out, "checks", std::move(checks));
    return out;
}

template <class J>
std::string to_json_text(const check_report& r) {
    return J::serialize(to_json<J>(r));
}

GCX_NAMESPACE_END

#endif
