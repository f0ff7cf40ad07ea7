// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CREDENTIAL_SCRUB_HPP
#define GCX_CREDENTIAL_SCRUB_HPP

// detail::for_each_credential and detail::scrub_credentials: every credential text a call of a
// client knows (the access token it holds, each OAuth client's secret and Basic credential), and
// removing them from what leaves gcx. Servers sometimes echo what they were sent; whatever a
// server echoed back, no credential leaves in an error (api_call::scrub, call.hpp) or in a
// server-chosen text kept outside one (an execution id, the path an event shows).

#include <gcx/auth.hpp>
#include <gcx/config.hpp>
#include <gcx/error.hpp>
#include <gcx/secret.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

GCX_NAMESPACE_BEGIN
namespace detail {

/// Calls `f` with each credential text: `token` (the call's access token; skipped when empty),
/// then for the main OAuth client and each of `cfg.extra_credentials` its secret and its Basic
/// credential (base64 of "id:secret", as the token request sends it).
template <class F>
void for_each_credential(const client_config& cfg, const secret& token, F&& f) {
    if (!token.empty()) f(token.reveal());
    f(cfg.client_secret.reveal());
    f(base64(cfg.client_id + ":" + cfg.client_secret.reveal()));
    for (const auto& k : cfg.extra_credentials) {
        f(k.client_secret.reveal());
        f(base64(k.client_id + ":" + k.client_secret.reveal()));
    }
}

/// Replaces every credential for_each_credential names with "[REDACTED]" in every text of `e`
/// (redact, error.hpp: a cut tail of one too).
inline void scrub_credentials(error& e, const client_config& cfg, const secret& token) {
    for_each_credential(cfg, token, [&e](std::string_view c) { redact(e, c); });
}
/// The same in one text.
inline void scrub_credentials(std::string& text, const client_config& cfg, const secret& token) {
    for_each_credential(cfg, token, [&text](std::string_view c) { redact(text, c); });
}

/// The bytes of one separator a server may group a number's digits with, at `s[k]` (0: none): an
/// ASCII space or punctuation byte ("317-555 0123", "(317)", "317_555", "317,555"), a percent-
/// encoded one ("317%20555"), or a Unicode space in UTF-8 (U+00A0, U+2000 to U+200A, U+202F, as
/// a locale's number formatting writes them).
inline std::size_t digit_separator(std::string_view s, std::size_t k) noexcept {
    auto at = [&s](std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
    auto alnum = [](unsigned c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    auto hex = [](unsigned c) -> int {
        if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
        if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
        if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
        return -1;
    };
    const unsigned c = at(k);
    if (c == '%' && hex(at(k + 1)) >= 0 && hex(at(k + 2)) >= 0) {
        const unsigned decoded = static_cast<unsigned>(hex(at(k + 1)) * 16 + hex(at(k + 2)));
        return decoded >= 0x20 && decoded < 0x7f && !alnum(decoded) ? 3 : 0;
    }
    if (c >= 0x20 && c < 0x7f) return alnum(c) ? 0 : 1;
    if (c == 0xC2 && at(k + 1) == 0xA0) return 2;
    if (c == 0xE2 && at(k + 1) == 0x80 && ((at(k + 2) >= 0x80 && at(k + 2) <= 0x8A) || at(k + 2) == 0xAF)) return 3;
    return 0;
}

/// Replaces with "[phone number]" every run of digits (up to three separators between them:
/// digit_separator) that holds the last 7 digits of `digits`, or is 7 or more of its digits in a
/// row, or 4 or more cut by clip ("..." right after): the number as a server may reformat it, in
/// national form or grouped ("317-555-0123", "(317) 555 0123", "3175550123"), whole or cut.
inline void redact_digit_runs(std::string& s, std::string_view digits) {
    constexpr std::size_t tail_size = 7;
    if (digits.size() < tail_size) return;
    const std::string_view tail = digits.substr(digits.size() - tail_size);
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    std::string out, run_digits;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (!digit(s[i])) {
            out += s[i++];
            continue;
        }
        std::size_t end = i;  // one past the run's last digit
        run_digits.clear();
        for (std::size_t j = i; j < s.size();) {
            if (digit(s[j])) {
                run_digits += s[j++];
                end = j;
                continue;
            }
            std::size_t k = j;  // at most three separators in a row ("(317) 555", "317 - 555"), then a digit
            for (int n = 0; n < 3 && k < s.size(); ++n) {
                const std::size_t len = digit_separator(s, k);
                if (len == 0) break;
                k += len;
            }
            if (k == j || k >= s.size() || !digit(s[k])) break;
            j = k;
        }
        const bool cut = s.compare(end, 3, "...") == 0;
        const bool part = run_digits.size() >= (cut ? 4u : 7u) && digits.find(run_digits) != std::string_view::npos;
        out += run_digits.find(tail) != std::string::npos || part ? "[phone number]" : s.substr(i, end - i);
        i = end;
    }
    s = std::move(out);
}

/// Replaces the number looked up (E.164, "+13175550123") in an error or a text, in every form a
/// server may echo it: as sent in a JSON body, percent-encoded as sent in a query ("%2B1317...",
/// either case), its digits alone, and any run of digits holding its last seven (redact_digit_runs).
template <class Text>
void redact_number(Text& t, std::string_view number) {
    if (number.empty()) return;
    const std::string_view digits = number[0] == '+' ? number.substr(1) : number;
    redact(t, number, "[phone number]");
    redact(t, "%2B" + std::string(digits), "[phone number]");
    redact(t, "%2b" + std::string(digits), "[phone number]");
    redact(t, digits, "[phone number]");
    if constexpr (std::is_same_v<Text, error>) for_each_text(t, [&](std::string& s) { redact_digit_runs(s, digits); });
    else redact_digit_runs(t, digits);
}

}  // namespace detail
GCX_NAMESPACE_END

#endif
