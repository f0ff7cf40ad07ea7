// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CHECK_SCHEMA_MATCH_HPP
#define GCX_CHECK_SCHEMA_MATCH_HPP

// The preflight check's schema matching: what a flow version's input and output schemas (or a
// data action's success schema) say, against what the lookup sends and what a struct reads
// (output_expectations<J, T>, reflect/schema.hpp). Each comparison adds items to a check_report:
//
//   match_input<J>(report, inputSchema, "Flow.PhoneNumber")   the number's variable: there, a string
//   match_outputs<J>(report, outputSchema, expected, how)      each member: there, a JSON type it takes
//
// A struct member (or an optional or vector of one) has its own members compared the same way
// with the schema's `properties` of its variable (`items.properties` for a vector), recursively,
// as items "output X.y"; when the schema lists none they are unchecked, never failed.
//
// What the schema does not say is never a failure: a workflow's variables may be keyed "Flow.X"
// or "X" in `properties` (both are accepted), and a type the check does not know is reported as
// unchecked (`skipped`). Architect publishes draft-07 schemas whose variables are references,
// {"$ref": "#/definitions/archInteger"}, to definitions that list their types in `oneOf`
// (archInteger: null, an integer, or a string holding one): both are followed.

#include <gcx/check/text.hpp>
#include <gcx/check_report.hpp>
#include <gcx/json/backend.hpp>
#include <gcx/reflect/schema.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

GCX_NAMESPACE_BEGIN

/// How match_outputs words its items.
struct schema_match_options {
    /// Who reads the outputs, for messages ("the struct", "gcx-lookup").
    std::string reader = "the struct";
    /// The data action's success schema (items "action output ...", keys without "Flow."), not a flow's.
    bool action = false;
};

namespace check_detail {

/// `s` with its "$ref" followed into `root` ("#/definitions/<name>" or "#/$defs/<name>"), up to
/// 8 references deep; nullptr for a reference that cannot be followed.
template <class J>
const typename J::value* resolved(const typename J::value* root, const typename J::value* s) {
    for (int hops = 0; s && J::kind_of(*s) == json::kind::object; ++hops) {
        const typename J::value* ref = J::find(*s, "$ref");
        if (!ref) return s;
        if (hops == 8 || !root || J::kind_of(*ref) != json::kind::string) return nullptr;
        const std::string_view r = J::get_string(*ref);
        std::string_view table;
        if (r.rfind("#/definitions/", 0) == 0) table = "definitions";
        else if (r.rfind("#/$defs/", 0) == 0) table = "$defs";
        else return nullptr;
        const typename J::value* defs = J::find(*root, table);
        if (!defs || J::kind_of(*defs) != json::kind::object) return nullptr;
        // The name is a JSON pointer token: "~1" is '/', "~0" is '~'; a further '/' goes deeper,
        // which these schemas never do.
        const std::string_view token = r.substr(table.size() + 3);
        if (token.find('/') != std::string_view::npos) return nullptr;
        std::string name;
        for (std::size_t i = 0; i < token.size(); ++i) {
            if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
                name += token[++i] == '0' ? '~' : '/';
            } else {
                name += token[i];
            }
        }
        s = J::find(*defs, name);
    }
    return s;
}

/// A schema's "properties" object (its "$ref" followed into `root`), or nullptr.
template <class J>
const typename J::value* properties_of(const typename J::value* schema, const typename J::value* root = nullptr) {
    schema = resolved<J>(root ? root : schema, schema);
    if (!schema || J::kind_of(*schema) != json::kind::object) return nullptr;
    const typename J::value* p = J::find(*schema, "properties");
    return p && J::kind_of(*p) == json::kind::object ? p : nullptr;
}

/// The names a schema's `required` lists besides `key`, comma-separated ("" when none).
template <class J>
std::string other_required(const typename J::value& schema, const std::string& key) {
    std::string extra;
    const typename J::value* req = J::kind_of(schema) == json::kind::object ? J::find(schema, "required") : nullptr;
    if (req && J::kind_of(*req) == json::kind::array)
        J::for_each_element(*req, [&](const typename J::value& x) {
            if (J::kind_of(x) == json::kind::string && J::get_string(x) != key)
                extra += (extra.empty() ? "" : ", ") + detail::clip(J::get_string(x), 100);
            return extra.size() < 400;
        });
    return extra;
}

/// The property `name` (or, for "Flow.X", "X"; for "X", "Flow.X"), and the key it was found under.
/// `exact`: `name` only (a data action's answer is read by its keys as they are, no "Flow." aliasing).
template <class J>
const typename J::value* property(const typename J::value& props, const std::string& name, const std::string& bare,
                                  std::string* key = nullptr, bool exact = false) {
    std::vector<std::string> keys{name};
    if (!exact && !bare.empty()) keys.push_back(bare);
    if (!exact && bare.empty() && name.rfind("Flow.", 0) == 0) keys.push_back(name.substr(5));
    if (!exact && name.rfind("Flow.", 0) != 0) keys.push_back("Flow." + name);
    for (const auto& k : keys)
        if (const typename J::value* v = J::find(props, k)) {
            if (key) *key = k;
            return v;
        }
    return nullptr;
}

