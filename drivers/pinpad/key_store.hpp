// Persistence of DUKPT originator state: the future key registers and the counter must
// survive a power cut, or the device would reuse a KSN (or lose its keys).
//
// KeyStore is the seam; FileKeyStore keeps each slot in a file, always wrapped
// (AES-256-GCM) under a key the caller holds: keys never rest on disk in the clear,
// not even in development. On a real device the wrapping key lives in the secure
// element / PED; the emulator supplies its own. MemoryKeyStore serves tests.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"
#include "drivers/pinpad/dukpt_aes.hpp"
#include "drivers/pinpad/dukpt_tdes.hpp"

namespace tender::pinpad {

// Slot names become file names: 1..64 characters of [A-Za-z0-9_-].
bool slot_name_valid(std::string_view slot) noexcept;

class KeyStore {
 public:
  virtual ~KeyStore() = default;
  // Atomic: after a power cut the slot holds the old content or the new, never a mix.
  // A bad slot name is Errc::invalid_argument.
  virtual Result<void> save(std::string_view slot, ByteView serialized) = 0;
  // Errc::not_found if the slot was never saved.
  virtual Result<SecretBytes> load(std::string_view slot) = 0;
};

class MemoryKeyStore final : public KeyStore {
 public:
  Result<void> save(std::string_view slot, ByteView serialized) override;
  Result<SecretBytes> load(std::string_view slot) override;

 private:
  std::map<std::string, SecretBytes, std::less<>> slots_;
};

using WrappingKey = SecretArray<32>;

// One file per slot: <dir>/<slot>.tks, written as <dir>/<slot>.tks.tmp (mode 0600),
// fsync'd, renamed over the old file, then the directory fsync'd. A leftover .tmp from
// an interrupted save is never read and is overwritten by the next save.
//
// File layout (big-endian):
//   "TKS" 0x01 | mode (1 = AES-256-GCM) | body length u32 | body | SHA-256
// where the SHA-256 covers everything before it, so any damaged byte is
// Errc::checksum. A GCM body is IV(12) | ciphertext | tag(16), with the header and the
// slot name as additional data, so a file copied to another slot does not open.
// A file that does not open under the wrapping key, or one whose mode says it is not
// wrapped (mode 0, which earlier development images used), is Errc::crypto_error.
class FileKeyStore final : public KeyStore {
 public:
  // Content stored AES-256-GCM encrypted under `wrapping_key`.
  FileKeyStore(std::filesystem::path dir, const WrappingKey& wrapping_key);

  // The directory must exist (Errc::io_error otherwise).
  Result<void> save(std::string_view slot, ByteView serialized) override;
  Result<SecretBytes> load(std::string_view slot) override;

  [[nodiscard]] std::filesystem::path file_for(std::string_view slot) const;

 private:
  std::filesystem::path dir_;
  WrappingKey wrapping_key_;
};

// Versioned binary images of originator state for KeyStore::save. Fixed layout:
//   TDES: "TDKS" | version 01 | KSN(10) | flags (bit 0 ceased) | valid bitmap u24, bit
//         1 << (20 - i) for register index i (the counter bit it serves) | 21 x 16 keys
//   AES:  "ADKS" | version 01 | key type | KSN(12) | flags | in-use bitmap u32, bit i
//         for register i | 32 x key_length(key type) keys
// Erased registers are stored as zeros. A wrong magic, version, length, flag or key
// type is Errc::malformed.
SecretBytes serialize(const tdes::OriginatorState& state);
SecretBytes serialize(const aes::OriginatorState& state);
Result<tdes::OriginatorState> deserialize_tdes_state(ByteView image);
Result<aes::OriginatorState> deserialize_aes_state(ByteView image);

}  // namespace tender::pinpad
