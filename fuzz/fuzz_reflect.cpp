// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
//
// Fuzz target: the reflection walker. The input is parsed as JSON (nesting limit 64) and mapped
// into a deep user struct with gcx::read_outputs<J, T>: nested described structs, a recursive
// struct, vectors (also of optionals and of maps), std::map / std::unordered_map, optionals,
// described enums, gcx::raw_json, the backend's own value, bool, float, double, std::string and
// integers of every width (checked, never narrowed). The same value is also mapped in strict
// mode, with a small depth limit, as a whole FlowRuntimeExecution (from_json) and as the
// library's own models; a JSON string holding an object goes through the "object in a string"
// path of every struct-, map- and vector-typed member.
//
// Invariants: no crash, no sanitizer report (so no stack exhaustion: the depth limit holds, and
// no narrowing or overflow: UBSan's integer checks are on); a mapping error has kind mapping, a
// path rooted at "outputData", and a one-line describe(); what the backend serializes it can
// parse again; what was read can be written back (write_inputs) and read again, and one round
// later the JSON no longer changes (numbers compared to 1e-12: Boost.JSON 1.81 does not round
// decimal text correctly, see same_json).
#include "fuzz_common.hpp"

#include <gcx/models.hpp>
#include <gcx/reflect.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <vector>

#if defined(__clang__)
#pragma clang diagnostic ignored "-Wgnu-zero-variadic-macro-arguments"
#endif

using namespace gcx_fuzz;

namespace deep {

enum class tier { Bronze, Silver, Gold, Platinum };
BOOST_DESCRIBE_ENUM(tier, Bronze, Silver, Gold, Platinum)

enum class channel : std::uint8_t { voice = 1, sms = 2, email = 4 };
BOOST_DESCRIBE_ENUM(channel, voice, sms, email)

struct address {
    std::optional<std::string> city;
    std::optional<std::string> postalCode;
    std::optional<std::vector<std::string>> lines;
};
BOOST_DESCRIBE_STRUCT(address, (), (city, postalCode, lines))

struct widths {
    std::optional<std::int8_t> i8;
    std::optional<std::uint8_t> u8;
    std::optional<std::int16_t> i16;
    std::optional<std::uint16_t> u16;
    std::optional<std::int32_t> i32;
    std::optional<std::uint32_t> u32;
    std::optional<std::int64_t> i64;
    std::optional<std::uint64_t> u64;
    std::optional<long long> ll;
    std::optional<unsigned short> us;
    std::optional<float> f;
    std::optional<double> d;
    std::optional<bool> b;
};
BOOST_DESCRIBE_STRUCT(widths, (), (i8, u8, i16, u16, i32, u32, i64, u64, ll, us, f, d, b))

/// Recursive: a node holds nodes (the walker's depth limit must stop a hostile depth).
struct node {
    std::optional<std::string> name;
    std::vector<node> children;
    std::optional<std::int64_t> weight;
};
BOOST_DESCRIBE_STRUCT(node, (), (name, children, weight))

struct base_info {
    std::optional<std::string> source;
};
BOOST_DESCRIBE_STRUCT(base_info, (), (source))

struct profile : base_info {
    std::string customerId;
    std::optional<tier> segment;
    std::optional<std::string> preferredLanguage;
    std::optional<std::uint8_t> openCases;
    std::optional<address> home;
    std::optional<std::map<std::string, std::int16_t>> scores;
    std::optional<std::vector<channel>> channels;
};
BOOST_DESCRIBE_STRUCT(profile, (base_info), (customerId, segment, preferredLanguage, openCases, home, scores, channels))

struct outputs {
    std::optional<std::int32_t> MatchCount;
    std::optional<std::string> ContactId;
    std::optional<std::string> FirstName;
    std::optional<tier> Tier;
    std::optional<profile> CustomerProfile;
    std::optional<gcx::external_contact> externalContact;
    std::optional<gcx::raw_json> Raw;
    std::optional<J::value> Any;
    std::optional<widths> Numbers;
    std::optional<std::vector<std::optional<std::uint16_t>>> Small;
    std::optional<std::unordered_map<std::string, std::vector<double>>> Series;
    std::optional<std::vector<std::map<std::string, tier>>> Tiers;
    std::optional<std::vector<std::vector<std::int64_t>>> Matrix;
    std::optional<node> Tree;
    std::optional<std::string> ErrorMessage;
    bool Found = false;  // required, and last: earlier members are walked first
};
BOOST_DESCRIBE_STRUCT(outputs, (),
                      (MatchCount, ContactId, FirstName, Tier, CustomerProfile, externalContact, Raw, Any, Numbers,
                       Small, Series, Tiers, Matrix, Tree, ErrorMessage, Found))

/// The same shape without the required member, so every input walks every member.
struct lenient {
    std::optional<widths> Numbers;
    std::optional<profile> CustomerProfile;
    std::optional<node> Tree;
    std::optional<std::map<std::string, gcx::raw_json>> Bag;
    std::optional<std::vector<gcx::phone_number>> Phones;
};
BOOST_DESCRIBE_STRUCT(lenient, (), (Numbers, CustomerProfile, Tree, Bag, Phones))

}  // namespace deep

