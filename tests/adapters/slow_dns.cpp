// gcx — tests: getaddrinfo for slow_dns::name hangs until released (slow_dns.hpp).
#include "slow_dns.hpp"

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>

#include <dlfcn.h>
#include <netdb.h>

namespace {
std::mutex m;
std::condition_variable cv;
bool held = true;
int starts = 0;

using getaddrinfo_fn = int (*)(const char*, const char*, const addrinfo*, addrinfo**);
getaddrinfo_fn system_getaddrinfo() {
    static const auto f = reinterpret_cast<getaddrinfo_fn>(::dlsym(RTLD_NEXT, "getaddrinfo"));
    return f;
}
}  // namespace

namespace slow_dns {
void release() {
    {
        std::lock_guard<std::mutex> lock(m);
        held = false;
    }
    cv.notify_all();
}
void hold() {
    std::lock_guard<std::mutex> lock(m);
    held = true;
}
int started() {
    std::lock_guard<std::mutex> lock(m);
    return starts;
}
}  // namespace slow_dns

extern "C" int getaddrinfo(const char* node, const char* service, const addrinfo* hints, addrinfo** res) {
    if (node != nullptr && std::strcmp(node, slow_dns::name) == 0) {
        std::unique_lock<std::mutex> lock(m);
        ++starts;
        cv.wait_for(lock, std::chrono::seconds(60), [] { return !held; });
    }
    const auto f = system_getaddrinfo();
    return f != nullptr ? f(node, service, hints, res) : EAI_FAIL;
}
