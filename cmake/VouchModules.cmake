# vouch_add_module(NAME): the sources of src/NAME/*.cc join libvouch, and tests/NAME/*_test.cc become the test
# binary NAME_test, registered with CTest (one CTest entry per GoogleTest case; in a sanitizer build one entry per
# binary, see vouch_finish_tests). Files are globbed, so adding a source or a test file needs no edit here.
#
# Tests in files named *_slow_test.cc build into NAME_slow_test, carry the CTest label "slow" and stay out of the
# default `make test`; `make test-slow` runs them.

set(VOUCH_MODULES "" CACHE INTERNAL "")

function(vouch_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
  if(VOUCH_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(VOUCH_UNITY AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # In a unity build every source is an included file, so GCC takes a class that holds a member of a file-local
    # type for one shared between files; it is not.
    target_compile_options(${target} PRIVATE -Wno-subobject-linkage)
  endif()
endfunction()

# Precompiled headers: the standard, fmt and JSON headers nearly every file includes are parsed once per target
# instead of once per file, a large part of the compile time of `make test`'s two builds (VOUCH_PCH=OFF turns it
# off, e.g. to check that every file includes what it uses).
option(VOUCH_PCH "Precompile the headers every file includes" ON)
option(VOUCH_UNITY "Compile the library and the CLI as unity builds" ON)
function(vouch_precompile target)
  if(VOUCH_PCH)
    target_precompile_headers(${target} PRIVATE <algorithm> <cstdint> <functional> <map> <memory> <optional>
                              <string> <string_view> <unordered_map> <vector> <fmt/format.h> <nlohmann/json.hpp>
                              ${ARGN})
  endif()
endfunction()

# Sanitized executables link as position-dependent (-no-pie): an instrumented PIE `vouch` carries over a million
# relative relocations that the dynamic loader applies (and page-faults through) at every start, about 0.25 CPU
# seconds, and the CLI tests start it hundreds of times. Sanitizer reports are unaffected.
# UBSan's vptr check (a member call through a pointer whose object has another dynamic type) is left out: it
# instruments every member access of a polymorphic class and costs a fifth to a third of each chunk's compile
# time (refer: 145 -> 120 CPU s, trust and graph: 70 -> 46), for a class of bug that ASan's use-after-free and
# heap-overflow checks and the few class hierarchies here (Store, commands) make unlikely.
# Its null and alignment checks are left out too: they instrument every dereference and member access, a quarter
# of the compile time at -O0 (36 -> 27 CPU s for the graph and influence chunk), for what ASan already reports
# (a null dereference is a SEGV with its stack) or x86 forgives (a misaligned load). Kept: signed overflow,
# shifts, division by zero, array bounds, pointer overflow, bool and enum loads, missing returns, unreachable code.
# The library compiles at -O0: compiling is most of `make test`'s time, and -O0 halves the library's compile
# under the sanitizers against -O1 (the level ASan recommends for speed; 402 -> 321 s of wall for the sanitizer
# build on 2 cores) while its tests run 26 -> 33 s, since the shadow-memory checks set their pace. The test code
# and the CLI compile at -Og (vouch_sanitize(target -Og)): the influence tests run the samplers and the greedy from
# their headers, so at -O0 they would take 51 s instead of 21; -Og costs a sixth more compile than -O0 there.
set(VOUCH_SANITIZERS -fsanitize=address,undefined -fno-sanitize=vptr,null,alignment)
function(vouch_sanitize target)
  if(VOUCH_SANITIZE)
    set(level -O0)
    if(ARGC GREATER 1)
      set(level ${ARGV1})
    endif()
    target_compile_options(${target} PRIVATE ${level} ${VOUCH_SANITIZERS} -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE ${VOUCH_SANITIZERS} -no-pie)
  endif()
endfunction()

function(vouch_add_module name)
  file(GLOB srcs CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/src/${name}/*.cc")
  list(FILTER srcs EXCLUDE REGEX "_test\\.cc$")
  set_property(GLOBAL APPEND PROPERTY VOUCH_LIBRARY_SOURCES ${srcs})
  set(VOUCH_MODULES ${VOUCH_MODULES} ${name} CACHE INTERNAL "")
endfunction()

function(vouch_finish_library)
  get_property(srcs GLOBAL PROPERTY VOUCH_LIBRARY_SOURCES)
  add_library(vouch_lib STATIC ${srcs})
  # A unity build (sources compiled 16 to a file) cuts the library's compile time several-fold, which keeps
  # `make test`'s two builds within CI's budget; it needs file-local names (anonymous namespaces) that differ
  # between the sources of a module. VOUCH_UNITY=OFF compiles file by file.
  if(VOUCH_UNITY)
    set_target_properties(vouch_lib PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 16)
  endif()
  set_target_properties(vouch_lib PROPERTIES OUTPUT_NAME vouch)
  target_include_directories(vouch_lib PUBLIC ${PROJECT_SOURCE_DIR}/include PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(vouch_lib
    PUBLIC fmt::fmt nlohmann_json::nlohmann_json Threads::Threads
    PRIVATE simdjson::simdjson tomlplusplus::tomlplusplus ZLIB::ZLIB TBB::tbb
            PkgConfig::SQLITE3 PkgConfig::ZSTD PkgConfig::UTF8PROC PkgConfig::XXHASH
            Boost::system OpenSSL::SSL OpenSSL::Crypto)
  target_compile_definitions(vouch_lib PUBLIC VOUCH_VERSION="${PROJECT_VERSION}")
  # The checkout's path goes into one file only, so that a compiler cache shares every other object between
  # checkouts (include/vouch/core/source_dir.h).
  set_source_files_properties(${PROJECT_SOURCE_DIR}/src/core/source_dir.cc PROPERTIES
                              COMPILE_DEFINITIONS VOUCH_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  vouch_warnings(vouch_lib)
  vouch_sanitize(vouch_lib)
  vouch_precompile(vouch_lib)
  vouch_hot_sections(vouch_lib)  # cmake/VouchExecutable.cmake
endfunction()

# One static library holds the test support code and the test suite's precompiled header, which every test binary
# reuses instead of compiling its own (a dozen copies of GoogleTest, fmt and JSON parsed once).
# Tests run for seconds, so a release build compiles them at -O1: -O3 costs 40% more compile time for nothing
# (the library they test stays at -O3). Applied to the support library too, whose precompiled header they share.
function(vouch_test_options target)
  target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-O1>)
endfunction()

function(vouch_test_support)
  file(GLOB srcs CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/tests/support/*.cc")
  add_library(vouch_test_support STATIC ${srcs})
  target_include_directories(vouch_test_support PUBLIC ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(vouch_test_support PUBLIC vouch_lib GTest::gtest GTest::gtest_main GTest::gmock
                        simdjson::simdjson tomlplusplus::tomlplusplus PkgConfig::SQLITE3 TBB::tbb)
  # The paths go into tests/support/test_paths.cc only, so that a compiler cache shares every other test object.
  set_source_files_properties(${PROJECT_SOURCE_DIR}/tests/support/test_paths.cc PROPERTIES
                              COMPILE_DEFINITIONS "VOUCH_TEST_DATA=\"${PROJECT_SOURCE_DIR}/tests/data\";VOUCH_SHARED_DATA=\"${PROJECT_SOURCE_DIR}/../shared/data\"")
  vouch_warnings(vouch_test_support)
  vouch_test_options(vouch_test_support)
  vouch_sanitize(vouch_test_support -Og)
  vouch_precompile(vouch_test_support <gtest/gtest.h> <gmock/gmock.h>)
endfunction()

# A module's test binary: its test files compiled as one unity source per 8 files (VOUCH_UNITY), so each file's
# helpers live in an anonymous namespace named after the file's subject where two files of a module would clash.
function(vouch_test_binary target label)
  add_executable(${target} ${ARGN})
  target_link_libraries(${target} PRIVATE vouch_test_support)
  # In the build folder's root, beside `vouch`, though defined in tests/CMakeLists.txt.
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
  if(VOUCH_UNITY)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  endif()
  vouch_warnings(${target})
  vouch_test_options(${target})
  vouch_sanitize(${target} -Og)
  if(VOUCH_PCH)
    target_precompile_headers(${target} REUSE_FROM vouch_test_support)
  endif()
endfunction()

function(vouch_finish_tests)
  include(GoogleTest)
  vouch_test_support()
  # Last module first: Ninja starts ready jobs in the order they are defined, and the last modules (refer, measure)
  # have the longest test compiles; started first, they do not finish alone at the end of the build.
  set(modules ${VOUCH_MODULES})
  list(REVERSE modules)
  foreach(name IN LISTS modules)
    file(GLOB tests CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/tests/${name}/*_test.cc")
    set(slow ${tests})
    list(FILTER tests EXCLUDE REGEX "_slow_test\\.cc$")
    list(FILTER slow INCLUDE REGEX "_slow_test\\.cc$")
    if(tests)
      vouch_test_binary(${name}_test ${name} ${tests})
      if(VOUCH_SANITIZE)
        # Under the sanitizers each process start costs a fifth of a second (shadow memory, instrumented static
        # initialisers), so a binary runs all its cases in one process: a failure still names the case in the
        # output, and `make test` spends its time testing instead of starting ~400 processes.
        add_test(NAME ${name}_test COMMAND ${name}_test)
        set_tests_properties(${name}_test PROPERTIES LABELS "${name}")
      else()
        gtest_discover_tests(${name}_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${name}")
      endif()
    endif()
    if(slow)
      # Slow binaries stay out of the default build (`make test` neither compiles nor runs them); `make test-slow`
      # builds the `slow_tests` target first. One CTest entry per binary, since discovery needs the binary built.
      vouch_test_binary(${name}_slow_test slow ${slow})
      set_target_properties(${name}_slow_test PROPERTIES EXCLUDE_FROM_ALL ON)
      add_test(NAME ${name}_slow_test COMMAND ${name}_slow_test)
      set_tests_properties(${name}_slow_test PROPERTIES LABELS slow)
      if(NOT TARGET slow_tests)
        add_custom_target(slow_tests)
      endif()
      add_dependencies(slow_tests ${name}_slow_test)
    endif()
  endforeach()
endfunction()
