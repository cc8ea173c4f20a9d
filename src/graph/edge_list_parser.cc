#include "vouch/graph/edge_list_parser.h"

#include <algorithm>
#include <bit>
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

void ParseSliceIntegers(const char* p, const char* end, SliceResult& r) {
  // Lines are at least 4 bytes ("1 2\n"): reserving for that many costs address space only (BigVector does
  // not touch what it does not fill).
  const size_t most = static_cast<size_t>(end - p) / 4 + 1;
  EdgeChunk& chunk = r.chunk;
  chunk.source32.reserve(most);
  chunk.target32.reserve(most);
  // Ids go into the 32-bit columns until one does not fit; then the slice's ids so far are widened once.
  bool wide = false;
  auto push = [&](uint64_t u, uint64_t v) {
    if (!wide) [[likely]] {
      if ((u | v) <= 0xFFFFFFFFu) [[likely]] {
        chunk.source32.push_back(static_cast<uint32_t>(u));
        chunk.target32.push_back(static_cast<uint32_t>(v));
        return;
      }
      wide = true;
      chunk.source.reserve(most);
      chunk.target.reserve(most);
      WidenIds(chunk);
    }
    chunk.source.push_back(u);
    chunk.target.push_back(v);
  };
  std::string_view f[4];
  uint64_t line = 0;
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
}

}  // namespace

EdgeListParser::EdgeListParser(std::filesystem::path path, EdgeListParseOptions options, RunControl control)
    : path_(std::move(path)), options_(options), control_(control) {}

RawEdges EdgeListParser::TakeEdges() {
  assert(done_ && "EdgeListParser::TakeEdges before run() succeeded");
  return std::move(edges_);
}

Status EdgeListParser::run() {
  VOUCH_ASSIGN_OR_RETURN(std::shared_ptr<MappedFile> file, MappedFile::Open(path_, true));
  const char* data = file->data();
  const size_t size = file->size();
  bytes_ = size;
  const std::string name = path_.string();
  int threads = options_.threads > 0 ? options_.threads : tbb::info::default_concurrency();

  // Slices of about equal size, cut just after a newline.
  size_t want = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(threads) * 4, size / (1 << 20) + 1));
  std::vector<const char*> cuts{data};
  for (size_t i = 1; i < want; ++i) {
    const char* c = data + size * i / want;
    if (c <= cuts.back()) continue;
    const void* nl = std::memchr(c, '\n', static_cast<size_t>(data + size - c));
    if (nl == nullptr) break;
    c = static_cast<const char*>(nl) + 1;
    if (c > cuts.back() && c < data + size) cuts.push_back(c);
  }
  cuts.push_back(data + size);
  const size_t slices = cuts.size() - 1;
  std::vector<SliceResult> results(slices);
  // Never ask TBB for more threads than it has (it would warn on stderr); slices still follow `threads`.
  tbb::task_arena arena(std::min(threads, tbb::info::default_concurrency()));
  arena.execute([&] {
    tbb::parallel_for(size_t{0}, slices, [&](size_t i) { ParseSliceIntegers(cuts[i], cuts[i + 1], results[i]); });
  });
  if (control_.Cancelled()) return Status::Cancelled("graph parsing cancelled");

  auto line_before = [&](size_t slice) {
    return static_cast<uint64_t>(std::count(data, cuts[slice], '\n'));
  };
  bool need_strings = false;
  int columns = 0;
  for (size_t i = 0; i < slices; ++i) {
    SliceResult& r = results[i];
    if (r.error_line != 0 && !r.need_strings) {
      // An error before any string id was seen is an error in either mode.
      return Status::InvalidArgument(fmt::format("{}:{}: {}", name, line_before(i) + r.error_line, r.error));
    }
    if (r.need_strings) {
      need_strings = true;
      break;
    }
    if (r.columns != 0) {
      if (columns == 0) columns = r.columns;
      if (r.columns != columns) {
        return Status::InvalidArgument(fmt::format("{}:{}: {} fields where earlier lines have {}", name,
                                                   line_before(i) + r.first_data_line, r.columns, columns));
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
