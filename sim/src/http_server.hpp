// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_SIM_HTTP_SERVER_HPP
#define GCX_SIM_HTTP_SERVER_HPP

#include <httplib.h>
#include <sys/socket.h>

namespace gcx_sim::detail {

// cpp-httplib's Server (HTTP) or SSLServer (HTTPS), able to take many clients connecting at once.
template <class Base>
class basic_http_server final : public Base {
public:
  using Base::Base;

  // cpp-httplib 0.11.4 listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, fixed when the
  // Debian shared library was built). Sixteen clients connecting together overflow it; the kernel
  // then drops SYNs and each costs a 1-second retransmission. Linux lets a listening socket call
  // listen() again to change its backlog (capped at net.core.somaxconn). Call after binding.
  bool widen_backlog(int backlog) { return ::listen(this->svr_sock_.load(), backlog) == 0; }
};

using http_server = basic_http_server<httplib::Server>;
using https_server = basic_http_server<httplib::SSLServer>;

}  // namespace gcx_sim::detail

#endif
