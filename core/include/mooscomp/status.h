// Errors are values: every fallible core call returns a Status or a Result<T>.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace mooscomp {

// Stable codes; the JS layer maps each to an Error subclass with the same name in
// SCREAMING_SNAKE case (kInvalidUtf8 -> "INVALID_UTF8").
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // an option out of range, too many force tokens, ...
  kInvalidUtf8,      // input text is not well-formed UTF-8
  kInvalidModel,     // tokenizer/model/manifest bytes are corrupt or inconsistent
  kInvalidState,     // calls made in the wrong order (finish before prepare, ...)
  kInternal,         // a bug: an invariant of ours did not hold
};

const char* StatusCodeName(StatusCode code);  // "INVALID_UTF8", ...

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return Status(StatusCode::kInvalidArgument, std::move(m)); }
inline Status InvalidUtf8(std::string m) { return Status(StatusCode::kInvalidUtf8, std::move(m)); }
inline Status InvalidModel(std::string m) { return Status(StatusCode::kInvalidModel, std::move(m)); }
inline Status InvalidState(std::string m) { return Status(StatusCode::kInvalidState, std::move(m)); }
inline Status Internal(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}              // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}      // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace mooscomp

// Returns the Status of `expr` from the enclosing function when it is not ok.
#define MOOSCOMP_RETURN_IF_ERROR(expr)                 \
  do {                                                 \
    ::mooscomp::Status mooscomp_status_ = (expr);      \
    if (!mooscomp_status_.ok()) return mooscomp_status_; \
  } while (0)

// Declares `lhs` from the value of a Result, or returns its Status when it has none.
#define MOOSCOMP_ASSIGN_OR_RETURN(lhs, expr) MOOSCOMP_ASSIGN_OR_RETURN_IMPL(MOOSCOMP_CONCAT(mooscomp_result_, __LINE__), lhs, expr)
#define MOOSCOMP_ASSIGN_OR_RETURN_IMPL(result, lhs, expr) \
  auto result = (expr);                                   \
  if (!result.ok()) return result.status();               \
  lhs = std::move(result).value()
#define MOOSCOMP_CONCAT(a, b) MOOSCOMP_CONCAT_IMPL(a, b)
#define MOOSCOMP_CONCAT_IMPL(a, b) a##b
