#!/usr/bin/env bash
# (c) a project using find_package(gcx 0.1 CONFIG REQUIRED) against the staged install, linking
# gcx::boost_json and gcx::curl; builds, runs, and (with gcx-sim) looks a customer up over libcurl,
# also with the program built by gcx_separate_compilation().
#   find_package.sh REPO STAGE_DIR WORK_DIR [GCX_SIM_EXE]     (env: CXX, CXX_STD, GENERATOR, MAKE_PROGRAM)
source "$(dirname "$0")/common.sh"
repo=$1 stage=$2 work=$3 sim=${4:-}
[ -f "$stage/prefix/share/cmake/gcx/gcxConfig.cmake" ] || fail "no staged install in $stage (run consumer.stage first)"
fresh_dir "$work"
mkdir -p "$work/src"
cp "$repo/tests/consumer/find_package/"{CMakeLists.txt,main.cpp,single.cpp,extern_check.cpp} \
  "$repo/tests/consumer/programs/"{lookup.cpp,lookup_single.cpp,one_screen.cpp,asio_readme.cpp} "$work/src/"
# The installed single header is <gcx/single/gcx.hpp> (<gcx/gcx.hpp> is the tree's).
sed -i 's|#include <gcx/gcx.hpp>|#include <gcx/single/gcx.hpp>|' "$work/src/lookup_single.cpp"
mapfile -t args < <(cmake_args)
step "configure against $stage/prefix"
cmake -S "$work/src" -B "$work/build" "${args[@]}" -DCMAKE_PREFIX_PATH="$stage/prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log" >&2; fail "configure failed"; }
grep 'gcx 0' "$work/configure.log" || true
step "build"
cmake --build "$work/build" -j 2 || fail "build failed"
step "a required component that is missing says why (gcx_NOT_FOUND_MESSAGE)"
mkdir -p "$work/missing"
printf 'cmake_minimum_required(VERSION 3.16)\nproject(m LANGUAGES CXX)\nfind_package(gcx 0.1 CONFIG REQUIRED COMPONENTS curl)\n' \
  >"$work/missing/CMakeLists.txt"
if cmake -S "$work/missing" -B "$work/missing/build" "${args[@]}" -DCMAKE_PREFIX_PATH="$stage/prefix" \
     -DCMAKE_DISABLE_FIND_PACKAGE_CURL=ON >"$work/missing.log" 2>&1; then
  fail "find_package(gcx COMPONENTS curl) succeeded without libcurl"
fi
grep -q "needs libcurl" "$work/missing.log" || { cat "$work/missing.log" >&2; fail "no reason given for the missing component"; }
step "run"
"$work/build/consumer_single" || fail "the single-header program failed"
"$work/build/consumer" || fail "the program failed"
if [ -n "$sim" ]; then
  start_sim "$sim" "$work"
  step "the README's program against gcx-sim (over libcurl)"
  lookup_with_env "$work/build/lookup"
  step "the same program built with gcx_separate_compilation() (docs/compile-time.md)"
  [ -f "$work/build/gcx_separate_compilation/lookup_once.cpp" ] || fail "no generated unit for lookup_once"
  lookup_with_env "$work/build/lookup_once"
  step "the README's one-screen program and its Asio program against gcx-sim"
  run_with_env "$work/build/one_screen" "Maria"  # the found contact's first name
  [ -x "$work/build/asio_readme" ] || fail "no asio_readme: gcx::asio was not offered"
  run_with_env "$work/build/asio_readme" "????????-????-????-????-????????????"  # the contact's id
fi
echo "PASS"
