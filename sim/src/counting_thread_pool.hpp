// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_SIM_COUNTING_THREAD_POOL_HPP
#define GCX_SIM_COUNTING_THREAD_POOL_HPP

#include <httplib.h>

#include <cstddef>
#include <functional>
#include <utility>

namespace gcx_sim::detail {

// cpp-httplib's worker pool, plus a callback per task. Server::listen_internal enqueues exactly
// one task per accepted socket (the task serves the connection, keep-alive requests included, and
// closes it) and enqueues nothing else, so the callback counts accepted TCP connections exactly.
// (Alternatives are weaker: set_socket_options is applied to the listening socket when it is
// created, not to accepted ones, and a client's address:port pair can be reused.)
class counting_thread_pool final : public httplib::ThreadPool {
public:
  counting_thread_pool(std::size_t threads, std::function<void()> on_connection)
      : httplib::ThreadPool(threads), on_connection_(std::move(on_connection)) {}

  void enqueue(std::function<void()> fn) override {
    on_connection_();
    httplib::ThreadPool::enqueue(std::move(fn));
  }

private:
  std::function<void()> on_connection_;
};

}  // namespace gcx_sim::detail

#endif
