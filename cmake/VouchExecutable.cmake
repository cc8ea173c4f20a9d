# How the `vouch` executable is linked in an optimised build: for a small resident set and a quick start.
#
# A short `vouch advocates` run (Enron) spends two thirds of its peak memory on the process itself, not on the
# graph: each shared library costs its relocated data, its symbol lookups and the pages the kernel maps around every
# page touched, and libcrypto alone was 1.4 MB resident for `vouch --version` (docs/benchmarks.md, Influence: the
# process's baseline). So:
# - The C libraries whose Debian -dev packages ship an archive (sqlite3, zstd, zlib, xxhash, utf8proc, OpenSSL) are
#   linked statically: their code is mapped with Vouch's, nothing of it is looked up at start, and OpenSSL's and
#   SQLite's pages are touched only by the verbs that use them. The archives are linked right after libvouch, ahead
#   of its shared link items, so they take the symbols, and --as-needed then drops the shared copies. fmt,
#   simdjson and toml++ ship no archive and TBB has no supported static build: they stay shared, and so does
#   libstdc++, which they need (a static copy beside theirs would only add pages).
# - Relative relocations are packed (DT_RELR, -z pack-relative-relocs): the relocation table the loader reads at
#   every start shrinks from ~650 KB to ~7 KB. mold 1.10 writes DT_RELR without the glibc version tag the loader
#   requires, so this one executable is linked by the toolchain's default linker (ld.bfd, about a second); the test
#   binaries keep mold.
# - --gc-sections drops the archive sections nothing references.
# - Symbols are bound at start (-z now), not at each function's first call: a selection's first calls into
#   libstdc++, libm and TBB then look nothing up, so the symbol tables and the loader's code that the start-up
#   touched are not touched again after `vouch advocates` gives the start-up's pages back
#   (tools/vouch/startup_pages.h; Enron IC wc k = 50: about -0.4 MB peak). It also makes the global offset table
#   read-only (full RELRO), for `vouch serve`.
# - The functions a selection run executes (cmake/vouch_hot_text.txt, written by bench/influence/hot_text.py) are
#   placed together at the front of the code, in an output section of their own inserted before .text: the kernel
#   maps up to 64 KiB of cached code around each page a run first touches, so a few hundred functions spread over
#   8 MB of code made about 2 MB of it resident; together they take a few hundred KiB (Enron IC wc k=50: peak
#   -0.5 MB). Only functions the compiler emits in sections of their own (.text.<mangled name>) move: libvouch and
#   the CLI are compiled with -ffunction-sections for this (vouch_hot_sections), so all their functions can, not
#   only templates and inline functions (session 11: vouch code resident at an Enron selection's peak 1.88 ->
#   1.59 MB). A listed name that no longer exists matches nothing. Most of the rest of the executable's resident
#   code is the start-up's, which `vouch advocates` gives back before the selection (tools/vouch/startup_pages.h).
# The executable stays position-independent: -no-pie would save a further 0.1-0.3 MB (OpenSSL's tables would need
# no relocating) but give up address randomisation of a binary that serves HTTP.
# Sanitizer and debug builds keep the plain link: the sanitizers bring their own start-up (see vouch_sanitize), and a
# debug link should be quick.
option(VOUCH_LEAN_LINK "Link the vouch executable statically where Debian allows, with packed relocations" ON)

function(vouch_lean_enabled out)
  if(VOUCH_LEAN_LINK AND NOT VOUCH_SANITIZE AND CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo|MinSizeRel)$")
    set(${out} ON PARENT_SCOPE)
  else()
    set(${out} OFF PARENT_SCOPE)
  endif()
endfunction()

# vouch_hot_sections(target): every function of the target's objects in a section of its own
# (-ffunction-sections), so that the link can move any function a selection executes into the hot section, not only
# the templates and inline functions (see vouch_lean_link). Applied to libvouch and the CLI's objects. The test
# binaries link the same libvouch: mold links influence_test in 0.5 s with or without it.
function(vouch_hot_sections target)
  vouch_lean_enabled(lean)
  if(lean)
    target_compile_options(${target} PRIVATE -ffunction-sections)
  endif()
endfunction()

function(vouch_lean_link target)
  vouch_lean_enabled(lean)
  if(NOT lean)
    return()
  endif()
  set(archives)
  # In this order: libssl's members need libcrypto's.
  foreach(lib sqlite3 zstd z xxhash utf8proc ssl crypto)
    find_library(VOUCH_STATIC_${lib} NAMES lib${lib}.a)
    if(VOUCH_STATIC_${lib})
      list(APPEND archives ${VOUCH_STATIC_${lib}})
    else()
      message(STATUS "vouch: no lib${lib}.a, ${target} links the shared library")
    endif()
  endforeach()
  target_link_libraries(${target} PRIVATE ${archives} ${CMAKE_DL_LIBS})
  target_link_options(${target} PRIVATE -Wl,--as-needed -Wl,--gc-sections)
  include(CheckLinkerFlag)
  set(CMAKE_REQUIRED_LINK_OPTIONS -fuse-ld=bfd)
  check_linker_flag(CXX "LINKER:-z,pack-relative-relocs" VOUCH_HAVE_RELR)
  if(VOUCH_HAVE_RELR)
    target_link_options(${target} PRIVATE -fuse-ld=bfd LINKER:-z,pack-relative-relocs LINKER:-z,now)
    # The hot functions' section, as a script that augments ld.bfd's default one (INSERT).
    set(hot_list ${PROJECT_SOURCE_DIR}/cmake/vouch_hot_text.txt)
    if(EXISTS ${hot_list})
      file(STRINGS ${hot_list} hot_functions REGEX "^_Z[A-Za-z0-9_.$]+$")
      list(TRANSFORM hot_functions PREPEND "    *(.text.")
      list(TRANSFORM hot_functions APPEND ")")
      list(JOIN hot_functions "\n" hot_inputs)
      set(hot_script ${CMAKE_CURRENT_BINARY_DIR}/${target}_hot_text.ld)
      file(CONFIGURE OUTPUT ${hot_script}
           CONTENT "SECTIONS\n{\n  .text.vouch_hot :\n  {\n${hot_inputs}\n  }\n}\nINSERT BEFORE .text;\n")
      set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${hot_list})
      target_link_options(${target} PRIVATE LINKER:-T,${hot_script})
      set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${hot_script})
    endif()
  endif()
endfunction()
