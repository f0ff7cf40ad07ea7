// gcx-lookup: the numbers on standard input, one a line, read in bounded chunks.
#ifndef GCX_LOOKUP_INPUT_HPP
#define GCX_LOOKUP_INPUT_HPP

#include <gcx/error.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace gcx_lookup {

/// A line longer than this (newline not counted) is refused as invalid; only its first
/// `kept_of_long_line` bytes are kept (for the echo), the rest is read and dropped.
constexpr std::size_t max_line_bytes = 4096;
constexpr std::size_t kept_of_long_line = 256;

/// How much of an input line an error's result line echoes (see echo_of in report.hpp).
constexpr std::size_t echo_bytes = 200;

struct input_line {
    std::string text;                 ///< trimmed; for a long line, its first kept_of_long_line bytes
    bool too_long = false;            ///< longer than max_line_bytes
    std::string row;                  ///< --csv: what the output row starts with (the original fields); else empty
    std::optional<gcx::error> error;  ///< refused before any lookup (a malformed CSV row, an empty phone cell)
};

/// Where the batch's lines come from on standard input: the number list or the rows of a CSV.
class input_source {
public:
    virtual ~input_source() = default;
    /// The next line, or nullopt at the end of the input (or a read error).
    virtual std::optional<input_line> next() = 0;
    /// The errno of a read that failed (the input ended there), or 0.
    virtual int read_error() const = 0;
};

/// Reads up to `room` bytes of `fd` into `into`: the count (> 0), or 0 at the end of the input or
/// on a read error (then `error` is its errno). Retries EINTR; waits (poll) on a non-blocking
/// descriptor inherited from a parent process.
long read_input(int fd, char* into, std::size_t room, int& error);

/// Reads a file descriptor line by line through a fixed buffer: memory does not grow with a
/// line's length. A line ends at LF, CR LF or a lone CR. Blank lines and '#' comments are skipped;
/// spaces and tabs are trimmed.
class line_reader : public input_source {
public:
    explicit line_reader(int fd) : fd_(fd) {}
    line_reader(const line_reader&) = delete;
    line_reader& operator=(const line_reader&) = delete;

    /// The next number line, or nullopt at the end of the input (or a read error).
    std::optional<input_line> next() override;

    /// The errno of a read that failed (the input ended there), or 0.
    int read_error() const override { return error_; }

private:
    bool fill();  // false at end of input
    int fd_;
    int error_ = 0;
    char buf_[64 * 1024];
    std::size_t pos_ = 0, len_ = 0;
    bool eof_ = false;
    bool first_line_ = true;  // a UTF-8 BOM before it is dropped (a list saved by Notepad)
};

}  // namespace gcx_lookup

#endif
