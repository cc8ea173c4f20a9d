#include "support/test_paths.h"

namespace vouch::test {

std::string TestDataDir() { return VOUCH_TEST_DATA; }

std::string SharedDataDir() { return VOUCH_SHARED_DATA; }

}  // namespace vouch::test
