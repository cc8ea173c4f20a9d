#include "vouch/graph/edge_list_parser.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "graph/mapped_file.h"

namespace vouch::graph {
namespace {

inline bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Up to 4 whitespace-separated fields of the line starting at p; returns the start of the next line. count is
// the number of fields found (4 means "4 or more"); 0 for blank and comment lines.
inline const char* SplitLine(const char* p, const char* end, std::string_view* fields, int& count) {
  count = 0;
  while (p < end && IsBlank(*p)) ++p;
  if (p < end && (*p == '#' || *p == '%')) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    return nl == nullptr ? end : static_cast<const char*>(nl) + 1;
  }
  while (p < end && *p != '\n') {
    const char* start = p;
    while (p < end && *p != '\n' && !IsBlank(*p)) ++p;
    if (count < 4) fields[count] = std::string_view(start, static_cast<size_t>(p - start));
    ++count;
    while (p < end && IsBlank(*p)) ++p;
  }
  if (count > 4) count = 4;
  return p < end ? p + 1 : end;
}

// A non-negative integer of at most 19 digits (so it fits in uint64 without overflow checks).
inline bool ParseId(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    unsigned d = static_cast<unsigned char>(c) - static_cast<unsigned>('0');
    if (d > 9) return false;
    v = v * 10 + d;
  }
  out = v;
  return true;
}

std::string ParseWeight(std::string_view s, float& out) {
  const char* b = s.data();
  const char* e = b + s.size();
  auto [ptr, ec] = std::from_chars(b, e, out);
  if (ec != std::errc() || ptr != e || !std::isfinite(out)) {
    return fmt::format("weight '{}' is not a number", s);
  }
  if (out < 0) return fmt::format("weight '{}' is negative", s);
  return {};
}

std::string ColumnsError(int count, std::string_view first) {
  if (count == 1) return fmt::format("expected 'SOURCE TARGET [WEIGHT]', found only '{}'", first);
  return "expected 'SOURCE TARGET [WEIGHT]', found more than 3 fields";
}

struct SliceResult {
  EdgeChunk chunk;
  uint64_t data_lines = 0;
  int columns = 0;             // of the first data line
  uint64_t first_data_line = 0;
  bool need_strings = false;
  uint64_t error_line = 0;     // 1-based within the slice; 0 when none
  std::string error;
  std::string io_error;        // the file could not be read; the slice stopped there
  // Kept between the pieces of the slice that ParsePiece is given in turn.
  uint64_t lines = 0;          // lines seen so far
  size_t most = 0;             // the most arcs the slice can hold (what its columns reserve)
  bool wide = false;           // the slice's ids are in the 64-bit columns
};

inline bool IsDigit(char c) { return static_cast<unsigned>(static_cast<unsigned char>(c)) - 48u < 10u; }

// Scans up to 19 digits at p; returns the end of them, or nullptr when there are none or more than 19.
//
// Ids of up to 7 digits (every id of a graph of up to ten million nodes) take a branch-free path: the 8 bytes at p
// are tested for digits all at once and converted with three multiplications (the SWAR method of simdjson's
// parse_eight_digits_unrolled), instead of a loop that waits on each digit's multiply-add before the next (that
// loop was most of the parser's samples on R-MAT 20).
static_assert(std::endian::native == std::endian::little, "ScanId reads the first byte of a word as its lowest");
inline const char* ScanId(const char* p, const char* end, uint64_t& out) {
  if (end - p >= 8) {
    uint64_t word = 0;
    std::memcpy(&word, p, 8);  // the first byte in the lowest bits
    // Bytes of 0x80 and above could carry between bytes in the test below; they take the loop.
    if ((word & 0x8080808080808080u) == 0) {
      // A byte is a digit ('0' = 0x30 .. '9' = 0x39) when its high nibble is 3 and adding 6 keeps it 3; such
      // bytes become 0 in `other`, every other byte nonzero.
      const uint64_t other =
          ((word & 0xF0F0F0F0F0F0F0F0u) | (((word + 0x0606060606060606u) & 0xF0F0F0F0F0F0F0F0u) >> 4)) ^
          0x3333333333333333u;
      // The high bit of each byte of `other` that is nonzero (no carries: each byte's low 7 bits plus 0x7F).
      const uint64_t stops = (((other & 0x7F7F7F7F7F7F7F7Fu) + 0x7F7F7F7F7F7F7F7Fu) | other) & 0x8080808080808080u;
      if (stops != 0) {  // else 8 or more digits: the loop below
        const int digits = std::countr_zero(stops) >> 3;
        if (digits == 0) return nullptr;
        // The digits moved to the top bytes (zeros before them), then 8 digits to a number in three steps:
        // pairs, quadruples, the whole.
        uint64_t v = (word << (8 * (8 - digits))) & 0x0F0F0F0F0F0F0F0Fu;
        v = v * 10 + (v >> 8);
        v = ((v & 0x000000FF000000FFu) * 0x000F424000000064u +
             ((v >> 16) & 0x000000FF000000FFu) * 0x0000271000000001u) >> 32;
        out = v;
        return p + digits;
      }
    }
  }
  const char* start = p;
  uint64_t v = 0;
  while (p < end && IsDigit(*p)) v = v * 10 + static_cast<uint64_t>(*p++ - '0');
  if (p == start || p - start > 19) return nullptr;
  out = v;
  return p;
}

