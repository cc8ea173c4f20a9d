#include "synth/frame_compressor.h"

#include <zlib.h>
#include <zstd.h>

#include <memory>

#include <fmt/format.h>

namespace vouch::synth {
namespace {

struct CctxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

}  // namespace

Status AppendZstdFrame(std::string_view input, int level, std::string& out) {
  // One context per thread: creating one per chunk would cost more than compressing a small chunk.
  thread_local std::unique_ptr<ZSTD_CCtx, CctxDeleter> ctx(ZSTD_createCCtx());
  if (!ctx) return Status::Internal("zstd: cannot create a compression context");
  const size_t old = out.size();
  out.resize(old + ZSTD_compressBound(input.size()));
  const size_t n = ZSTD_compressCCtx(ctx.get(), out.data() + old, out.size() - old, input.data(), input.size(), level);
  if (ZSTD_isError(n)) {
    out.resize(old);
    return Status::Internal(fmt::format("zstd: {}", ZSTD_getErrorName(n)));
  }
  out.resize(old + n);
  return Status::Ok();
}

Status AppendGzipMember(std::string_view input, int level, std::string& out) {
  z_stream z{};
  // 15 + 16: a gzip wrapper (with a zero mtime, so the bytes do not depend on when they were made).
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("zlib: deflateInit2 failed");
  }
  const size_t old = out.size();
  out.resize(old + deflateBound(&z, static_cast<uLong>(input.size())) + 32);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = static_cast<uInt>(input.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data() + old);
  z.avail_out = static_cast<uInt>(out.size() - old);
  const int rc = deflate(&z, Z_FINISH);
  const size_t produced = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) {
    out.resize(old);
    return Status::Internal(fmt::format("zlib: deflate returned {}", rc));
  }
  out.resize(old + produced);
  return Status::Ok();
}

}  // namespace vouch::synth
