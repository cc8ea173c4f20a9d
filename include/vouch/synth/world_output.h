// WorldOutput: where `vouch synth` writes the files of an example world. The generator names files by their path
// inside the world ("posts/x.jsonl.zst") and appends bytes (already compressed where the layout says so); the
// output decides where they go: a directory on disk (DirectoryOutput) or memory, for tests (MemoryOutput).
//
// Thread safety: the generator creates, appends to and closes files from one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "vouch/core/status.h"

namespace vouch::synth {

class OutputFile {
 public:
  virtual ~OutputFile() = default;
  virtual Status Append(std::string_view bytes) = 0;
  // Flushes and closes; the file is complete only after Close() returned OK.
  virtual Status Close() = 0;
};

class WorldOutput {
 public:
  virtual ~WorldOutput() = default;
  // A new, empty file at relative_path ('/'-separated, no "..") replacing any file there.
  virtual Result<std::unique_ptr<OutputFile>> Create(const std::string& relative_path) = 0;
};

// Files under a directory (created with its subdirectories as needed), written through 4 MiB buffers.
class DirectoryOutput final : public WorldOutput {
 public:
  explicit DirectoryOutput(std::filesystem::path dir) : dir_(std::move(dir)) {}
  Result<std::unique_ptr<OutputFile>> Create(const std::string& relative_path) override;

 private:
  std::filesystem::path dir_;
};

// Files in memory, keyed by relative path. The map may be read after the generator finished.
class MemoryOutput final : public WorldOutput {
 public:
  Result<std::unique_ptr<OutputFile>> Create(const std::string& relative_path) override;
  const std::map<std::string, std::string>& files() const { return files_; }

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace vouch::synth
