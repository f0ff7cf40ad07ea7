// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// The External Contacts of the simulated organisation and the phone/email searches over them.
#ifndef GCX_SIM_CONTACTS_HPP
#define GCX_SIM_CONTACTS_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "json.hpp"

namespace gcx_sim::detail {

struct contact {
  json body;     // the ExternalContact, externalOrganization expanded ({id, name, selfUri})
  json profile;  // the CRM record the lookup flow returns, JSON-encoded, as Flow.CustomerProfile
};

// Generated contacts are not kept as JSON: each is a pure function of (index, seed) and is built
// when a response needs it, so a simulator starts in well under a millisecond even in a debug build
// (building 3000 JSON objects up front took ~140 ms there). Only the search keys are stored.
class contact_store {
public:
  static constexpr int max_generated = 10000;  // found_number() has room for 4 digits

  // Deterministic set: contact i has cellPhone found_number(i); contact 123 is the documented
  // Maria Schmidt; the rest is drawn from small name lists with `seed`.
  void generate(int count, std::uint64_t seed);
  // A JSON array of ExternalContact (or an object holding it under "contacts" or "entities").
  bool load(const std::string& path, std::string& error);

  std::size_t size() const { return size_; }
  contact get(std::size_t i) const;

  // Contacts with a phone whose e164 equals `e164`: cellPhone matches first, then work, home and
  // other phones, each group in contact order.
  const std::vector<std::size_t>& find_by_phone(const std::string& e164) const;
  // Contacts with a work, personal or other email equal to `email` (case-insensitive).
  const std::vector<std::size_t>& find_by_email(const std::string& email) const;
  // The smallest e164 any contact has, "" when none has a phone.
  std::string first_phone() const;

  // The contact as the API returns it. Without expansion the organisation is only a reference
  // ({id, selfUri}), which is how `expand` behaves across the platform [I].
  json render(std::size_t i, bool expand_organization) const;

  // What the searches look at: phone numbers (cell first) and email addresses of one contact.
  struct search_keys {
    std::string cell_phone;
    std::vector<std::string> other_phones;
    std::vector<std::string> emails;
  };

private:
  void build_indexes(const std::vector<search_keys>& keys);

  std::size_t size_ = 0;
  std::uint64_t seed_ = 0;
  std::vector<contact> loaded_;  // contacts from a file; empty when generated
  std::unordered_map<std::string, std::vector<std::size_t>> by_phone_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_email_;
};

}  // namespace gcx_sim::detail

#endif
