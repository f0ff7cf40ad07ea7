// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_MODELS_HPP
#define GCX_MODELS_HPP

// Described Genesys Cloud models, for gcx::from_json / gcx::to_json (gcx/reflect.hpp).
//
// Member names are the API's JSON names, exactly (camelCase). These are server objects: every
// field the API may omit is std::optional, unknown fields are ignored (the API grows), and
// open-ended enumerations (`status`, `type`) are strings, so a value added by Genesys tomorrow
// does not make today's client fail. Only the fields gcx needs, or that a lookup's caller is
// likely to want, are modelled; read anything else from a gcx::raw_json member or the raw body.
// Field lists: docs/genesys-api.md (sections 1.3, 1.4, 4.1, 5.1); JSON examples: its section 9.

#include <gcx/raw_json.hpp>
#include <gcx/reflect.hpp>

#include <boost/describe/class.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// BOOST_DESCRIBE_STRUCT(T, (), ...) passes zero variadic macro arguments, which clang's -Wpedantic
// flags before C++20 (boostorg/describe#12, #43; the author knows no other workaround).
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wgnu-zero-variadic-macro-arguments"
#endif

GCX_NAMESPACE_BEGIN

/// DomainEntityRef: a reference to another entity.
struct domain_entity_ref {
    std::optional<std::string> id;
    std::optional<std::string> name;
    std::optional<std::string> selfUri;
};
BOOST_DESCRIBE_STRUCT(domain_entity_ref, (), (id, name, selfUri))

/// PhoneNumber. `e164`, `countryCode` and `userInput` are set by the server.
struct phone_number {
    std::optional<std::string> display;
    std::optional<int> extension;
    std::optional<bool> acceptsSMS;
    std::optional<std::string> normalizationCountryCode;
    std::optional<std::string> userInput;
    std::optional<std::string> e164;
    std::optional<std::string> countryCode;
};
BOOST_DESCRIBE_STRUCT(phone_number, (),
                      (display, extension, acceptsSMS, normalizationCountryCode, userInput, e164, countryCode))

/// ContactAddress.
struct contact_address {
    std::optional<std::string> address1;
    std::optional<std::string> address2;
    std::optional<std::string> city;
    std::optional<std::string> state;
    std::optional<std::string> postalCode;
    std::optional<std::string> countryCode;
};
BOOST_DESCRIBE_STRUCT(contact_address, (), (address1, address2, city, state, postalCode, countryCode))

/// ExternalOrganization as embedded in a contact (`expand=contacts.externalOrganization`);
/// without the expansion only id and selfUri are present.
struct external_organization {
    std::optional<std::string> id;
    std::optional<std::string> name;
    std::optional<domain_entity_ref> division;
    std::optional<std::string> companyType;
    std::optional<std::string> industry;
    std::optional<contact_address> address;
    std::optional<phone_number> phoneNumber;
    std::optional<phone_number> faxNumber;
    std::optional<std::int64_t> employeeCount;
    std::optional<std::int64_t> revenue;
    std::optional<std::vector<std::string>> tags;
    std::optional<std::vector<std::string>> websites;
    std::optional<std::string> externalSystemUrl;
    std::optional<raw_json> customFields;
    std::optional<std::string> modifyDate;
    std::optional<std::string> createDate;
    std::optional<std::string> selfUri;
};
BOOST_DESCRIBE_STRUCT(external_organization, (),
                      (id, name, division, companyType, industry, address, phoneNumber, faxNumber, employeeCount,
                       revenue, tags, websites, externalSystemUrl, customFields, modifyDate, createDate, selfUri))

/// ExternalContact. `type` is one of Ephemeral, Identified, Curated (kept a string: the set may grow).
/// Dates are ISO-8601 strings as sent.
struct external_contact {
    std::optional<std::string> id;
    std::optional<domain_entity_ref> division;
    std::optional<std::string> firstName;
    std::optional<std::string> middleName;
    std::optional<std::string> lastName;
    std::optional<std::string> salutation;
    std::optional<std::string> title;
    std::optional<phone_number> workPhone;
    std::optional<phone_number> cellPhone;
    std::optional<phone_number> homePhone;
    std::optional<phone_number> otherPhone;
    std::optional<std::string> workEmail;
    std::optional<std::string> personalEmail;
    std::optional<std::string> otherEmail;
    std::optional<contact_address> address;
    std::optional<external_organization> externalOrganization;
    std::optional<bool> surveyOptOut;
    std::optional<std::string> externalSystemUrl;
    std::optional<raw_json> customFields;
    std::optional<std::string> type;
    std::optional<std::string> createDate;
    std::optional<std::string> modifyDate;
    std::optional<std::string> selfUri;
};
BOOST_DESCRIBE_STRUCT(external_contact, (),
                      (id, division, firstName, middleName, lastName, salutation, title, workPhone, cellPhone,
                       homePhone, otherPhone, workEmail, personalEmail, otherEmail, address, externalOrganization,
                       surveyOptOut, externalSystemUrl, customFields, type, createDate, modifyDate, selfUri))

