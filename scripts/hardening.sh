#!/usr/bin/env bash
# Hardening checks (docs/reliability.md), called by the README's test command (scripts/test.sh):
#
#   1. build/asan   clang++ -fsanitize=address,undefined (every finding fatal), the whole test suite
#                   (unit, adapters, gcx-sim, e2e with gcx-lookup, examples, hygiene, fuzz corpus
#                   replay), plus a 1,000-lookup soak under ASan
#   2. build/tsan   clang++ -fsanitize=thread, the concurrency tests (8 threads through one client,
#                   4 threads x 25 per adapter, 4 threads on one io_context for the asio adapter,
#                   gcx-sim's tests, the hostile-server tests) and a
#                   600-lookup soak at concurrency 16
#   3. fuzz         the 8 libFuzzer targets (4 parsers x 2 JSON backends), GCX_FUZZ_SECONDS each
#   4. build/soak   g++ -O2: the soak test (5,000 lookups, concurrency 16, every gcx-sim fault);
#                   GCX_SOAK_BUILD=<build dir> runs that build's gcx-soak instead (scripts/test.sh:
#                   its g++ C++17 row compiles gcx-soak at -O2, GCX_SOAK_OPTIMIZE)
#
# Order on 2 cores: the ASan build; then the ASan suite in the background (it mostly waits on
# sockets, timers and child processes) while the TSan build, the soak build and the fuzzers keep
# the cores busy; then the TSan tests with the 5,000-lookup soak beside them.
#
#   scripts/hardening.sh                  everything (about 16 minutes from scratch on 2 cores)
#   GCX_FUZZ_SECONDS=60 scripts/hardening.sh   longer fuzzing; fuzz/run-long.sh for hours
#   scripts/hardening.sh asan tsan        only some steps (asan tsan fuzz soak)
#
# Installs nothing itself beyond scripts/deps.sh. Exit status 0 only if every step passed; a
# summary table is printed at the end and kept in build/hardening/summary.txt.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
scripts/deps.sh || { echo "hardening: scripts/deps.sh failed" >&2; exit 1; }

