// EMV Book 2 symmetric cryptography, card side and issuer side: ICC master key
// derivation (A1.4.1 Option A), the common session key derivation (A1.3), the MAC of
// ISO/IEC 9797-1 algorithm 3 (A1.2.1), application cryptograms (8.1), ARPC method 1
// (8.2.1) and the secure messaging MAC of issuer script commands (9.2.1).
// The virtual card (drivers/icc/sim) and the issuer simulation share this code.
//
// Choices where Book 2 leaves them open (see also emv/README of the card side,
// drivers/icc/sim/README.md):
//  - DES key parity: derived keys (ICC master key, session keys) keep the parity bits
//    exactly as the derivation computed them. DES ignores those bits, so every MAC,
//    cryptogram and ARPC is the same as with parity-adjusted keys; only a byte-for-byte
//    comparison of keys with a parity-adjusting implementation differs in bit 1.
//  - AC input: Book 2 8.1.1 Table 26's recommended minimum set, then the 5-byte Card
//    Verification Results taken from bytes 4..8 (1-based) of the Issuer Application Data
//    (9F10), whose layout here follows the Common Core Definitions' format:
//    byte 1 length (0F), byte 2 cryptogram version, byte 3 derivation key index,
//    bytes 4..8 CVR, bytes 9..16 counters.
//  - Padding: method 2 (80 then 00s) for the AC, the ARPC is one TDES block.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"
#include "emv/tlv.hpp"

namespace tender::emv {

// A double-length (112-bit) TDES key: K1 || K2.
using DesKey = SecretArray<16>;
using Cryptogram = std::array<Byte, 8>;

// Book 2 A1.4.1 Option A: Y is the rightmost 16 digits of PAN || PSN (left-padded with
// 0s when shorter), packed BCD; MK = TDES(IMK)[Y] || TDES(IMK)[Y XOR FF..FF].
// `pan`: 12..19 decimal digits; `pan_sequence_number`: the 5F34 byte (two BCD digits;
// 00 when the card has no 5F34). Errc::invalid_argument otherwise.
Result<DesKey> derive_icc_master_key(const DesKey& issuer_master_key, std::string_view pan,
                                     Byte pan_sequence_number);

// Book 2 A1.3.1: SK = TDES(MK)[R0 R1 F0 R3..R7] || TDES(MK)[R0 R1 0F R3..R7].
DesKey derive_common_session_key(const DesKey& icc_master_key, std::span<const Byte, 8> r);
// The AC session key: R = ATC || 00 00 00 00 00 00 (Book 2 A1.3, 8.1.2).
DesKey derive_session_key(const DesKey& icc_master_key, std::uint16_t atc);

// ISO/IEC 9797-1 MAC algorithm 3 (single DES CBC under K1, then DES^-1 K2, DES K1 on
// the last block) with padding method 2, full 8 bytes.
std::array<Byte, 8> mac_alg3(const DesKey& key, ByteView data);

// The value the caller holds for a tag, or nullopt.
using TagLookup = std::function<std::optional<ByteView>(Tag)>;

// Where the CVR sits in the Issuer Application Data (0-based offset, length).
inline constexpr std::size_t kIadCvrOffset = 3;
inline constexpr std::size_t kCvrLength = 5;

// The data an application cryptogram covers, in this order:
// 9F02 (6) 9F03 (6) 9F1A (2) 95 (5) 5F2A (2) 9A (3) 9C (1) 9F37 (4) 82 (2) 9F36 (2),
// then CVR = 9F10 bytes 4..8. 41 bytes. Every tag must be present with exactly that
// length (Errc::not_found / Errc::malformed naming the tag); 9F10 must be at least
// 8 bytes long.
Result<Bytes> ac_input(const TagLookup& tags);

// Book 2 8.1.2: the AC is the MAC (algorithm 3, padding method 2) of the AC input
// under the AC session key.
Cryptogram generate_ac(const DesKey& session_key, ByteView ac_input);

// ARPC method 1 (Book 2 8.2.1): TDES(SK)[ARQC XOR (ARC || 00 00 00 00 00 00)].
std::array<Byte, 8> arpc_method1(const DesKey& session_key, std::span<const Byte, 8> arqc,
                                 std::span<const Byte, 2> arc);

// Secure messaging for integrity (Book 2 9.2.1): the MAC session key is the common
// session key with R = the application cryptogram of the first GENERATE AC; the MAC
// (algorithm 3, padding method 2, 8 bytes) covers CLA INS P1 P2 Lc (Lc counting the
// MAC), ATC, that AC and the command data. Test simplification: the ICC master key for
// AC stands in for MK_SMI (the test cards carry one issuer master key).
DesKey derive_secure_messaging_key(const DesKey& icc_master_key,
                                   std::span<const Byte, 8> application_cryptogram);
inline constexpr std::size_t kScriptMacLength = 8;
std::array<Byte, 8> script_command_mac(const DesKey& sm_session_key,
                                       std::span<const Byte, 5> header_with_lc, std::uint16_t atc,
                                       std::span<const Byte, 8> application_cryptogram,
                                       ByteView command_data);

// ---- Issuer side ------------------------------------------------------------------
struct IssuerKeys {
  DesKey imk_ac;  // issuer master key for application cryptograms
};

// Recomputes the cryptogram from the online tags (the ac_input() set plus 9F26 AC and
// 9F10 IAD) and compares it with 9F26. False when it differs; an error when a tag is
// missing or malformed, or PAN/PSN are invalid.
Result<bool> verify_arqc(const IssuerKeys& keys, std::string_view pan, Byte psn,
                         const TagLookup& online_tags);

// The value of Issuer Authentication Data (tag 91), 10 bytes: ARPC (method 1, from
// 9F26 and 9F36 in the online tags) || ARC. Does not verify the ARQC (verify_arqc does).
Result<Bytes> issuer_authentication_data(const IssuerKeys& keys, std::string_view pan, Byte psn,
                                         const TagLookup& online_tags,
                                         std::span<const Byte, 2> arc);

// An issuer script command with its secure messaging MAC appended and Lc updated
// (`command` is the plain command APDU: header, Lc and data, no Le). The AC and ATC
// come from 9F26 and 9F36 in the online tags.
Result<Bytes> secure_script_command(const IssuerKeys& keys, std::string_view pan, Byte psn,
                                    const TagLookup& online_tags, ByteView command);

}  // namespace tender::emv