namespace {

void check_mapping_error(const gcx::error& e, std::string_view root) {
    check_error(e, false, false);
    GCX_FUZZ_CHECK(e.kind == gcx::errc::mapping || e.kind == gcx::errc::protocol, e.describe());
    if (e.kind == gcx::errc::mapping) GCX_FUZZ_CHECK(e.path.substr(0, root.size()) == root, e.describe());
}

/// Equal JSON values; numbers that are not integers may differ in the last bits: Boost.JSON 1.81
/// parses decimal text without correct rounding ("3E54" reads one ulp away from the double that
/// printed as "3E54"), so exact text equality would report the backend, not gcx. (Both are
/// Boost.JSON 1.81 limitations, listed in docs/reliability.md.)
bool same_json(const J::value& a, const J::value& b) {
    using gcx::json::kind;
    const kind ka = J::kind_of(a), kb = J::kind_of(b);
    if (ka == kind::number || kb == kind::number) {
        auto num = [](const J::value& v, kind k) {
            return k == kind::number    ? J::get_double(v)
                   : k == kind::integer ? static_cast<double>(J::get_int(v))
                   : k == kind::uint    ? static_cast<double>(J::get_uint(v))
                                        : std::nan("");
        };
        const double x = num(a, ka), y = num(b, kb);
        // NaN: Boost.JSON 1.81 reads "0e999" (zero) as NaN; a J::value member keeps it as is.
        if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y) && ka == kb;
        return x == y || std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
    }
    if (ka != kb) return false;
    switch (ka) {
    case kind::null: return true;
    case kind::boolean: return J::get_bool(a) == J::get_bool(b);
    case kind::integer: return J::get_int(a) == J::get_int(b);
    case kind::uint: return J::get_uint(a) == J::get_uint(b);
    case kind::string: return J::get_string(a) == J::get_string(b);
    case kind::array: {
        if (J::size(a) != J::size(b)) return false;
        std::vector<const J::value*> xs;
        J::for_each_element(a, [&](const J::value& e) {
            xs.push_back(&e);
            return true;
        });
        std::size_t i = 0;
        return J::for_each_element(b, [&](const J::value& e) { return same_json(*xs[i++], e); });
    }
    case kind::object:
        if (J::size(a) != J::size(b)) return false;
        return J::for_each_member(a, [&](std::string_view k, const J::value& v) {
            const J::value* w = J::find(b, k);
            return w != nullptr && same_json(v, *w);
        });
    default: return false;
    }
}

/// Read, write back, read again: every read of what gcx wrote must succeed, and after one round
/// the JSON is a fixed point. (Not the first write: an optional<raw_json> holding JSON null is
/// written as null and read back as an empty optional.)
template <class T>
void round_trip(const T& first) {
    const auto written = gcx::write_inputs<J>(first);
    auto again = gcx::read_outputs<J, T>(written);
    GCX_FUZZ_CHECK(again.has_value(),
                   again.has_value() ? std::string() : again.error().describe() + "\n" + J::serialize(written));
    const auto rewritten = gcx::write_inputs<J>(*again);
    auto third = gcx::read_outputs<J, T>(rewritten);
    GCX_FUZZ_CHECK(third.has_value(), "a second round trip failed");
    const auto final_value = gcx::write_inputs<J>(*third);
    GCX_FUZZ_CHECK(same_json(final_value, rewritten), J::serialize(rewritten) + "\n!=\n" + J::serialize(final_value));
}

template <class T>
void map_all_ways(const J::value& v) {
    auto r = gcx::read_outputs<J, T>(v);
    if (r) round_trip(*r);
    else check_mapping_error(r.error(), "outputData");

    gcx::map_options strict;
    strict.strict = true;
    auto s = gcx::read_outputs<J, T>(v, strict);
    if (!s) check_mapping_error(s.error(), "outputData");
    else GCX_FUZZ_CHECK(r.has_value(), "strict mode accepted what lenient mode refused");

    gcx::map_options shallow;
    shallow.max_depth = 4;
    shallow.root = "x";
    auto d = gcx::read_outputs<J, T>(v, shallow);
    if (!d) check_mapping_error(d.error(), "x");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto v = J::parse(text, gcx::json::default_max_depth);
    if (!v) {
        GCX_FUZZ_CHECK(v.error().kind == gcx::errc::protocol, v.error().describe());
        check_error(v.error(), false, false);
        return 0;
    }
    // What the backend writes, it can read: serialize must give JSON (no "Infinity"), and
    // a raw_json holds JSON text.
    const std::string text_again = J::serialize(*v);
    auto reparsed = J::parse(text_again, gcx::json::default_max_depth + 1);
    GCX_FUZZ_CHECK(reparsed.has_value(), "serialize wrote text its own parse refuses: " + text_again.substr(0, 300));
    GCX_FUZZ_CHECK(gcx::raw_json::from<J>(*v).parse<J>(gcx::json::default_max_depth + 1).has_value(),
                   "raw_json is not JSON");

    // A whole execution document: map its outputData (or the value itself).
    const J::value* od = J::find(*v, "outputData");
    const J::value& outputs = od ? *od : *v;
    map_all_ways<deep::outputs>(outputs);
    map_all_ways<deep::lenient>(outputs);

    auto exec = gcx::from_json<J, gcx::flow_runtime_execution>(*v);
    if (!exec) check_mapping_error(exec.error(), "outputData");
    auto contact = gcx::from_json<J, gcx::external_contact>(*v);
    if (!contact) check_mapping_error(contact.error(), "outputData");
    auto text_mapped = gcx::from_json_text<J, deep::lenient>(text);
    if (!text_mapped) check_mapping_error(text_mapped.error(), "outputData");
    return 0;
}