jobs=${GCX_JOBS:-2}
[ "$jobs" -gt 2 ] && jobs=2
# The ASan suite runs two tests per core, as scripts/test.sh does (most tests wait on sockets and
# timers; the CPU-bound ones take turns, RESOURCE_LOCK gcx_cpu_bound). TSan's tests are CPU-bound under
# its instrumentation: one per core.
asan_test_jobs=${GCX_TEST_JOBS:-$(( jobs * 2 ))}
fuzz_seconds=${GCX_FUZZ_SECONDS:-15}
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(asan tsan fuzz soak)
want() { local s; for s in "${steps[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

out="$root/build/hardening"
mkdir -p "$out"
# Two runs at once would build into and delete from the same directories: the second waits.
exec 9>"$out/.lock"
if ! flock -n 9; then
  echo "hardening: another scripts/hardening.sh is running; waiting for it" >&2
  flock 9
fi
declare -A summary_of=()  # step -> its summary line(s); printed in step_order at the end
step_order=("asan: build" "asan: ctest" "asan: soak" "tsan: build" "tsan: ctest" "tsan: soak" "fuzz:" "soak: build" "soak: 5000")
failed=0
t_start=$(date +%s)

# record <step> <status> <seconds> <detail>. In a background job (record_file set) the line goes to
# that file, and join_background adds it to the summary.
record() {
  local line
  line=$(printf '%-28s %-5s %5ss  %s' "$1" "$2" "$3" "$4")
  [ "$2" = "PASS" ] || failed=1
  if [ -n "${record_file:-}" ]; then
    printf '%s\t%s\n' "$1" "$line" >>"$record_file"
  else
    summary_of["$1"]=$line
  fi
}

# in_background <name> <function>: runs the function in a background job whose records go to
# build/hardening/<name>.records; join_background <name> waits for it and adds them.
declare -A background_pid=() background_step=()
in_background() {
  local name=$1 fn=$2 step=$3
  : >"$out/$name.records"
  ( record_file="$out/$name.records"; failed=0; "$fn"; exit $failed ) &
  background_pid[$name]=$!
  background_step[$name]=$step
}
join_background() {
  local name=$1 key line rc=0
  [ -n "${background_pid[$name]:-}" ] || return 0
  wait "${background_pid[$name]}" || rc=$?
  unset "background_pid[$name]"
  while IFS=$'\t' read -r key line; do summary_of["$key"]=$line; done <"$out/$name.records"
  if [ $rc -ne 0 ]; then
    failed=1
    # A job killed before it recorded its failure (a signal, the OOM killer) still shows as one.
    grep -q $'\t.* FAIL ' "$out/$name.records" ||
      record "${background_step[$name]}" FAIL 0 "the background job exited with status $rc"
  fi
}

# run_logged <log> <command...>: runs, output to the log; on failure shows its tail.
run_logged() {
  local log=$1; shift
  # 7>&- 9>&-: the commands' processes do not inherit the locks (a server left behind by a
  # crashed test would hold them).
  if "$@" >"$log" 2>&1 7>&- 9>&-; then return 0; fi
  echo "--- last lines of $log:" >&2
  tail -40 "$log" >&2
  return 1
}

# configure_build <dir> <targets or ""> <cmake args...>
configure_build() {
  local dir=$1 targets=$2; shift 2
  run_logged "$dir.configure.log" cmake -S "$root" -B "$dir" -G Ninja "$@" || return 1
  if [ -n "$targets" ]; then
    # shellcheck disable=SC2086
    run_logged "$dir.build.log" cmake --build "$dir" -j "$jobs" --target $targets
  else
    run_logged "$dir.build.log" cmake --build "$dir" -j "$jobs"
  fi
}

ctest_summary() { grep -E "tests passed|tests failed" "$1" | tail -1; }

# sanitizer_ctest <san> <ctest jobs> <ctest args...>: the sanitizer build's ctest (build/<san>),
# recorded as "<san>: ctest", its log in build/hardening/<san>-ctest.log.
sanitizer_ctest() {
  local san=$1 cjobs=$2 log="$out/$1-ctest.log" t
  shift 2
  # scripts/test.sh's matrix rows run their tests in the background: one ctest at a time.
  if [ -n "${GCX_CTEST_LOCK:-}" ]; then
    exec 7>"$GCX_CTEST_LOCK"
    flock -w 2400 7 || { record "$san: ctest" FAIL 0 "no turn for the tests within 40 minutes ($GCX_CTEST_LOCK)"; return 0; }
  fi
  t=$(date +%s)
  if run_logged "$log" ctest --test-dir "$root/build/$san" -j "$cjobs" --timeout 600 --output-on-failure "$@"; then
    record "$san: ctest" PASS $(( $(date +%s) - t )) "$(ctest_summary "$log")"
  else
    record "$san: ctest" FAIL $(( $(date +%s) - t )) "$(ctest_summary "$log"); see build/hardening/$san-ctest.log"
  fi
  [ -n "${GCX_CTEST_LOCK:-}" ] && exec 7>&-
  return 0
}

# sanitizer_soak <san> <lookups> <detail when it passes>: build/<san>'s gcx-soak at concurrency 16,
# recorded as "<san>: soak <lookups>", its log in build/hardening/<san>-soak.log.
sanitizer_soak() {
  local san=$1 lookups=$2 detail=$3 t
  t=$(date +%s)
  if run_logged "$out/$san-soak.log" "$root/build/$san/tests/soak/gcx-soak" --lookups "$lookups" --concurrency 16 \
       --report "$out/$san-soak-report.txt"; then
    record "$san: soak $lookups" PASS $(( $(date +%s) - t )) "$detail"
  else
    record "$san: soak $lookups" FAIL $(( $(date +%s) - t )) "see build/hardening/$san-soak.log"
  fi
}

export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# cpp-httplib is a prebuilt (uninstrumented) shared library on Debian: ThreadSanitizer cannot see
# the synchronisation of the function-local statics inside it (its std::regex objects) and
# reports their first use from two threads as a race. Nothing else is suppressed.
tsan_supp="$out/tsan.supp"
printf '%s\n' "# see scripts/hardening.sh" "race:libcpp-httplib.so" >"$tsan_supp"

# ---- 1. AddressSanitizer + UndefinedBehaviorSanitizer -------------------------------------
if want asan || want fuzz; then
  echo "=== asan: configure + build (build/asan)"
  t=$(date +%s)
  if configure_build "$root/build/asan" "" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
       "-DCMAKE_CXX_FLAGS_DEBUG=-O0 -gline-tables-only" \
       "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
       -DGCX_INSTALL=OFF -DGCX_BUILD_FUZZ=ON -DGCX_DOCS_TESTS=OFF -DGCX_SKIP_EXAMPLES=asio_callback_server; then
    record "asan: build" PASS $(( $(date +%s) - t )) "clang++ -fsanitize=address,undefined, tests + tools + sim + examples + fuzzers"
    asan_built=1
  else
    record "asan: build" FAIL $(( $(date +%s) - t )) "see build/asan.build.log"
    asan_built=0
  fi
fi

asan_tests() {
  # Left out: consumer.* (packaging: nested builds and installs), compile_fail.* (compiler
  # diagnostics), js-sdk (node/npm); not even built: docs.* (the compile-time units compiled
  # again, without the sanitizers: GCX_DOCS_TESTS=OFF) and the asio_callback_server example (the
  # build's second heaviest unit; the g++ C++17 row runs it, and the Asio adapter's own tests run
  # here); the soak runs at a size ASan affords.
  sanitizer_ctest asan "$asan_test_jobs" -E '^(consumer\.|compile_fail\.|js-sdk)' -LE soak
  sanitizer_soak asan 1000 "duplicates 0, no finding"
}
if want asan && [ "${asan_built:-0}" = 1 ]; then
  echo "=== asan: the whole test suite, then a soak (in the background; summary when they end)"
  in_background asan-tests asan_tests "asan: ctest"
fi

# ---- 2. ThreadSanitizer: the build (its tests after the ASan suite) ------------------------
if want tsan; then
  echo "=== tsan: configure + build (build/tsan)"
  t=$(date +%s)
  # gcx-unit holds only the unit files with concurrency tests here (GCX_UNIT_ONLY): unit-call
  # ("8 threads through one client"), unit-auth (the token cache), unit-session (set_jitter) and
  # unit-refusal_memory (threads remembering and recalling).
  # adapters-asio: its "4 threads running one io_context" case (the 'threads' pattern below), the
  # only one of its files that TSan runs built in (GCX_ASIO_TEST_FILES).
  tsan_targets="gcx-unit adapters-transports adapters-lookup adapters-asio gcx-sim-test hygiene-limits gcx-soak"
  if configure_build "$root/build/tsan" "$tsan_targets" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
       "-DCMAKE_CXX_FLAGS_DEBUG=-O0 -gline-tables-only" "-DCMAKE_CXX_FLAGS=-fsanitize=thread -fno-omit-frame-pointer" \
       "-DGCX_UNIT_ONLY=unit-call;unit-auth;unit-session;unit-refusal_memory" -DGCX_ASIO_TEST_FILES=test_asio.cpp \
       -DGCX_INSTALL=OFF -DGCX_BUILD_EXAMPLES=OFF -DGCX_BUILD_TOOLS=OFF; then
    record "tsan: build" PASS $(( $(date +%s) - t )) "clang++ -fsanitize=thread"
    tsan_built=1
  else
    record "tsan: build" FAIL $(( $(date +%s) - t )) "see build/tsan.build.log"
    tsan_built=0
  fi
fi

# ---- 4a. The soak's optimised build (or the one GCX_SOAK_BUILD names) ----------------------
soak_dir="$root/build/soak"
if want soak; then
  t=$(date +%s)
  if [ -n "${GCX_SOAK_BUILD:-}" ]; then
    soak_dir=$GCX_SOAK_BUILD
    if [ -x "$soak_dir/tests/soak/gcx-soak" ] && grep -q '^GCX_SOAK_OPTIMIZE:BOOL=ON$' "$soak_dir/CMakeCache.txt"; then
      record "soak: build" PASS 0 "$(basename "$soak_dir")'s gcx-soak (-O2, GCX_SOAK_OPTIMIZE)"
    else
      record "soak: build" FAIL 0 "GCX_SOAK_BUILD=$soak_dir has no tests/soak/gcx-soak built with GCX_SOAK_OPTIMIZE=ON"
    fi
  else
    echo "=== soak: configure + build (build/soak, g++ -O2)"
    if configure_build "$soak_dir" "gcx-soak" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++ \
         -DGCX_INSTALL=OFF -DGCX_BUILD_EXAMPLES=OFF -DGCX_BUILD_TOOLS=OFF; then
      record "soak: build" PASS $(( $(date +%s) - t )) "g++ RelWithDebInfo"
    else
      record "soak: build" FAIL $(( $(date +%s) - t )) "see build/soak.build.log"
    fi
  fi
fi

# ---- 3. libFuzzer ---------------------------------------------------------------------------
if want fuzz && [ "${asan_built:-0}" = 1 ]; then
  echo "=== fuzz: 8 targets x ${fuzz_seconds} s, two at a time"
  t=$(date +%s)
  mkdir -p "$out/fuzz-artifacts" "$out/fuzz-corpus"
  fuzz_one() {  # fuzz_one <target> <backend>
    local name="$1-$2"
    mkdir -p "$out/fuzz-corpus/$name"
    # The first corpus directory collects what the run finds (kept between runs); the checked-in
    # seeds are only read.
    "$root/build/asan/fuzz/gcx-fuzz-$name" -max_total_time="$fuzz_seconds" -max_len=8192 -timeout=10 \
      -rss_limit_mb=2048 -dict="$root/fuzz/gcx.dict" -print_final_stats=1 \
      -artifact_prefix="$out/fuzz-artifacts/$name-" "$out/fuzz-corpus/$name" "$root/fuzz/corpus/$1" \
      >"$out/fuzz-$name.log" 2>&1
    echo $? >"$out/fuzz-$name.rc"
  }
  pids=()
  for target in token error_body execution reflect; do
    for backend in boost_json nlohmann; do
      fuzz_one "$target" "$backend" &
      pids+=($!)
      if [ ${#pids[@]} -ge "$jobs" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
    done
  done
  # Only the fuzzers: a bare `wait` would wait for the ASan suite in the background too.
  [ ${#pids[@]} -eq 0 ] || wait "${pids[@]}"
  fuzz_fail=0
  fuzz_lines=""
  for target in token error_body execution reflect; do
    for backend in boost_json nlohmann; do
      name="$target-$backend"
      rc=$(cat "$out/fuzz-$name.rc" 2>/dev/null || echo 1)
      execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/fuzz-$name.log" | grep -o '[0-9]*$')
      cov=$(grep -oE '(DONE|INITED) +cov: [0-9]+' "$out/fuzz-$name.log" | tail -1 | grep -oE '[0-9]+$')
      status=ok
      [ "$rc" = 0 ] || { status="CRASH (see build/hardening/fuzz-$name.log)"; fuzz_fail=1; }
      fuzz_lines+=$'\n'"$(printf '    %-22s %10s execs  cov %6s  %s' "$name" "${execs:-?}" "${cov:-?}" "$status")"
    done
  done
  if [ $fuzz_fail = 0 ]; then
    record "fuzz: 8 x ${fuzz_seconds}s" PASS $(( $(date +%s) - t )) "no crash, no sanitizer report"
  else
    record "fuzz: 8 x ${fuzz_seconds}s" FAIL $(( $(date +%s) - t )) "reproducers in build/hardening/fuzz-artifacts/"
  fi
  summary_of["fuzz: 8 x ${fuzz_seconds}s"]+=$fuzz_lines
fi

join_background asan-tests
[ "${asan_built:-0}" = 1 ] && want asan && echo "=== asan: the whole test suite and the soak ended"

# ---- 4b. The 5,000-lookup soak, beside the TSan tests ---------------------------------------
soak_run() {
  echo "=== soak: 5,000 lookups at concurrency 16 against gcx-sim with every fault kind"
  local t rep
  t=$(date +%s)
  if run_logged "$out/soak-ctest.log" ctest --test-dir "$soak_dir" -L soak --output-on-failure --timeout 900; then
    cp "$soak_dir/tests/soak/soak-report.txt" "$out/soak-report.txt" 2>/dev/null
    rep="$out/soak-report.txt"
    get() { grep -E "^$1=" "$rep" | cut -d= -f2; }
    record "soak: 5000 x 16" PASS $(( $(date +%s) - t )) \
      "dup $(get sim.duplicate_launches), faults $(get sim.faults_injected), tokens $(get client.tokens_fetched)~$(get 'tokens_expected~'), RSS $(get rss_kib_at_1000)->$(get rss_kib_at_end) KiB"
  else
    record "soak: 5000 x 16" FAIL $(( $(date +%s) - t )) "see build/hardening/soak-ctest.log"
  fi
}
if want soak && [[ "${summary_of["soak: build"]:-}" == *" PASS "* ]]; then
  in_background soak soak_run "soak: 5000 x 16"
fi

# ---- 2b. ThreadSanitizer: the concurrency tests --------------------------------------------
if want tsan && [ "${tsan_built:-0}" = 1 ]; then
  export TSAN_OPTIONS="suppressions=$tsan_supp halt_on_error=1 second_deadlock_stack=1"
  echo "=== tsan: concurrency tests"
  sanitizer_ctest tsan "$jobs" \
    -R 'threads|unit-auth:|adapters-lookup:|gcx-sim-test:(oauth|flows|contacts|limits|faults|stats)|hygiene-limits:'
  echo "=== tsan: soak (600 lookups, concurrency 16)"
  sanitizer_soak tsan 600 "one client, 16 threads, curl, every fault: no race"
  unset TSAN_OPTIONS
fi
join_background soak

total=$(( $(date +%s) - t_start ))
{
  echo
  echo "==================== hardening summary ($(date -u +%Y-%m-%dT%H:%M:%SZ)) ===================="
  for step in "${step_order[@]}"; do
    for key in "${!summary_of[@]}"; do
      [[ "$key" == "$step"* ]] && echo "${summary_of[$key]}"
    done
  done
  echo "total: ${total} s"
  if [ $failed = 0 ]; then echo "hardening: ALL PASSED"; else echo "hardening: FAILED"; fi
} | tee "$out/summary.txt"
exit $failed