/// A property's "type" as json_types bits ("$ref" followed into `root`; a "oneOf" or "anyOf" of
/// typed schemas, as Architect's definitions are, gives the types of all); 0 when absent or not
/// one the check knows.
/// `budget` bounds the schemas looked at (a hostile document's fan-out of references would
/// otherwise cost its size to the power of the depth): past it, the type is unknown.
template <class J>
unsigned schema_types(const typename J::value& property, const typename J::value* root = nullptr, int depth = 0,
                      int* budget = nullptr) {
    int own_budget = 256;
    if (!budget) budget = &own_budget;
    if (--*budget < 0) return 0;
    const typename J::value* prop = resolved<J>(root, &property);
    if (!prop || J::kind_of(*prop) != json::kind::object || depth > 4) return 0;
    const typename J::value* t = J::find(*prop, "type");
    if (!t) {
        for (const char* alternatives : {"oneOf", "anyOf"}) {
            const typename J::value* a = J::find(*prop, alternatives);
            if (!a || J::kind_of(*a) != json::kind::array || J::size(*a) == 0) continue;
            unsigned bits = 0;
            bool known = true;
            J::for_each_element(*a, [&](const typename J::value& x) {
                const unsigned b = schema_types<J>(x, root, depth + 1, budget);
                known = b != 0;
                bits |= b;
                return known;
            });
            return known ? bits : 0;
        }
        return 0;
    }
    if (J::kind_of(*t) == json::kind::string) return json_types::from_name(J::get_string(*t));
    if (J::kind_of(*t) != json::kind::array) return 0;
    unsigned bits = 0;
    bool known = true;
    J::for_each_element(*t, [&](const typename J::value& x) {
        const unsigned b = J::kind_of(x) == json::kind::string ? json_types::from_name(J::get_string(x)) : 0;
        known = known && b != 0;
        bits |= b;
        return true;
    });
    return known ? bits : 0;
}

/// The keys of a "properties" object, at most `max` of them, clipped.
template <class J>
std::string names_of(const typename J::value& props, std::size_t max = 12) {
    std::string out;
    std::size_t n = 0;
    J::for_each_member(props, [&](std::string_view k, const typename J::value&) {
        if (n++ < max) out += (out.empty() ? "" : ", ") + detail::clip(k, 100);
        return true;
    });
    if (n > max) out += ", ... (" + std::to_string(n) + " in all)";
    return out;
}

template <class J>
void match_member(check_report& report, const std::string& pre, const std::string& member, const output_expectation& x,
                  const typename J::value& p, const std::string& key, const std::string& who, const std::string& reader,
                  const typename J::value* root);

/// The members of a struct member `x` (read as `member`, from the schema `p` found at `key`)
/// against the schema's `properties` of it (`items.properties` for a vector): each as
/// match_member; none listed: one `skipped` item "output <member>.*", never a failure.
template <class J>
void match_nested(check_report& report, const std::string& pre, const std::string& member, const output_expectation& x,
                  const typename J::value& p, const std::string& key, const std::string& who, const std::string& reader,
                  const typename J::value* root) {
    using value_type = typename J::value;
    const value_type* schema = resolved<J>(root, &p);
    if (x.in_items) schema = schema && J::kind_of(*schema) == json::kind::object ? J::find(*schema, "items") : nullptr;
    const value_type* props = properties_of<J>(schema, root);
    const std::string path = key + (x.in_items ? "[]" : "");
    if (!props) {
        std::string names;
        for (std::size_t i = 0; i < x.members.size() && i < 8; ++i) names += (i ? ", " : "") + x.members[i].member;
        if (x.members.size() > 8) names += ", ... (" + std::to_string(x.members.size()) + " in all)";
        report.add(pre + "output " + member + ".*", check_status::skipped,
                   "unchecked: " + who + "'s schema gives " + path + " no properties (members " + names +
                       " not compared)");
        return;
    }
    for (const auto& m : x.members) {
        const std::string sub = member + "." + m.member;
        const std::string sub_key = path + "." + m.variable;
        const value_type* q = J::find(*props, m.variable);
        if (q) {
            match_member<J>(report, pre, sub, m, *q, sub_key, who, reader, root);
            continue;
        }
        const std::string msg =
            reader + " reads member " + sub + " from " + sub_key + ", which " + who + "'s schema does not list";
        const std::string fix = "add " + m.variable + " to " + path + " in " + who +
                                "'s output, or map the member to the name it has there (gcx_json_name)";
        if (m.optional) report.add(pre + "output " + sub, check_status::warn, msg + ": it will always be empty", fix);
        else
            report.add(pre + "output " + sub, check_status::fail,
                       msg + ": a lookup will fail to map whenever " + path + " is present", fix);
    }
}

