# Helpers for the consumer tests (sourced by the scripts in this directory).
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }

# fresh_dir DIR: an empty directory, whatever was there before.
fresh_dir() { rm -rf "$1"; mkdir -p "$1"; }

# start_sim GCX_SIM_EXE DIR: starts gcx-sim on a free port, waits for its banner and sets
# SIM_URL and SIM_<key> for every key=value line it prints (SIM_client_id, SIM_found_number, ...).
# The process is stopped (by its pid) when the script exits.
SIM_PID=""
stop_sim() {
  if [ -n "$SIM_PID" ]; then
    kill "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
    SIM_PID=""
  fi
}
start_sim() {
  local exe=$1 dir=$2 i
  "$exe" --port 0 >"$dir/sim.out" 2>"$dir/sim.err" &
  SIM_PID=$!
  trap stop_sim EXIT
  for i in $(seq 1 200); do
    grep -q '^unknown_number=' "$dir/sim.out" 2>/dev/null && break
    kill -0 "$SIM_PID" 2>/dev/null || { cat "$dir/sim.err" >&2; fail "gcx-sim exited early"; }
    sleep 0.05
  done
  SIM_URL=$(sed -n 's/^gcx-sim listening on //p' "$dir/sim.out")
  [ -n "$SIM_URL" ] || fail "gcx-sim printed no URL"
  while IFS='=' read -r key value; do
    case "$key" in *[!a-z_]*|"") continue ;; esac
    printf -v "SIM_$key" '%s' "$value"
  done <"$dir/sim.out"
  echo "gcx-sim at $SIM_URL (pid $SIM_PID)"
}

# run_with_env PROGRAM PATTERN: runs a README program that takes no argument (its numbers are
# its own: the found number among them) against gcx-sim; its output must match the glob PATTERN.
run_with_env() {
  local out
  out=$(env -u GCX_LOGIN_URL GCX_API_URL="$SIM_URL" GENESYS_CLIENT_ID="$SIM_client_id" GENESYS_CLIENT_SECRET="$SIM_client_secret" \
        TARGET_FLOW_ID="$SIM_lookup_flow_id" "$1") || { echo "$out" >&2; fail "$1 failed"; }
  echo "$out"
  # shellcheck disable=SC2053
  [[ $out == $2 ]] || fail "$1: its output does not match $2"
}

# cmake_args: generator, compiler and standard of the enclosing build, for nested projects.
cmake_args() {
  local args=(-G "$GENERATOR" -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_BUILD_TYPE=Debug)
  [ -n "${MAKE_PROGRAM:-}" ] && args+=(-DCMAKE_MAKE_PROGRAM="$MAKE_PROGRAM")
  [ -n "${CXX_STD:-}" ] && args+=(-DCMAKE_CXX_STANDARD="$CXX_STD" -DCMAKE_CXX_STANDARD_REQUIRED=ON)
  printf '%s\n' "${args[@]}"
}

# lookup_with_env PROGRAM: runs a README program (settings from the environment) against the
# gcx-sim started by start_sim, for the found number; it must print "found".
lookup_with_env() {
  local out
  out=$(env -u GCX_LOGIN_URL GCX_API_URL="$SIM_URL" GENESYS_CLIENT_ID="$SIM_client_id" GENESYS_CLIENT_SECRET="$SIM_client_secret" \
        TARGET_FLOW_ID="$SIM_lookup_flow_id" "$1" "$SIM_found_number") || { echo "$out" >&2; fail "$1: lookup failed"; }
  echo "$out"
  case "$out" in found*) ;; *) fail "$1: $SIM_found_number not found" ;; esac
}
