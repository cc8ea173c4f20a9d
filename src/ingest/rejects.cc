#include "vouch/ingest/rejects.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace vouch::ingest {

std::string RejectJson(std::string_view file, uint64_t line, std::string_view reason, std::string_view record) {
  std::string kept(record.substr(0, RejectsFile::kMaxRecordBytes));
  if (record.size() > RejectsFile::kMaxRecordBytes) {
    kept += fmt::format("... [{} more bytes]", record.size() - RejectsFile::kMaxRecordBytes);
  }
  nlohmann::json j = {{"file", std::string(file)}, {"line", line}, {"reason", std::string(reason)}, {"record", kept}};
  // replace: a record of binary garbage or broken UTF-8 must not make the rejects file itself invalid.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

RejectsFile::~RejectsFile() { (void)Close(); }

Status RejectsFile::Reject(std::string_view file, uint64_t line, std::string_view reason, std::string_view record) {
  if (out_ == nullptr) {
    out_ = std::fopen(path_.c_str(), "a");
    if (out_ == nullptr) {
      return Status::IoError(fmt::format("{}: cannot write rejects: {}", path_, std::strerror(errno)));
    }
  }
  std::string json = RejectJson(file, line, reason, record);
  json.push_back('\n');
  if (std::fwrite(json.data(), 1, json.size(), out_) != json.size()) {
    return Status::IoError(fmt::format("{}: cannot write rejects: {}", path_, std::strerror(errno)));
  }
  ++count_;
  return Status::Ok();
}

Status RejectsFile::Close() {
  if (out_ == nullptr) return Status::Ok();
  int rc = std::fclose(out_);
  out_ = nullptr;
  if (rc != 0) return Status::IoError(fmt::format("{}: cannot write rejects", path_));
  return Status::Ok();
}

}  // namespace vouch::ingest
