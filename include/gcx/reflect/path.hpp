// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_REFLECT_PATH_HPP
#define GCX_REFLECT_PATH_HPP

// Where the walker is, and the mapping errors that say so:
//     outputData["Flow.CustomerProfile"].address.city      outputData["Flow.Contacts"][3].id
// The path is a stack of views pushed and popped around each step, rendered only when an error
// is reported (fail fast: the first error ends the walk, while every view is still alive).

#include <gcx/error.hpp>
#include <gcx/json/backend.hpp>
#include <gcx/reflect/traits.hpp>

#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

struct path_segment {
    enum kind_t { member, variable, index } kind;
    std::string_view key;  ///< member / variable: the JSON key
    std::size_t pos;       ///< index: the array index
};

inline bool is_identifier(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
        if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

/// `"key"` with JSON-style escapes; very long keys are clipped (a hostile document chooses them).
inline void append_quoted(std::string& out, std::string_view key) {
    std::size_t clip = 120;  // cut before a UTF-8 continuation byte, not inside a character
    while (clip < key.size() && clip > 0 && (static_cast<unsigned char>(key[clip]) & 0xC0) == 0x80) --clip;
    out += '"';
    for (std::size_t i = 0; i < key.size() && i < clip; ++i) {
        const char c = key[i];
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
            out += buf;
        } else {
            out += c;
        }
    }
    if (key.size() > clip) out += "...";
    out += '"';
}

/// One segment of the current path, kept in the path_scope that pushed it (on the stack): the
/// walk never allocates for its path; the segments are rendered only when an error is.
struct path_node {
    path_segment seg;
    const path_node* up;  ///< the enclosing segment, nullptr at the root
};

inline void append_segment(std::string& out, const path_segment& s) {
    switch (s.kind) {
    case path_segment::index:
        out += '[';
        out += std::to_string(s.pos);
        out += ']';
        return;
    case path_segment::member:
        if (is_identifier(s.key)) {
            if (!out.empty()) out += '.';
            out += s.key;
            return;
        }
        [[fallthrough]];
    case path_segment::variable:  // flow variables always in brackets: they contain dots
        out += '[';
        append_quoted(out, s.key);
        out += ']';
        return;
    }
}

/// `root` and the segments from the outermost to `innermost`. The chain runs inwards-out, so it is
/// walked once per segment rendered (paths are short, and this runs only for an error) rather than
/// copied into a container.
inline std::string render_path(std::string_view root, const path_node* innermost) {
    std::string out(root);
    const path_node* done = nullptr;  // the segments from here inwards are already rendered
    while (done != innermost) {
        const path_node* n = innermost;
        while (n->up != done) n = n->up;  // the outermost segment not rendered yet
        append_segment(out, n->seg);
        done = n;
    }
    return out;
}

/// The walker's state: options, current path and depth, and the first error.
class walk_state {
public:
    explicit walk_state(const map_options& options) : opt(options) {}

    const map_options& opt;
    const path_node* path = nullptr;  ///< innermost segment (see path_scope)
    std::size_t depth = 0;            ///< containers entered so far
    std::optional<gcx::error> err;    ///< set by fail(); built only then (a walk that succeeds never does)
    /// Builds the hint attached to every error (read_outputs explains flow outputs); called
    /// only when an error is recorded, so a successful walk never builds it.
    std::string (*make_hint)(std::string_view prefix) = nullptr;

    /// Records a mapping error at the current path; returns false for `return st.fail(...)`.
    bool fail(std::string message) {
        err = make_error(errc::mapping, std::move(message), make_hint ? make_hint(opt.prefix) : std::string());
        err->path = render_path(opt.root, path);
        return false;
    }

    /// The recorded error, for the result of a failed walk.
    gcx::error take_error() { return err ? std::move(*err) : gcx::error(); }

    /// "expected <what>, got <kind>". Values are never quoted back: they may be personal data.
    bool mismatch(std::string_view expected, json::kind got) {
        std::string m = "expected ";
        m += expected;
        m += ", got ";
        m += json::to_string(got);
        return fail(std::move(m));
    }
};

/// Pushes one path segment for the lifetime of the scope.
class path_scope {
public:
    path_scope(walk_state& st, path_segment seg) : st_(st), node_{seg, st.path} { st_.path = &node_; }
    ~path_scope() { st_.path = node_.up; }
    path_scope(const path_scope&) = delete;
    path_scope& operator=(const path_scope&) = delete;

private:
    walk_state& st_;
    path_node node_;
};

/// Counts one level of nesting for the lifetime of the scope; `ok()` is false past max_depth.
class depth_scope {
public:
    explicit depth_scope(walk_state& st) : st_(st) { ++st_.depth; }
    ~depth_scope() { --st_.depth; }
    depth_scope(const depth_scope&) = delete;
    depth_scope& operator=(const depth_scope&) = delete;

    bool ok() const noexcept { return st_.depth <= st_.opt.max_depth; }
    bool fail() {
        return st_.fail("nesting deeper than the limit of " + std::to_string(st_.opt.max_depth) +
                        " levels (map_options::max_depth)");
    }

private:
    walk_state& st_;
};

}  // namespace reflect_detail
GCX_NAMESPACE_END

#endif
