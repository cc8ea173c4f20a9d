// Compression of one chunk of a world file into a self-contained frame: a zstd frame or a gzip member.
//
// Chunks are compressed independently (in parallel) and concatenated in order; concatenated zstd frames are one
// valid zstd stream and concatenated gzip members one valid gzip file (RFC 1952, section 2.2), which every reader
// (zstdcat, zcat, vouch::ingest::LineReader) reads as the whole. Each frame depends only on its bytes and the level,
// so the file does not depend on the thread count. Thread safe: each thread keeps its own compression context.
#pragma once

#include <string>
#include <string_view>

#include "vouch/core/status.h"

namespace vouch::synth {

// Appends the compressed frame of input to out.
Status AppendZstdFrame(std::string_view input, int level, std::string& out);
Status AppendGzipMember(std::string_view input, int level, std::string& out);

}  // namespace vouch::synth
