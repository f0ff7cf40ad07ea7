// gcx-lookup: the numbers on standard input, one a line, read in bounded chunks.
#ifndef GCX_LOOKUP_INPUT_HPP
#define GCX_LOOKUP_INPUT_HPP

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
    std::string text;       ///< trimmed; for a long line, its first kept_of_long_line bytes
    bool too_long = false;  ///< longer than max_line_bytes
};

/// Reads a file descriptor line by line through a fixed buffer: memory does not grow with a
/// line's length. Blank lines and '#' comments are skipped; spaces, tabs and a CR are trimmed.
class line_reader {
public:
    explicit line_reader(int fd) : fd_(fd) {}
    line_reader(const line_reader&) = delete;
    line_reader& operator=(const line_reader&) = delete;

    /// The next number line, or nullopt at the end of the input (or a read error).
    std::optional<input_line> next();

private:
    bool fill();  // false at end of input
    int fd_;
    char buf_[64 * 1024];
    std::size_t pos_ = 0, len_ = 0;
    bool eof_ = false;
};

}  // namespace gcx_lookup

#endif
