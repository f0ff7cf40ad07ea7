# Installation (GCX_INSTALL): headers, the single header, CMake package, pkg-config files.
#
#   <prefix>/include/gcx/...                 the multi-header tree (core, backends, adapters)
#   <prefix>/include/gcx/single/gcx.hpp      the single header (#include <gcx/single/gcx.hpp>)
#   <prefix>/share/cmake/gcx/                gcxConfig.cmake, gcxConfigVersion.cmake, targets,
#                                            gcxSeparateCompilation.cmake
#   <prefix>/share/pkgconfig/gcx*.pc         gcx, gcx-boost-json, gcx-curl, gcx-httplib, gcx-nlohmann
#   <prefix>/share/doc/gcx/                  LICENSE, README.md, CHANGELOG.md
#
# Everything is architecture-independent (gcx is header-only), hence share/ rather than lib/.
# Export sets: gcxTargets holds gcx::gcx and gcx::boost_json; each optional component has its own
# (gcxCurlTargets, ...), so gcxConfig.cmake can import it only when its dependency is found at the
# consumer's configure time. gcx_warnings and the test/tool targets are never exported.

include(CMakePackageConfigHelpers)

set(GCX_INSTALL_CMAKEDIR ${CMAKE_INSTALL_DATADIR}/cmake/gcx CACHE STRING "Where gcxConfig.cmake is installed")
set(GCX_INSTALL_PKGCONFIGDIR ${CMAKE_INSTALL_DATADIR}/pkgconfig CACHE STRING "Where gcx*.pc are installed")
set(GCX_BOOST_MIN_VERSION 1.81)

# --- headers ----------------------------------------------------------------------------------
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/gcx
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
# The adapters' headers are installed whether or not their library was found here: they are
# headers, and the consumer's machine is what matters (gcx-curl.pc, gcx-httplib.pc use them).
foreach(_gcx_dir common curl httplib asio)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/adapters/${_gcx_dir}/include/gcx
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/single_include/gcx/gcx.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gcx/single)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} OPTIONAL)

# --- targets and export sets --------------------------------------------------------------------
install(TARGETS gcx gcx_boost_json EXPORT gcxTargets)
install(EXPORT gcxTargets NAMESPACE gcx:: DESTINATION ${GCX_INSTALL_CMAKEDIR})

# component target -> export set name (each file is included by gcxConfig.cmake on its own)
foreach(_gcx_c curl:Curl httplib:Httplib nlohmann:Nlohmann asio:Asio)
  string(REPLACE ":" ";" _gcx_c ${_gcx_c})
  list(GET _gcx_c 0 _gcx_name)
  list(GET _gcx_c 1 _gcx_set)
  if(TARGET gcx_${_gcx_name})
    install(TARGETS gcx_${_gcx_name} EXPORT gcx${_gcx_set}Targets)
    install(EXPORT gcx${_gcx_set}Targets NAMESPACE gcx:: DESTINATION ${GCX_INSTALL_CMAKEDIR})
  endif()
endforeach()

# gcxConfig.cmake recreates cpp-httplib's imported target under the name gcx's build gave it.
if(TARGET gcx_httplib)
  get_target_property(_gcx_libs gcx_httplib INTERFACE_LINK_LIBRARIES)
  if(NOT "PkgConfig::CPPHTTPLIB" IN_LIST _gcx_libs)
    message(WARNING "gcx: gcx_httplib no longer links PkgConfig::CPPHTTPLIB; update cmake/gcxConfig.cmake.in")
  endif()
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/gcxConfig.cmake.in
  ${PROJECT_BINARY_DIR}/gcxConfig.cmake
  INSTALL_DESTINATION ${GCX_INSTALL_CMAKEDIR})
# SameMajorVersion: the compatibility promise is the inline ABI namespace gcx::v<major>
# (version.hpp). find_package(gcx 0.1) accepts any 0.x >= 0.1 and refuses 1.x, whose names live
# in another namespace; AnyNewerVersion would hand a project written for 0.1 a 1.x it cannot
# compile or link against. ARCH_INDEPENDENT: header-only, so a 32-bit build may use it too.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gcxConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/gcxConfig.cmake ${PROJECT_BINARY_DIR}/gcxConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/gcxSeparateCompilation.cmake
  DESTINATION ${GCX_INSTALL_CMAKEDIR})

# --- pkg-config -----------------------------------------------------------------------------------
# Relocatable: the prefix is found from the .pc file's own location (${pcfiledir}), so a tree
# staged with `cmake --install <build> --prefix <dir>` works where it lands.
if(IS_ABSOLUTE "${GCX_INSTALL_PKGCONFIGDIR}")
  set(GCX_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")  # not relocatable then
else()
  file(RELATIVE_PATH _gcx_up "/gcx-prefix/${GCX_INSTALL_PKGCONFIGDIR}" "/gcx-prefix")
  string(REGEX REPLACE "/$" "" _gcx_up "${_gcx_up}")
  set(GCX_PC_PREFIX "\${pcfiledir}/${_gcx_up}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(GCX_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(GCX_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()

function(gcx_install_pc name description requires cflags libs)
  set(GCX_PC_NAME "${name}")
  set(GCX_PC_DESCRIPTION "${description}")
  set(GCX_PC_REQUIRES "${requires}")
  set(GCX_PC_CFLAGS "${cflags}")
  set(GCX_PC_LIBS "${libs}")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/gcx.pc.in ${PROJECT_BINARY_DIR}/pkgconfig/${name}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/${name}.pc DESTINATION ${GCX_INSTALL_PKGCONFIGDIR})
endfunction()
# The core is header-only: gcx.pc has no Libs but threads. Boost has no pkg-config file on most
# systems, so the Boost headers (Describe, Mp11) are expected on the default include path.
# -lboost_json is needed only with the Boost.JSON backend: that is gcx-boost-json.pc. Each
# component's Cflags carry its GCX_WITH_* macro, for <gcx/single/gcx.hpp>, defined empty as a
# program's own #define of it is (no redefinition warning when it has both).
gcx_install_pc(gcx "Genesys Cloud CX customer lookup, header-only core (needs the Boost headers)"
  "" "-I\${includedir}" "-pthread")
gcx_install_pc(gcx-boost-json "gcx with the Boost.JSON backend" "gcx" "-DGCX_WITH_BOOST_JSON=" "-lboost_json")
gcx_install_pc(gcx-nlohmann "gcx with the nlohmann/json backend" "gcx nlohmann_json >= 3.10" "-DGCX_WITH_NLOHMANN=" "")
gcx_install_pc(gcx-curl "gcx with the libcurl transport adapter" "gcx libcurl" "-DGCX_WITH_CURL=" "")
gcx_install_pc(gcx-httplib "gcx with the cpp-httplib transport adapter" "gcx cpp-httplib" "-DGCX_WITH_HTTPLIB=" "")

unset(_gcx_libs)
unset(_gcx_up)
