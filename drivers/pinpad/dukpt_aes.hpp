// AES DUKPT per ANSI X9.24-3:2017: receiver-side derivation (initial key, intermediate
// derivation keys, working keys) and the originator with its 32 Intermediate Derivation
// Key Registers.
//
// The KSN is 96 bits: an 8-byte Initial Key ID (4-byte BDK ID + 4-byte derivation ID)
// and a 32-bit transaction counter. A counter is used only if it has at most 16 "one"
// bits (MAX_WORK), so a device has sum(C(32,k), k = 1..16) keys, about 2.7 billion.
//
// Every key is derived with AES ECB as a NIST SP 800-108 counter-mode KDF over 16-byte
// derivation data: version 01, block counter, key usage, algorithm and length of the
// derived key, then either the Initial Key ID (initial key) or the rightmost 4 bytes of
// the Initial Key ID and the counter.
#pragma once

#include <array>
#include <cstdint>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"

namespace tender::pinpad::aes {

// Algorithm indicator of the key being derived (X9.24-3 "Key Type").
enum class KeyType : std::uint16_t { tdes2 = 0, tdes3 = 1, aes128 = 2, aes192 = 3, aes256 = 4 };

// Key usage indicator in the derivation data.
enum class KeyUsage : std::uint16_t {
  key_encryption = 0x0002,
  pin_encryption = 0x1000,
  mac_generation = 0x2000,
  mac_verification = 0x2001,
  mac_both = 0x2002,
  data_encrypt = 0x3000,
  data_decrypt = 0x3001,
  data_both = 0x3002,
  key_derivation = 0x8000,
  key_derivation_initial = 0x8001,
};

using Ksn = std::array<Byte, 12>;
using InitialKeyId = std::array<Byte, 8>;

inline constexpr std::size_t kIntermediateKeyRegisterCount = 32;  // NUM_REG
inline constexpr int kMaxWork = 16;                                // MAX_WORK
inline constexpr std::size_t kMaxKeyLength = 32;

// Key length in bytes: 16 (tdes2, aes128), 24 (tdes3, aes192), 32 (aes256).
std::size_t key_length(KeyType type) noexcept;
// The AES type of a BDK (and of the keys derived from it) by its length:
// 16/24/32 -> aes128/aes192/aes256, else Errc::invalid_argument.
Result<KeyType> bdk_key_type(std::size_t bdk_length);

// 12 bytes, else Errc::invalid_argument.
Result<Ksn> parse_ksn(ByteView ksn12);
Ksn make_ksn(const InitialKeyId& initial_key_id, std::uint32_t counter) noexcept;
InitialKeyId ksn_initial_key_id(const Ksn& ksn) noexcept;
std::uint32_t ksn_counter(const Ksn& ksn) noexcept;
// Non-zero and at most 16 one bits.
bool counter_is_valid(std::uint32_t counter) noexcept;

// Initial key of a device: same type and length as the BDK. initial_key_id8 must be
// 8 bytes.
Result<SecretBytes> derive_initial_key(ByteView bdk, ByteView initial_key_id8);
// The intermediate derivation key for the KSN's counter: one derivation per set bit,
// walking from the leftmost, with the counter bits processed so far in the data.
// Errc::out_of_range if the counter is not valid.
Result<SecretBytes> derive_derivation_key(ByteView initial_key, const Ksn& ksn);
// A working key of `working_type` for `usage` from an intermediate derivation key.
// X9.24-3 forbids a working key stronger than its derivation key: AES-192 needs an
// AES-192 or AES-256 derivation key, AES-256 an AES-256 one (Errc::invalid_argument);
// TDEA working keys may come from any.
Result<SecretBytes> derive_working_key(ByteView derivation_key, KeyType derivation_key_type,
                                       const Ksn& ksn, KeyUsage usage, KeyType working_type);
// Receiver side in one step: the AES-128 PIN encryption working key (usage 1000) for
// the KSN, from the BDK.
Result<SecretBytes> derive_pin_key(ByteView bdk, const Ksn& ksn);

// The originator's persistent registers (X9.24-3:2017 section 6.5).
struct OriginatorState {
  // Initial Key ID + the counter of the next transaction to try.
  Ksn ksn{};
  // Type of the initial key and of every intermediate derivation key.
  KeyType derivation_key_type = KeyType::aes128;
  // Intermediate Derivation Key Register i holds the key for counter bit 1 << i (the
  // standard's numbering); the first key_length(derivation_key_type) bytes are used.
  std::array<SecretArray<kMaxKeyLength>, kIntermediateKeyRegisterCount> registers{};
  std::array<bool, kIntermediateKeyRegisterCount> in_use{};
  // The counter overflowed 32 bits: no keys remain, the device has ceased for good.
  bool ceased = false;
};

class Originator {
 public:
  struct TransactionKey {
    SecretBytes pin_key;  // working key, usage pin_encryption
    Ksn ksn;              // to send with the PIN block
  };

  // "Load Initial Key": the initial key (16/24/32 bytes, its type follows) and its
  // 8-byte Initial Key ID. Fills the 32 registers and sets the counter to 1.
  static Result<Originator> load_initial_key(ByteView initial_key, ByteView initial_key_id8);
  // Resumes from a saved state. Errc::malformed if inconsistent.
  static Result<Originator> restore(const OriginatorState& state);

  // The PIN encryption working key of the current counter (AES-128 unless asked
  // otherwise) and its KSN; then erases the used register, derives the registers right
  // of it and advances the counter, skipping counters with more than 16 one bits.
  // Persist state() before releasing the PIN block. Errc::exhausted once the counter
  // passes 0xFFFF0000. A working type stronger than the derivation key is
  // Errc::invalid_argument and leaves the state unchanged.
  Result<TransactionKey> next_transaction(KeyType pin_key_type = KeyType::aes128);

  [[nodiscard]] const OriginatorState& state() const noexcept { return state_; }

  Originator(const Originator&) = delete;
  Originator& operator=(const Originator&) = delete;
  Originator(Originator&& other) noexcept;
  Originator& operator=(Originator&& other) noexcept;
  ~Originator() = default;

 private:
  explicit Originator(const OriginatorState& state) : state_(state) {}
  OriginatorState state_;
};

}  // namespace tender::pinpad::aes
