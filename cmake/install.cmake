# The installed library and its CMake and pkg-config packages.
#
# In the build tree each src/<component> is its own static library
# (echotrace_<component>) so that tests link only what they use. Outside
# projects get one archive, libechotrace.a, holding every component's object
# files (collected by echotrace_component() in ../CMakeLists.txt), so that
# they link one library and need not know the component graph; with
# ECHOTRACE_BUILD_WEB the embedded front end (EmbeddedWebAssets()) is in it
# too. The public headers are include/echotrace/.
#
# `cmake --install build --prefix P` writes
#   P/include/echotrace/*.h
#   P/lib/libechotrace.a
#   P/lib/cmake/echotrace/echotraceConfig.cmake (+ Version, + Targets)
#   P/lib/pkgconfig/echotrace.pc
#   P/bin/echotrace
# and an outside project does find_package(echotrace) and links
# echotrace::echotrace (docs/library.md; tests/install/ builds that example).
# The library's own dependencies are Debian packages; echotraceConfig.cmake
# finds them again (pkg-config modules, libcld2, libstemmer, threads).

get_property(ECHOTRACE_COMPONENTS GLOBAL PROPERTY ECHOTRACE_COMPONENTS)
set(ECHOTRACE_LIB_OBJECTS "")
foreach(c IN LISTS ECHOTRACE_COMPONENTS)
  list(APPEND ECHOTRACE_LIB_OBJECTS $<TARGET_OBJECTS:${c}>)
endforeach()
if(TARGET echotrace_web_assets)
  list(APPEND ECHOTRACE_LIB_OBJECTS $<TARGET_OBJECTS:echotrace_web_assets>)
endif()

# The target is echotrace_lib here (echotrace is the CLI), and
# echotrace::echotrace / libechotrace.a once installed.
add_library(echotrace_lib STATIC ${ECHOTRACE_LIB_OBJECTS})
add_library(echotrace::echotrace ALIAS echotrace_lib)
set_target_properties(echotrace_lib PROPERTIES OUTPUT_NAME echotrace EXPORT_NAME echotrace
                                               LINKER_LANGUAGE CXX)
target_compile_features(echotrace_lib INTERFACE cxx_std_20)
target_include_directories(echotrace_lib INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)

# The pkg-config modules the components link (the top-level CMakeLists.txt
# and src/coord/CMakeLists.txt), under the same prefixes as there so that the
# exported link interface names the same PkgConfig:: targets.
set(ECHOTRACE_PC_MODULES
  "SQLITE3 sqlite3" "SIMDJSON simdjson" "UTF8PROC libutf8proc" "ZSTD libzstd" "ZLIB zlib"
  "GUMBO gumbo" "XXHASH libxxhash" "IGRAPH igraph")
set(ECHOTRACE_PC_REQUIRES "")
set(ECHOTRACE_PC_MODULES_QUOTED "")
foreach(m IN LISTS ECHOTRACE_PC_MODULES)
  string(APPEND ECHOTRACE_PC_MODULES_QUOTED " \"${m}\"")
  separate_arguments(m)
  list(GET m 0 prefix)
  list(GET m 1 module)
  target_link_libraries(echotrace_lib INTERFACE PkgConfig::${prefix})
  string(APPEND ECHOTRACE_PC_REQUIRES " ${module}")
endforeach()
target_link_libraries(echotrace_lib INTERFACE
  Threads::Threads
  $<BUILD_INTERFACE:cld2> $<INSTALL_INTERFACE:echotrace::cld2>
  $<BUILD_INTERFACE:stemmer> $<INSTALL_INTERFACE:echotrace::stemmer>)

install(TARGETS echotrace_lib EXPORT echotraceTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/echotrace
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")

set(ECHOTRACE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/echotrace)
install(EXPORT echotraceTargets NAMESPACE echotrace:: DESTINATION ${ECHOTRACE_CMAKE_DIR})
include(CMakePackageConfigHelpers)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/echotraceConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/echotraceConfig.cmake INSTALL_DESTINATION ${ECHOTRACE_CMAKE_DIR})
# 0.x: only the same minor version is compatible.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/echotraceConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/echotraceConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/echotraceConfigVersion.cmake
        DESTINATION ${ECHOTRACE_CMAKE_DIR})

# Relocatable: the prefix is found from the .pc file's own place, so that
# `cmake --install --prefix P` gives a working P/lib/pkgconfig/echotrace.pc.
file(RELATIVE_PATH ECHOTRACE_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
configure_file(${PROJECT_SOURCE_DIR}/cmake/echotrace.pc.in ${CMAKE_CURRENT_BINARY_DIR}/echotrace.pc
               @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/echotrace.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
