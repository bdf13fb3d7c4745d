// Certification Authority Public Keys (EMV 4.4 Book 2 section 5.1 and 11.2): the
// payment systems' keys the terminal holds, one per Registered Application Provider
// Identifier (RID) and CA Public Key Index (tag 8F). Loading them from a file is the
// app's job; here they are plain values, checked by their SHA-1 checksum.
#pragma once

#include <array>
#include <optional>
#include <span>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace tender::emv {

struct Capk {
  Bytes rid;          // 5 bytes, the leftmost bytes of the AID
  Byte index = 0;     // tag 8F on the card
  Bytes modulus;      // big-endian, 64..248 bytes
  Bytes exponent;     // 3 or 2^16+1: 1 or 3 bytes
  Bytes checksum;     // SHA-1 of RID | index | modulus | exponent (Book 2 11.2.2)
  // YYMMDD BCD; a key past its expiry date is not used (Book 2 11.2.1). Optional: keys
  // loaded without one never expire here.
  std::optional<std::array<Byte, 3>> expiry;
};

// SHA-1 over RID | index | modulus | exponent.
Bytes capk_checksum(const Capk& key);

// Errc::malformed for a RID that is not 5 bytes, an empty modulus or exponent, or a
// modulus whose leading byte is 0; Errc::checksum when the checksum does not match.
Result<void> verify_checksum(const Capk& key);

// The key for RID + index, or nullptr. With `transaction_date` (YYMMDD BCD), a key whose
// expiry date is before it is treated as absent.
const Capk* find_capk(std::span<const Capk> keys, ByteView rid, Byte index,
                      std::optional<std::array<Byte, 3>> transaction_date = std::nullopt);

}  // namespace tender::emv
