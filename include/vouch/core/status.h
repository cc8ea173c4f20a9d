// Status and Result<T>: how libvouch reports expected failures (bad input, I/O, database) as values.
//
// Exceptions never cross the library's public API for these cases; front ends (CLI, service) turn a Status into
// an exit code or an HTTP error. Assertions are reserved for programmer errors that user input cannot reach.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace vouch {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // the caller's input is wrong (bad flag, bad config value, malformed record)
  kNotFound,          // a named thing does not exist (file, person, brand)
  kAlreadyExists,     // creating something that is there already
  kFailedPrecondition,// the world is not in the state the call needs (workspace missing, schema too new)
  kIoError,           // the operating system refused (open, read, write)
  kCorruption,        // stored data is not what it should be
  kCancelled,         // the user or a timeout stopped the work
  kInternal,          // a bug: an invariant did not hold
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid argument: posts.jsonl:12: missing field 'id'"
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Result<T>: a T or a non-OK Status. value() on an error is a programmer error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok() && "Result built from an OK status carries no value");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { assert(ok()); return std::get<T>(v_); }
  const T& value() const& { assert(ok()); return std::get<T>(v_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace vouch

// Early return on error. VOUCH_TRY(expr) for a Status; VOUCH_ASSIGN_OR_RETURN(lhs, expr) for a Result.
#define VOUCH_TRY(expr)                         \
  do {                                          \
    ::vouch::Status vouch_status_ = (expr);     \
    if (!vouch_status_.ok()) return vouch_status_; \
  } while (0)

#define VOUCH_CONCAT_INNER(a, b) a##b
#define VOUCH_CONCAT(a, b) VOUCH_CONCAT_INNER(a, b)
#define VOUCH_ASSIGN_OR_RETURN(lhs, expr)                          \
  auto VOUCH_CONCAT(vouch_result_, __LINE__) = (expr);             \
  if (!VOUCH_CONCAT(vouch_result_, __LINE__).ok())                 \
    return VOUCH_CONCAT(vouch_result_, __LINE__).status();         \
  lhs = std::move(VOUCH_CONCAT(vouch_result_, __LINE__)).value()
