// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include "contacts.hpp"

#include <array>
#include <cctype>
#include <chrono>
#include <fstream>
#include <stdexcept>

#include "ids.hpp"
#include "time_format.hpp"

namespace gcx_sim::detail {

namespace {

const char* const division_id = "e1d2c3b4-a5f6-4789-8abc-def012345678";

json home_division() {
  return json{{"id", division_id},
              {"name", "Home"},
              {"selfUri", std::string("/api/v2/authorization/divisions/") + division_id}};
}

json organization_ref(const std::string& id, const std::string& name) {
  return json{
      {"id", id}, {"name", name}, {"selfUri", "/api/v2/externalcontacts/organizations/" + id}};
}

// Contact 123, exactly as docs/genesys-api.md 9.8 shows her.
contact maria_schmidt() {
  contact c;
  c.body = json{
      {"id", "8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b"},
      {"division", home_division()},
      {"firstName", "Maria"},
      {"lastName", "Schmidt"},
      {"title", "Purchasing Manager"},
      {"cellPhone",
       {{"display", "+1 317-555-0123"},
        {"acceptsSMS", true},
        {"userInput", "3175550123"},
        {"e164", "+13175550123"},
        {"countryCode", "1"}}},
      {"workPhone",
       {{"display", "+1 317-555-0199"},
        {"extension", 204},
        {"userInput", "+1 317 555 0199"},
        {"e164", "+13175550199"},
        {"countryCode", "1"}}},
      {"workEmail", "maria.schmidt@example.com"},
      {"address",
       {{"address1", "100 Main St"},
        {"address2", "Suite 400"},
        {"city", "Indianapolis"},
        {"state", "IN"},
        {"postalCode", "46204"},
        {"countryCode", "US"}}},
      {"externalOrganization",
       organization_ref("0f9e8d7c-6b5a-4432-9876-543210fedcba", "Acme Corp")},
      {"surveyOptOut", false},
      {"customFields", {{"tier_text", "Gold"}}},
      {"type", "Curated"},
      {"createDate", "2024-02-11T09:15:00.000Z"},
      {"modifyDate", "2026-04-02T16:41:27.512Z"},
      {"selfUri", "/api/v2/externalcontacts/contacts/8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b"},
  };
  c.profile = json{{"customerId", "CRM-100482"},
                   {"segment", "Gold"},
                   {"preferredLanguage", "de-DE"},
                   {"openCases", 2}};
  return c;
}

const std::array<const char*, 30> first_names{
    "James", "Mary",  "Robert", "Patricia", "John",  "Jennifer", "Michael", "Linda",
    "David", "Sarah", "Thomas", "Karen",    "Lukas", "Sofia",    "Mateo",   "Yuki",
    "Amara", "Liam",  "Priya",  "Omar",     "Chen",  "Fatima",   "Noah",    "Elena",
    "Ahmed", "Grace", "Pierre", "Ingrid",   "Kofi",  "Lucia"};
const std::array<const char*, 30> last_names{
    "Smith",  "Johnson", "Williams", "Brown",   "Jones",    "Garcia", "Miller", "Davis",
    "Lopez",  "Wilson",  "Anderson", "Taylor",  "Moore",    "Becker", "Novak",  "Tanaka",
    "Okafor", "Patel",   "Haddad",   "Wang",    "Kowalski", "Rossi",  "Dubois", "Larsen",
    "Mensah", "Silva",   "Kim",      "Fischer", "Murphy",   "Nguyen"};
const std::array<const char*, 7> titles{"Purchasing Manager",
                                        "Account Director",
                                        "Office Manager",
                                        "CTO",
                                        "Buyer",
                                        "Operations Lead",
                                        ""};
struct place {
  const char* city;
  const char* state;
  const char* postal_code;
};
const std::array<place, 8> places{{{"Indianapolis", "IN", "46204"},
                                   {"Carmel", "IN", "46032"},
                                   {"Fishers", "IN", "46037"},
                                   {"Bloomington", "IN", "47401"},
                                   {"Chicago", "IL", "60601"},
                                   {"Columbus", "OH", "43215"},
                                   {"Louisville", "KY", "40202"},
                                   {"Detroit", "MI", "48226"}}};
const std::array<const char*, 6> streets{"Main St",         "Oak Ave",     "Maple Dr",
                                         "Washington Blvd", "Meridian St", "Lake Rd"};
struct organization {
  const char* id;
  const char* name;
};
const std::array<organization, 6> organizations{{
    {"0f9e8d7c-6b5a-4432-9876-543210fedcba", "Acme Corp"},
    {"1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d", "Globex"},
    {"2b3c4d5e-6f7a-4b2c-9d3e-4f5a6b7c8d9e", "Initech"},
    {"3c4d5e6f-7a8b-4c3d-ae4f-5a6b7c8d9e0f", "Umbrella Health"},
    {"4d5e6f7a-8b9c-4d4e-bf5a-6b7c8d9e0f1a", "Vandelay Industries"},
    {"5e6f7a8b-9c0d-4e5f-806b-7c8d9e0f1a2b", "Stark Logistics"},
}};
const std::array<const char*, 4> tiers{"Bronze", "Silver", "Gold", "Platinum"};
const std::array<const char*, 5> languages{"en-US", "en-US", "es-US", "de-DE", "fr-FR"};

std::string four_digits(int i) {
  std::string s = std::to_string(i);
  return std::string(4 - s.size(), '0') + s;
}

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// 2023-01-01T00:00:00Z: generated contacts were created after it.
std::chrono::system_clock::time_point sys_days_2023() {
  return std::chrono::system_clock::from_time_t(1672531200);
}

// The PRNG stream of generated contact i. Each contact has its own stream, so contact i does not
// change when contact_count does.
class contact_stream {
public:
  contact_stream(int i, std::uint64_t seed)
      : state_(seed * 0x100000001b3ULL ^
               (static_cast<std::uint64_t>(i) + 1) * 0x9e3779b97f4a7c15ULL) {}
  std::uint64_t next() { return splitmix64(state_); }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

private:
  std::uint64_t state_;
};

// The first draws of a stream: enough for the search keys without building the rest.
struct identity {
  std::string id, first, last, email;
};

identity draw_identity(contact_stream& draws, const std::string& digits) {
  identity who;
  const std::uint64_t id_hi = draws.next();
  who.id = format_uuid(id_hi, draws.next());
  who.first = first_names[draws.below(first_names.size())];
  who.last = last_names[draws.below(last_names.size())];
  who.email = lower(who.first) + "." + lower(who.last) + "." + digits + "@example.com";
  return who;
}

// A contact drawn from the lists.
contact generated_contact(int i, std::uint64_t seed) {
  contact_stream draws(i, seed);
  const std::string digits = four_digits(i);
  const identity who = draw_identity(draws, digits);
  const std::string title = titles[draws.below(titles.size())];
  const bool accepts_sms = draws.below(4) != 0;

  contact c;
  json& b = c.body;
  b["id"] = who.id;
  b["division"] = home_division();
  b["firstName"] = who.first;
  b["lastName"] = who.last;
  if (!title.empty()) b["title"] = title;
  b["cellPhone"] = json{{"display", "+1 317-555-" + digits},
                        {"acceptsSMS", accepts_sms},
                        {"userInput", "317555" + digits},
                        {"e164", "+1317555" + digits},
                        {"countryCode", "1"}};
  b["workEmail"] = who.email;
  if (draws.below(5) != 0) {
    const place& p = places[draws.below(places.size())];
    const std::size_t number = 1 + draws.below(9999);
    b["address"] =
        json{{"address1", std::to_string(number) + " " + streets[draws.below(streets.size())]},
             {"city", p.city},
             {"state", p.state},
             {"postalCode", p.postal_code},
             {"countryCode", "US"}};
  }
  if (draws.below(4) != 0) {
    const organization& o = organizations[draws.below(organizations.size())];
    b["externalOrganization"] = organization_ref(o.id, o.name);
  }
  const std::string tier = tiers[draws.below(tiers.size())];
  b["surveyOptOut"] = false;
  b["customFields"] = json{{"tier_text", tier}};
  b["type"] = "Curated";
  using std::chrono::seconds;
  const auto created =
      sys_days_2023() + seconds(static_cast<long long>(draws.below(600u * 86400u)));
  const auto modified = created + seconds(static_cast<long long>(draws.below(300u * 86400u)));
  b["createDate"] = iso8601(created);
  b["modifyDate"] = iso8601(modified);
  b["selfUri"] = "/api/v2/externalcontacts/contacts/" + who.id;

  c.profile = json{{"customerId", "CRM-" + std::to_string(100000 + draws.below(900000))},
                   {"segment", tier},
                   {"preferredLanguage", languages[draws.below(languages.size())]},
                   {"openCases", draws.below(5)}};
  return c;
}

// The profile of a contact read from a file: from its custom fields where present.
json profile_from_custom_fields(const json& body, std::size_t index) {
  const json empty = json::object();
  const json& fields = body.contains("customFields") && body["customFields"].is_object()
                           ? body["customFields"]
                           : empty;
  auto text = [&fields](const char* key, const std::string& fallback) {
    auto it = fields.find(key);
    return it != fields.end() && it->is_string() ? it->get<std::string>() : fallback;
  };
  long long open_cases = 0;
  if (auto it = fields.find("open_cases_number"); it != fields.end() && it->is_number()) {
    open_cases = it->get<long long>();
  }
  return json{{"customerId", text("crm_id_text", "CRM-" + std::to_string(100000 + index))},
              {"segment", text("tier_text", "Standard")},
              {"preferredLanguage", text("preferred_language_text", "en-US")},
              {"openCases", open_cases}};
}

}  // namespace

namespace {

// The phones (cell first) and emails of a contact given as JSON.
contact_store::search_keys keys_of(const json& body) {
  contact_store::search_keys keys;
  auto e164_of = [&body](const char* field) -> std::string {
    auto phone = body.find(field);
    if (phone == body.end() || !phone->is_object()) return {};
    auto e164 = phone->find("e164");
    return e164 != phone->end() && e164->is_string() ? e164->get<std::string>() : std::string();
  };
  keys.cell_phone = e164_of("cellPhone");
  for (const char* field : {"workPhone", "homePhone", "otherPhone"}) {
    std::string e164 = e164_of(field);
    if (!e164.empty()) keys.other_phones.push_back(std::move(e164));
  }
  for (const char* field : {"workEmail", "personalEmail", "otherEmail"}) {
    auto email = body.find(field);
    if (email != body.end() && email->is_string()) keys.emails.push_back(email->get<std::string>());
  }
  return keys;
}

}  // namespace

void contact_store::generate(int count, std::uint64_t seed) {
  loaded_.clear();
  seed_ = seed;
  size_ = static_cast<std::size_t>(count);
  std::vector<search_keys> keys(size_);
  for (int i = 0; i < count; ++i) {
    if (i == 123) {
      keys[123] = keys_of(maria_schmidt().body);
      continue;
    }
    const std::string digits = four_digits(i);
    contact_stream draws(i, seed);
    search_keys& k = keys[static_cast<std::size_t>(i)];
    k.cell_phone = "+1317555" + digits;
    k.emails.push_back(draw_identity(draws, digits).email);
  }
  build_indexes(keys);
}

bool contact_store::load(const std::string& path, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot open contacts file " + path;
    return false;
  }
  json doc = json::parse(in, nullptr, false);
  if (doc.is_discarded()) {
    error = "contacts file " + path + " is not valid JSON";
    return false;
  }
  if (doc.is_object()) {
    if (doc.contains("contacts")) {
      doc = doc["contacts"];
    } else if (doc.contains("entities")) {
      doc = doc["entities"];
    }
  }
  if (!doc.is_array()) {
    error = "contacts file " + path + " must hold a JSON array of ExternalContact";
    return false;
  }
  std::vector<contact> loaded;
  std::vector<search_keys> keys;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    json& body = doc[i];
    if (!body.is_object()) {
      error = "contacts file " + path + ": element " + std::to_string(i) + " is not an object";
      return false;
    }
    if (!body.contains("id") || !body["id"].is_string()) {
      body["id"] = format_uuid(0x5eed000000000000ULL + i, 0xc0ffee0000000000ULL + i);
    }
    if (!body.contains("selfUri")) {
      body["selfUri"] = "/api/v2/externalcontacts/contacts/" + body["id"].get<std::string>();
    }
    keys.push_back(keys_of(body));
    json profile = profile_from_custom_fields(body, i);
    loaded.push_back(contact{std::move(body), std::move(profile)});
  }
  loaded_ = std::move(loaded);
  size_ = loaded_.size();
  build_indexes(keys);
  return true;
}