/// One member `x` (shown as `member`) against its property's schema `p`, found at `key`: its JSON
/// type (ok; fail when the schema's type is not one the member takes; warn for an integer member
/// reading a number, a number member reading a plain string, a string member reading Architect's
/// integer-or-string; skipped when the schema gives no type gcx knows), then its own members.
template <class J>
void match_member(check_report& report, const std::string& pre, const std::string& member, const output_expectation& x,
                  const typename J::value& p, const std::string& key, const std::string& who, const std::string& reader,
                  const typename J::value* root) {
    using namespace json_types;
    const std::string item = pre + "output " + member;
    const unsigned t = schema_types<J>(p, root);
    const std::string need = to_text(x.types);
    if (t == 0) {
        report.add(item, check_status::skipped,
                   "unchecked: member " + member + " reads " + key +
                       ", whose schema type gcx does not know (it needs " + need + ")");
        return;
    }
    unsigned missing = t & ~x.types & ~null;
    const std::string has = to_text(t);
    // A number member also reads a string holding a number: beside an integer or a number (an
    // Architect Integer or Decimal) the string is one; alone, it may hold anything.
    const bool numeric = (x.types & (integer | number)) != 0;
    bool plain_string = false;
    if (numeric && (missing & string) != 0) {
        missing &= ~string;
        plain_string = (t & (integer | number)) == 0;
    }
    if (missing == 0 && plain_string) {
        report.add(item, check_status::warn,
                   "member " + member + " (a number) reads " + key + ", a string: a value that is not a number " +
                       "will fail to map",
                   "make the member a std::string, or the flow's variable an Integer or a Decimal");
        return;
    }
    if (missing != 0 && (missing & ~(integer | number)) == 0 && x.any_string && (t & string) != 0) {
        report.add(item, check_status::warn,
                   "member " + member + " (a string) reads " + key + ", which " + who + " outputs as " + has +
                       ": Architect sends an Integer as a string, but a JSON number would fail to map",
                   "make the member an integer type: it reads a number and a string holding one");
        return;
    }
    if (missing == 0) {
        report.add(item, check_status::ok,
                   "member " + member + " reads " + key + " (" + has +
                       (x.json_in_string && (t & json_types::string) != 0 ? ", JSON in a string" : "") + ")");
    } else if (missing == json_types::number && (x.types & json_types::integer) != 0) {
        report.add(item, check_status::warn,
                   "member " + member + " (integer) reads " + key +
                       ", a number: a value with a fraction will fail to map",
                   "make the member a double, or the flow's variable an Integer");
        return;
    } else {
        report.add(item, check_status::fail,
                   "member " + member + " reads " + key + ": " + who + " outputs " + has + ", the member needs " + need,
                   "change the member's type to take " + has + ", or " + who + "'s output to " + need);
        return;
    }
    if (!x.members.empty()) match_nested<J>(report, pre, member, x, p, key, who, reader, root);
}

}  // namespace check_detail

/// The flow version's input schema against the variable the number is sent in.
template <class J>
void match_input(check_report& report, const typename J::value* schema, const std::string& var) {
    using value_type = typename J::value;
    const std::string name = "input " + var;
    const value_type* props = check_detail::properties_of<J>(schema);
    if (!props) {
        report.add(name, check_status::skipped, "unchecked: the flow version publishes no input schema", {},
                   check_area::configuration);
        return;
    }
    std::string key;
    const value_type* p = check_detail::property<J>(*props, var, {}, &key);
    if (!p) {
        const std::string have = check_detail::names_of<J>(*props);
        report.add(name, check_status::fail,
                   "the flow has no input variable " + var +
                       (have.empty() ? std::string(" (it has no inputs)") : "; its inputs: " + have),
                   "in Architect, mark the phone number variable 'Input to flow' and publish, or set the input "
                   "variable (input_variable, --input-var) to the flow's name for it",
                   check_area::configuration);
        return;
    }
    if (key != var && key.compare(0, 5, "Flow.") == 0 &&
        var.compare(0, 5, "Flow.") != 0) {  // inputData is keyed as sent
        report.add(name, check_status::fail, "the flow's input is " + key + "; lookups send " + var,
                   "set the input variable (input_variable, --input-var) to " + key, check_area::configuration);
        return;
    }
    const unsigned t = check_detail::schema_types<J>(*p, schema);
    const std::string extra = check_detail::other_required<J>(*schema, key);
    if (t == 0) {
        report.add(name, check_status::skipped, "unchecked: the schema gives " + key + " no type gcx knows", {},
                   check_area::configuration);
    } else if ((t & json_types::string) == 0) {  // a union that allows a string takes it
        report.add(name, check_status::fail,
                   "input variable " + key + " is " + json_types::to_text(t) + "; the number is sent as a string",
                   "make " + key + " a String variable in Architect and publish", check_area::configuration);
    } else if (!extra.empty()) {
        report.add(name, check_status::warn, "input variable " + key + " is a string; the flow also requires " + extra,
                   "pass those inputs with each lookup (lookup(phone, inputs)), or make them optional in the flow",
                   check_area::configuration);
    } else {
        report.add(name, check_status::ok, "input variable " + key + " is a string", {}, check_area::configuration);
    }
}

