#!/usr/bin/env bash
# Best of 3 wall-clock compile times of the translation units in this directory (see
# docs/compile-time.md). Run from anywhere:  docs/compile-time/measure.sh [CXX] [extra flags]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cxx=${1:-g++}
shift || true
best() {  # best of 3 runs of: /usr/bin/time -f %e $cxx -std=c++17 -O0 -c FILE -o /dev/null ...
  local file=$1 t b="" out
  shift
  out=$(mktemp)
  for _ in 1 2 3; do
    /usr/bin/time -f %e -o "$out" "$cxx" -std=c++17 -O0 "$@" -c "$file" -o /dev/null
    t=$(tail -1 "$out")
    if [ -z "$b" ] || awk -v a="$t" -v b="$b" 'BEGIN{exit !(a<b)}'; then b=$t; fi
  done
  rm -f "$out"
  echo "$b"
}
printf '%-22s %s\n' "boost_json_only.cpp" "$(best "$here/boost_json_only.cpp" "$@") s"
printf '%-22s %s\n' "include_only.cpp" "$(best "$here/include_only.cpp" -I"$repo/single_include" "$@") s"
printf '%-22s %s\n' "lookup_single.cpp" "$(best "$here/lookup_single.cpp" -I"$repo/single_include" "$@") s"
printf '%-22s %s\n' "lookup_multi.cpp" "$(best "$here/lookup_multi.cpp" -I"$repo/include" "$@") s"
