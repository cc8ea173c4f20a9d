#include "vouch/ingest/line_reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <vector>

namespace vouch::ingest {

const char* CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone: return "plain";
    case Compression::kGzip: return "gzip";
    case Compression::kZstd: return "zstd";
  }
  return "plain";
}

namespace {

constexpr size_t kChunk = size_t{1} << 20;  // raw bytes read from the file at a time

// Decompresses a raw byte stream into out; one per compression.
class Decoder {
 public:
  virtual ~Decoder() = default;
  // Appends decompressed bytes of in to out; consumes all of in. Sets finished at the end of the stream.
  virtual Status Feed(std::string_view in, std::vector<char>& out, bool& finished) = 0;
};

class GzipDecoder final : public Decoder {
 public:
  GzipDecoder() {
    std::memset(&z_, 0, sizeof z_);
    inflateInit2(&z_, 15 + 32);  // 32: accept a gzip or zlib header
  }
  ~GzipDecoder() override { inflateEnd(&z_); }
  Status Feed(std::string_view in, std::vector<char>& out, bool& finished) override {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    while (z_.avail_in > 0) {
      size_t old = out.size();
      out.resize(old + kChunk);
      z_.next_out = reinterpret_cast<Bytef*>(out.data() + old);
      z_.avail_out = static_cast<uInt>(kChunk);
      int rc = inflate(&z_, Z_NO_FLUSH);
      out.resize(old + kChunk - z_.avail_out);
      if (rc == Z_STREAM_END) {
        // Concatenated gzip members (as `cat a.gz b.gz` makes) are one file: start over on what follows.
        if (z_.avail_in > 0) {
          inflateReset(&z_);
          continue;
        }
        finished = true;
        return Status::Ok();
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Status::Corruption(fmt::format("gzip data is corrupt ({})", z_.msg ? z_.msg : "inflate failed"));
      }
    }
    finished = false;
    return Status::Ok();
  }

 private:
  z_stream z_;
};

class ZstdDecoder final : public Decoder {
 public:
  ZstdDecoder() : ctx_(ZSTD_createDStream()) { ZSTD_initDStream(ctx_); }
  ~ZstdDecoder() override { ZSTD_freeDStream(ctx_); }
  Status Feed(std::string_view in, std::vector<char>& out, bool& finished) override {
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    size_t hint = 1;
    while (input.pos < input.size) {
      size_t old = out.size();
      out.resize(old + kChunk);
      ZSTD_outBuffer output{out.data() + old, kChunk, 0};
      hint = ZSTD_decompressStream(ctx_, &output, &input);
      out.resize(old + output.pos);
      if (ZSTD_isError(hint)) {
        return Status::Corruption(fmt::format("zstd data is corrupt ({})", ZSTD_getErrorName(hint)));
      }
    }
    finished = hint == 0;
    return Status::Ok();
  }

 private:
  ZSTD_DStream* ctx_;
};

// The decompressed bytes not yet handed out, [begin_, end_) of one allocation that always keeps kPadding spare
// bytes past end_ (for simdjson). Handing out a line only moves begin_; the data moves to the front only when
// more must be read, so each byte is copied at most once or twice whatever the line lengths.
class Buffer {
 public:
  const char* begin() const { return data_.get() + begin_; }
  size_t size() const { return end_ - begin_; }
  size_t capacity_from_begin() const { return cap_ - begin_; }
  void Consume(size_t n) { begin_ += n; }
  void Clear() { begin_ = end_ = 0; }
  void Append(const char* p, size_t n) {
    if (end_ + n + LineReader::kPadding > cap_) Grow(n);
    std::memcpy(data_.get() + end_, p, n);
    end_ += n;
    std::memset(data_.get() + end_, 0, LineReader::kPadding);
  }

 private:
  void Grow(size_t extra) {
    size_t live = size();
    size_t need = live + extra + LineReader::kPadding;
    if (need <= cap_ && begin_ > 0) {  // room enough once compacted
      std::memmove(data_.get(), begin(), live);
    } else {
      size_t cap = std::max(need, cap_ * 2);
      auto bigger = std::make_unique<char[]>(cap);
      if (live > 0) std::memcpy(bigger.get(), begin(), live);
      data_ = std::move(bigger);
      cap_ = cap;
    }
    begin_ = 0;
    end_ = live;
  }

  std::unique_ptr<char[]> data_;
  size_t cap_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
};

class FileLineReader final : public LineReader {
 public:
  FileLineReader(int fd, std::string path, uint64_t total, size_t max_line)
      : fd_(fd), path_(std::move(path)), total_(total), max_line_(max_line) {}
  ~FileLineReader() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Init() {
    // Peek the magic bytes to choose the decoder.
    VOUCH_TRY(ReadRaw());
    const auto* b = reinterpret_cast<const unsigned char*>(raw_.data());
    if (raw_.size() >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
      compression_ = Compression::kGzip;
      decoder_ = std::make_unique<GzipDecoder>();
    } else if (raw_.size() >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd) {
      compression_ = Compression::kZstd;
      decoder_ = std::make_unique<ZstdDecoder>();
    }
    return Decode();
  }

