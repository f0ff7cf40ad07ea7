// gcx-lookup: --resume FILE, the numbers an earlier run already answered.
#ifndef GCX_LOOKUP_RESUME_HPP
#define GCX_LOOKUP_RESUME_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gcx_lookup {

/// The results that stand in an earlier run's output: found or not found. An error does not stand
/// (that line is looked up again). A line of the input is one result: with --json, its number in
/// E.164 form ("+1 317 555 0123" and "+13175550123" are one number); with --csv, its row's bytes.
/// Each standing result answers one input line, so a number (or a row) that the input holds
/// twice is skipped only as many times as the file answered it. 16 bytes a result.
class resume_set {
public:
    enum class recorded { none, found, not_found };

    /// Takes one standing result for the line `phone` (with --csv: the row `row`): what the
    /// earlier run recorded, or none when no result for it is left.
    recorded take(std::string_view phone, std::string_view row = {});

    /// Records a result (for the readers below); seal() after the last one.
    void add(std::string_view phone, std::string_view row, bool found);
    void seal();

    std::size_t size() const noexcept { return results_; }
    /// Lines are told apart by their CSV row (--csv), not by their number.
    void by_row() noexcept { by_row_ = true; }

    /// Where the file's last complete result ends, when bytes follow it (a run killed while it
    /// wrote a line): a run that appends to the file cuts them off first (main.cpp).
    std::optional<std::uint64_t> fragment_at;
    /// --csv: the resume file's header row (raw, without the byte-order mark and line end).
    std::string header;

private:
    struct entry {
        std::uint64_t key;
        std::uint32_t standing;  // results not yet taken
        bool found;              // one of them said found (it wins over not found)
    };
    std::optional<std::uint64_t> key_of(std::string_view phone, std::string_view row) const;
    std::vector<entry> entries_;  // sorted by key after seal()
    std::size_t results_ = 0;
    bool by_row_ = false;
};

/// Reads `path`, an earlier run's output: JSON lines as --json writes them ({"phone":...,
/// "status":"found"|"not_found"|"error",...}) or, with `csv`, CSV as --csv writes it (the phone
/// column `column` and gcx_status). A missing file is an empty set, so that the first run and its
/// resumes have one command line. A result stands only with its line end: the last line of a run
/// killed while writing it does not (fragment_at). On error (a text-mode file, unreadable) sets `error`.
/// `csv_column`: with --csv, the --column given (or nullopt: the default phone column rule).
std::optional<resume_set> load_resume(const std::string& path, std::string& error, bool csv = false,
                                      const std::optional<std::string>& csv_column = std::nullopt);

/// Whether standard output is the file `path` and it already holds something: the run appends
/// its results to the earlier run's (so --csv does not write the header row again).
bool stdout_appends_to(const std::string& path);

}  // namespace gcx_lookup

#endif
