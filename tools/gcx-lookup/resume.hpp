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

/// The numbers whose result stands in an earlier run's output: found or not found. An error does
/// not stand (that number is looked up again). Numbers are compared in E.164 form, so
/// "+1 317 555 0123" and "+13175550123" are one number. 8 bytes a number.
class resume_set {
public:
    enum class recorded { none, found, not_found };

    /// What the earlier run recorded for `phone` (as given: normalised first).
    recorded find(std::string_view phone) const;

    /// Records a result (for the readers below); seal() after the last one.
    void add(std::string_view phone, bool found);
    void seal();

    std::size_t size() const noexcept { return keys_.size(); }

private:
    std::vector<std::uint64_t> keys_;  // E.164 digits * 2 + (1 if not found), sorted
};

/// Reads `path`, an earlier run's output: JSON lines as --json writes them ({"phone":...,
/// "status":"found"|"not_found"|"error",...}) or, with `csv`, CSV as --csv writes it (the phone
/// column `column` and gcx_status). A missing file is an empty set, so that the first run and its
/// resumes have one command line. A line that is not a complete result (the last line of a run
/// killed while writing it) is skipped. On error (a text-mode file, unreadable) sets `error`.
/// `csv_column`: with --csv, the --column given (or nullopt: the default phone column rule).
std::optional<resume_set> load_resume(const std::string& path, std::string& error, bool csv = false,
                                      const std::optional<std::string>& csv_column = std::nullopt);

/// Whether standard output is the file `path` and it already holds something: the run appends
/// its results to the earlier run's (so --csv does not write the header row again).
bool stdout_appends_to(const std::string& path);

/// Whether the file `path` ends in the middle of a line (a killed run cut its last result short):
/// a run appending to it must end that line first, or its first result joins the fragment.
bool ends_mid_line(const std::string& path);

}  // namespace gcx_lookup

#endif
