#!/usr/bin/env bash
# The README's test command: installs what the build needs, then builds and runs every test in
# the compiler x standard matrix. Exit status 0 only if every configuration passed.
# Time on a 2-core machine from a clean clone: 1,802 s on 2026-12-07 (2,119 s before session 22's
# changes; CI's machine ran that tree in 2,515 s; the history in docs/reliability.md, "CI time").
#   scripts/test.sh            the full matrix
#   scripts/test.sh --quick    g++ / C++17 only, no sanitizers (for development)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/deps.sh

jobs=${GCX_JOBS:-$(nproc)}
# ctest runs two tests per core: most of them (end-to-end, hygiene, adapters over sockets) spend
# their time waiting on sockets, timers and child processes, not on the CPU (e2e-lookup: 212 s
# wall for 13 s of CPU). The CPU-bound ones (nested consumer builds, compile_fail, the benchmark
# smoke test) share the ctest RESOURCE_LOCK gcx_cpu_bound: one of them at a time.
test_jobs=${GCX_TEST_JOBS:-$(( jobs * 2 ))}
t0=$(date +%s)
quick=0
[ "${1:-}" = "--quick" ] && quick=1

# name  compiler  standard  extra cmake options
# The first row builds everything (simulator, tool, examples, end-to-end, consumer, JS SDK and
# benchmark smoke tests); the others rebuild the library's own tests (unit, reflection,
# compile-fail, adapters over real sockets) with the other compiler/standard pairs, so the
# matrix stays well inside the time budget on 2 cores.
lib_only="-DGCX_BUILD_SIM=OFF -DGCX_BUILD_TOOLS=OFF -DGCX_BUILD_EXAMPLES=OFF"
matrix=(
  # It also compiles gcx-soak at -O2: hardening.sh's 5,000-lookup soak runs that binary
  # (GCX_SOAK_BUILD below) instead of building an optimised tree of its own.
  "gcc-cxx17   g++     17  -DGCX_BUILD_BENCH=ON -DGCX_SOAK_OPTIMIZE=ON"
  # The consumer (packaging) tests and the docs' compile-time units run in the first row only:
  # they test the package and the docs, the same for every compiler (in the clang++ row they
  # were 200 s of nested builds, beside the next row's build).
  "clang-cxx20 clang++ 20  $lib_only -DGCX_CONSUMER_TESTS=OFF -DGCX_DOCS_TESTS=OFF"
  # g++ C++20 compiles the tests against single_include/gcx/gcx.hpp instead of include/: the single
  # header is tested with every test, and the multi-header tree with the three other rows (a fifth
  # row for the single header alone cost about 3 minutes of CI).
  "gcc-cxx20-single g++  20  $lib_only -DGCX_CONSUMER_TESTS=OFF -DGCX_USE_SINGLE_INCLUDE=ON"
  # clang++ C++17 is the ASan build of scripts/hardening.sh below: every target (tests, tools,
  # sim, examples, fuzzers) with the same -Werror warnings, and the whole test suite under
  # AddressSanitizer and UBSan (a plain clang++ C++17 row repeated a subset of it: 116 s).
)
[ $quick -eq 1 ] && matrix=("${matrix[0]}")

failed=()

# Debug builds with line tables only (-g1; clang: -gline-tables-only), not full debug info: the
# rows run tests, nobody debugs their binaries, and a backtrace still has file and line. Same
# warnings (-Werror), same assertions (no NDEBUG). Measured (g++ 12, C++17/20): CPU per
# translation unit -10 % (hygiene limits.cpp 19.3 -> 17.5 s) to -15 % (the asio adapter's
# test_asio.cpp 143 -> 122 s). hardening.sh's ASan and TSan builds already use -gline-tables-only.
debug_flags="-DCMAKE_CXX_FLAGS_DEBUG=-g1"

# The checked-in single header must be what tools/amalgamate.py makes of include/ and adapters/
# today (it regenerates into a temporary file and diffs; it also checks that version.hpp and
# project() agree).
echo "=== single header: check single_include/gcx/gcx.hpp is up to date"
if ! python3 tools/amalgamate.py --check; then
  echo "=== single header: STALE. Regenerate it with: python3 tools/amalgamate.py" \
       "(or: cmake --build <build-dir> --target amalgamate), and commit the result." >&2
  failed+=("single-header-check")
fi
mkdir -p "$root/build"

