// gcx-lookup: --resume FILE.
#include "resume.hpp"

#include <gcx/phone.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace gcx_lookup {
namespace {

/// The E.164 digits of `phone` as a number (at most 15 digits: below 2^50), or nullopt.
std::optional<std::uint64_t> key_of(std::string_view phone) {
    auto e164 = gcx::normalize_e164(phone);
    if (!e164) return std::nullopt;
    std::uint64_t k = 0;
    for (char c : e164->substr(1)) k = k * 10 + static_cast<std::uint64_t>(c - '0');
    return k;
}

}  // namespace

resume_set::recorded resume_set::find(std::string_view phone) const {
    const auto k = key_of(phone);
    if (!k) return recorded::none;
    auto it = std::lower_bound(keys_.begin(), keys_.end(), *k * 2);
    if (it == keys_.end() || (*it >> 1) != *k) return recorded::none;
    return (*it & 1) ? recorded::not_found : recorded::found;
}

void resume_set::add(std::string_view phone, bool found) {
    if (const auto k = key_of(phone)) keys_.push_back(*k * 2 + (found ? 0 : 1));
}

void resume_set::seal() {
    // Found sorts first: when one run said found and another not found, found stands.
    std::sort(keys_.begin(), keys_.end());
    keys_.erase(std::unique(keys_.begin(), keys_.end(), [](std::uint64_t a, std::uint64_t b) { return (a >> 1) == (b >> 1); }),
                keys_.end());
    keys_.shrink_to_fit();
}

std::optional<resume_set> load_resume(const std::string& path, std::string& error) {
    resume_set set;
    std::error_code ec0;
    if (!std::filesystem::exists(path, ec0) && !ec0) return set;  // the first run: nothing answered yet
    std::ifstream in(path, std::ios::binary);
    if (!in || std::filesystem::is_directory(path, ec0)) {
        error = "cannot read the resume file " + path;
        return std::nullopt;
    }
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
        const auto start = line.find_first_not_of(" \t\r");
        if (start == std::string::npos) continue;
        if (first && line[start] != '{') {
            error = "the resume file " + path +
                    " is not gcx-lookup --json output (JSON lines): resume reads what --json (or --csv) wrote";
            return std::nullopt;
        }
        first = false;
        boost::system::error_code ec;
        const boost::json::value v = boost::json::parse(line, ec);
        if (ec || !v.is_object()) continue;  // cut short by a killed run: not a result
        const auto& o = v.get_object();
        const auto* phone = o.if_contains("phone");
        const auto* st = o.if_contains("status");
        if (!phone || !st || !phone->is_string() || !st->is_string()) continue;
        const auto& s = st->get_string();
        if (s == "found") set.add(phone->get_string(), true);
        else if (s == "not_found") set.add(phone->get_string(), false);
    }
    if (in.bad()) {
        error = "reading the resume file " + path + " failed";
        return std::nullopt;
    }
    set.seal();
    return set;
}

}  // namespace gcx_lookup
