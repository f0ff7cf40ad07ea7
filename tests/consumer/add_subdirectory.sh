#!/usr/bin/env bash
# (b) A project that vendors gcx as third_party/gcx (a symbolic link to this checkout) and uses
# add_subdirectory: configure, build, run; with gcx-sim, the README's program looks a customer up.
#   add_subdirectory.sh REPO WORK_DIR [GCX_SIM_EXE]     (env: CXX, CXX_STD, GENERATOR, MAKE_PROGRAM)
source "$(dirname "$0")/common.sh"
repo=$1 work=$2 sim=${3:-}
fresh_dir "$work"
mkdir -p "$work/src/third_party"
ln -s "$repo" "$work/src/third_party/gcx"
cp "$repo/tests/consumer/add_subdirectory/CMakeLists.txt" "$repo/tests/consumer/add_subdirectory/main.cpp" \
   "$repo/tests/consumer/programs/lookup.cpp" "$repo/tests/consumer/programs/api_overview.cpp" "$work/src/"
mapfile -t args < <(cmake_args)
step "configure"
cmake -S "$work/src" -B "$work/build" "${args[@]}" >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log" >&2; fail "configure failed"; }
step "build"
cmake --build "$work/build" -j 2 || fail "build failed"
step "run"
"$work/build/consumer" || fail "the program failed"
"$work/build/api_overview" || fail "the API overview program failed"
if [ -n "$sim" ]; then
  start_sim "$sim" "$work"
  step "the README's program against gcx-sim"
  lookup_with_env "$work/build/lookup"
fi
echo "PASS"
