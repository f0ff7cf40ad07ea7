// Compile-time measurement (docs/compile-time.md): the small output struct of lookup_single.cpp
// and lookup_multi.cpp (a bool and an optional string).
#ifndef GCX_COMPILE_TIME_SMALL_OUTPUTS_HPP
#define GCX_COMPILE_TIME_SMALL_OUTPUTS_HPP

#include <optional>
#include <string>

struct outputs {
    bool Found = false;
    std::optional<std::string> ContactId;
};
BOOST_DESCRIBE_STRUCT(outputs, (), (Found, ContactId))

#endif
