// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// parse_faults: the fault specification syntax documented in simulator.hpp.
#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "gcx_sim/simulator.hpp"

namespace gcx_sim {

namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string::size_type start = 0;
  for (;;) {
    const auto end = s.find(sep, start);
    parts.push_back(
        trim(s.substr(start, end == std::string::npos ? std::string::npos : end - start)));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

bool parse_probability(const std::string& text, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(text.c_str(), &end);
  return errno == 0 && *end == '\0' && out >= 0.0 && out <= 1.0;
}

bool parse_count(const std::string& text, std::uint64_t& out) {
  if (text.empty() || text[0] == '-' || text[0] == '+') return false;
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  out = v;
  return errno == 0 && *end == '\0';
}

/// A scope of "on=": the calls it puts faults on.
struct fault_scope {
  const char* name;
  bool launch, poll, lookup, action, token;
};

const fault_scope* find_scope(const std::string& name) {
  static const fault_scope scopes[] = {
      {"api", true, true, true, true, false},       {"launch", true, false, false, false, false},
      {"poll", false, true, false, false, false},   {"lookup", false, false, true, false, false},
      {"action", false, false, false, true, false}, {"token", false, false, false, false, true},
  };
  for (const fault_scope& s : scopes) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

}  // namespace

bool parse_faults(const std::string& spec, fault_spec& out, std::string& error) {
  fault_spec result;
  const std::string all = trim(spec);
  if (all.empty() || all == "none") {
    out = result;
    return true;
  }
  bool scope_given = false;
  bool token_flag = false;
  for (const std::string& item : split(all, ',')) {
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string::npos) {
      error = "fault spec: expected key=value, got '" + item + "'";
      return false;
    }
    const std::string key = trim(item.substr(0, eq));
    const std::string value = trim(item.substr(eq + 1));
    double* probability = key == "429"         ? &result.p429
                          : key == "502"       ? &result.p502
                          : key == "503"       ? &result.p503
                          : key == "504"       ? &result.p504
                          : key == "504after"  ? &result.p504_after
                          : key == "drop"      ? &result.drop
                          : key == "slow"      ? &result.slow
                          : key == "malformed" ? &result.malformed
                                               : nullptr;
    if (probability != nullptr) {
      if (!parse_probability(value, *probability)) {
        error = "fault spec: " + key + " needs a probability between 0 and 1, got '" + value + "'";
        return false;
      }
      continue;
    }
    std::uint64_t n = 0;
    if (key == "retry_after" && value == "none") {  // a 503 without the header, as a gateway's
      result.retry_after = -1;
      continue;
    }
    if (key == "slow_ms" || key == "skip" || key == "max" || key == "retry_after") {
      if (!parse_count(value, n) || (key == "slow_ms" && n > 600000) ||
          (key == "retry_after" && n > 86400)) {
        error = "fault spec: " + key + " needs a non-negative integer, got '" + value + "'";
        return false;
      }
      if (key == "slow_ms") result.slow_ms = static_cast<int>(n);
      if (key == "retry_after") result.retry_after = static_cast<int>(n);
      if (key == "skip") result.skip = n;
      if (key == "max") result.max = n;
    } else if (key == "client") {
      if (value.empty() || value.size() > 128) {
        error = "fault spec: client needs an OAuth client id";
        return false;
      }
      result.client = value;
    } else if (key == "token") {
      if (value != "0" && value != "1") {
        error = "fault spec: token must be 0 or 1, got '" + value + "'";
        return false;
      }
      token_flag = value == "1";
    } else if (key == "on") {
      if (!scope_given) {
        result.on_launch = result.on_poll = result.on_lookup = result.on_action = result.on_token =
            false;
        scope_given = true;
      }
      for (const std::string& scope : split(value, '+')) {
        const fault_scope* s = find_scope(scope);
        if (s == nullptr) {
          error = "fault spec: unknown scope '" + scope +
                  "' (api, launch, poll, lookup, action, token)";
          return false;
        }
        result.on_launch = result.on_launch || s->launch;
        result.on_poll = result.on_poll || s->poll;
        result.on_lookup = result.on_lookup || s->lookup;
        result.on_action = result.on_action || s->action;
        result.on_token = result.on_token || s->token;
      }
    } else {
      error = "fault spec: unknown key '" + key + "'";
      return false;
    }
  }
  if (token_flag) result.on_token = true;
  const double total = result.p429 + result.p502 + result.p503 + result.p504 + result.p504_after +
                       result.drop + result.slow + result.malformed;
  if (total > 1.0 + 1e-9) {
    error = "fault spec: probabilities add up to more than 1";
    return false;
  }
  out = result;
  return true;
}

}  // namespace gcx_sim
