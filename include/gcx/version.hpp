// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_VERSION_HPP
#define GCX_VERSION_HPP

#define GCX_VERSION_MAJOR 0
#define GCX_VERSION_MINOR 1
#define GCX_VERSION_PATCH 0
#define GCX_VERSION_STRING "0.1.0"

// Every public name lives in gcx::v0 (an inline namespace), so two incompatible releases
// linked into one program fail to link instead of silently mixing layouts.
#define GCX_NAMESPACE_BEGIN                                                                                            \
    namespace gcx {                                                                                                    \
    inline namespace v0 {
#define GCX_NAMESPACE_END                                                                                              \
    }                                                                                                                  \
    }

#endif
