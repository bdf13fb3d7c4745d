// Instruction codes (EMV Book 3 6.5, ISO/IEC 7816-4) and the status words the virtual
// card answers with (Book 3 6.3.5, ISO/IEC 7816-4 5.1.3).
#pragma once

#include "drivers/icc/apdu.hpp"

namespace tender::icc::sim {

namespace ins {
inline constexpr Byte kApplicationUnblock = 0x18;
inline constexpr Byte kApplicationBlock = 0x1E;
inline constexpr Byte kVerify = 0x20;
inline constexpr Byte kPinChangeUnblock = 0x24;
inline constexpr Byte kExternalAuthenticate = 0x82;
inline constexpr Byte kGetChallenge = 0x84;
inline constexpr Byte kInternalAuthenticate = 0x88;
inline constexpr Byte kSelect = 0xA4;
inline constexpr Byte kGetProcessingOptions = 0xA8;
inline constexpr Byte kGenerateAc = 0xAE;
inline constexpr Byte kReadRecord = 0xB2;
inline constexpr Byte kGetResponse = 0xC0;
inline constexpr Byte kGetData = 0xCA;
inline constexpr Byte kPutData = 0xDA;
}  // namespace ins

namespace sw {
inline constexpr StatusWord kSelectedFileInvalidated = 0x6283;  // application blocked
inline constexpr StatusWord kAuthenticationFailed = 0x6300;     // EXTERNAL AUTHENTICATE
inline constexpr StatusWord kWrongLength = 0x6700;
inline constexpr StatusWord kAuthenticationBlocked = 0x6983;    // PIN try limit reached
inline constexpr StatusWord kConditionsNotSatisfied = 0x6985;
inline constexpr StatusWord kSecureMessagingIncorrect = 0x6988;
inline constexpr StatusWord kWrongData = 0x6A80;
inline constexpr StatusWord kFileNotFound = 0x6A82;
inline constexpr StatusWord kRecordNotFound = 0x6A83;
inline constexpr StatusWord kWrongP1P2 = 0x6A86;
inline constexpr StatusWord kReferencedDataNotFound = 0x6A88;
inline constexpr StatusWord kInsNotSupported = 0x6D00;
inline constexpr StatusWord kClaNotSupported = 0x6E00;
inline constexpr StatusWord kNoPreciseDiagnosis = 0x6F00;
// 63Cx: wrong PIN, x tries left.
constexpr StatusWord tries_left(Byte n) { return static_cast<StatusWord>(0x63C0 | (n & 0x0F)); }
}  // namespace sw

inline ResponseApdu status(StatusWord word) { return ResponseApdu{{}, word}; }

}  // namespace tender::icc::sim
