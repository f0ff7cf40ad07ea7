// gcx-lookup: a small RFC 4180 reader and writer for --csv. Debian carries no maintained C++
// CSV library worth a dependency, and the tool needs little: records streamed from a file
// descriptor with bounded memory, each with its raw bytes (so that the output reproduces the
// original fields byte for byte) and the physical line it starts on (so that a malformed row is
// reported where a text editor shows it).
#ifndef GCX_LOOKUP_CSV_HPP
#define GCX_LOOKUP_CSV_HPP

#include "input.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gcx_lookup {
namespace csv {

/// A record longer than this (its terminator not counted) is malformed; only its first
/// `kept_of_long_record` bytes are kept, the rest is read and dropped.
constexpr std::size_t max_record_bytes = 64 * 1024;
constexpr std::size_t kept_of_long_record = 1024;

struct record {
    std::size_t line = 0;             ///< the physical line (1-based) it starts on
    std::string raw;                  ///< its bytes as read, without the terminator (or the BOM)
    std::vector<std::string> fields;  ///< the decoded fields (quotes removed, "" as ")
    std::string error;                ///< why it is malformed (the first fault); empty when well formed
    bool too_long = false;            ///< over max_record_bytes: raw holds its first kept_of_long_record bytes
    std::string end;                  ///< its terminator: "\r\n", "\n", "\r", or "" (the end of the input)
    std::uint64_t start = 0;          ///< the offset of its first byte in the input (a BOM counted)
};

/// Reads RFC 4180 records from a file descriptor through a fixed buffer. Fields are separated by
/// ',', records end with CRLF, LF or a lone CR (outside quotes); a field in double quotes may
/// hold ',', CR, LF and "" (a quote). A UTF-8 BOM at the start of the input is dropped (bom()).
/// Blank lines are skipped. A malformed record (a quote inside an unquoted field, a character
/// after a closing quote, a quote still open at the end of the input, more than max_record_bytes)
/// is returned with `error` set; reading goes on after it. An unbalanced quote runs, as RFC 4180
/// says, to the next quote: the fault shows where the record starts.
class reader {
public:
    explicit reader(int fd, std::size_t max_bytes = max_record_bytes);
    reader(const reader&) = delete;
    reader& operator=(const reader&) = delete;

    /// The next record, or nullopt at the end of the input (or a read error).
    std::optional<record> next();

    /// The errno of a read that failed (the input ended there), or 0.
    int read_error() const { return error_; }

    /// Whether the input began with a UTF-8 byte order mark (known once next() was called).
    bool bom() const { return bom_; }

private:
    int get();   // the next byte, or -1 at the end
    int peek();  // the next byte without taking it, or -1
    bool fill();
    long read_some(char* into, std::size_t room);  // > 0, or 0 at the end of the input (or an error)
    int fd_;
    std::size_t max_;
    int error_ = 0;
    bool eof_ = false, started_ = false, bom_ = false;
    std::size_t line_ = 1;  // the physical line of the next byte
    std::size_t pos_ = 0, len_ = 0;
    std::uint64_t consumed_ = 0;  // bytes of the input before buf_'s
    char buf_[64 * 1024];
};

/// A field for output: as is when it needs no quotes, else in double quotes with " doubled
/// (RFC 4180: a field holding ',', '"', CR or LF).
std::string quoted(std::string_view field);

/// A value the server controls, made safe for a CSV cell opened in a spreadsheet: C0 control
/// characters other than TAB, CR and LF, and DEL, become spaces (no escape sequence reaches a
/// terminal); a value that a spreadsheet would take for a formula (starting with '=', '@', TAB or
/// CR, or with '+' or '-' followed by anything but a number like "+1 317 555-0123") gets a
/// leading "'" (the OWASP advice against CSV injection); then quoted() when needed.
std::string cell(std::string_view value);

/// Which column of `header` holds the phone numbers. `name` (--column): the header equal to it,
/// spaces and tabs around the header ignored, compared ignoring ASCII case (an exact match wins;
/// two equal candidates are an error).
/// Without it: the first header that looks like a phone column (phone_like()). nullopt and
/// `error` set when there is none.
std::optional<std::size_t> phone_column(const std::vector<std::string>& header, const std::optional<std::string>& name,
                                        std::string& error);

/// Whether a header names a phone column: ignoring case, it contains "phone", "mobile", "msisdn"
/// or "e164" (punctuation ignored: "E.164"), or one of its words is "tel" or "cell"
/// ("Tel.", "cell_no", "CellNo"). "number" alone is not enough ("Order number").
bool phone_like(std::string_view header);

/// The rows of a CSV on a file descriptor, as the batch's input lines: the header is read first
/// (header()); then each record gives an input_line whose `row` is what the output row starts
/// with and whose `text` is the phone cell (trimmed), or whose `error` says why it is not looked up.
/// A well-formed row keeps its raw bytes (its original fields, byte for byte). A malformed one
/// (see reader; also a field count other than the header's) keeps its raw text in one quoted
/// field under the first column, the other columns empty, so that the output stays well-formed
/// CSV with its result columns aligned. Rows whose fields are all empty (a spreadsheet's trailing
/// ",,,") are skipped like blank lines.
class rows : public input_source {
public:
    explicit rows(int fd) : r_(fd) {}

    /// Reads the header and chooses the phone column. False, with `error` set, when the input
    /// has no header, the header is malformed, or no phone column is found.
    bool read_header(const std::optional<std::string>& column, std::string& error);

    /// The output's header row: the BOM if the input had one, the header's raw bytes, the
    /// result columns (gcx_status, gcx_error_kind, gcx_error_code, then one per --fields path),
    /// and the line end.
    std::string output_header(const std::vector<std::string>& paths) const;

    /// The line end of every output row: the header's (CRLF, LF or CR; CRLF when it had none).
    const std::string& line_end() const { return end_; }

    std::optional<input_line> next() override;
    int read_error() const override { return r_.read_error(); }

private:
    reader r_;
    record header_;
    std::size_t column_ = 0;
    std::string end_ = "\r\n";
};

}  // namespace csv
}  // namespace gcx_lookup

#endif
