// Status and Result<T>: the one error type of echotrace.
//
// Every fallible library function returns a Status (no value) or a Result<T>
// (a value or a Status). Exceptions never cross the library boundary. The
// message of a non-OK status is written for the user: it names the file, the
// line or record, what is wrong and, where possible, what to do about it.
//
// Status is cheap to copy when OK (no allocation) and thread-compatible.
#ifndef ECHOTRACE_STATUS_H_
#define ECHOTRACE_STATUS_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace echotrace {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad usage: flags, parameters (exit code 2)
  kBadInput,         // malformed input data under --strict (exit code 2)
  kNotFound,         // a file, row or id that does not exist
  kIOError,          // the OS refused: open/read/write failed
  kCorruption,       // a store or file that is not what it claims to be
  kCancelled,        // interrupted by the user
  kInternal,         // a bug in echotrace
};

class Status {
 public:
  Status() = default;  // OK

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string_view msg) {
    return Status(StatusCode::kInvalidArgument, msg);
  }
  static Status BadInput(std::string_view msg) { return Status(StatusCode::kBadInput, msg); }
  static Status NotFound(std::string_view msg) { return Status(StatusCode::kNotFound, msg); }
  static Status IOError(std::string_view msg) { return Status(StatusCode::kIOError, msg); }
  static Status Corruption(std::string_view msg) { return Status(StatusCode::kCorruption, msg); }
  static Status Cancelled(std::string_view msg) { return Status(StatusCode::kCancelled, msg); }
  static Status Internal(std::string_view msg) { return Status(StatusCode::kInternal, msg); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // The message without the code prefix; empty when OK.
  const std::string& message() const;
  // "Invalid argument: <message>", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is "<prefix>: <message>". OK stays OK.
  Status WithContext(std::string_view prefix) const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  Status(StatusCode code, std::string_view msg)
      : rep_(std::make_shared<const Rep>(Rep{code, std::string(msg)})) {}
  std::shared_ptr<const Rep> rep_;  // null means OK
};

// Exit code of the command-line tool for a status: 0 OK, 2 bad usage or bad
// input, 1 anything else.
int ExitCodeFor(const Status& s);

// A value of type T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (std::get<Status>(v_).ok()) v_ = Status::Internal("Result constructed from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // OK when a value is held.
  Status status() const { return ok() ? Status::OK() : std::get<Status>(v_); }

  // Precondition: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace echotrace

#define ET_CONCAT_INNER_(a, b) a##b
#define ET_CONCAT_(a, b) ET_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if it is not OK.
#define ET_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::echotrace::Status et_status_ = (expr); \
    if (!et_status_.ok()) return et_status_; \
  } while (0)

// `ET_ASSIGN_OR_RETURN(auto x, F());` binds the value of a Result or returns
// its status from the enclosing function.
#define ET_ASSIGN_OR_RETURN(lhs, expr) \
  ET_ASSIGN_OR_RETURN_IMPL_(ET_CONCAT_(et_result_, __LINE__), lhs, expr)
// `lhs` is a declaration and `tmp` a name, so neither can be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define ET_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)

#endif  // ECHOTRACE_STATUS_H_
