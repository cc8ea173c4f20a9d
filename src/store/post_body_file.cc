#include "store/post_body_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <xxhash.h>

#include <cerrno>
#include <cstring>

namespace vouch::store {

namespace {

constexpr uint32_t kMissing = 0xffffffffu;

void PutU32(std::string& out, uint32_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }
void PutString(std::string& out, std::string_view v) {
  PutU32(out, static_cast<uint32_t>(v.size()));
  out.append(v);
}
void PutOptional(std::string& out, const std::optional<std::string>& v) {
  if (v) {
    PutString(out, *v);
  } else {
    PutU32(out, kMissing);
  }
}
void PutList(std::string& out, const std::vector<std::string>& items) {
  PutU32(out, static_cast<uint32_t>(items.size()));
  for (const std::string& item : items) PutString(out, item);
}

// Reads the payload front to back; any read past its end fails the whole decode.
class Cursor {
 public:
  explicit Cursor(std::string_view in) : in_(in) {}
  // A fixed-width value as the machine writes it (uint32_t lengths, int64_t metrics).
  template <typename T>
  bool Fixed(T& v) {
    if (in_.size() < sizeof v) return false;
    std::memcpy(&v, in_.data(), sizeof v);
    in_.remove_prefix(sizeof v);
    return true;
  }
  bool Bytes(size_t n, std::string& out) {
    if (in_.size() < n) return false;
    out.assign(in_.data(), n);
    in_.remove_prefix(n);
    return true;
  }
  bool String(std::string& out) {
    uint32_t n = 0;
    return Fixed(n) && Bytes(n, out);
  }
  bool Optional(std::optional<std::string>& out) {
    uint32_t n = 0;
    if (!Fixed(n)) return false;
    if (n == kMissing) {
      out.reset();
      return true;
    }
    if (!out) out.emplace();
    return Bytes(n, *out);
  }
  bool List(std::vector<std::string>& out) {
    uint32_t n = 0;
    if (!Fixed(n) || n > in_.size() / sizeof(uint32_t)) return false;  // each item takes at least its length
    out.resize(n);
    for (std::string& item : out) {
      if (!String(item)) return false;
    }
    return true;
  }
  bool Byte(unsigned char& v) {
    if (in_.empty()) return false;
    v = static_cast<unsigned char>(in_[0]);
    in_.remove_prefix(1);
    return true;
  }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

// The record's check-sum: XXH3 (libxxhash, as listen's vocabulary uses): it only has to catch torn or overwritten
// records, and at ~300 bytes a post it must cost far less than writing them.
uint64_t CheckSum(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

Status Errno(const std::string& path, std::string_view what) {
  return Status::IoError(fmt::format("{}: {}: {}", path, what, std::strerror(errno)));
}

}  // namespace

void EncodePostBody(std::string& out, const Post& post) {
  PutString(out, post.author_name);
  PutString(out, post.text);
  PutOptional(out, post.reply_to);
  PutOptional(out, post.reshare_of);
  PutOptional(out, post.quote_of);
  PutString(out, post.lang);
  PutList(out, post.mentions);
  PutList(out, post.hashtags);
  PutList(out, post.urls);
  const std::optional<int64_t> metrics[] = {post.metrics.likes, post.metrics.reshares, post.metrics.replies,
                                            post.metrics.quotes};
  unsigned present = 0;
  for (unsigned i = 0; i < 4; ++i) present |= metrics[i] ? 1u << i : 0u;
  out.push_back(static_cast<char>(present));
  for (const auto& m : metrics) {
    if (m) out.append(reinterpret_cast<const char*>(&*m), sizeof(int64_t));
  }
}

bool DecodePostBody(std::string_view payload, Post& post) {
  Cursor in(payload);
  if (!in.String(post.author_name) || !in.String(post.text) || !in.Optional(post.reply_to) ||
      !in.Optional(post.reshare_of) || !in.Optional(post.quote_of) || !in.String(post.lang) ||
      !in.List(post.mentions) || !in.List(post.hashtags) || !in.List(post.urls)) {
    return false;
  }
  unsigned char present = 0;
  if (!in.Byte(present) || present > 0xF) return false;
  std::optional<int64_t>* metrics[] = {&post.metrics.likes, &post.metrics.reshares, &post.metrics.replies,
                                       &post.metrics.quotes};
  for (unsigned i = 0; i < 4; ++i) {
    if ((present & (1u << i)) == 0) {
      metrics[i]->reset();
      continue;
    }
    int64_t v = 0;
    if (!in.Fixed(v)) return false;
    *metrics[i] = v;
  }
  return in.done();
}

Result<std::unique_ptr<PostBodyFile>> PostBodyFile::Open(std::string path) {
  if (path.empty()) return std::unique_ptr<PostBodyFile>(new PostBodyFile(std::move(path), -1));
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Errno(path, "cannot open the posts' body file");
  std::unique_ptr<PostBodyFile> file(new PostBodyFile(std::move(path), fd));
  VOUCH_ASSIGN_OR_RETURN(file->written_, file->Size());
  file->end_ = file->written_;
  return file;
}

PostBodyFile::~PostBodyFile() {
  if (map_ != nullptr) ::munmap(const_cast<char*>(map_), mapped_);
  if (fd_ >= 0) ::close(fd_);
}

Result<uint64_t> PostBodyFile::Size() const {
  if (fd_ < 0) return static_cast<uint64_t>(memory_.size());
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return Errno(path_, "cannot read the size");
  return static_cast<uint64_t>(st.st_size);
}

Result<uint64_t> PostBodyFile::CheckHolds(uint64_t committed_end, std::string_view last_post) const {
  VOUCH_ASSIGN_OR_RETURN(uint64_t size, Size());
  if (size < committed_end) {
    return Status::Corruption(fmt::format(
        "{}: the posts' body file holds {} bytes, but the stored posts need {} (post {} ends there): it was cut "
        "or replaced; restore it together with the database",
        Name(), size, committed_end, last_post));
  }
  return size;
}

Status PostBodyFile::StartAppending(uint64_t committed_end, std::string_view last_post) {
  buffer_.clear();
  VOUCH_ASSIGN_OR_RETURN(uint64_t size, CheckHolds(committed_end, last_post));
  if (size > committed_end) {  // a killed load's or a rolled back transaction's records: no row points there
    if (fd_ < 0) {
      memory_.resize(committed_end);
    } else if (::ftruncate(fd_, static_cast<off_t>(committed_end)) != 0) {
      return Errno(path_, "cannot cut records no stored post points to");
    }
  }
  written_ = end_ = committed_end;
  appending_ = true;
  if (buffer_.capacity() < 2 * kWriteBytes) buffer_.reserve(2 * kWriteBytes);
  return Status::Ok();
}

Result<PostBodyRef> PostBodyFile::Append(const Post& post) {
  if (!appending_) return Status::Internal("PostBodyFile::Append before StartAppending");
  const size_t start = buffer_.size();
  buffer_.push_back(static_cast<char>(kVersion));
  buffer_.append(sizeof(uint64_t), '\0');
  EncodePostBody(buffer_, post);
  const uint64_t sum = CheckSum(std::string_view(buffer_).substr(start + kHeaderBytes));
  std::memcpy(buffer_.data() + start + 1, &sum, sizeof sum);
  const PostBodyRef ref{end_, buffer_.size() - start};
  end_ += ref.length;
  if (buffer_.size() >= kWriteBytes) VOUCH_TRY(WriteOut());
  return ref;
}

bool PostBodyFile::RewindTo(uint64_t mark) {
  if (mark < written_ || mark > end_) return false;
  buffer_.resize(mark - written_);
  end_ = mark;
  return true;
}

Status PostBodyFile::WriteOut() {
  if (fd_ < 0) {
    memory_.append(buffer_);
  } else {
    size_t done = 0;
    while (done < buffer_.size()) {
      const ssize_t n = ::pwrite(fd_, buffer_.data() + done, buffer_.size() - done,
                                 static_cast<off_t>(written_ + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Errno(path_, "cannot write posts' bodies");
      done += static_cast<size_t>(n);
    }
  }
  written_ += buffer_.size();
  unsynced_ = unsynced_ || !buffer_.empty();
  buffer_.clear();
  return Status::Ok();
}

Status PostBodyFile::Sync() {
  if (!appending_) return Status::Ok();
  VOUCH_TRY(WriteOut());
  // Everything written since the last sync, full buffers written out mid-transaction included.
  if (fd_ >= 0 && unsynced_ && ::fdatasync(fd_) != 0) return Errno(path_, "cannot make posts' bodies durable");
  unsynced_ = false;
  appending_ = false;
  return Status::Ok();
}

void PostBodyFile::Abandon() {
  buffer_.clear();
  end_ = written_;
  appending_ = false;
}

Result<std::string_view> PostBodyFile::Bytes(int64_t post_row, PostBodyRef ref) {
  const uint64_t stop = ref.offset + ref.length;
  if (ref.length < kHeaderBytes || stop < ref.offset) {
    return Status::Corruption(fmt::format("{}: post {} has an impossible body ({} bytes at offset {})", Name(),
                                          post_row, ref.length, ref.offset));
  }
  if (appending_ && ref.offset >= written_ && stop <= end_) {
    return std::string_view(buffer_).substr(ref.offset - written_, ref.length);
  }
  if (fd_ < 0) {
    if (stop > memory_.size()) {
      return Status::Corruption(fmt::format("{}: post {}'s body ends at byte {}, past the end ({})", Name(),
                                            post_row, stop, memory_.size()));
    }
    return std::string_view(memory_).substr(ref.offset, ref.length);
  }
  if (stop > mapped_) {  // the file grew since it was mapped (or was never mapped)
    VOUCH_ASSIGN_OR_RETURN(uint64_t size, Size());
    if (stop > size) {
      return Status::Corruption(fmt::format("{}: post {}'s body ends at byte {}, past the file's end ({})", path_,
                                            post_row, stop, size));
    }
    if (map_ != nullptr) ::munmap(const_cast<char*>(map_), mapped_);
    map_ = nullptr;
    mapped_ = 0;
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd_, 0);
    if (p == MAP_FAILED) return Errno(path_, "cannot map posts' bodies");
    map_ = static_cast<const char*>(p);
    mapped_ = size;
  }
  return std::string_view(map_ + ref.offset, ref.length);
}

Status PostBodyFile::Read(int64_t post_row, PostBodyRef ref, Post& post) {
  VOUCH_ASSIGN_OR_RETURN(std::string_view record, Bytes(post_row, ref));
  if (static_cast<uint8_t>(record[0]) != kVersion) {
    return Status::Corruption(fmt::format("{}: post {}'s body (offset {}) has version {}, not {}: written by "
                                          "another Vouch, or overwritten",
                                          Name(), post_row, ref.offset, static_cast<int>(record[0]), kVersion));
  }
  uint64_t sum = 0;
  std::memcpy(&sum, record.data() + 1, sizeof sum);
  const std::string_view payload = record.substr(kHeaderBytes);
  if (CheckSum(payload) != sum || !DecodePostBody(payload, post)) {
    return Status::Corruption(fmt::format("{}: post {}'s body ({} bytes at offset {}) fails its check-sum", Name(),
                                          post_row, ref.length, ref.offset));
  }
  return Status::Ok();
}

}  // namespace vouch::store
