// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_PHONE_HPP
#define GCX_PHONE_HPP

// Validation of what a lookup sends, done before any request: a phone number in E.164 and a
// flow id in UUID form. Genesys' Search External Contacts and reverse-whitepages lookups match
// on E.164, so a number in any other form would silently find nothing.

#include <gcx/result.hpp>

#include <cstddef>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

/// Returns the number in strict E.164 form ("+" then 7 to 15 digits, the first not 0: the
/// shortest in use are 7, e.g. Niue's +683 and Tokelau's +690 with four-digit subscriber numbers).
/// Visual separators a person types are dropped first: spaces, '-', '.', '(' and ')', so
/// "+1 (317) 555-0123" gives "+13175550123". A bracketed 0 ("+44 (0)20 7183 8750", the national
/// trunk prefix written beside the international form) is refused, not kept: kept, it gives
/// another number (+4402071838750), which finds nothing; dropped, it would be wrong for the
/// countries that keep their 0 in E.164 (Italy's +39 06...). Anything else is errc::invalid_input.
/// The message never repeats the number (phone numbers are personal data).
inline result<std::string> normalize_e164(std::string_view input) {
    auto bad = [](std::string why) {
        error e = make_error(errc::invalid_input, "invalid phone number: " + std::move(why),
                             "give the number in E.164 form: '+', country code, subscriber number, e.g. +14155550100");
        e.code = std::string(codes::phone);
        return e;
    };
    std::string out;
    out.reserve(input.size());
    bool seen_plus = false;
    for (std::size_t i = 0; i < input.size(); ++i) {
        const char c = input[i];
        if (c == '(') {  // "(0)", spaces allowed inside: the trunk prefix
            std::size_t j = i + 1;
            while (j < input.size() && input[j] == ' ') ++j;
            if (j < input.size() && input[j] == '0') {
                std::size_t k = j + 1;
                while (k < input.size() && input[k] == ' ') ++k;
                if (k < input.size() && input[k] == ')')
                    return bad("'(0)' is the national trunk prefix, not part of the international number: leave it "
                               "out (+44 (0)20 ... is +44 20 ...), or keep the 0 without brackets where the country "
                               "keeps it (+39 06 ...)");
            }
        }
        if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\t') continue;
        if (c == '+') {
            if (seen_plus || !out.empty()) return bad("'+' may only start the number");
            seen_plus = true;
            out += c;
            continue;
        }
        if (c < '0' || c > '9') return bad("it may hold only digits after '+'");
        out += c;
    }
    if (!seen_plus) return bad("it must start with '+' and the country code");
    std::size_t digits = out.size() - 1;
    if (digits < 7 || digits > 15)
        return bad("E.164 numbers have 7 to 15 digits, this one has " + std::to_string(digits));
    if (out[1] == '0') return bad("country codes never start with 0");
    return out;
}

/// True when `s` is a strict E.164 number (no separators).
inline bool is_e164(std::string_view s) noexcept {
    if (s.size() < 8 || s.size() > 16 || s[0] != '+' || s[1] == '0') return false;
    for (std::size_t i = 1; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/// True for the 8-4-4-4-12 hexadecimal form Genesys uses for flow ids.
inline bool is_uuid(std::string_view s) noexcept {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

/// errc::invalid_input unless `flow_id` is a UUID. Unlike phone numbers, the id is echoed:
/// it is configuration, not personal data, and seeing it is how a typo gets found.
inline result<void> validate_flow_id(std::string_view flow_id) {
    if (is_uuid(flow_id)) return {};
    error e =
        make_error(errc::invalid_input, "invalid flow id '" + std::string(flow_id.substr(0, 64)) + "': expected a UUID",
                   "copy the workflow's id from Architect or GET /api/v2/flows?type=workflow&name=...");
    e.code = std::string(codes::flow_id);
    return e;
}

GCX_NAMESPACE_END

#endif
