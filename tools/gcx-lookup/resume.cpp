// gcx-lookup: --resume FILE.
#include "resume.hpp"

#include "csv.hpp"

#include <gcx/phone.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
    keys_.erase(
        std::unique(keys_.begin(), keys_.end(), [](std::uint64_t a, std::uint64_t b) { return (a >> 1) == (b >> 1); }),
        keys_.end());
    keys_.shrink_to_fit();
}

namespace {

/// An earlier --csv run's output: the phone column (chosen as --csv chooses it) and the last
/// gcx_status column (the one gcx-lookup appended, should the input have had one of its own).
std::optional<resume_set> load_csv(int fd, const std::string& path, std::string& error,
                                   const std::optional<std::string>& column) {
    resume_set set;
    csv::reader r(fd);
    auto header = r.next();
    if (!header) return set;  // empty: nothing answered yet
    std::optional<std::size_t> status;
    for (std::size_t i = 0; i < header->fields.size(); ++i)
        if (header->fields[i] == "gcx_status") status = i;
    std::string why;
    const auto phone = header->error.empty() ? csv::phone_column(header->fields, column, why) : std::nullopt;
    if (!status || !phone) {
        error = "the resume file " + path +
                " is not gcx-lookup --csv output (no gcx_status column, or no phone column" +
                (why.empty() ? std::string() : ": " + why) + ")";
        return std::nullopt;
    }
    while (auto rec = r.next()) {
        if (!rec->error.empty() || rec->fields.size() <= std::max(*status, *phone)) continue;  // not a result row
        const std::string& st = rec->fields[*status];
        if (st == "found") set.add(rec->fields[*phone], true);
        else if (st == "not_found") set.add(rec->fields[*phone], false);
    }
    if (r.read_error()) {
        error = "reading the resume file " + path + " failed (" + std::strerror(r.read_error()) + ")";
        return std::nullopt;
    }
    set.seal();
    return set;
}

}  // namespace

bool stdout_appends_to(const std::string& path) {
    struct stat out {
    }, file{};
    return ::fstat(1, &out) == 0 && ::stat(path.c_str(), &file) == 0 && S_ISREG(out.st_mode) &&
           out.st_dev == file.st_dev && out.st_ino == file.st_ino && file.st_size > 0;
}

bool ends_mid_line(const std::string& path) {
    std::ifstream f(path, std::ios::binary | std::ios::ate);
    if (!f || f.tellg() <= 0) return false;
    f.seekg(-1, std::ios::end);
    char last = '\n';
    f.get(last);
    return f && last != '\n';
}

std::optional<resume_set> load_resume(const std::string& path, std::string& error, bool csv,
                                      const std::optional<std::string>& csv_column) {
    resume_set set;
    std::error_code ec0;
    if (!std::filesystem::exists(path, ec0) && !ec0) return set;  // the first run: nothing answered yet
    if (std::filesystem::is_directory(path, ec0)) {
        error = "cannot read the resume file " + path + " (a directory)";
        return std::nullopt;
    }
    if (csv) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            error = "cannot read the resume file " + path + " (" + std::strerror(errno) + ")";
            return std::nullopt;
        }
        auto r = load_csv(fd, path, error, csv_column);
        ::close(fd);
        return r;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot read the resume file " + path;
        return std::nullopt;
    }
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
        if (first && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // an editor's byte-order mark
        const auto start = line.find_first_not_of(" \t\r");
        if (start == std::string::npos) continue;
        if (first && line[start] != '{') {
            error =
                "the resume file " + path +
                " is not gcx-lookup --json output (JSON lines): --resume reads what --json wrote (or, with --csv, what --csv wrote)";
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