// Parses whole lines [p, end) of a slice (a piece that ends at a line end, or the slice's end), continuing the
// slice's state in r. Stops at the first error or string id (r.error_line, r.need_strings).
void ParsePiece(const char* p, const char* end, SliceResult& r) {
  EdgeChunk& chunk = r.chunk;
  // Ids go into the 32-bit columns until one does not fit; then the slice's ids so far are widened once.
  auto push = [&](uint64_t u, uint64_t v) {
    if (!r.wide) [[likely]] {
      if ((u | v) <= 0xFFFFFFFFu) [[likely]] {
        chunk.source32.push_back(static_cast<uint32_t>(u));
        chunk.target32.push_back(static_cast<uint32_t>(v));
        return;
      }
      r.wide = true;
      chunk.source.reserve(r.most);
      chunk.target.reserve(r.most);
      WidenIds(chunk);
    }
    chunk.source.push_back(u);
    chunk.target.push_back(v);
  };
  std::string_view f[4];
  uint64_t line = r.lines;  // (the error returns below end the slice: its count no longer matters)
  while (p < end) {
    ++line;
    // Fast path: "DIGITS<blanks>DIGITS<blanks>\n", the shape of nearly every line of a SNAP file.
    if (r.columns != 3 && IsDigit(*p)) {
      uint64_t u = 0, v = 0;
      const char* q = ScanId(p, end, u);
      if (q != nullptr && q < end && (*q == ' ' || *q == '\t')) {
        while (q < end && (*q == ' ' || *q == '\t')) ++q;
        q = ScanId(q, end, v);
        if (q != nullptr) {
          while (q < end && IsBlank(*q)) ++q;
          if (q == end || *q == '\n') {
            if (r.columns == 0) {
              r.columns = 2;
              r.first_data_line = line;
            }
            push(u, v);
            ++r.data_lines;
            p = q == end ? end : q + 1;
            continue;
          }
        }
      }
    }
    // Anything else (comments, weights, odd spacing, string ids, errors) takes the general path.
    int count = 0;
    p = SplitLine(p, end, f, count);
    if (count == 0) continue;
    if (count < 2 || count > 3) {
      r.error_line = line;
      r.error = ColumnsError(count, f[0]);
      return;
    }
    if (r.columns == 0) {
      r.columns = count;
      r.first_data_line = line;
    } else if (count != r.columns) {
      r.error_line = line;
      r.error = fmt::format("{} fields where earlier lines have {}", count, r.columns);
      return;
    }
    uint64_t u = 0, v = 0;
    if (!ParseId(f[0], u) || !ParseId(f[1], v)) {
      r.need_strings = true;
      return;
    }
    push(u, v);
    if (count == 3) {
      float w = 0;
      std::string err = ParseWeight(f[2], w);
      if (!err.empty()) {
        r.error_line = line;
        r.error = std::move(err);
        return;
      }
      chunk.weight.push_back(w);
    }
    ++r.data_lines;
  }
  r.lines = line;
}

// A file opened for reading, closed when this goes.
class ReadFile final {
 public:
  explicit ReadFile(int fd) : fd_(fd) {}
  ~ReadFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  ReadFile(const ReadFile&) = delete;
  ReadFile& operator=(const ReadFile&) = delete;
  int fd() const { return fd_; }

