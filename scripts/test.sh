#!/usr/bin/env bash
# The README's test command: installs what the build needs, then builds and runs every test in
# the compiler x standard matrix. Exit status 0 only if every configuration passed.
#   scripts/test.sh            the full matrix
#   scripts/test.sh --quick    g++ / C++17 only (for development)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/deps.sh

jobs=${GCX_JOBS:-$(nproc)}
quick=0
[ "${1:-}" = "--quick" ] && quick=1

# name  compiler  standard  extra cmake options
matrix=(
  "gcc-cxx17   g++     17  -DGCX_BUILD_SIM=ON"
  "clang-cxx20 clang++ 20  -DGCX_BUILD_SIM=ON"
  "gcc-cxx20   g++     20  -DGCX_BUILD_SIM=OFF -DGCX_BUILD_TOOLS=OFF -DGCX_BUILD_EXAMPLES=OFF"
  "clang-cxx17 clang++ 17  -DGCX_BUILD_SIM=OFF -DGCX_BUILD_TOOLS=OFF -DGCX_BUILD_EXAMPLES=OFF"
)
[ $quick -eq 1 ] && matrix=("${matrix[0]}")

failed=()
mkdir -p "$root/build"
for row in "${matrix[@]}"; do
  read -r name cxx std extra <<<"$row"
  dir="$root/build/ci-$name"
  echo "=== $name: configure + build ($cxx, C++$std)"
  start=$(date +%s)
  # shellcheck disable=SC2086
  if cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$cxx" \
        -DCMAKE_CXX_STANDARD="$std" -DCMAKE_CXX_STANDARD_REQUIRED=ON $extra >"$dir.configure.log" 2>&1 \
     && cmake --build "$dir" -j "$jobs" >"$dir.build.log" 2>&1; then
    echo "=== $name: test"
    if ! ctest --test-dir "$dir" -j "$jobs" --output-on-failure --timeout 300; then
      failed+=("$name")
    fi
  else
    echo "=== $name: BUILD FAILED" >&2
    tail -60 "$dir.configure.log" "$dir.build.log" >&2 || true
    failed+=("$name")
  fi
  echo "=== $name: $(( $(date +%s) - start )) s"
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "FAILED configurations: ${failed[*]}" >&2
  exit 1
fi
echo "all configurations passed: ${#matrix[@]}"
