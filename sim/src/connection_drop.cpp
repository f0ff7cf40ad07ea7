// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include "connection_drop.hpp"

#include <dirent.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstdlib>
#include <memory>

namespace gcx_sim::detail {

namespace {

// The numeric host and port of one end of a socket, or false if `fd` is not a connected socket.
bool endpoint_of(int fd, bool peer, std::string& host, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  if ((peer ? ::getpeername(fd, sa, &len) : ::getsockname(fd, sa, &len)) != 0) return false;
  if (addr.ss_family != AF_INET && addr.ss_family != AF_INET6) return false;
  char h[NI_MAXHOST];
  char s[NI_MAXSERV];
  if (::getnameinfo(sa, len, h, sizeof h, s, sizeof s, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return false;
  }
  host = h;
  port = std::atoi(s);
  return true;
}

bool matches(int fd, const std::string& local_addr, int local_port, const std::string& remote_addr,
             int remote_port) {
  std::string host;
  int port = 0;
  if (!endpoint_of(fd, false, host, port) || port != local_port) return false;
  if (!local_addr.empty() && host != local_addr) return false;
  return endpoint_of(fd, true, host, port) && port == remote_port && host == remote_addr;
}

// Calls `visit` with each open descriptor of the process until it returns true.
template <class Visit>
bool for_each_descriptor(Visit visit) {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir("/proc/self/fd"), &::closedir);
  if (!dir) return false;
  while (const dirent* entry = ::readdir(dir.get())) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0') continue;  // "." and ".."
    if (visit(static_cast<int>(fd))) return true;
  }
  return false;
}

}  // namespace

bool shutdown_connection(const std::string& local_addr, int local_port,
                         const std::string& remote_addr, int remote_port) {
  return for_each_descriptor([&](int fd) {
    return matches(fd, local_addr, local_port, remote_addr, remote_port) &&
           ::shutdown(fd, SHUT_RDWR) == 0;
  });
}

void shutdown_accepted_connections(int local_port) {
  if (local_port <= 0) return;
  for_each_descriptor([local_port](int fd) {
    std::string host;
    int port = 0;
    if (endpoint_of(fd, false, host, port) && port == local_port &&
        endpoint_of(fd, true, host, port)) {
      ::shutdown(fd, SHUT_RDWR);
    }
    return false;  // visit them all
  });
}

}  // namespace gcx_sim::detail
