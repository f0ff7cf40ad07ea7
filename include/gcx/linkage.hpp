// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_LINKAGE_HPP
#define GCX_LINKAGE_HPP

// Where the opt-in of docs/compile-time.md puts the library's heavier non-template functions.
//
// By default every function is defined in the headers (inline): nothing to link. With the opt-in,
// every unit of the program defines GCX_EXTERN_TEMPLATES and sees only the declarations of the
// functions marked GCX_DETAIL_INLINE, and the one .cpp that defines GCX_INSTANTIATE_TEMPLATES
// compiles their definitions, once, as ordinary functions. A header writes such a function as
//
//     #if GCX_DETAIL_DEFINITIONS
//     GCX_DETAIL_INLINE result<session> session::create(...) { ... }
//     #endif
//
// (the pattern of Boost.Asio's and Boost.JSON's separate compilation). Either macro changes what
// the unit compiles, never what a function does. These functions do not depend on the JSON backend:
// a program that defines GCX_EXTERN_TEMPLATES needs its GCX_INSTANTIATE_TEMPLATES unit whichever
// backend it uses (without it the link fails, on gcx::session::create among others).

#if defined(GCX_INSTANTIATE_TEMPLATES)
#define GCX_DETAIL_DEFINITIONS 1
#define GCX_DETAIL_INLINE
#elif defined(GCX_EXTERN_TEMPLATES)
#define GCX_DETAIL_DEFINITIONS 0
#define GCX_DETAIL_INLINE
#else
#define GCX_DETAIL_DEFINITIONS 1
#define GCX_DETAIL_INLINE inline
#endif

#endif
