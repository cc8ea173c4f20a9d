#pragma once
// Where the tests' fixtures lie. The paths are compiled into tests/support/test_paths.cc only, so that every other
// test object file is the same whichever checkout built it and a compiler cache can share them.

#include <string>

namespace vouch::test {

// tests/data of the source tree, without a trailing slash.
std::string TestDataDir();

// ../shared/data beside the source tree (the evaluation data; may be absent), without a trailing slash.
std::string SharedDataDir();

}  // namespace vouch::test
