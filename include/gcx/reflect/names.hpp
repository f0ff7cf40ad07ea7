// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_REFLECT_NAMES_HPP
#define GCX_REFLECT_NAMES_HPP

// Which members of a described struct a JSON key names, in about one probe of a small hash table.
// read_members walks an object's keys once and looks each up here: searching the object once per
// member instead (23 members of an ExternalContact, each a scan comparing keys) was most of the
// mapping's cost.

#include <gcx/reflect/traits.hpp>

#include <boost/mp11/algorithm.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

namespace names_detail {
inline std::uint64_t load8(const char* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline std::uint32_t load4(const char* p) noexcept {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
}  // namespace names_detail

/// a == b, inline and in at most two (overlapping) loads per side for up to 16 bytes: JSON keys
/// are short, and a call to memcmp per key was a tenth of the mapping's time.
inline bool same_text(std::string_view a, std::string_view b) noexcept {
    using names_detail::load4;
    using names_detail::load8;
    const std::size_t n = a.size();
    if (n != b.size()) return false;
    const char* x = a.data();
    const char* y = b.data();
    if (n >= 8) {
        if (n > 16) return std::memcmp(x, y, n) == 0;
        return load8(x) == load8(y) && load8(x + n - 8) == load8(y + n - 8);
    }
    if (n >= 4) return load4(x) == load4(y) && load4(x + n - 4) == load4(y + n - 4);
    for (std::size_t i = 0; i < n; ++i)
        if (x[i] != y[i]) return false;
    return true;
}

inline bool starts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && same_text(s.substr(0, prefix.size()), prefix);
}

/// A struct's member-name table: the JSON names (json_name: after the rename hook) of its described
/// members, in declaration order, with an open-addressing hash table over them. It only views
/// storage that member_names<T> owns, and is not a template, so the walker that reads through it
/// is compiled once per JSON backend rather than once per struct. It holds names only, never
/// anything of a document: they never change (describe's string literals, or views the rename
/// hook returns, which must outlive the call; see traits.hpp).
class name_index {
public:
    /// Builds the table over names[0, count) in slots[0, table_size) (a power of two, at least
    /// four times count) and next[0, count).
    name_index(const std::string_view* names, std::uint16_t* next, std::uint16_t* slots, std::size_t count,
               std::size_t table_size) noexcept
        : names_(names), next_(next), slots_(slots), count_(count), mask_(table_size - 1) {
        // Try a few multipliers (odd, from the golden ratio) and keep the first without collisions,
        // else the one needing the fewest extra probes.
        std::uint64_t best_seed = 0;
        std::size_t best_cost = static_cast<std::size_t>(-1);
        for (std::uint64_t k = 0; k < 16 && best_cost != 0; ++k) {
            const std::uint64_t seed = (0x9e3779b97f4a7c15ull + k * 0x2545f4914f6cdd1dull) | 1;
            const std::size_t cost = build(seed);
            if (cost < best_cost) {
                best_cost = cost;
                best_seed = seed;
            }
        }
        build(best_seed);
    }
    name_index(const name_index&) = delete;
    name_index& operator=(const name_index&) = delete;

    std::size_t size() const noexcept { return count_; }
    std::string_view name(std::size_t i) const noexcept { return names_[i]; }

    /// Calls f(i) for every member i named `key`, in declaration order (more than one only when the
    /// rename hook gives two members one name); returns whether there was one.
    template <class F>
    bool for_each_named(std::string_view key, F&& f) const {
        for (std::size_t s = slot_of(key, seed_);; s = (s + 1) & mask_) {
            const std::size_t entry = slots_[s];
            if (entry == 0) return false;
            if (!same_text(names_[entry - 1], key)) continue;
            for (std::size_t i = entry - 1; i != count_; i = next_[i]) f(i);
            return true;
        }
    }

    /// The table size for `count` names: at most a quarter full, so a probe almost always ends at
    /// the first or second slot.
    static constexpr std::size_t table_size_for(std::size_t count) noexcept {
        std::size_t n = 4;
        while (n < 4 * count) n *= 2;
        return n;
    }

private:
    /// Hashes the length and four sampled bytes, not the whole key: member names are short and
    /// differ early, late or in length, and a collision costs only a further probe. The seed is
    /// chosen per struct when the table is built (the one with the fewest collisions).
    std::size_t slot_of(std::string_view key, std::uint64_t seed) const noexcept {
        const std::size_t n = key.size();
        std::uint64_t h = n;
        if (n != 0) {
            auto byte = [&key](std::size_t i) {
                return static_cast<std::uint64_t>(static_cast<unsigned char>(key[i]));
            };
            h ^= byte(0) << 16 | byte(n > 1 ? 1 : 0) << 24 | byte(n / 2) << 32 | byte(n - 1) << 40;
        }
        h *= seed;
        return static_cast<std::size_t>(h >> 40) & mask_;
    }

    /// Fills the table for `seed`; returns the number of probes past the first slot it takes to
    /// find every name.
    std::size_t build(std::uint64_t seed) noexcept {
        seed_ = seed;
        for (std::size_t s = 0; s <= mask_; ++s) slots_[s] = 0;
        std::size_t cost = 0;
        for (std::size_t i = 0; i < count_; ++i) {
            next_[i] = static_cast<std::uint16_t>(count_);
            std::size_t s = slot_of(names_[i], seed);
            for (; slots_[s] != 0; s = (s + 1) & mask_, ++cost) {
                std::size_t first = slots_[s] - 1u;
                if (!same_text(names_[first], names_[i])) continue;
                while (next_[first] != count_) first = next_[first];  // a name given twice: chain it
                next_[first] = static_cast<std::uint16_t>(i);
                break;
            }
            if (slots_[s] == 0) slots_[s] = static_cast<std::uint16_t>(i + 1);
        }
        return cost;
    }

    const std::string_view* names_;
    std::uint16_t* next_;   ///< the next member with the same name, or count
    std::uint16_t* slots_;  ///< first member with a name, + 1; 0: empty
    std::size_t count_;
    std::size_t mask_;
    std::uint64_t seed_ = 0;
};

/// The JSON names of the members D... of T, in declaration order (one pack expansion: no function
/// is instantiated per member).
template <class T, template <class...> class L, class... D>
std::array<std::string_view, sizeof...(D)> json_names(L<D...>) {
    if constexpr (has_described_bases<T>) return {{member_json_name<T, D>()...}};
    else return {{json_name<T>(D::name)...}};
}

/// T's name_index and its storage, built once per T on first use (a function-local static:
/// thread-safe), without allocating.
template <class T>
class member_names {
public:
    static constexpr std::size_t count = boost::mp11::mp_size<described_members<T>>::value;
    static_assert(count < 0xffff, "gcx: a described struct with more than 65534 members");

    static const name_index& get() noexcept {
        static const member_names table;
        return table.index_;
    }

private:
    static constexpr std::size_t table_size = name_index::table_size_for(count);

    member_names() noexcept
        : names_(json_names<T>(described_members<T>{})),
          index_(names_.data(), next_.data(), slots_.data(), count, table_size) {}

    std::array<std::string_view, count> names_;
    std::array<std::uint16_t, count> next_{};
    std::array<std::uint16_t, table_size> slots_{};
    name_index index_;  // last: built over the arrays above
};

}  // namespace reflect_detail
GCX_NAMESPACE_END

#endif
