// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_COMMON_SOCKET_PROBE_HPP
#define GCX_ADAPTERS_COMMON_SOCKET_PROBE_HPP

// Looks at a connection's socket without reading from it: whether an idle one has anything
// waiting (the check before a kept-alive connection is reused for a POST), and how many bytes it
// has received (the header cap of httplib's watch thread).

#include <gcx/version.hpp>

#include <cstdint>

#if !defined(_WIN32)
#include <poll.h>
#endif
#if defined(__linux__)
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#endif

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

#if !defined(_WIN32)
/// Whether anything is waiting on the socket of an idle kept-alive connection: a FIN, a reset,
/// a TLS close_notify, stray bytes. An idle HTTP/1.1 connection has nothing to read; cpp-httplib
/// 0.11 and libcurl 7.88 take one with readable bytes for alive (they only look for the FIN),
/// gcx does not.
inline bool idle_socket_stirred(int fd) noexcept {
    if (fd < 0) return false;
    short events = POLLIN | POLLPRI;
#if defined(POLLRDHUP)
    events = static_cast<short>(events | POLLRDHUP);
#endif
    pollfd p{fd, events, 0};
    return ::poll(&p, 1, 0) != 0;  // > 0: something is there; < 0: the socket is unusable
}
#else
template <class Socket>
bool idle_socket_stirred(Socket) noexcept {
    return false;
}
#endif

/// A number that tells this socket from any other open in the process, even one that took the
/// same descriptor number after it was closed (the socket's inode). False where unknown.
template <class Socket>
bool socket_identity([[maybe_unused]] Socket fd, [[maybe_unused]] std::uint64_t& out) noexcept {
#if defined(__linux__)
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) return false;
    out = static_cast<std::uint64_t>(st.st_ino) + 1;  // never 0
    return true;
#else
    return false;  // not known on this platform
#endif
}

/// Bytes the reader of the TCP connection `fd` has taken from it since it was opened: what the
/// connection received (Linux 4.1+, TCP_INFO's tcpi_bytes_received) less what still waits in the
/// socket's receive queue (FIONREAD). Counting what was received alone would count a body that
/// arrived with the headers but was not read yet. False where that is not available (only
/// glibc's struct tcp_info is known to end where the kernel's 64-bit counters begin).
template <class Socket>
bool tcp_bytes_received([[maybe_unused]] Socket fd, [[maybe_unused]] std::uint64_t& out) noexcept {
#if defined(__linux__) && defined(TCP_INFO) && defined(__GLIBC__) && defined(FIONREAD)
    // glibc's struct tcp_info stops before the kernel's 64-bit counters; the kernel's structure
    // only ever grows at its end, so these follow it as they follow it in <linux/tcp.h>.
    struct extended {
        tcp_info base;
        std::uint64_t pacing_rate;
        std::uint64_t max_pacing_rate;
        std::uint64_t bytes_acked;
        std::uint64_t bytes_received;
    } info{};
    socklen_t len = sizeof info;
    if (fd < 0 || ::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) return false;
    if (len < sizeof info) return false;  // an older kernel
    int unread = 0;
    if (::ioctl(fd, FIONREAD, &unread) != 0 || unread < 0) return false;
    const auto waiting = static_cast<std::uint64_t>(unread);
    out = info.bytes_received > waiting ? info.bytes_received - waiting : 0;
    return true;
#else
    return false;  // not known on this platform
#endif
}

/// socket_identity and tcp_bytes_received of one socket, read on a descriptor of the probe's own
/// (a duplicate of `fd`): another thread may close `fd` meanwhile, and the descriptor number go
/// to another connection between two reads of it (the identity of one socket, the bytes of
/// another). Closing the duplicate closes the connection if its owner closed it meanwhile.
template <class Socket>
bool identified_bytes_received([[maybe_unused]] Socket fd, [[maybe_unused]] std::uint64_t& identity,
                               [[maybe_unused]] std::uint64_t& bytes) noexcept {
#if defined(__linux__) && defined(F_DUPFD_CLOEXEC)
    if (fd < 0) return false;
    const int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (own < 0) return false;
    const bool ok = socket_identity(own, identity) && tcp_bytes_received(own, bytes);
    ::close(own);
    return ok;
#else
    return false;  // not known on this platform
#endif
}

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
