// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_TRANSPORT_HPP
#define GCX_TRANSPORT_HPP

// What basic_client needs from a transport, as a trait (C++17), a concept (C++20) and a check
// that stops compilation with one readable message instead of errors deep inside the client:
//
//   gcx::result<gcx::http::response> send(const gcx::http::request&)
//
// callable on the transport object (a const member function is fine), returning exactly
// result<http::response>: not a std::optional, not a response with an error code beside it.
// The request carries no Host and no Content-Length header: the transport adds them (most HTTP
// libraries do it themselves; a raw-socket transport must write both).
//
//     static_assert(gcx::is_transport_v<my_transport>);
//     template <gcx::transport T> void f(T&);          // C++20

#include <gcx/http.hpp>
#include <gcx/result.hpp>

#include <type_traits>
#include <utility>

GCX_NAMESPACE_BEGIN

namespace transport_detail {
template <class T, class = void>
struct send_result {
    static constexpr bool callable = false;
};
template <class T>
struct send_result<T, std::void_t<decltype(std::declval<T&>().send(std::declval<const http::request&>()))>> {
    static constexpr bool callable = true;
    using type = decltype(std::declval<T&>().send(std::declval<const http::request&>()));
};

template <class T, bool Callable = send_result<T>::callable>
struct returns_response : std::false_type {};
template <class T>
struct returns_response<T, true> : std::is_same<typename send_result<T>::type, result<http::response>> {};
}  // namespace transport_detail

/// True when `t.send(const http::request&)` compiles for an lvalue `T t` and returns exactly
/// gcx::result<gcx::http::response> (by value).
template <class T>
struct is_transport : transport_detail::returns_response<T> {};

template <class T>
inline constexpr bool is_transport_v = is_transport<T>::value;

#if defined(__cpp_concepts) && __cpp_concepts >= 201907L
/// The same requirement as a C++20 concept.
template <class T>
concept transport = is_transport_v<T>;
#endif

/// Stops compilation with the required signature when T is not a transport; true otherwise.
/// basic_client checks its Transport with it: `static_assert(gcx::check_transport<Transport>());`
template <class T>
constexpr bool check_transport() {
    static_assert(is_transport_v<T>,
                  "gcx: Transport must have: gcx::result<gcx::http::response> send(const gcx::http::request&)"
                  " — the request carries no Host or Content-Length header: the transport adds them");
    return true;  // false would add a second error to the one above
}

GCX_NAMESPACE_END

#endif