contact contact_store::get(std::size_t i) const {
  if (i >= size_) throw std::out_of_range("gcx_sim: no contact " + std::to_string(i));
  if (!loaded_.empty()) return loaded_[i];
  const int index = static_cast<int>(i);
  return index == 123 ? maria_schmidt() : generated_contact(index, seed_);
}

void contact_store::build_indexes(const std::vector<search_keys>& keys) {
  by_phone_.clear();
  by_email_.clear();
  auto add = [](auto& index, const std::string& key, std::size_t i) {
    if (key.empty()) return;
    auto& list = index[key];
    if (list.empty() || list.back() != i) list.push_back(i);
  };
  // Cell phones first, so the contact whose mobile number it is comes before contacts that list
  // it as a work or home number.
  for (std::size_t i = 0; i < keys.size(); ++i) add(by_phone_, keys[i].cell_phone, i);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    for (const auto& phone : keys[i].other_phones) add(by_phone_, phone, i);
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    for (const auto& email : keys[i].emails) add(by_email_, lower(email), i);
  }
}

namespace {
const std::vector<std::size_t>& no_match() {
  static const std::vector<std::size_t> none;
  return none;
}
}  // namespace

const std::vector<std::size_t>& contact_store::find_by_phone(const std::string& e164) const {
  auto it = by_phone_.find(e164);
  return it == by_phone_.end() ? no_match() : it->second;
}

const std::vector<std::size_t>& contact_store::find_by_email(const std::string& email) const {
  auto it = by_email_.find(lower(email));
  return it == by_email_.end() ? no_match() : it->second;
}

json contact_store::render(std::size_t i, bool expand_organization) const {
  json out = get(i).body;
  if (!expand_organization) {
    auto org = out.find("externalOrganization");
    if (org != out.end() && org->is_object() && org->contains("id")) {
      json ref = json::object();
      ref["id"] = (*org)["id"];
      if (org->contains("selfUri")) ref["selfUri"] = (*org)["selfUri"];
      *org = std::move(ref);
    }
  }
  return out;
}

std::string contact_store::first_phone() const {
  std::string best;
  for (const auto& kv : by_phone_) {
    if (best.empty() || kv.first < best) best = kv.first;
  }
  return best;
}

}  // namespace gcx_sim::detail
