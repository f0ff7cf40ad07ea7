// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_REFLECT_HPP
#define GCX_REFLECT_HPP

// The reflection walker: JSON <-> your structs, over boost::describe::describe_members, written
// once against the JSON backend concept (gcx/json/backend.hpp) and so free of any JSON library.
//
//     struct profile { std::string customerId; std::optional<int> openCases; };
//     BOOST_DESCRIBE_STRUCT(profile, (), (customerId, openCases))
//     struct outputs { bool Found; std::optional<profile> CustomerProfile; };
//     BOOST_DESCRIBE_STRUCT(outputs, (), (Found, CustomerProfile))
//
//     gcx::result<outputs> r = gcx::read_outputs<gcx::json::boost_json, outputs>(outputData);
//     if (!r) std::cerr << r.error().describe();   // ... (path outputData["Flow.Found"])
//
// Entry points (J is the backend traits type, e.g. gcx::json::boost_json):
//   read_outputs<J, T>(outputData, options)      flow outputs -> T; members bind "Flow.<name>"
//   from_json<J, T>(value, options)              any JSON value -> T, exact names everywhere
//   from_json<J>(value, T& out, options)         the same, into an existing object
//   from_json_text<J, T>(text, options)          parse, then from_json
//   write_inputs<J>(inputs, prefix = "Flow.")    T -> a flow's inputData
//   to_json<J>(v) / to_json_text<J>(v)           T -> JSON value / text
//
// Rules
// - Names. At the top level of read_outputs, member `X` binds `"Flow.X"` (map_options::prefix),
//   falling back to the bare `"X"`; when both are present the prefixed key wins. Everywhere else
//   keys are the member names, exactly. For names that are not C++ identifiers, declare the rename
//   hook `gcx_json_name(const T*, std::string_view member) -> std::string_view` next to T (see
//   reflect/traits.hpp).
// - Types. bool; every integer type (char types excluded), range-checked: a value out of range is
//   an error, never narrowed; a JSON number with zero fraction (`3.0`) is accepted when exactly
//   representable. float/double take any JSON number (integers included) within their range.
//   Both also take a string holding a JSON number, exactly ("157", "-3.5e2"; not " 1", "+1",
//   "01"): Architect sends Integer variables as strings (its output schemas' archInteger is an
//   integer or "a string representation of an integral numeric value").
//   std::string. Described enums (BOOST_DESCRIBE_ENUM) as their enumerator names, exact case.
//   Described structs (BOOST_DESCRIBE_STRUCT / _CLASS; inherited and private members included).
//   std::vector<T>, std::map / std::unordered_map<std::string, T>, std::optional<T>.
//   gcx::raw_json (any value, kept as serialized text) and J::value (any value, kept as is).
//   Anything else stops compilation with one static_assert ("gcx: cannot map this type ...").
// - Presence. std::optional takes a missing key or null (-> std::nullopt). A missing key for any
//   other member is an error, and so is null (raw_json and J::value take null as a value).
//   Unknown keys are ignored; map_options::strict refuses them.
// - JSON in strings. A struct, map or vector also accepts a JSON *string* holding an object (or
//   array): Architect flows often output objects that way. It is parsed with the same backend,
//   within the nesting depth left (map_options::max_depth), and mapped like the object itself.
// - Errors. errc::mapping, fail fast, `error::path` = the JSON path, rooted at map_options::root:
//   outputData["Flow.CustomerProfile"].address.city, arrays as [3]. The message says what was
//   expected and what kind of JSON was found. Messages never quote document *values* (they may be
//   phone numbers or names); keys are quoted.
// - Writing. Empty optionals are left out; enums become names (a value outside the described
//   enumerators is written as its number); raw_json is inserted parsed (null if its text is not
//   JSON, or nests deeper than json::max_written_raw_depth, 4096 levels); NaN and infinity
//   become null (JSON has neither).

#include <gcx/raw_json.hpp>
#include <gcx/reflect/path.hpp>
#include <gcx/reflect/read.hpp>
#include <gcx/reflect/schema.hpp>
#include <gcx/reflect/traits.hpp>
#include <gcx/reflect/write.hpp>

#endif
