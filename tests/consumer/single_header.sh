#!/usr/bin/env bash
# (a) Programs in a fresh directory that include ONLY single_include/gcx/gcx.hpp (plus Boost):
#   main.cpp          its own POSIX-socket transport and the Boost.JSON backend (-lboost_json)
#   lookup_single.cpp the README's program: Boost.JSON backend and libcurl adapter from the same
#                     file (-lboost_json -lcurl)
# and - when gcx-sim is given - each completes a lookup against it.
#   single_header.sh REPO WORK_DIR [GCX_SIM_EXE]     (env: CXX, CXX_STD)
source "$(dirname "$0")/common.sh"
repo=$1 work=$2 sim=${3:-}
std=${CXX_STD:-17}

fresh_dir "$work"
cp "$repo/tests/consumer/single_header/main.cpp" "$repo/tests/consumer/programs/lookup_single.cpp" "$work/"
cd "$work"
warn=(-Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror)
# BOOST_DESCRIBE_STRUCT(T, (), ...) passes an empty variadic argument, which clang's -Wpedantic
# flags before C++20 (as in gcx's own gcx_warnings).
[[ "$("$CXX" --version)" == *clang* ]] && warn+=(-Wno-gnu-zero-variadic-macro-arguments)
step "compile with -I$repo/single_include only ($CXX, C++$std)"
"$CXX" -std=c++"$std" "${warn[@]}" -I"$repo/single_include" main.cpp -o consumer -lboost_json -lpthread -MMD -MF main.d
"$CXX" -std=c++"$std" "${warn[@]}" -I"$repo/single_include" lookup_single.cpp -o lookup_single \
  -lboost_json -lcurl -pthread -MMD -MF lookup_single.d
# The programs must not have reached the multi-header tree by any path.
for d in main.d lookup_single.d; do
  if grep -Eq "$repo/(include|adapters)/" "$d"; then
    grep -E "$repo/(include|adapters)/" "$d" >&2
    fail "$d: the single-header build read headers outside single_include/"
  fi
  grep -q "$repo/single_include/gcx/gcx.hpp" "$d" || fail "$d: the single header was not used"
done

if [ -z "$sim" ]; then
  echo "gcx-sim not built: compiled only"
  exit 0
fi
start_sim "$sim" "$work"
step "lookup of the found number"
./consumer "$SIM_URL" "$SIM_client_id" "$SIM_client_secret" "$SIM_lookup_flow_id" "$SIM_found_number" | tee out.txt \
  || fail "lookup of $SIM_found_number did not return Flow.Found == true"
grep -q 'Found=true' out.txt || fail "no Found=true in the output"
step "lookup of an unknown number (must report Found=false)"
if ./consumer "$SIM_URL" "$SIM_client_id" "$SIM_client_secret" "$SIM_lookup_flow_id" "$SIM_unknown_number" >out2.txt; then
  fail "unknown number reported as found"
fi
grep -q 'Found=false' out2.txt || { cat out2.txt >&2; fail "unknown number: lookup did not complete"; }
step "the README's single-header program (libcurl adapter from the single header)"
lookup_with_env ./lookup_single
echo "PASS"
