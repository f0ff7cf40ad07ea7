// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_SIM_CONNECTION_DROP_HPP
#define GCX_SIM_CONNECTION_DROP_HPP

#include <string>

namespace gcx_sim::detail {

// Shuts down (both directions) the server-side socket of the TCP connection whose local end is
// local_addr:local_port and whose peer is remote_addr:remote_port, as cpp-httplib reports them in
// its Request. cpp-httplib 0.11.4 gives a handler no access to the socket, and no handler result
// makes it close a connection silently, so the socket is found by its address 4-tuple among the
// process's descriptors (/proc/self/fd). The 4-tuple is unique among live connections, and a client
// socket of the same process has the ends swapped, so no other socket can match.
// cpp-httplib owns the descriptor and still closes it; its response write then fails with EPIPE
// (its Server constructor sets SIGPIPE to SIG_IGN), and the peer sees EOF without a response byte.
// Returns false when no such socket was found. An empty local_addr matches any local address.
bool shutdown_connection(const std::string& local_addr, int local_port,
                         const std::string& remote_addr, int remote_port);

// Shuts down every accepted connection of the server listening on local_port (sockets whose local
// port is local_port and that have a peer). Used on stop, so worker threads parked on idle
// keep-alive connections return at once instead of after the keep-alive timeout.
void shutdown_accepted_connections(int local_port);

}  // namespace gcx_sim::detail

#endif