/// Every member of `expected` marked skipped (the outputs could not be read), as "output <member>".
inline void skip_outputs(check_report& report, const std::optional<std::vector<output_expectation>>& expected,
                         const std::string& prefix, const std::string& why) {
    if (!expected) return;
    for (const auto& x : *expected) report.add(prefix + "output " + x.member, check_status::skipped, why);
}

/// The flow version's output schema, or (`how.action`) the data action's success schema, against
/// what `expected` reads (nullopt: only the list of outputs is reported).
template <class J>
void match_outputs(check_report& report, const typename J::value* schema,
                   const std::optional<std::vector<output_expectation>>& expected,
                   const schema_match_options& how = {}) {
    using value_type = typename J::value;
    const bool action = how.action;
    const std::string who = action ? "the action" : "the flow";
    const std::string pre = action ? "action " : "";
    const value_type* props = check_detail::properties_of<J>(schema);
    if (!props) {
        const std::string why = action ? "unchecked: the action publishes no success schema"
                                       : "unchecked: the flow version publishes no output schema";
        report.add(pre + "outputs", check_status::skipped, why);
        skip_outputs(report, expected, pre, why);
        return;
    }
    const std::size_t count = J::size(*props);
    if (count == 0) {
        report.add(pre + "outputs", check_status::warn,
                   who + (action ? " declares no outputs" : " declares no output variables") +
                       ": every lookup returns empty outputs",
                   action ? "give the action's output contract the keys the lookup needs"
                          : "in Architect, mark the variables the lookup sets 'Output from flow' and publish");
    } else {
        report.add(pre + "outputs", check_status::ok,
                   who + " outputs " + std::to_string(count) + " variable" + (count == 1 ? "" : "s") + ": " +
                       check_detail::names_of<J>(*props, 20));
    }
    if (!expected) return;
    std::vector<std::string> read_keys;
    for (const auto& x : *expected) {
        const std::string item = pre + "output " + x.member;
        std::string key;
        // A data action's answer is read by its keys exactly as named (no "Flow." either way).
        const std::string from = action ? (x.bare.empty() ? x.variable : x.bare) : x.variable;
        const value_type* p = action ? check_detail::property<J>(*props, from, {}, &key, /*exact=*/true)
                                     : check_detail::property<J>(*props, x.variable, x.bare, &key);
        if (!p) {
            const std::string msg =
                how.reader + " reads member " + x.member + " from " + from + ", which " + who + " does not output";
            const std::string fix = action ? "add " + from +
                                                 " to the action's output contract, or map the member "
                                                 "to the action's name (gcx_json_name)"
                                           : "name an 'Output from flow' variable " + x.variable +
                                                 " in Architect, or map the member to the flow's name (gcx_json_name)";
            if (x.optional) report.add(item, check_status::warn, msg + ": it will always be empty", fix);
            else report.add(item, check_status::fail, msg + ": every lookup will fail to map", fix);
            continue;
        }
        read_keys.push_back(key);
        check_detail::match_member<J>(report, pre, x.member, x, *p, key, who, how.reader, schema);
    }
    std::string unread;
    std::size_t n_unread = 0;
    J::for_each_member(*props, [&](std::string_view k, const value_type&) {
        if (std::find(read_keys.begin(), read_keys.end(), k) == read_keys.end()) {
            if (n_unread++ < 20) unread += (unread.empty() ? "" : ", ") + detail::clip(k, 100);
        }
        return true;
    });
    if (n_unread == 0)
        report.add(pre + "outputs not read", check_status::ok, how.reader + " reads every output of " + who);
    else
        report.add(pre + "outputs not read", check_status::warn,
                   std::to_string(n_unread) + " output" + (n_unread == 1 ? "" : "s") + " of " + who + " " + how.reader +
                       " does not read: " + unread,
                   "add members for them if they are needed (a name differing only in spelling is a likely "
                   "mismatch)");
}

GCX_NAMESPACE_END

#endif
