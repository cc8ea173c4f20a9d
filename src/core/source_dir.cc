#include "vouch/core/source_dir.h"

namespace vouch {

std::filesystem::path SourceDir() { return VOUCH_SOURCE_DIR; }

}  // namespace vouch
