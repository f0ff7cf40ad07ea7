// gcx-lookup: SIGINT and SIGTERM during a batch.
#include "interrupt.hpp"

#include <atomic>
#include <csignal>
#include <cstring>

#include <unistd.h>

namespace gcx_lookup {
namespace {

std::atomic<int> first_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the handler may only touch a lock-free atomic");

extern "C" void on_interrupt(int sig) {
    int none = 0;
    if (!first_signal.compare_exchange_strong(none, sig)) _exit(128 + sig);  // the second one: at once
    const char msg[] = "\ngcx-lookup: interrupted: no new lookup starts; those in flight finish (at most 5 s); "
                       "press Ctrl-C again to quit at once\n";
    static_assert(interrupt_grace == std::chrono::seconds(5), "the message above says 5 s");
    const ssize_t n = ::write(2, msg, sizeof msg - 1);
    (void)n;
}

}  // namespace

void install_interrupt_handlers() {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

int interrupt_signal() noexcept { return first_signal.load(); }

}  // namespace gcx_lookup
