#!/usr/bin/env bash
# (d) compile a tiny program, and the README's program, with the flags pkg-config gives for the
# staged install; with gcx-sim, the README's program looks a customer up.
#   pkg_config.sh REPO STAGE_DIR WORK_DIR EXPECTED_VERSION [GCX_SIM_EXE]     (env: CXX, CXX_STD)
source "$(dirname "$0")/common.sh"
repo=$1 stage=$2 work=$3 version=$4 sim=${5:-}
std=${CXX_STD:-17}
command -v pkg-config >/dev/null || fail "pkg-config is not installed"
[ -d "$stage/prefix/share/pkgconfig" ] || fail "no staged install in $stage (run consumer.stage first)"
fresh_dir "$work"
export PKG_CONFIG_PATH="$stage/prefix/share/pkgconfig"
step "pkg-config gcx"
pkg-config --print-errors --exists gcx gcx-boost-json || fail "pkg-config does not find gcx"
[ "$(pkg-config --modversion gcx)" = "$version" ] || fail "gcx.pc says $(pkg-config --modversion gcx), project() says $version"
cflags=$(pkg-config --cflags gcx)
echo "pkg-config --cflags gcx: $cflags"
inc=$(cd "$stage/prefix/include" && pwd)
case " $cflags " in *" -I$stage/prefix/share/pkgconfig/../../include "*|*" -I$inc "*) ;; *) fail "gcx.pc's Cflags do not point at the staged include directory" ;; esac
pkg-config --cflags --libs gcx-boost-json
# Optional components resolve when their dependency's own .pc is present.
for c in gcx-curl gcx-httplib gcx-nlohmann; do
  if pkg-config --exists "$c"; then echo "$c: $(pkg-config --cflags --libs "$c")"; else echo "$c: dependency missing here"; fi
done
cp "$repo/tests/consumer/pkg_config/main.cpp" "$work/"
cd "$work"
step "compile with \$(pkg-config --cflags --libs gcx-boost-json)"
# shellcheck disable=SC2046
"$CXX" -std=c++"$std" -Wall -Wextra -Werror main.cpp -o consumer $(pkg-config --cflags --libs gcx-boost-json) \
  || fail "compile failed"
./consumer || fail "the program failed"
if pkg-config --exists gcx-curl; then
  cp "$repo/tests/consumer/programs/lookup.cpp" .
  step "compile the README's program with \$(pkg-config --cflags --libs gcx-boost-json gcx-curl)"
  # shellcheck disable=SC2046
  "$CXX" -std=c++"$std" -Wall -Wextra -Werror lookup.cpp -o lookup $(pkg-config --cflags --libs gcx-boost-json gcx-curl) \
    || fail "compile failed"
  sed 's|#include <gcx/gcx.hpp>|#include <gcx/single/gcx.hpp>|' "$repo/tests/consumer/programs/lookup_single.cpp" \
    >lookup_single.cpp  # the installed single header
  step "the README's single-header program, which defines the GCX_WITH_* macros the .pc files define too"
  # shellcheck disable=SC2046
  "$CXX" -std=c++"$std" -Wall -Wextra -Werror lookup_single.cpp -o lookup_single \
    $(pkg-config --cflags --libs gcx-boost-json gcx-curl) || fail "compile failed (a macro redefined?)"
  if [ -n "$sim" ]; then
    start_sim "$sim" "$work"
    lookup_with_env ./lookup
  fi
fi
echo "PASS"