  // Reads up to bytes at offset into buffer (fewer only at the end of the file); the count read, or -1 with
  // errno set.
  ssize_t ReadAt(char* buffer, size_t bytes, uint64_t offset) const {
    size_t done = 0;
    while (done < bytes) {
      const ssize_t got = ::pread(fd_, buffer + done, bytes - done, static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return -1;
      if (got == 0) break;
      done += static_cast<size_t>(got);
    }
    return static_cast<ssize_t>(done);
  }

 private:
  int fd_;
};

// The file is read in pieces of this many bytes into a buffer per slice (a line longer than that grows it):
// small enough to stay in the core's L2 cache between the kernel's copy and the parse. Reading through a memory
// mapping instead cost about three times the CPU on the benchmark VM (docs/benchmarks.md, "Fifth round"): every
// 4 KiB page of the mapping is a page-table entry to fill and a TLB miss to walk, where the kernel copies from
// its own huge-page mapping of memory.
constexpr size_t kReadPiece = size_t{128} << 10;

// Reads the slice [begin, end) of file in pieces cut after a newline and parses them in order into r. A read
// error, or a file that ends early (changed while being read), sets r.io_error.
void ParseSlice(const ReadFile& file, uint64_t begin, uint64_t end, size_t piece, SliceResult& r) {
  // Lines are at least 4 bytes ("1 2\n"): reserving for that many costs address space only (BigVector does
  // not touch what it does not fill).
  r.most = static_cast<size_t>(end - begin) / 4 + 1;
  r.chunk.source32.reserve(r.most);
  r.chunk.target32.reserve(r.most);
  std::vector<char> buffer(std::min<uint64_t>(piece, end - begin));
  size_t have = 0;  // bytes at the front of buffer: the unfinished line of the last piece
  uint64_t at = begin;
  while (at < end) {
    if (have == buffer.size()) buffer.resize(2 * buffer.size());  // a line longer than the buffer
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size() - have, end - at));
    const ssize_t got = file.ReadAt(buffer.data() + have, want, at);
    if (got < 0) {
      r.io_error = std::strerror(errno);
      return;
    }
    if (static_cast<size_t>(got) < want) {
      r.io_error = "the file became shorter while it was read";
      return;
    }
    at += want;
    have += want;
    const char* stop = buffer.data() + have;  // the slice's end ends its last piece, line end or not
    if (at < end) {
      const char* last = buffer.data() + have;
      while (last > buffer.data() && last[-1] != '\n') --last;
      if (last == buffer.data()) continue;  // no line end yet: read on
      stop = last;
    }
    ParsePiece(buffer.data(), stop, r);
    if (r.error_line != 0 || r.need_strings) return;
    have = static_cast<size_t>(buffer.data() + have - stop);
    std::memmove(buffer.data(), stop, have);
  }
}

// The offset just after the first newline at or after offset, or size when there is none.
Result<uint64_t> NextLineStart(const ReadFile& file, uint64_t offset, uint64_t size) {
  char window[4096];
  while (offset < size) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof window, size - offset));
    const ssize_t got = file.ReadAt(window, want, offset);
    if (got <= 0) return Status::IoError(got < 0 ? std::strerror(errno) : "the file became shorter while it was read");
    const void* nl = std::memchr(window, '\n', static_cast<size_t>(got));
    if (nl != nullptr) return offset + static_cast<uint64_t>(static_cast<const char*>(nl) - window) + 1;
    offset += static_cast<uint64_t>(got);
  }
  return size;
}

}  // namespace

EdgeListParser::EdgeListParser(std::filesystem::path path, EdgeListParseOptions options, RunControl control)
    : path_(std::move(path)), options_(options), control_(control) {}

RawEdges EdgeListParser::TakeEdges() {
  assert(done_ && "EdgeListParser::TakeEdges before run() succeeded");
  return std::move(edges_);
}