  Result<bool> Next(Line& line) override {
    buf_.Consume(consumed_);  // the line handed out last time
    consumed_ = 0;
    padded_oversized_ = false;
    for (;;) {
      const char* start = buf_.begin();
      size_t avail = buf_.size();
      const char* nl = avail ? static_cast<const char*>(std::memchr(start + scanned_, '\n', avail - scanned_))
                             : nullptr;
      if (nl != nullptr || (eof_ && avail > 0)) {
        size_t len = nl ? static_cast<size_t>(nl - start) : avail;
        consumed_ = nl ? len + 1 : len;
        scanned_ = 0;
        if (skipping_) {  // the tail of an oversized line, already reported
          skipping_ = false;
          buf_.Consume(consumed_);
          consumed_ = 0;
          continue;
        }
        if (len > 0 && start[len - 1] == '\r') --len;
        ++number_;
        line = Line{std::string_view(start, len), number_, len > max_line_};
        if (line.oversized) line.text = line.text.substr(0, kKeptOfOversized);
        return true;
      }
      scanned_ = avail;
      if (eof_) return false;
      if (avail > max_line_ && !skipping_) {
        // No newline within the limit: report the line now and skip the rest of it as it streams by.
        ++number_;
        size_t kept = std::min(avail, kKeptOfOversized);
        oversized_head_.assign(start, kept);
        oversized_head_.append(LineReader::kPadding, '\0');
        buf_.Clear();
        scanned_ = 0;
        skipping_ = true;
        line = Line{std::string_view(oversized_head_.data(), kept), number_, true};
        padded_oversized_ = true;
        return true;
      }
      if (skipping_) {
        buf_.Clear();
        scanned_ = 0;
      }
      VOUCH_TRY(ReadRaw());
      VOUCH_TRY(Decode());
    }
  }

  size_t capacity() const override {
    return padded_oversized_ ? oversized_head_.size() : buf_.capacity_from_begin();
  }
  Compression compression() const override { return compression_; }
  uint64_t bytes_read() const override { return bytes_read_; }
  uint64_t total_bytes() const override { return total_; }
  const std::string& path() const override { return path_; }

 private:
  static constexpr size_t kKeptOfOversized = 4096;

  Status ReadRaw() {
    raw_.resize(kChunk);
    for (;;) {
      ssize_t n = ::read(fd_, raw_.data(), kChunk);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        return Status::IoError(
            fmt::format("{}: read failed after line {}: {}", path_, number_, std::strerror(errno)));
      }
      raw_.resize(static_cast<size_t>(n));
      bytes_read_ += static_cast<uint64_t>(n);
      raw_eof_ = n == 0;
      return Status::Ok();
    }
  }

  Status Decode() {
    if (!decoder_) {
      buf_.Append(raw_.data(), raw_.size());
    } else if (!raw_.empty()) {
      bool finished = false;
      decoded_.clear();
      Status s = decoder_->Feed(std::string_view(raw_.data(), raw_.size()), decoded_, finished);
      if (!s.ok()) return Status::Corruption(fmt::format("{}: after line {}: {}", path_, number_, s.message()));
      buf_.Append(decoded_.data(), decoded_.size());
      stream_finished_ = finished;
    }
    if (raw_eof_) {
      if (decoder_ && !stream_finished_) {
        return Status::Corruption(fmt::format("{}: {} stream is truncated (after line {})", path_,
                                              CompressionName(compression_), number_));
      }
      eof_ = true;
    }
    return Status::Ok();
  }

  int fd_;
  std::string path_;
  uint64_t total_;
  size_t max_line_;
  Compression compression_ = Compression::kNone;
  std::unique_ptr<Decoder> decoder_;
  std::vector<char> raw_;
  std::vector<char> decoded_;
  Buffer buf_;
  size_t consumed_ = 0;   // bytes of the line handed out last, dropped on the next call
  size_t scanned_ = 0;    // bytes already searched for a newline without finding one
  uint64_t number_ = 0;
  uint64_t bytes_read_ = 0;
  bool raw_eof_ = false;
  bool stream_finished_ = false;
  bool eof_ = false;
  bool skipping_ = false;
  bool padded_oversized_ = false;
  std::string oversized_head_;
};

}  // namespace

Result<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path, size_t max_line_bytes) {
  int fd = path == "-" ? ::dup(STDIN_FILENO) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(fmt::format("{}: no such file", path));
    return Status::IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  struct stat st {};
  uint64_t total = 0;
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      return Status::InvalidArgument(fmt::format("{}: is a directory, not a file", path));
    }
    if (S_ISREG(st.st_mode)) total = static_cast<uint64_t>(st.st_size);
  }
  auto reader = std::make_unique<FileLineReader>(fd, path, total, max_line_bytes);
  VOUCH_TRY(reader->Init());
  return std::unique_ptr<LineReader>(std::move(reader));
}

}  // namespace vouch::ingest
