# Vouch: the developer's entry points (DuckDB-style Makefile over CMake). Every target installs what is missing
# first (scripts/install-deps.sh is quick when all is there).
#
#   make            release build, binary at build/release/vouch
#   make debug      debug build at build/debug/vouch
#   make run        build, then run the main job on an example world (SQLite workspace in build/run/)
#   make test       build and run the default test suite, then its GoogleTest binaries once more under ASan + UBSan
#   make test-slow  the long, data-hungry tests (CTest label "slow")
#   make test-sanitize-cli  the CLI scripts against a sanitized vouch (label "cli-sanitize"; long, so not in
#                   make test)
#   make bench      build and run the benchmarks, figures in docs/benchmarks.md
#   make format     clang-format every source file

JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
WERROR ?= $(if $(CI),ON,OFF)
# A compiler cache, when the machine has one, shares objects between checkouts (worktrees) and rebuilds; paths
# are made relative to the checkout so that every checkout hits the same entries.
CCACHE := $(shell command -v ccache 2>/dev/null)
ifneq ($(CCACHE),)
  export CCACHE_BASEDIR := $(CURDIR)
  export CCACHE_NOHASHDIR := 1
  export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime
  LAUNCHER = -DCMAKE_CXX_COMPILER_LAUNCHER=$(CCACHE) -DCMAKE_C_COMPILER_LAUNCHER=$(CCACHE)
endif
BUILD_FLAGS = -G Ninja -DVOUCH_WERROR=$(WERROR) $(LAUNCHER) $(CMAKE_FLAGS)

.PHONY: all release debug sanitize deps run test test-unit test-sanitize test-sanitize-cli test-slow bench format \
  clean

all: release

deps:
	@scripts/install-deps.sh

release: deps
	@cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release $(BUILD_FLAGS) >/dev/null
	@cmake --build build/release -j $(JOBS)

debug: deps
	@cmake -S . -B build/debug -DCMAKE_BUILD_TYPE=Debug $(BUILD_FLAGS) >/dev/null
	@cmake --build build/debug -j $(JOBS)

sanitize: deps
	@# -g1: line tables are all a sanitizer report needs, and full debug info is a quarter of the compile time.
	@cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DVOUCH_SANITIZE=ON \
	  $(BUILD_FLAGS) >/dev/null
	@cmake --build build/sanitize -j $(JOBS)

run: release
	@scripts/run-example.sh

test-unit: release
	@cd build/release && ctest --output-on-failure -j $(JOBS) -LE slow

# The sanitizers' settings for every run of a sanitized test.
SANITIZER_ENV = ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1

test-sanitize: sanitize
	@cd build/sanitize && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS) -LE 'slow|cli-sanitize'

test-sanitize-cli: sanitize
	@cmake --build build/sanitize -j $(JOBS) --target vouch
	@cd build/sanitize && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS) -L cli-sanitize

test: test-unit test-sanitize

test-slow: release
	@cmake --build build/release -j $(JOBS) --target slow_tests
	@cd build/release && ctest --output-on-failure -j $(JOBS) -L slow

bench:
	@scripts/install-deps.sh bench
	@cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DVOUCH_BUILD_BENCH=ON $(BUILD_FLAGS) >/dev/null
	@cmake --build build/bench -j $(JOBS)
	@bench/run.sh

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf build
