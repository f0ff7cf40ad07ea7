#!/usr/bin/env bash
# Compile cost of the translation units in this directory (see docs/compile-time.md): for each,
# the median of 3 runs of compiler CPU time (user + sys) and peak memory, as /usr/bin/time reports
# them, and the ratio to the baseline (boost_json_only.cpp). Run from anywhere:
#     docs/compile-time/measure.sh [CXX] [extra flags]
# The single header is generated from include/ first (tools/amalgamate.py, into a temporary
# directory), so the figures are those of the tree as it is, not of a stale single_include/.
#     docs/compile-time/measure.sh --check [CXX]
# --check compiles each unit once (-fsyntax-only) and measures nothing: the ctest
# docs.compile-time-units runs it, so that a unit that stops compiling is seen at once.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
check=0
if [ "${1:-}" = "--check" ]; then
  check=1
  shift
fi
cxx=${1:-g++}
shift || true
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/single/gcx"
python3 "$repo/tools/amalgamate.py" -o "$tmp/single/gcx/gcx.hpp" >/dev/null

# median of 3: "<cpu seconds> <peak MiB>" of: $cxx -std=c++17 -O0 [extra] -c FILE -o /dev/null
measure() {
  local file=$1
  shift
  if [ $check -eq 1 ]; then
    "$cxx" -std=c++17 -fsyntax-only "$@" "$file" || exit 1
    echo "0 0"
    return
  fi
  for _ in 1 2 3; do
    # a unit that does not compile is an error, not a (short) measurement
    /usr/bin/time -f '%U %S %M' -o "$tmp/t" "$cxx" -std=c++17 -O0 "$@" -c "$file" -o /dev/null || exit 1
    awk '{ printf "%.2f %.0f\n", $1 + $2, $3 / 1024 }' "$tmp/t"
  done | sort -n | sed -n 2p
}
row() {  # name, then measure's arguments
  local name=$1 r
  shift
  r=$(measure "$@")
  if [ $check -eq 1 ]; then
    echo "compiles: $name"
    return
  fi
  set -- $r
  if [ -z "${base_cpu:-}" ]; then base_cpu=$1 base_mem=$2; fi
  printf '%-24s %6s s %6s MiB   x%s cpu  x%s memory\n' "$name" "$1" "$2" \
    "$(awk -v a="$1" -v b="$base_cpu" 'BEGIN { printf "%.2f", a / b }')" \
    "$(awk -v a="$2" -v b="$base_mem" 'BEGIN { printf "%.2f", a / b }')"
}
row boost_json_only.cpp "$here/boost_json_only.cpp" "$@"
row include_only.cpp "$here/include_only.cpp" -I"$tmp/single" "$@"
row lookup_single.cpp "$here/lookup_single.cpp" -I"$tmp/single" "$@"
row lookup_readme.cpp "$here/lookup_readme.cpp" -I"$tmp/single" "$@"
row lookup_multi.cpp "$here/lookup_multi.cpp" -I"$repo/include" "$@"
# The floor under any lookup unit: the README's struct mapped by gcx's reflection, no client.
row mapping_only.cpp "$here/mapping_only.cpp" -I"$repo/include" "$@"
# The opt-in (GCX_EXTERN_TEMPLATES): the README's program in a unit that declares the machinery,
# and the one .cpp that compiles it.
row "lookup_readme (extern)" "$here/lookup_readme.cpp" -I"$tmp/single" -DGCX_EXTERN_TEMPLATES "$@"
row boost_json_templates.cpp "$here/boost_json_templates.cpp" -I"$tmp/single" "$@"
