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
std::optional<std::uint64_t> e164_key(std::string_view phone) {
    auto e164 = gcx::normalize_e164(phone);
    if (!e164) return std::nullopt;
    std::uint64_t k = 0;
    for (char c : e164->substr(1)) k = k * 10 + static_cast<std::uint64_t>(c - '0');
    return k;
}

/// FNV-1a of a row's bytes: two different rows share a key once in 2^64.
std::uint64_t row_key(std::string_view row) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : row) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    return h;
}

}  // namespace

std::optional<std::uint64_t> resume_set::key_of(std::string_view phone, std::string_view row) const {
    if (by_row_) return row_key(row);
    return e164_key(phone);
}

resume_set::recorded resume_set::take(std::string_view phone, std::string_view row) {
    const auto k = key_of(phone, row);
    if (!k) return recorded::none;
    auto it = std::lower_bound(entries_.begin(), entries_.end(), *k,
                               [](const entry& e, std::uint64_t key) { return e.key < key; });
    if (it == entries_.end() || it->key != *k || it->standing == 0) return recorded::none;
    --it->standing;
    return it->found ? recorded::found : recorded::not_found;
}

void resume_set::add(std::string_view phone, std::string_view row, bool found) {
    if (const auto k = key_of(phone, row)) {
        entries_.push_back({*k, 1, found});
        ++results_;
    }
}

void resume_set::seal() {
    std::sort(entries_.begin(), entries_.end(), [](const entry& a, const entry& b) { return a.key < b.key; });
    std::vector<entry> merged;
    for (const entry& e : entries_) {
        if (!merged.empty() && merged.back().key == e.key) {
            ++merged.back().standing;
            merged.back().found |= e.found;  // found in one run, not found in another: found stands
        } else {
            merged.push_back(e);
        }
    }
    entries_ = std::move(merged);
}

namespace {

/// An earlier --csv run's output: the phone column (chosen as --csv chooses it) and the last
/// gcx_status column (the one gcx-lookup appended, should the input have had one of its own).
std::optional<resume_set> load_csv(int fd, const std::string& path, std::string& error,
                                   const std::optional<std::string>& column) {
    resume_set set;
    set.by_row();
    csv::reader r(fd);
    auto header = r.next();
    if (!header) return set;    // empty: nothing answered yet
    if (header->end.empty()) {  // a run killed while writing it: no row stands, and it is cut off
        set.fragment_at = 0;
        return set;
    }
    set.header = header->raw;
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
        if (rec->end.empty()) {  // the last row, cut short by a killed run: it does not stand
            set.fragment_at = rec->start;
            break;
        }
        if (!rec->error.empty() || rec->fields.size() <= std::max(*status, *phone)) continue;  // not a result row
        const std::string& st = rec->fields[*status];
        if (st != "found" && st != "not_found") continue;
        // The input row is what the output row starts with: its bytes, before the result cells
        // gcx-lookup appended (each written as csv::quoted writes it).
        std::string cells;
        for (std::size_t i = *status; i < rec->fields.size(); ++i) cells += "," + csv::quoted(rec->fields[i]);
        if (rec->raw.size() <= cells.size() ||
            rec->raw.compare(rec->raw.size() - cells.size(), cells.size(), cells) != 0)
            continue;  // not a row as gcx-lookup writes it: looked up again
        set.add(rec->fields[*phone], std::string_view(rec->raw).substr(0, rec->raw.size() - cells.size()),
                st == "found");
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
    for (std::streamoff at = 0; std::getline(in, line); at = in.tellg()) {
        if (in.eof()) {  // no line end: the last line of a run killed while writing it does not stand
            if (line.find_first_not_of(" \t\r") != std::string::npos) set.fragment_at = static_cast<std::uint64_t>(at);
            break;
        }
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
        if (s == "found" || s == "not_found") set.add(phone->get_string(), {}, s == "found");
    }
    if (in.bad()) {
        error = "reading the resume file " + path + " failed";
        return std::nullopt;
    }
    set.seal();
    return set;
}

}  // namespace gcx_lookup
