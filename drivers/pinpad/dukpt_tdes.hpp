// TDES DUKPT per ANSI X9.24-1:2009 Annex A: the receiver side (IPEK and transaction
// key derivation from the BDK, for the host simulator) and the originator, the PIN
// entry device's own state machine with its 21 Future Key Registers.
//
// The KSN is 80 bits: a 59-bit Initial Key Serial Number and a 21-bit Encryption
// Counter (the rightmost 21 bits). A counter is used only if it has at most 10 "one"
// bits, which gives 2^20 - 1 = 1,048,575 keys per device.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"

namespace tender::pinpad::tdes {

using Key = SecretArray<16>;         // double-length TDEA key: left half || right half
using Ksn = std::array<Byte, 10>;

inline constexpr unsigned kCounterBits = 21;
inline constexpr std::uint32_t kCounterMask = (1u << kCounterBits) - 1;
inline constexpr int kMaxCounterOneBits = 10;
inline constexpr std::size_t kFutureKeyRegisterCount = 21;

// 10 bytes, else Errc::invalid_argument.
Result<Ksn> parse_ksn(ByteView ksn10);
// The Encryption Counter: the rightmost 21 bits.
std::uint32_t ksn_counter(const Ksn& ksn) noexcept;
// The same KSN with its Encryption Counter replaced by `counter` (masked to 21 bits).
Ksn ksn_with_counter(const Ksn& ksn, std::uint32_t counter) noexcept;
// Non-zero, below 2^21 and at most 10 one bits.
bool counter_is_valid(std::uint32_t counter) noexcept;

// Initial PIN Encryption Key: TDES(BDK, KSN with counter cleared, leftmost 8 bytes) for the
// left half, the same under BDK XOR C0C0C0C000000000C0C0C0C000000000 for the right half.
// bdk16 must be 16 bytes and ksn10 10 bytes (Errc::invalid_argument).
Result<Key> derive_ipek(ByteView bdk16, ByteView ksn10);
// Receiver side: the non-reversible key generation process once per set counter bit,
// from the leftmost down. Errc::out_of_range if the counter is not valid.
Result<Key> derive_transaction_key(const Key& ipek, const Ksn& ksn);
// PIN encryption variant: key XOR 00000000000000FF00000000000000FF.
Key pin_variant(const Key& key);
// Receiver side in one step: IPEK -> transaction key -> PIN variant.
Result<Key> derive_pin_key(ByteView bdk16, ByteView ksn10);

// TDES ECB of one PIN block under the PIN key.
std::array<Byte, 8> encrypt_pin_block(const Key& pin_key, std::span<const Byte, 8> clear);
SecretArray<8> decrypt_pin_block(const Key& pin_key, std::span<const Byte, 8> enciphered);

// The originator's persistent registers (X9.24-1:2009 A.2). Current Key Pointer and
// Shift Register exist only within one next_transaction() call, so they are not here.
struct OriginatorState {
  // KSN Register: Initial KSN + the Encryption Counter of the next transaction to try.
  Ksn ksn{};
  // Future Key Registers #1..#21 at index 0..20. Register #n holds the key for the
  // counter bit 1 << (21 - n): #1 is the leftmost counter bit, #21 the rightmost.
  std::array<Key, kFutureKeyRegisterCount> future_keys{};
  // Stands in for each register's LRC: false means erased (or never written).
  std::array<bool, kFutureKeyRegisterCount> valid{};
  // The Encryption Counter overflowed: the device has ceased operation for good.
  bool ceased = false;
};

// Index into OriginatorState::future_keys for a single-bit shift register value.
std::size_t future_key_register_index(std::uint32_t shift_register) noexcept;

class Originator {
 public:
  struct TransactionKey {
    Key pin_key;  // PIN variant already applied
    Ksn ksn;      // to send with the PIN block
  };

  // "Load Initial Key": fills the 21 Future Key Registers from the IPEK and sets the
  // counter to 1. The counter bits of `initial_ksn` are cleared, as the standard says.
  // The IPEK itself is not retained.
  static Result<Originator> load_initial_key(const Key& ipek, const Ksn& initial_ksn);
  // Resumes from a saved state (see key_store.hpp). Errc::malformed if the state is
  // inconsistent (counter zero while not ceased, or non-zero while ceased).
  static Result<Originator> restore(const OriginatorState& state);

  // "Request PIN Entry" then "New Key": the key of the current counter (PIN variant
  // applied) and its KSN; the used key is erased, new future keys generated and the
  // counter advanced, skipping counters with more than 10 one bits. Persist state()
  // before releasing the PIN block, so a power cut can never lead to KSN reuse.
  // Errc::exhausted once the counter has overflowed (after KSN counter 0x1FF800).
  Result<TransactionKey> next_transaction();

  [[nodiscard]] const OriginatorState& state() const noexcept { return state_; }

  // Not copyable: two copies would issue the same KSNs. A moved-from originator has
  // ceased and holds no keys.
  Originator(const Originator&) = delete;
  Originator& operator=(const Originator&) = delete;
  Originator(Originator&& other) noexcept;
  Originator& operator=(Originator&& other) noexcept;
  ~Originator() = default;

 private:
  explicit Originator(const OriginatorState& state) : state_(state) {}
  OriginatorState state_;
};

}  // namespace tender::pinpad::tdes
