// gcx-lookup: what one lookup ended with, and how it is printed.
#ifndef GCX_LOOKUP_REPORT_HPP
#define GCX_LOOKUP_REPORT_HPP

#include <gcx/json/boost_json.hpp>
#include <gcx/lookup.hpp>

#include <optional>
#include <string>

namespace gcx_lookup {

enum class status { found, not_found, error };

struct outcome {
    std::string phone;  ///< as given
    status st = status::error;
    std::optional<gcx::lookup_result<boost::json::value>> result;
    std::optional<gcx::error> err;
};

/// Classifies a lookup: found / not_found (from Flow.Found, or any non-null output) / error.
outcome classify(std::string phone, gcx::result<gcx::lookup_result<boost::json::value>> r);

/// The --json line: {"phone","status","executionId","source","outputs":{...},"error":{...}}.
std::string to_json_line(const outcome& o);

/// The human-readable block.
std::string to_text(const outcome& o);

/// The exit status for all outcomes (see options.hpp).
int exit_status(const std::vector<outcome>& all);

} // namespace gcx_lookup

#endif