Status EdgeListParser::run() {
  const std::string name = path_.string();
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(fmt::format("{}: no such file", name));
    return Status::IoError(fmt::format("{}: {}", name, std::strerror(errno)));
  }
  const ReadFile file(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Status::IoError(fmt::format("{}: {}", name, std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) return Status::IoError(fmt::format("{}: is a directory", name));
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  bytes_ = size;
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);  // read-ahead, when the file is not cached yet
  int threads = options_.threads > 0 ? options_.threads : tbb::info::default_concurrency();
  const size_t piece = options_.read_bytes > 0 ? options_.read_bytes : kReadPiece;

  // Slices of about equal size, cut just after a newline.
  const uint64_t want =
      std::max<uint64_t>(1, std::min<uint64_t>(static_cast<uint64_t>(threads) * 4, size / (1 << 20) + 1));
  std::vector<uint64_t> cuts{0};
  for (uint64_t i = 1; i < want; ++i) {
    const uint64_t c = size * i / want;
    if (c <= cuts.back()) continue;
    const Result<uint64_t> next = NextLineStart(file, c, size);
    if (!next.ok()) return Status::IoError(fmt::format("{}: {}", name, next.status().message()));
    if (*next >= size) break;
    if (*next > cuts.back()) cuts.push_back(*next);
  }
  cuts.push_back(size);
  const size_t slices = cuts.size() - 1;
  std::vector<SliceResult> results(slices);
  // Never ask TBB for more threads than it has (it would warn on stderr); slices still follow `threads`.
  tbb::task_arena arena(std::min(threads, tbb::info::default_concurrency()));
  arena.execute([&] {
    tbb::parallel_for(size_t{0}, slices, [&](size_t i) { ParseSlice(file, cuts[i], cuts[i + 1], piece, results[i]); });
  });
  if (control_.Cancelled()) return Status::Cancelled("graph parsing cancelled");

  // The whole file's text, for what only errors and string ids need: line numbers before a slice, and the
  // string-id parse.
  std::shared_ptr<MappedFile> mapped;
  auto map = [&]() -> Status {
    if (mapped == nullptr) {
      VOUCH_ASSIGN_OR_RETURN(mapped, MappedFile::Open(path_, true));
      if (mapped->size() != size) return Status::IoError(fmt::format("{}: the file changed while it was read", name));
    }
    return Status::Ok();
  };
  auto line_before = [&](size_t slice) -> Result<uint64_t> {
    VOUCH_TRY(map());
    return static_cast<uint64_t>(std::count(mapped->data(), mapped->data() + cuts[slice], '\n'));
  };
  bool need_strings = false;
  int columns = 0;
  for (size_t i = 0; i < slices; ++i) {
    SliceResult& r = results[i];
    if (!r.io_error.empty()) return Status::IoError(fmt::format("{}: {}", name, r.io_error));
    if (r.error_line != 0 && !r.need_strings) {
      // An error before any string id was seen is an error in either mode.
      VOUCH_ASSIGN_OR_RETURN(uint64_t before, line_before(i));
      return Status::InvalidArgument(fmt::format("{}:{}: {}", name, before + r.error_line, r.error));
    }
    if (r.need_strings) {
      need_strings = true;
      break;
    }
    if (r.columns != 0) {
      if (columns == 0) columns = r.columns;
      if (r.columns != columns) {
        VOUCH_ASSIGN_OR_RETURN(uint64_t before, line_before(i));
        return Status::InvalidArgument(fmt::format("{}:{}: {} fields where earlier lines have {}", name,
                                                   before + r.first_data_line, r.columns, columns));
      }
    }
  }

  edges_ = RawEdges{};
  lines_ = 0;
  if (!need_strings) {
    edges_.id_kind = ExternalIdKind::kInteger;
    edges_.has_weights = columns == 3;
    for (auto& r : results) {
      lines_ += r.data_lines;
      edges_.chunks.push_back(std::move(r.chunk));
    }
    done_ = true;
    return Status::Ok();
  }

  // String ids: one thread, ids numbered in order of first appearance.
  results.clear();
  VOUCH_TRY(map());
  const char* data = mapped->data();
  edges_.id_kind = ExternalIdKind::kString;
  std::unordered_map<std::string_view, uint64_t> ids;
  EdgeChunk chunk;
  const char* p = data;
  const char* end = data + size;
  std::string_view f[4];
  uint64_t line = 0;
  auto id_of = [&](std::string_view s) {
    auto [it, inserted] = ids.try_emplace(s, ids.size());
    if (inserted) edges_.strings.emplace_back(s);
    return it->second;
  };
  while (p < end) {
    int count = 0;
    ++line;
    p = SplitLine(p, end, f, count);
    if (count == 0) continue;
    if (count < 2 || count > 3) {
      return Status::InvalidArgument(fmt::format("{}:{}: {}", name, line, ColumnsError(count, f[0])));
    }
    if (columns == 0) columns = count;
    if (count != columns) {
      return Status::InvalidArgument(
          fmt::format("{}:{}: {} fields where earlier lines have {}", name, line, count, columns));
    }
    chunk.source.push_back(id_of(f[0]));
    chunk.target.push_back(id_of(f[1]));
    if (count == 3) {
      float w = 0;
      std::string err = ParseWeight(f[2], w);
      if (!err.empty()) return Status::InvalidArgument(fmt::format("{}:{}: {}", name, line, err));
      chunk.weight.push_back(w);
    }
    ++lines_;
    if ((lines_ & 0xFFFFF) == 0 && control_.Cancelled()) return Status::Cancelled("graph parsing cancelled");
  }
  edges_.has_weights = columns == 3;
  edges_.chunks.push_back(std::move(chunk));
  done_ = true;
  return Status::Ok();
}

}  // namespace vouch::graph
