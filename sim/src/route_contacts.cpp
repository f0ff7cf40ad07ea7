// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// The direct External Contacts lookups (docs section 5.2, 9.8).
#include <array>

#include "e164.hpp"
#include "errors.hpp"
#include "query.hpp"
#include "simulator_impl.hpp"

namespace gcx_sim {

using detail::json;

namespace {

// Most contacts a reverse whitepages lookup returns.
constexpr std::size_t max_reverse_results = 25;

}  // namespace

void simulator::impl::handle_reverse_lookup(const httplib::Request& req, httplib::Response& res,
                                            const std::string& cid) {
  if (!admit(req, res, cid, detail::perm_contact_view)) return;
  // Query values are form-decoded, so '+' becomes a space: a client that does not encode the '+'
  // of an E.164 number as %2B finds nothing, as it would with a Java servlet stack [I].
  const std::string value = req.has_param("lookupVal") ? req.get_param_value("lookupVal") : "";
  if (value.empty()) {
    return reply_error(res, 400, "bad.request", "The query parameter [lookupVal] is required.",
                       cid);
  }
  const bool expand_organization = detail::expands(req, "contacts.externalOrganization");
  const std::vector<std::size_t>* found = nullptr;
  if (value[0] == '+') {
    found = &contacts.find_by_phone(value);
  } else if (value.find('@') != std::string::npos) {
    found = &contacts.find_by_email(value);
  }
  json list = json::array();
  if (found != nullptr) {
    for (std::size_t i = 0; i < found->size() && i < max_reverse_results; ++i) {
      list.push_back(contacts.render((*found)[i], expand_organization));
    }
  }
  reply(res, 200, json{{"contacts", std::move(list)}});
}

void simulator::impl::handle_identifier_lookup(const httplib::Request& req, httplib::Response& res,
                                               const std::string& cid) {
  if (!admit(req, res, cid, detail::perm_contact_view)) return;
  if (!require_json(req, res, cid)) return;
  const json body = detail::parse_request(req.body);
  if (body.is_discarded() || !body.is_object() || !body.contains("type") ||
      !body["type"].is_string() || !body.contains("value") || !body["value"].is_string()) {
    return reply_error(res, 400, "bad.request",
                       "The request could not be understood by the server due to malformed "
                       "syntax.",
                       cid);
  }
  const std::string type = body["type"].get<std::string>();
  const std::string value = body["value"].get<std::string>();
  static const std::array<const char*, 10> types{
      "SocialLine",    "SocialFacebook", "SocialTwitter", "SocialWhatsapp", "SocialInstagram",
      "AppleOpaqueId", "Email",          "Phone",         "Cookie",         "ExternalId"};
  bool known = false;
  for (const char* t : types) known = known || type == t;
  if (!known) {
    return reply_error(
        res, 400, "invalid.value", "Value [" + type + "] is not valid for field [type].", cid,
        json::array({detail::error_detail("invalid.value", "type")}), json::object());
  }
  const std::vector<std::size_t>* found = nullptr;
  if (type == "Phone") {
    // Phone values carry the country code with a leading '+'; the platform documents them with
    // spaces ("+1 704 298 4733"), so visual separators are dropped before the E.164 check [I].
    std::string number;
    for (const char c : value) {
      if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') number += c;
    }
    if (!detail::is_e164(number)) {
      return reply_error(res, 400, "invalid.value",
                         "Value [" + value + "] is not a valid phone number in E.164 format.", cid,
                         json::array({detail::error_detail("invalid.value", "value")}),
                         json::object());
    }
    found = &contacts.find_by_phone(number);
  } else if (type == "Email") {
    found = &contacts.find_by_email(value);
  }
  if (found == nullptr || found->empty()) {
    return reply_error(res, 404, "not.found", detail::not_found_message, cid);
  }
  reply(res, 200, contacts.render(found->front(), detail::expands(req, "externalOrganization")));
}

}  // namespace gcx_sim
