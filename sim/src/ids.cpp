// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include "ids.hpp"

#include <random>

namespace gcx_sim::detail {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string format_uuid(std::uint64_t hi, std::uint64_t lo) {
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  static const char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 32; ++i) {
    const std::uint64_t word = i < 16 ? hi : lo;
    const int shift = 60 - 4 * (i % 16);
    out += hex[(word >> shift) & 0xfu];
    if (i == 7 || i == 11 || i == 15 || i == 19) out += '-';
  }
  return out;
}

namespace {
// Each server thread gets its own engine, seeded once from the OS, so no lock is needed.
std::mt19937_64& engine() {
  thread_local std::mt19937_64 eng = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  return eng;
}
}  // namespace

std::string random_uuid() {
  auto& eng = engine();
  const std::uint64_t hi = eng();
  return format_uuid(hi, eng());
}

std::string random_token() {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  auto& eng = engine();
  std::string out;
  out.reserve(64);
  for (int i = 0; i < 8; ++i) {
    std::uint64_t word = eng();
    for (int j = 0; j < 8; ++j) {  // 8 x 6 bits out of each 64-bit word
      out += alphabet[word & 63u];
      word >>= 6;
    }
  }
  return out;
}

}  // namespace gcx_sim::detail
