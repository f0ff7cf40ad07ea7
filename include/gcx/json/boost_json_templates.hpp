// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_JSON_BOOST_JSON_TEMPLATES_HPP
#define GCX_JSON_BOOST_JSON_TEMPLATES_HPP

// Opt-in: the lookup machinery for the Boost.JSON backend compiled in one .cpp of the program
// instead of in every unit that calls basic_client::lookup (docs/compile-time.md).
//
//   every unit:   #define GCX_EXTERN_TEMPLATES        before including gcx
//   one .cpp:     #define GCX_INSTANTIATE_TEMPLATES   before including gcx (and nothing else)
//
// With the single header (GCX_WITH_BOOST_JSON) this file is part of it; with the multi-header
// tree include <gcx/json/boost_json_templates.hpp> after <gcx/gcx.hpp>. Without either macro it
// declares nothing. GCX_EXTERN_TEMPLATES without the one .cpp fails to link (undefined
// references to gcx::lookup_operation<...> and the others below).
//
// What it covers: the operations basic_client::lookup, find_contacts and execute_action run
// (strategy_operation, lookup_operation, direct_lookup_operation, data_action_operation, their
// one_call_operation base, api_call), the token and error parsers they share, the reflection's
// readers of the library's own models (gcx::external_contact and the types it holds, gcx::raw_json,
// strings, bools, integers, and their std::optional), and the functions gcx/linkage.hpp marks
// (the session a client is built on). What stays in the unit that calls lookup<T>: the walk of T's
// own members, basic_client itself (a template on the transport), and the copies, moves and
// destructors of the types it handles (the models' included: they are not templates).

#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx/models.hpp>
#include <gcx/raw_json.hpp>
#include <gcx/reflect.hpp>

#include <cstdint>
#include <optional>
#include <string>

#if defined(GCX_INSTANTIATE_TEMPLATES)
#define GCX_DETAIL_TEMPLATES template
#elif defined(GCX_EXTERN_TEMPLATES)
#define GCX_DETAIL_TEMPLATES extern template
#endif

#ifdef GCX_DETAIL_TEMPLATES
GCX_NAMESPACE_BEGIN
GCX_DETAIL_TEMPLATES class api_call<json::boost_json>;
GCX_DETAIL_TEMPLATES class lookup_operation<json::boost_json>;
GCX_DETAIL_TEMPLATES class direct_lookup_operation<json::boost_json>;
GCX_DETAIL_TEMPLATES class detail::one_call_operation<direct_lookup_operation<json::boost_json>, json::boost_json>;
GCX_DETAIL_TEMPLATES class data_action_operation<json::boost_json>;
GCX_DETAIL_TEMPLATES class detail::one_call_operation<data_action_operation<json::boost_json>, json::boost_json>;
GCX_DETAIL_TEMPLATES class strategy_operation<json::boost_json>;
GCX_DETAIL_TEMPLATES error error_from_response<json::boost_json>(const http::response&, operation,
                                                                 std::optional<std::chrono::system_clock::time_point>);
GCX_DETAIL_TEMPLATES result<token_grant> parse_token_response<json::boost_json>(std::string_view);
GCX_DETAIL_TEMPLATES result<secret> token_cache::complete<json::boost_json>(const http::response&, time_point);
// The reflection's readers of the library's own models, which a struct such as the README's
// `outputs` (std::optional<gcx::external_contact>, std::optional<gcx::raw_json>) reaches.
#define GCX_DETAIL_READER(M)                                                                                           \
    GCX_DETAIL_TEMPLATES bool reflect_detail::read_value<json::boost_json, M>(reflect_detail::walk_state&,             \
                                                                              const boost::json::value&, M&);          \
    GCX_DETAIL_TEMPLATES bool reflect_detail::read_value<json::boost_json, std::optional<M>>(                          \
        reflect_detail::walk_state&, const boost::json::value&, std::optional<M>&);                                    \
    GCX_DETAIL_TEMPLATES bool reflect_detail::read_member<json::boost_json, std::optional<M>>(                         \
        reflect_detail::walk_state&, const boost::json::value*, void*);
GCX_DETAIL_READER(external_contact)
GCX_DETAIL_READER(external_organization)
GCX_DETAIL_READER(phone_number)
GCX_DETAIL_READER(contact_address)
GCX_DETAIL_READER(domain_entity_ref)
GCX_DETAIL_READER(raw_json)
GCX_DETAIL_READER(std::string)
GCX_DETAIL_READER(bool)
GCX_DETAIL_READER(int)
GCX_DETAIL_READER(std::int64_t)
#undef GCX_DETAIL_READER
GCX_DETAIL_TEMPLATES bool
reflect_detail::read_members<json::boost_json>(reflect_detail::walk_state&, const boost::json::value&,
                                               const reflect_detail::members_view<json::boost_json>&, bool);
GCX_NAMESPACE_END
#undef GCX_DETAIL_TEMPLATES
#endif

#endif