# A row's tests run in the background while the next rows configure and build: the tests mostly
# wait (sockets, timers, child processes), the builds keep both cores busy. The builds never wait
# for tests; the rows' tests and the sanitizer suites take turns (one such ctest at a time, a lock
# in build/; the 5,000-lookup soak does not take it), and each row's test
# output is printed as one block, in row order, once its tests have ended (and kept in
# build/ci-<row>.ctest.log).
ctest_lock="$root/build/.ctest-turn.lock"
pending=()       # rows whose ctest runs or waits for its turn in the background, in row order
pending_pids=()
# print_tests [all]: prints the test output of the rows whose tests have ended, in row order,
# stopping at the first one still running (with "all": waiting for each).
print_tests() {
  while [ ${#pending[@]} -gt 0 ]; do
    local name=${pending[0]} pid=${pending_pids[0]} rc=0
    [ "${1:-}" = all ] || [ -f "$root/build/ci-$name.ctest.seconds" ] || return 0
    wait "$pid" || rc=$?
    echo "=== $name: test output (build/ci-$name.ctest.log)"
    cat "$root/build/ci-$name.ctest.log" || true
    echo "=== $name: tests $([ $rc -eq 0 ] && echo passed || echo FAILED) in" \
         "$(cat "$root/build/ci-$name.ctest.seconds" 2>/dev/null || echo '?') s"
    [ $rc -eq 0 ] || failed+=("$name")
    pending=("${pending[@]:1}")
    pending_pids=("${pending_pids[@]:1}")
  done
}
for row in "${matrix[@]}"; do
  read -r name cxx std extra <<<"$row"
  dir="$root/build/ci-$name"
  rm -f "$dir.ctest.seconds"
  echo "=== $name: configure + build ($cxx, C++$std)"
  start=$(date +%s)
  # shellcheck disable=SC2086
  if cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug "$debug_flags" -DCMAKE_CXX_COMPILER="$cxx" \
        -DCMAKE_CXX_STANDARD="$std" -DCMAKE_CXX_STANDARD_REQUIRED=ON $extra >"$dir.configure.log" 2>&1 \
     && cmake --build "$dir" -j "$jobs" >"$dir.build.log" 2>&1; then
    echo "=== $name: built in $(( $(date +%s) - start )) s"
    print_tests
    echo "=== $name: test (in the background, in its turn; output when it ends)"
    # The soak (label "soak") runs once, in hardening.sh, on an optimised build.
    (
      exec 8>"$ctest_lock"
      # Not first come, first served: only the printed order is the rows' order. A turn stuck for
      # 40 minutes fails the row instead of hanging the run.
      flock -w 2400 8 || { echo "no turn for the tests within 40 minutes (lock $ctest_lock)" >"$dir.ctest.log"; exit 1; }
      s=$(date +%s)
      rc=0
      # 8>&-: the tests' processes do not inherit the lock (a server a crashed test leaves behind
      # would hold it, and every later turn would wait for it).
      ctest --test-dir "$dir" -j "$test_jobs" --output-on-failure --timeout 300 -LE soak >"$dir.ctest.log" 2>&1 8>&- || rc=$?
      echo $(( $(date +%s) - s )) >"$dir.ctest.seconds"
      exit $rc
    ) &
    pending+=("$name")
    pending_pids+=($!)
  else
    echo "=== $name: BUILD FAILED" >&2
    tail -n 60 "$dir.configure.log" "$dir.build.log" >&2 || true
    failed+=("$name")
  fi
done

# Sanitizers (ASan+UBSan over the whole suite, TSan over the concurrency tests), the libFuzzer
# targets for a short fixed time, and the 5,000-lookup fault soak: docs/reliability.md.
if [ $quick -eq 0 ]; then
  echo "=== hardening: scripts/hardening.sh"
  start=$(date +%s)
  # The last rows' tests still run beside the ASan build; their output follows the hardening's
  # (hardening.sh's sanitizer suites take the same turns, GCX_CTEST_LOCK). Its soak runs the
  # g++ C++17 row's gcx-soak when that row built; otherwise hardening.sh builds its own.
  soak_build=""
  [[ " ${failed[*]} " == *" gcc-cxx17 "* ]] || soak_build="$root/build/ci-gcc-cxx17"
  GCX_CTEST_LOCK="$ctest_lock" GCX_SOAK_BUILD="$soak_build" scripts/hardening.sh || failed+=("hardening")
  echo "=== hardening: $(( $(date +%s) - start )) s"
fi
print_tests all

steps=$(( ${#matrix[@]} + 1 + (quick == 0 ? 1 : 0) ))
echo "=== total: $(( $(date +%s) - t0 )) s"
echo "steps: $(( steps - ${#failed[@]} )) passed, ${#failed[@]} failed"
if [ ${#failed[@]} -ne 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
