// Result<T>: a value or a typed Error, in the shape of C++23 std::expected so the
// code can move to it unchanged once the toolchain has it.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace tender {

// What went wrong, coarse enough for callers to branch on; the message says the rest.
enum class Errc {
  invalid_argument,  // a caller passed something out of contract
  malformed,         // input from outside does not follow its format
  truncated,         // input ends before its own structure says it should
  out_of_range,      // a value parses but lies outside what is allowed
  checksum,          // a check digit, LRC or MAC does not match
  not_found,
  unsupported,
  exhausted,         // a counter or key set has no more uses (DUKPT)
  io_error,
  crypto_error,
  timeout,
  cancelled,
  busy,              // held by another process (one writer per journal)
};

std::string_view to_string(Errc code) noexcept;

// Messages must never carry card data, PINs or keys: they describe, never quote.
struct Error {
  Errc code;
  std::string message;

  [[nodiscard]] std::string describe() const;
};

template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Error>, "Result<Error> is ambiguous");

 public:
  Result(const T& value) : state_(std::in_place_index<0>, value) {}        // NOLINT
  Result(T&& value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  template <class U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, T> &&
             !std::is_same_v<std::remove_cvref_t<U>, Error> &&
             !std::is_same_v<std::remove_cvref_t<U>, Result>)
  Result(U&& value) : state_(std::in_place_index<0>, T(std::forward<U>(value))) {}  // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { assert(has_value()); return std::get<0>(state_); }
  const T& value() const& { assert(has_value()); return std::get<0>(state_); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(state_)); }

  const Error& error() const& { assert(!has_value()); return std::get<1>(state_); }
  Error&& error() && { assert(!has_value()); return std::get<1>(std::move(state_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const { assert(ok_); }
  const Error& error() const& { assert(!ok_); return error_; }
  Error&& error() && { assert(!ok_); return std::move(error_); }

 private:
  Error error_{Errc::invalid_argument, {}};
  bool ok_ = true;
};

inline Result<void> ok() { return {}; }

inline Error make_error(Errc code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace tender
