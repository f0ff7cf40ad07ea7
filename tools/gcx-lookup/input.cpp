// gcx-lookup: reading the input lines.
#include "input.hpp"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <unistd.h>

namespace gcx_lookup {

long read_input(int fd, char* into, std::size_t room, int& error) {
    for (;;) {
        const ssize_t n = ::read(fd, into, room);
        if (n > 0) return static_cast<long>(n);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            // A non-blocking descriptor (inherited from a parent process): wait for the data.
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, -1) >= 0 || errno == EINTR) continue;
        }
        if (n < 0) error = errno;  // the input ends here, and the batch says so
        return 0;
    }
}

bool line_reader::fill() {
    if (eof_) return false;
    const long n = read_input(fd_, buf_, sizeof buf_, error_);
    if (n <= 0) {
        eof_ = true;
        return false;
    }
    pos_ = 0;
    len_ = static_cast<std::size_t>(n);
    return true;
}

namespace {
bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// The first LF or CR of [p, p + n), or null: a line ends at either (a list saved as "CSV
// (Macintosh)" by Excel for Mac has CR endings only); CR LF leaves an empty line between the two,
// skipped as every blank line is.
const char* end_of_line(const char* p, std::size_t n) {
    const auto* lf = static_cast<const char*>(std::memchr(p, '\n', n));
    const auto* cr = static_cast<const char*>(std::memchr(p, '\r', lf ? static_cast<std::size_t>(lf - p) : n));
    return cr ? cr : lf;
}
}  // namespace

std::optional<input_line> line_reader::next() {
    for (;;) {
        input_line l;
        std::size_t length = 0;  // of the whole line
        bool any = false;
        for (;;) {
            if (pos_ == len_ && !fill()) break;
            any = true;
            const char* start = buf_ + pos_;
            const char* nl = end_of_line(start, len_ - pos_);
            const std::size_t take = nl ? static_cast<std::size_t>(nl - start) : len_ - pos_;
            const std::size_t room = length < max_line_bytes + 1 ? max_line_bytes + 1 - length : 0;
            l.text.append(start, std::min(take, room));
            length += take;
            pos_ += take + (nl ? 1 : 0);
            if (l.text.size() > max_line_bytes) {
                l.too_long = true;
                l.text.resize(kept_of_long_line);
            }
            if (nl) break;
        }
        if (!any) return std::nullopt;
        l.too_long = length > max_line_bytes;
        if (first_line_) {
            first_line_ = false;
            if (l.text.compare(0, 3, "\xEF\xBB\xBF") == 0) l.text.erase(0, 3);
        }
        std::size_t b = 0;
        while (b < l.text.size() && blank(l.text[b])) ++b;
        l.text.erase(0, b);
        if (!l.too_long)
            while (!l.text.empty() && blank(l.text.back())) l.text.pop_back();
        if (l.text.empty() || l.text[0] == '#') continue;
        return l;
    }
}

}  // namespace gcx_lookup
