// gcx-lookup: classification and output formats.
#include "report.hpp"

#include "options.hpp"

#include <optional>
#include <sstream>

namespace gcx_lookup {
namespace bj = boost::json;

namespace {
std::string_view strip_flow_prefix(std::string_view k) {
    if (k.size() > 5 && (k.substr(0, 5) == "Flow." || k.substr(0, 5) == "flow.")) return k.substr(5);
    return k;
}

const bj::value* output(const bj::value& outputs, std::string_view name) {
    const auto* o = outputs.if_object();
    if (!o) return nullptr;
    for (const auto& kv : *o)
        if (strip_flow_prefix(kv.key()) == name) return &kv.value();
    return nullptr;
}

std::string str(const bj::value* v, std::string_view key) {
    if (!v || !v->is_object()) return {};
    const auto* x = v->as_object().if_contains(key);
    return x && x->is_string() ? std::string(x->as_string()) : std::string();
}

}  // namespace

outcome classify(std::string phone, gcx::result<gcx::lookup_result<bj::value>> r) {
    outcome o;
    o.phone = std::move(phone);
    if (!r) {
        o.st = status::error;
        o.err = r.error();
        return o;
    }
    const auto& outs = r->outputs;
    bool found = false;
    if (const auto* f = output(outs, "Found"); f && f->is_bool()) {
        found = f->as_bool();
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
/// them into a new object); nullopt when two output names coincide once "Flow." is dropped,
/// which the general path below settles (the later one wins, in the first one's place).
std::optional<std::string> result_line(const outcome& o) {
    const auto& x = o.result->execution;
    const auto* obj = o.result->outputs.if_object();
    if (obj) {
        for (auto a = obj->begin(); a != obj->end(); ++a)
            for (auto b = obj->begin(); b != a; ++b)
                if (strip_flow_prefix(a->key()) == strip_flow_prefix(b->key())) return std::nullopt;
    }
    using J = gcx::json::boost_json;
    std::string line;
    line.reserve(256);
    line += "{\"phone\":";
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
        for (const auto& kv : *obj) {
            if (!first) line += ',';
            first = false;
            J::serialize_to(line, strip_flow_prefix(kv.key()));
            line += ':';
            J::serialize_to(line, kv.value());
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

std::string to_json_line(const outcome& o) {
    if (o.result) {
        if (auto line = result_line(o)) return std::move(*line);
    }
    bj::object j;
    j["phone"] = o.phone;
    j["status"] = o.st == status::found ? "found" : o.st == status::not_found ? "not_found" : "error";
    if (o.result) {
        j["executionId"] = o.result->execution.id.empty() ? bj::value(nullptr) : bj::value(o.result->execution.id);
        j["source"] = o.result->execution.source;
        bj::object outs;
        if (const auto* obj = o.result->outputs.if_object())
            for (const auto& kv : *obj) outs[strip_flow_prefix(kv.key())] = kv.value();
        j["outputs"] = std::move(outs);
        if (!o.result->execution.fallback_reason.empty()) j["fallbackReason"] = o.result->execution.fallback_reason;
    } else {
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
        if (e.retry_after_seconds >= 0) err["retryAfterSeconds"] = e.retry_after_seconds;
        j["error"] = std::move(err);
    }
    return gcx::json::boost_json::serialize(j);
}

std::string to_text(const outcome& o) {
    std::ostringstream s;
    if (o.st == status::error) {
        const auto& e = *o.err;
        s << o.phone << ": error: " << e.describe() << "\n";
        return s.str();
    }
    const auto& r = *o.result;
    const auto& ex = r.execution;
    if (o.st == status::not_found) {
        s << o.phone << ": not found";
    } else {
        s << o.phone << ": found\n";
        const bj::value* c = output(r.outputs, "externalContact");
        auto name = str(c, "firstName");
        auto last = str(c, "lastName");
        if (!last.empty()) name += (name.empty() ? "" : " ") + last;
        auto line = [&s](const char* label, const std::string& v) {
            if (!v.empty()) s << "  " << label << v << "\n";
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
                if (k == "externalContact" || k == "Found" || kv.value().is_null()) continue;
                std::string v = kv.value().is_string() ? std::string(kv.value().as_string())
                                                       : gcx::json::boost_json::serialize(kv.value());
                if (v.size() > 200) v = v.substr(0, 197) + "...";
                std::string label = std::string(k) + ":";
                if (label.size() < 12) label.resize(12, ' ');
                else label += ' ';
                s << "  " << label << v << "\n";
            }
    }
    std::string via = ex.source == "direct" ? "direct lookup" : "execution " + ex.id;
    if (o.st == status::found) s << "  via:        " << via << "\n";
    else s << " (" << via << ")\n";
    return s.str();
}

int severity(const outcome& o) {
    if (o.st == status::found) return 0;
    if (o.st == status::not_found) return 1;
    switch (o.err->kind) {
    case gcx::errc::config:
    case gcx::errc::invalid_input: return 5;
    case gcx::errc::auth:
    case gcx::errc::permission: return 4;
    default: return 3;
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

}  // namespace gcx_lookup
