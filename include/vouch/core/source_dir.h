#pragma once
// Where the source tree this binary was built from lies. Data that ships with the source (src/listen/cues.txt)
// or that the installer puts beside it (node_modules/) is found from here at run time.
//
// The path is compiled into one source file only (src/core/source_dir.cc), so that every other object file is the
// same whichever checkout built it and a compiler cache can share them between checkouts.

#include <filesystem>

namespace vouch {

// The absolute path of the source tree's root, as CMake saw it at configure time.
std::filesystem::path SourceDir();

}  // namespace vouch
