#!/bin/sh
# A Catch2 test name with a ';' never runs under CTest: catch_discover_tests cuts the name at the
# ';' (a CMake list separator), the shortened filter matches no test, and Catch2 reports success.
# Fails, naming them, if any TEST_CASE or SECTION name holds one.
cd "$(dirname "$0")/../.." || exit 2
found=$(grep -rnE '(TEST_CASE|TEMPLATE_LIST_TEST_CASE|TEMPLATE_TEST_CASE|SECTION)\("[^"]*;' tests fuzz 2>/dev/null)
if [ -n "$found" ]; then
    echo "test names with ';' (CTest would never run them):" >&2
    echo "$found" >&2
    exit 1
fi
exit 0
