#!/usr/bin/env bash
# Long fuzzing runs (scripts/hardening.sh only fuzzes each target for a few seconds).
#
#   fuzz/run-long.sh [SECONDS_PER_TARGET] [TARGET...]
#       SECONDS_PER_TARGET  default 1800 (30 minutes)
#       TARGET              token error_body execution reflect, or one with its backend
#                           (reflect-nlohmann); default: all 8
#   GCX_FUZZ_JOBS=N         targets run N at a time (default: the number of cores)
#
# Uses the fuzzers of build/asan when scripts/hardening.sh built them, else builds them alone in
# build/fuzz. New inputs go to build/fuzz-long/corpus/<target>-<backend>/ (kept between runs);
# crashes to build/fuzz-long/artifacts/. Reproduce one with: <fuzzer binary> <artifact>.
# A crash found: fix it, then copy the artifact into fuzz/corpus/<target>/ (the CTest tests
# fuzz-replay.* replay that directory in every sanitizer build).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
seconds=${1:-1800}
shift || true
jobs=${GCX_FUZZ_JOBS:-$(nproc)}

bin="$root/build/asan/fuzz"
if [ ! -x "$bin/gcx-fuzz-token-boost_json" ]; then
  bin="$root/build/fuzz/fuzz"
  cmake -S "$root" -B "$root/build/fuzz" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
    -DGCX_BUILD_TESTS=OFF -DGCX_BUILD_SIM=OFF -DGCX_BUILD_TOOLS=OFF -DGCX_BUILD_EXAMPLES=OFF -DGCX_INSTALL=OFF \
    -DGCX_BUILD_FUZZ=ON >/dev/null && cmake --build "$root/build/fuzz" -j "$jobs" --target gcx-fuzz || exit 1
fi

names=()
for t in "${@:-token error_body execution reflect}"; do
  for w in $t; do
    case "$w" in
      *-boost_json|*-nlohmann) names+=("$w") ;;
      *) names+=("$w-boost_json" "$w-nlohmann") ;;
    esac
  done
done

out="$root/build/fuzz-long"
mkdir -p "$out/artifacts"
run() {
  local name=$1 target=${1%-*}
  mkdir -p "$out/corpus/$name"
  "$bin/gcx-fuzz-$name" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -dict="$root/fuzz/gcx.dict" -print_final_stats=1 -artifact_prefix="$out/artifacts/$name-" \
    "$out/corpus/$name" "$root/fuzz/corpus/$target" >"$out/$name.log" 2>&1
  local rc=$?
  local execs
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$name.log" | grep -o '[0-9]*$')
  printf '%-22s rc=%s  %s execs  (log: %s)\n' "$name" "$rc" "${execs:-?}" "$out/$name.log"
  return $rc
}
export -f run
export bin out seconds root
printf '%s\n' "${names[@]}" | xargs -P "$jobs" -I{} bash -c 'run {}'
