// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_EVENT_FORMAT_HPP
#define GCX_EVENT_FORMAT_HPP

// gcx::event (events.hpp) written out: to_text, one line for a log ("request_answered launch POST
// /api/v2/flows/executions status=200 ms=41 attempt=1 ..."), and to_json, one JSON object without a
// newline. Only the members the event's kind uses appear, in a fixed order. No JSON library:
// the strings are escaped here (a control character as \u00XX).

#include <gcx/error.hpp>
#include <gcx/events.hpp>

#include <cstdio>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

namespace detail {

// The fields of an event that its kind uses, in order, handed to `put(name, text, quoted)`.
template <class Put>
void event_fields(const event& e, Put&& put) {
    const auto num = [](long long v) { return std::to_string(v); };
    const bool request = e.kind == event_kind::request_sent || e.kind == event_kind::request_answered ||
                         e.kind == event_kind::retry_scheduled;
    if (e.lookup != 0) put("lookup", std::to_string(e.lookup), false);
    if (e.kind != event_kind::lookup_finished) put("operation", std::string_view(name(e.operation)), true);
    if (request) {
        put("method", e.method, true);
        put("path", e.path, true);
        put("attempt", num(e.attempt), false);
    }
    if (e.kind != event_kind::lookup_finished) put("credential", num(static_cast<long long>(e.credential)), false);
    if (e.status != 0) put("status", num(e.status), false);
    if (!e.error_kind.empty()) put("error_kind", e.error_kind, true);
    if (!e.error_code.empty()) put("error_code", e.error_code, true);
    if (!e.reason.empty()) put("reason", e.reason, true);
    if (e.kind != event_kind::request_sent) put("ms", num(static_cast<long long>(e.duration.count())), false);
    if (!e.correlation_id.empty()) put("correlation_id", e.correlation_id, true);
    if (e.kind == event_kind::lookup_finished) {
        put("strategy", e.strategy, true);
        if (!e.source.empty()) put("source", e.source, true);
        put("outcome", e.outcome, true);
        put("requests", num(e.requests), false);
        put("polls", num(e.polls), false);
    }
}

/// `s` as a JSON string. Control characters are escaped, and so are the ones a reader may take
/// for a line break or a terminal command: C1 controls (U+0080 to U+009F, NEL among them) and
/// U+2028, U+2029, so that a server's text cannot forge a trace line.
inline void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    auto escaped = [&out](unsigned code) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", code);
        out += buf;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7f) {
            escaped(u);
        } else if (const std::size_t n = detail::line_breaker_at(s, i)) {  // U+0080..U+009F, U+2028, U+2029
            const auto last = static_cast<unsigned char>(s[i + n - 1]);
            escaped(n == 2 ? last : 0x2000u + last - 0x80u);
            i += n - 1;
        } else {
            out += c;
        }
    }
    out += '"';
}

}  // namespace detail

/// One line of text: the kind, then name=value pairs (a value with a space or '=' is quoted).
inline std::string to_text(const event& e) {
    std::string out = to_string(e.kind);
    detail::event_fields(e, [&out](std::string_view key, std::string_view value, bool) {
        out += ' ';
        out.append(key.data(), key.size());
        out += '=';
        bool plain = !value.empty();
        for (char c : value)  // printable ASCII only: anything else is written as a JSON string, escaped
            plain = plain && static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f && c != '=' &&
                    c != '"';
        if (plain) out.append(value.data(), value.size());
        else detail::append_json_string(out, value);
    });
    return out;
}

/// One JSON object: {"event":"<kind>", then the same fields as to_text}; numbers as JSON numbers.
inline std::string to_json(const event& e) {
    std::string out = "{\"event\":\"";
    out += to_string(e.kind);
    out += '"';
    detail::event_fields(e, [&out](std::string_view key, std::string_view value, bool quoted) {
        out += ",\"";
        out.append(key.data(), key.size());
        out += "\":";
        if (quoted) detail::append_json_string(out, value);
        else out.append(value.data(), value.size());
    });
    out += '}';
    return out;
}

GCX_NAMESPACE_END

#endif