/// ErrorBody `details` entry (Detail).
struct error_detail {
    std::optional<std::string> errorCode;
    std::optional<std::string> fieldName;
    std::optional<std::string> entityId;
    std::optional<std::string> entityName;
};
BOOST_DESCRIBE_STRUCT(error_detail, (), (errorCode, fieldName, entityId, entityName))

/// ErrorBody `limit` entry (Limit). Its JSON key `namespace` is a C++ keyword: the member is
/// `namespace_`, renamed by the hook below.
struct error_limit {
    std::optional<std::string> key;
    std::optional<std::string> namespace_;
    std::optional<std::int64_t> value;
};
BOOST_DESCRIBE_STRUCT(error_limit, (), (key, namespace_, value))

inline std::string_view gcx_json_name(const error_limit*, std::string_view member) noexcept {
    return member == "namespace_" ? std::string_view("namespace") : member;
}

/// ErrorBody: every non-2xx API answer, and a failed execution's flowErrorInfo.
/// `errors` nests ErrorBody recursively (the walker's own depth limit bounds it).
struct error_body {
    std::optional<std::string> message;
    std::optional<std::string> code;
    std::optional<int> status;
    std::optional<std::string> entityId;
    std::optional<std::string> entityName;
    std::optional<std::string> messageWithParams;
    std::optional<std::map<std::string, std::string>> messageParams;
    std::optional<std::string> contextId;
    std::optional<std::vector<error_detail>> details;
    std::optional<std::vector<error_body>> errors;
    std::optional<error_limit> limit;
};
BOOST_DESCRIBE_STRUCT(error_body, (),
                      (message, code, status, entityId, entityName, messageWithParams, messageParams, contextId,
                       details, errors, limit))

/// The flow version of an execution: the poll answer carries a full FlowVersion, the launch
/// answer a DomainEntityRef; both fit here (the full version's other fields are ignored).
struct flow_version {
    std::optional<std::string> id;
    std::optional<std::string> name;
    std::optional<std::string> commitVersion;
    std::optional<std::string> configurationVersion;
    std::optional<std::string> type;
    std::optional<bool> secure;
    std::optional<bool> debug;
    std::optional<std::string> selfUri;
};
BOOST_DESCRIBE_STRUCT(flow_version, (), (id, name, commitVersion, configurationVersion, type, secure, debug, selfUri))

/// POST /api/v2/flows/executions answer (FlowExecutionLaunchResponse).
struct flow_execution_launch_response {
    std::string id;  ///< the execution id: the answer is useless without it
    std::optional<std::string> name;
    std::optional<domain_entity_ref> flowVersion;
    std::optional<std::string> selfUri;
};
BOOST_DESCRIBE_STRUCT(flow_execution_launch_response, (), (id, name, flowVersion, selfUri))

/// GET /api/v2/flows/executions/{id} answer (FlowRuntimeExecution).
/// `status`: UNKNOWN, RUNNING, COMPLETED, FAILED, ERROR, TERMINATED, or a value added later:
/// a string, so an unknown status maps and the poller decides (keep polling).
struct flow_runtime_execution {
    std::string id;
    std::optional<std::string> name;
    std::optional<flow_version> flowVersion;
    std::optional<std::string> dateLaunched;
    std::string status;
    std::optional<std::string> dateCompleted;
    std::optional<std::string> completionReason;
    std::optional<error_body> flowErrorInfo;
    std::optional<raw_json> outputData;  ///< only for COMPLETED; map it with read_outputs
    std::optional<domain_entity_ref> conversation;
    std::optional<std::string> selfUri;
};
BOOST_DESCRIBE_STRUCT(flow_runtime_execution, (),
                      (id, name, flowVersion, dateLaunched, status, dateCompleted, completionReason, flowErrorInfo,
                       outputData, conversation, selfUri))

/// GET /api/v2/externalcontacts/reversewhitepageslookup answer. The API may leave `contacts` out
/// (ReverseWhitepagesLookupResult declares it optional): absent, null and [] all mean no contact.
struct reverse_whitepages_lookup_result {
    std::optional<std::vector<external_contact>> contacts;
};
BOOST_DESCRIBE_STRUCT(reverse_whitepages_lookup_result, (), (contacts))

/// The outputs of the tutorial's "Customer Lookup" workflow, for read_outputs: members bind
/// `Flow.Found`, `Flow.MatchCount`, ... `CustomerProfile` is whatever the flow author put there
/// (often a JSON string): map it further with from_json_text<J, your_profile>(p->text), or
/// declare your own outputs struct with a typed member instead.
struct customer_lookup {
    std::optional<bool> Found;
    std::optional<std::int64_t> MatchCount;  ///< an Architect Integer: sent as a string ("1"), read either way
    std::optional<std::string> ContactId;
    std::optional<raw_json> CustomerProfile;
    std::optional<external_contact> externalContact;
};
BOOST_DESCRIBE_STRUCT(customer_lookup, (), (Found, MatchCount, ContactId, CustomerProfile, externalContact))

GCX_NAMESPACE_END

#if defined(__clang__)
#pragma clang diagnostic pop
#endif

#endif
