// Secrets: PANs, track data, PINs, PIN blocks and keys live only in these types.
// They wipe themselves when destroyed, print as "***", and give their contents
// out only through reveal(), so every place that touches clear data is greppable.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "common/secure_zero.hpp"

namespace tender {

inline constexpr std::string_view kRedacted = "***";

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size) : data_(size) {}
  explicit SecretBytes(ByteView bytes) : data_(bytes.begin(), bytes.end()) {}
  // Takes the bytes and wipes the source, so no clear copy survives in the caller.
  static SecretBytes take(Bytes& bytes) {
    SecretBytes s{ByteView{bytes}};
    secure_zero(bytes.data(), bytes.size());
    bytes.clear();
    return s;
  }

  SecretBytes(const SecretBytes&) = default;
  SecretBytes& operator=(const SecretBytes&) = default;
  SecretBytes(SecretBytes&&) noexcept = default;
  SecretBytes& operator=(SecretBytes&&) noexcept = default;
  ~SecretBytes() = default;  // the allocator wipes on release

  [[nodiscard]] std::size_t size() const noexcept { return data_.size(); }
  [[nodiscard]] bool empty() const noexcept { return data_.empty(); }
  [[nodiscard]] ByteView reveal() const noexcept { return {data_.data(), data_.size()}; }
  [[nodiscard]] std::span<Byte> mutable_bytes() noexcept { return {data_.data(), data_.size()}; }
  void resize(std::size_t size) { data_.resize(size); }
  void clear() noexcept {
    secure_zero(data_.data(), data_.size());
    data_.clear();
  }

  // Constant time in the length of the shorter operand; lengths are not secret.
  friend bool operator==(const SecretBytes& a, const SecretBytes& b) noexcept {
    return a.size() == b.size() && constant_time_equal(a.data_.data(), b.data_.data(), a.size());
  }

 private:
  std::vector<Byte, ZeroizingAllocator<Byte>> data_;
};

// Text secrets (PAN digits, PIN digits, track data). Kept in a vector, not a
// std::string, so the small-string buffer never holds a copy we cannot wipe.
class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string_view text) : data_(text.begin(), text.end()) {}

  [[nodiscard]] std::size_t size() const noexcept { return data_.size(); }
  [[nodiscard]] bool empty() const noexcept { return data_.empty(); }
  [[nodiscard]] std::string_view reveal() const noexcept { return {data_.data(), data_.size()}; }
  void push_back(char c) { data_.push_back(c); }
  void clear() noexcept {
    secure_zero(data_.data(), data_.size());
    data_.clear();
  }

  friend bool operator==(const SecretString& a, const SecretString& b) noexcept {
    return a.size() == b.size() && constant_time_equal(a.data_.data(), b.data_.data(), a.size());
  }

 private:
  std::vector<char, ZeroizingAllocator<char>> data_;
};

// Fixed-size secret on the stack (DES/AES keys, key registers): no allocation.
template <std::size_t N>
class SecretArray {
 public:
  SecretArray() noexcept : data_{} {}
  explicit SecretArray(ByteView bytes) noexcept : data_{} {
    for (std::size_t i = 0; i < N && i < bytes.size(); ++i) data_[i] = bytes[i];
  }
  SecretArray(const SecretArray&) noexcept = default;
  SecretArray& operator=(const SecretArray&) noexcept = default;
  ~SecretArray() { secure_zero(data_.data(), N); }

  static constexpr std::size_t size() noexcept { return N; }
  [[nodiscard]] ByteView reveal() const noexcept { return {data_.data(), N}; }
  [[nodiscard]] std::span<Byte, N> mutable_bytes() noexcept { return std::span<Byte, N>{data_}; }
  [[nodiscard]] SecretBytes to_secret_bytes() const { return SecretBytes{reveal()}; }

  friend bool operator==(const SecretArray& a, const SecretArray& b) noexcept {
    return constant_time_equal(a.data_.data(), b.data_.data(), N);
  }

 private:
  std::array<Byte, N> data_;
};

std::ostream& operator<<(std::ostream& os, const SecretBytes&);
std::ostream& operator<<(std::ostream& os, const SecretString&);
template <std::size_t N>
std::ostream& operator<<(std::ostream& os, const SecretArray<N>&) {
  return os << kRedacted;
}

// For diagnostics and the CLI, which prints keys only where the contract demands it.
inline std::string reveal_hex(const SecretBytes& s) { return to_hex(s.reveal()); }

}  // namespace tender
