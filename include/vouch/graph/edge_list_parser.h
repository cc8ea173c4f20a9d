// EdgeListParser: reads a SNAP-style edge list into RawEdges.
//
// Format: one arc per line, "SOURCE TARGET [WEIGHT]", fields separated by spaces or tabs; lines that are empty or
// start with '#' or '%' are comments. Ids are any strings without whitespace. Either every data line has a weight
// column or none has. Windows line ends are accepted.
//
// Speed: the file is split into slices at line boundaries (four per thread); each thread reads its slices with
// pread in pieces that stay in its cache and parses them with a hand-rolled integer scanner. When some id is not a
// non-negative integer (up to 19 digits), the whole file is parsed again on one thread in string mode (ids kept
// as strings, numbered by first appearance).
//
// Errors are InvalidArgument naming FILE:LINE and what was wrong; a missing file is NotFound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/graph/raw_edges.h"

namespace vouch::graph {

struct EdgeListParseOptions {
  int threads = 0;  // 0: all cores
  // Bytes read at a time per slice (a longer line is read whole); 0: the default, 128 KiB. Tests set a few
  // bytes to put piece boundaries everywhere.
  size_t read_bytes = 0;
};

class EdgeListParser final {
 public:
  EdgeListParser(std::filesystem::path path, EdgeListParseOptions options, RunControl control = {});
  Status run();
  // Valid after run() returned OK; moves the arcs out (call once).
  RawEdges TakeEdges();
  uint64_t lines() const { return lines_; }  // data lines parsed
  uint64_t bytes() const { return bytes_; }

 private:
  std::filesystem::path path_;
  EdgeListParseOptions options_;
  RunControl control_;
  bool done_ = false;
  RawEdges edges_;
  uint64_t lines_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace vouch::graph
