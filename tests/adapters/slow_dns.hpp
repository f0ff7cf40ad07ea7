// gcx — tests: a host name whose resolution hangs, for the asio client's deadline and cancellation
// while resolving. slow_dns.cpp, linked into the test binary, defines getaddrinfo: for the name
// below it waits until release() (or 60 s), then answers as the system's resolver does (the
// .invalid top-level domain never resolves: EAI_NONAME at once); every other name goes straight
// to the system's resolver. (A definition in the executable takes the place of libc's, and of a
// sanitizer's interceptor, for every call in the process.)
#ifndef GCX_TESTS_ADAPTERS_SLOW_DNS_HPP
#define GCX_TESTS_ADAPTERS_SLOW_DNS_HPP

namespace slow_dns {

inline constexpr const char* name = "slow-dns.invalid";

/// Lets every resolution of `name` in progress, and every later one, go on.
void release();
/// Makes resolutions of `name` hang again (until the next release()).
void hold();
/// How many resolutions of `name` have started.
int started();

}  // namespace slow_dns

#endif
