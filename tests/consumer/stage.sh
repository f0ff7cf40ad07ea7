#!/usr/bin/env bash
# Fixture for (c) and (d): configure gcx minimally (no tests, simulator, tools or examples) in a
# fresh build directory and `cmake --install` it into WORK_DIR/prefix.
#   stage.sh REPO WORK_DIR      (env: CXX, CXX_STD, GENERATOR, MAKE_PROGRAM)
source "$(dirname "$0")/common.sh"
repo=$1 work=$2
fresh_dir "$work"
mapfile -t args < <(cmake_args)
step "configure gcx (install only)"
cmake -S "$repo" -B "$work/build" "${args[@]}" -DGCX_BUILD_TESTS=OFF -DGCX_BUILD_SIM=OFF \
  -DGCX_BUILD_TOOLS=OFF -DGCX_BUILD_EXAMPLES=OFF -DGCX_INSTALL=ON >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log" >&2; fail "configure failed"; }
step "install into $work/prefix"
cmake --install "$work/build" --prefix "$work/prefix" >"$work/install.log" || fail "install failed"
p=$work/prefix
for f in include/gcx/gcx.hpp include/gcx/client.hpp include/gcx/json/boost_json.hpp \
         include/gcx/adapters/curl.hpp include/gcx/adapters/httplib.hpp include/gcx/adapters/transport_options.hpp \
         include/gcx/adapters/curl_multi.hpp include/gcx/adapters/curl/handle.hpp \
         include/gcx/adapters/httplib/client_pool.hpp include/gcx/adapters/common/preflight.hpp \
         include/gcx/single/gcx.hpp share/cmake/gcx/gcxConfig.cmake share/cmake/gcx/gcxConfigVersion.cmake \
         share/cmake/gcx/gcxTargets.cmake share/pkgconfig/gcx.pc share/pkgconfig/gcx-boost-json.pc; do
  [ -f "$p/$f" ] || fail "not installed: $f"
done
cmp -s "$repo/single_include/gcx/gcx.hpp" "$p/include/gcx/single/gcx.hpp" || fail "installed single header differs"
if grep -rq 'gcx_warnings\|gcx_catch_main\|gcx_sim' "$p/share/cmake/gcx"; then
  fail "a build-only target was exported"
fi
# GCX_INSTALL=OFF must install nothing of gcx.
cmake -S "$repo" -B "$work/build-noinstall" "${args[@]}" -DGCX_BUILD_TESTS=OFF -DGCX_BUILD_SIM=OFF \
  -DGCX_BUILD_TOOLS=OFF -DGCX_BUILD_EXAMPLES=OFF -DGCX_INSTALL=OFF >"$work/configure-noinstall.log" 2>&1 \
  || { cat "$work/configure-noinstall.log" >&2; fail "configure (GCX_INSTALL=OFF) failed"; }
cmake --install "$work/build-noinstall" --prefix "$work/prefix-noinstall" >/dev/null
[ -z "$(find "$work/prefix-noinstall" -type f 2>/dev/null)" ] || fail "GCX_INSTALL=OFF still installed files"
echo "PASS"
