// gcx-lookup: classification and output formats.
#include "report.hpp"

#include "csv.hpp"
#include "input.hpp"
#include "options.hpp"

#include <algorithm>
#include <optional>
#include <sstream>

namespace gcx_lookup {
namespace bj = boost::json;

namespace {
std::string_view strip_flow_prefix(std::string_view k) {
    if (k.size() > 5 && (k.substr(0, 5) == "Flow." || k.substr(0, 5) == "flow.")) return k.substr(5);
    return k;
}

/// The output called `name` once "Flow." is dropped. When several keys give that name, one rule
/// for the status, the --json line and the text: a prefixed key ("Flow.X") wins over the bare
/// one ("X"), as in gcx::read_outputs; of two in the same form, the first.
const bj::key_value_pair* output_entry(const bj::value& outputs, std::string_view name) {
    const auto* o = outputs.if_object();
    if (!o) return nullptr;
    const bj::key_value_pair* bare = nullptr;
    for (const auto& kv : *o) {
        const auto k = strip_flow_prefix(kv.key());
        if (k != name) continue;
        if (k.size() != kv.key().size()) return &kv;  // prefixed
        if (!bare) bare = &kv;
    }
    return bare;
}

const bj::value* output(const bj::value& outputs, std::string_view name) {
    const auto* e = output_entry(outputs, name);
    return e ? &e->value() : nullptr;
}

/// Whether `kv` is the entry its name stands for (output_entry), not one that gives way to another.
bool chosen(const bj::value& outputs, const bj::key_value_pair& kv) {
    return output_entry(outputs, strip_flow_prefix(kv.key())) == &kv;
}

std::string str(const bj::value* v, std::string_view key) {
    if (!v || !v->is_object()) return {};
    const auto* x = v->as_object().if_contains(key);
    return x && x->is_string() ? std::string(x->as_string()) : std::string();
}

}  // namespace

std::string shown(std::string_view v, std::size_t n) {
    // C0 controls are spaces already (clip); DEL too, as describe(), and the C1 controls.
    return c1_controls_to_spaces(gcx::detail::clip(v, std::min(n, v.size())));
}

std::string c1_controls_to_spaces(std::string_view clipped) {
    // The C1 controls U+0080 to U+009F (UTF-8 C2 80 to C2 9F) and lone bytes 0x80 to 0x9F
    // outside a UTF-8 sequence are spaces: a terminal may take U+009B or a byte 0x9B for CSI, the
    // start of an escape sequence. Any other byte is kept (valid or not, it starts nothing).
    std::string s;
    s.reserve(clipped.size());
    for (std::size_t i = 0; i < clipped.size(); ++i) {
        const auto c = static_cast<unsigned char>(clipped[i]);
        if (c == 0x7f) {
            s += ' ';
        } else if (c == 0xC2 && i + 1 < clipped.size() && static_cast<unsigned char>(clipped[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(clipped[i + 1]) <= 0x9F) {
            s += ' ';
            ++i;
        } else if (c >= 0x80 && c <= 0x9F) {
            // a continuation byte: part of a sequence only after a lead byte that is kept whole
            std::size_t lead = s.size();
            while (lead > 0 && (static_cast<unsigned char>(s[lead - 1]) & 0xC0) == 0x80) --lead;
            const unsigned char l = lead > 0 ? static_cast<unsigned char>(s[lead - 1]) : 0;
            const std::size_t need = l >= 0xF0 ? 3 : l >= 0xE0 ? 2 : 1;
            const bool continues = l >= 0xC2 && l <= 0xF4 && s.size() - lead < need;
            s += continues ? static_cast<char>(c) : ' ';
        } else {
            s += static_cast<char>(c);
        }
    }
    return s;
}

std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
        const unsigned char c = b(i);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool ok = len != 0 && i + len <= s.size();
        for (std::size_t k = 1; ok && k < len; ++k) ok = (b(i + k) & 0xC0) == 0x80;
        if (ok && len > 1) {  // no overlong form, no surrogate, nothing past U+10FFFF
            const unsigned c1 = b(i + 1);
            if (len == 2) ok = c >= 0xC2;
            else if (len == 3) ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
            else ok = c <= 0xF4 && !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
        }
        if (ok) {
            out.append(s.substr(i, len));
            i += len;
        } else {
            out += "\xEF\xBF\xBD";  // U+FFFD, for the one byte that starts no valid character
            ++i;
        }
    }
    return out;
}

std::string echo_of(const std::string& line) {
    std::size_t n = std::min(line.size(), echo_bytes);
    if (n < line.size())  // not inside a UTF-8 sequence: back to the start of a character
        while (n > 0 && (static_cast<unsigned char>(line[n]) & 0xC0) == 0x80) --n;
    return valid_utf8(shown(line, n));
}

outcome classify(std::string phone, gcx::result<gcx::lookup_result<bj::value>> r) {
    outcome o;
    o.phone = std::move(phone);
    if (!r) {
        // An error's line echoes what was given, which may be anything (an invalid line): clipped,
        // without control characters (the --json line keeps its place, JSON-escaped).
        o.phone = echo_of(o.phone);
        o.st = status::error;
        o.err = r.error();
        // Refused before any request (an invalid number), or never sent one: a lookup queued for a
        // budget that a daily or org-wide limit paused past the ceiling fails as that 429 would,
        // with no request of its own (request unset).
        o.looked_up = o.err->kind != gcx::errc::invalid_input &&
                      !(o.err->code == gcx::codes::retry_ceiling && !o.err->request.has_value() &&
                        o.err->execution_id.empty());  // a launched lookup's poll paused: it was looked up
        return o;
    }
    const auto& outs = r->outputs;
    bool found = false;
    if (r->execution.found) {
        // A data action's answer: the strategy decided (its found_key, else any output with a value).
        found = *r->execution.found;
    } else if (const auto* f = output_entry(outs, "Found")) {
        // Only JSON true is found; false or null (not set) is not found. Anything else ("false",
        // 0, 1e999) is not a Found the flow can mean: an error that names the output.
        if (f->value().is_bool()) {
            found = f->value().as_bool();
        } else if (!f->value().is_null()) {
            gcx::error e =
                gcx::make_error(gcx::errc::mapping,
                                std::string("the Found output is a ") +
                                    (f->value().is_string()   ? "string"
                                     : f->value().is_number() ? "number"
                                     : f->value().is_array()  ? "array"
                                                              : "object") +
                                    ", not a JSON boolean: only true means found",
                                "make the flow's Found output variable a Boolean (true when a contact matched)");
            e.code = std::string(gcx::codes::found_output);
            e.path = "outputData[\"" + gcx::detail::clip(f->key(), 128) + "\"]";
            e.execution_id = r->execution.id;
            o.st = status::error;
            o.err = std::move(e);
            return o;
        }
    } else if (const auto* obj = outs.if_object()) {
        // A flow without a Found output: found when it returned anything at all.
        for (const auto& kv : *obj) found = found || !kv.value().is_null();
    }
    o.st = found ? status::found : status::not_found;
    o.result = std::move(*r);
    return o;
}

namespace {
/// The --json line of a lookup that returned, written straight from the outputs (no copy of
/// them into a new object). When two output names coincide once "Flow." is dropped, the one
/// output_entry chooses (the one the status was read from) is written, in the first one's place.
std::string result_line(const outcome& o, std::optional<std::size_t> index) {
    const auto& x = o.result->execution;
    const auto* obj = o.result->outputs.if_object();
    using J = gcx::json::boost_json;
    std::string line;
    line.reserve(256);
    line += '{';
    if (index) line += "\"index\":" + std::to_string(*index) + ',';
    line += "\"phone\":";
    J::serialize_to(line, o.phone);
    line +=
        o.st == status::found ? ",\"status\":\"found\",\"executionId\":" : ",\"status\":\"not_found\",\"executionId\":";
    if (x.id.empty()) line += "null";
    else J::serialize_to(line, x.id);
    line += ",\"source\":";
    J::serialize_to(line, x.source);
    line += ",\"outputs\":{";
    if (obj) {
        bool first = true;
        for (auto a = obj->begin(); a != obj->end(); ++a) {
            const auto name = strip_flow_prefix(a->key());
            bool earlier = false;  // the name was written already
            for (auto b = obj->begin(); b != a && !earlier; ++b) earlier = strip_flow_prefix(b->key()) == name;
            if (earlier) continue;
            if (!first) line += ',';
            first = false;
            J::serialize_to(line, name);
            line += ':';
            J::serialize_to(line, *output(o.result->outputs, name));
        }
    }
    line += '}';
    if (!x.fallback_reason.empty()) {
        line += ",\"fallbackReason\":";
        J::serialize_to(line, x.fallback_reason);
    }
    line += '}';
    return line;
}
}  // namespace

std::string to_json_line(const outcome& o, std::optional<std::size_t> index) {
    if (o.result) return result_line(o, index);
    bj::object j;
    if (index) j["index"] = *index;
    j["phone"] = o.phone;
    j["status"] = "error";
    {
        const auto& e = *o.err;
        j["executionId"] = e.execution_id.empty() ? bj::value(nullptr) : bj::value(e.execution_id);
        j["outputs"] = nullptr;
        bj::object err;
        err["kind"] = gcx::to_string(e.kind);
        err["httpStatus"] = e.http_status == 0 ? bj::value(nullptr) : bj::value(e.http_status);
        err["code"] = e.code.empty() ? bj::value(nullptr) : bj::value(e.code);
        err["correlationId"] = e.correlation_id.empty() ? bj::value(nullptr) : bj::value(e.correlation_id);
        err["message"] = e.message;
        err["hint"] = e.hint;
        if (!e.path.empty()) err["path"] = e.path;
        if (e.retry_after_seconds >= 0) err["retryAfterSeconds"] = e.retry_after_seconds;
        j["error"] = std::move(err);
    }
    return gcx::json::boost_json::serialize(j);
}

std::string to_text(const outcome& o) {
    std::ostringstream s;
    const std::string phone = shown(o.phone);
    if (o.st == status::error) {
        const auto& e = *o.err;
        s << phone << ": error: " << e.describe() << "\n";
        return s.str();
    }
    const auto& r = *o.result;
    const auto& ex = r.execution;
    if (o.st == status::not_found) {
        s << phone << ": not found";
    } else {
        s << phone << ": found\n";
        const bj::value* c = output(r.outputs, "externalContact");
        auto name = str(c, "firstName");
        auto last = str(c, "lastName");
        if (!last.empty()) name += (name.empty() ? "" : " ") + last;
        auto line = [&s](const char* label, const std::string& v) {
            if (!v.empty()) s << "  " << label << shown(v) << "\n";
        };
        line("name:       ", name);
        line("title:      ", str(c, "title"));
        std::string mail = str(c, "workEmail");
        if (mail.empty()) mail = str(c, "personalEmail");
        line("email:      ", mail);
        if (c && c->is_object())
            for (const char* p : {"cellPhone", "workPhone", "homePhone"})
                if (const auto* ph = c->as_object().if_contains(p)) {
                    line("phone:      ", str(ph, "display").empty() ? str(ph, "e164") : str(ph, "display"));
                    break;
                }
        if (c && c->is_object())
            if (const auto* org = c->as_object().if_contains("externalOrganization"))
                line("company:    ", str(org, "name"));
        // Every other output variable, as the flow gave it.
        if (const auto* obj = r.outputs.if_object())
            for (const auto& kv : *obj) {
                auto k = strip_flow_prefix(kv.key());
                if (k == "externalContact" || k == "Found" || kv.value().is_null() || !chosen(r.outputs, kv)) continue;
                std::string v = kv.value().is_string() ? std::string(kv.value().as_string())
                                                       : gcx::json::boost_json::serialize(kv.value());
                v = v.size() > 200 ? shown(v, 197) : shown(v);
                std::string label = shown(k, 200) + ":";
                if (label.size() < 12) label.resize(12, ' ');
                else label += ' ';
                s << "  " << label << v << "\n";
            }
    }
    std::string via = ex.source == "direct"        ? std::string("direct lookup")
                      : ex.source == "data_action" ? std::string("data action")
                                                   : "execution " + shown(ex.id, 200);
    if (o.st == status::found) s << "  via:        " << via << "\n";
    else s << " (" << via << ")\n";
    return s.str();
}

const bj::value* output_at(const bj::value& outputs, std::string_view path) {
    path = strip_flow_prefix(path);
    auto dot = path.find('.');
    const bj::value* v = output(outputs, path.substr(0, dot));
    while (v && dot != std::string_view::npos) {
        path = path.substr(dot + 1);
        dot = path.find('.');
        const auto name = path.substr(0, dot);
        if (const auto* obj = v->if_object()) {
            v = obj->if_contains(name);
        } else if (const auto* arr = v->if_array()) {
            std::size_t i = 0;
            bool digits = !name.empty() && name.size() < 10;
            for (char c : name) {
                digits = digits && c >= '0' && c <= '9';
                i = i * 10 + static_cast<std::size_t>(c - '0');
            }
            v = digits && i < arr->size() ? &(*arr)[i] : nullptr;
        } else {
            v = nullptr;
        }
    }
    return v;
}

std::string to_csv_row(const outcome& o, const std::vector<std::string>& fields, const std::string& line_end) {
    std::string s = o.row;
    s += o.st == status::found ? ",found," : o.st == status::not_found ? ",not_found," : ",error,";
    if (o.err) {
        s += gcx::to_string(o.err->kind);
        s += ',';
        s += csv::cell(o.err->code);
    } else {
        s += ',';
    }
    for (const auto& path : fields) {
        s += ',';
        const bj::value* v = o.result ? output_at(o.result->outputs, path) : nullptr;
        if (!v || v->is_null()) continue;
        s += csv::cell(v->is_string() ? std::string(v->as_string()) : gcx::json::boost_json::serialize(*v));
    }
    s += line_end;
    return s;
}

namespace {
/// An answer that says the configuration is wrong, not the number or the moment: a launch refused
/// with 404 (the flow id names no flow in this org and region) or 400 (the flow refused its inputs:
/// not a published workflow, or no such input variable), or a data action that does not exist.
bool refused_configuration(const gcx::error& e) {
    if (e.request == gcx::operation::launch) return e.http_status == 404 || e.http_status == 400;
    // (not a 404 that says the action ran and its remote answered so: one number's answer)
    if (e.request == gcx::operation::data_action) return e.http_status == 404 && e.code.rfind("ACTION.", 0) != 0;
    return false;
}
}  // namespace

int severity(const outcome& o) {
    if (o.st == status::found) return 0;
    if (o.st == status::not_found) return 1;
    switch (o.err->kind) {
    case gcx::errc::config:
    case gcx::errc::invalid_input: return 5;
    case gcx::errc::auth:
    case gcx::errc::permission: return 4;
    default: return refused_configuration(*o.err) ? 5 : 3;
    }
}

int exit_status_for(int worst) {
    switch (worst) {
    case 0: return exit_all_found;
    case 1: return exit_some_not_found;
    case 3: return exit_failure;
    case 4: return exit_auth;
    default: return exit_usage;
    }
}

int exit_status(const std::vector<outcome>& all) {
    int worst = 0;
    for (const auto& o : all) worst = std::max(worst, severity(o));
    return exit_status_for(worst);
}

double eta_seconds(double paused, std::uint64_t requests_sent, std::uint64_t requests_ended, std::size_t looked_up,
                   std::size_t left, double pace) {
    if (looked_up == 0 || left == 0 || !(pace > 0)) return -1;
    const double per_lookup = static_cast<double>(requests_ended) / static_cast<double>(looked_up);
    const double in_flight_sent =
        requests_sent > requests_ended ? static_cast<double>(requests_sent - requests_ended) : 0;
    const double to_send = std::max(0.0, per_lookup * static_cast<double>(left) - in_flight_sent);
    return std::max(0.0, paused) + to_send * 60.0 / pace;
}

}  // namespace gcx_lookup
