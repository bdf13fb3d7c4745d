// Terminal Action Analysis (EMV 4.4 Book 3 10.7) and Card Action Analysis (10.8): the
// TVR against the Terminal and Issuer Action Codes decides which cryptogram to ask for;
// GENERATE AC with the CDOL1 data asks for it (with CDA when Book 2 6.6 says so); the
// Cryptogram Information Data says what the card decided.
#pragma once

#include <array>
#include <optional>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "emv/context.hpp"
#include "emv/tal.hpp"
#include "emv/ttl.hpp"
#include "emv/tvr.hpp"

namespace tender::emv {

// Denial, online, default: the TACs (terminal config) or IACs (9F0E, 9F0F, 9F0D).
struct ActionCodes {
  std::array<Byte, 5> denial{};
  std::array<Byte, 5> online{};
  std::array<Byte, 5> default_{};
};

ActionCodes terminal_action_codes(const AidConfig& aid);
// Book 3 10.7: an absent IAC-Denial is all zeros; absent IAC-Online and IAC-Default are
// all ones. A present one of the wrong length counts as absent.
ActionCodes issuer_action_codes(const TagStore& icc);

// Book 3 10.7 on values. Denial codes matching -> AAC; otherwise an online-capable
// terminal asks ARQC when the online codes match and TC when not; an offline-only
// terminal applies the default codes (AAC on a match, else TC).
CryptogramType terminal_action_analysis(const Tvr& tvr, const ActionCodes& tac,
                                        const ActionCodes& iac, bool online_capable);
// Book 3 10.7: the default codes alone, for a terminal unable to go online.
CryptogramType default_action_analysis(const Tvr& tvr, const ActionCodes& tac,
                                       const ActionCodes& iac);
// On the context: the selected AID's TACs, the card's IACs, the terminal type.
CryptogramType terminal_action_analysis(const Context& ctx);

// Book 2 6.6.1: CDA is requested when it is the ODA method, the ICC key was retrieved,
// and the cryptogram asked for is a TC or an ARQC.
[[nodiscard]] bool cda_requested(const Context& ctx, CryptogramType requested);

// Cryptogram Information Data (9F27), Book 3 Table 15.
enum class CidReason : Byte {
  no_information = 0x00,
  service_not_allowed = 0x01,
  pin_try_limit_exceeded = 0x02,
  issuer_authentication_failed = 0x03,
};
struct Cid {
  std::optional<CryptogramType> type;  // nullopt for '11' (RFU, the old AAR)
  bool advice_required = false;
  Byte reason = 0;  // bits 3-1, CidReason when 0..3
};
Cid decode_cid(Byte cid);
// AAC < ARQC < TC: a card may answer with a lower one than asked for, never a higher one.
[[nodiscard]] int rank(CryptogramType type);

struct CardDecision {
  CryptogramType cryptogram = CryptogramType::aac;
  Cid cid;
  bool cda_requested = false;
  bool cda_failed = false;  // requested, and the signature did not verify (TVR set)
  GenerateAcResponse response;
};

// Book 3 10.8: computes the TC Hash Value (98) if CDOL1 asks for it (TDOL or the default
// TDOL, TVR "Default TDOL used"), builds the CDOL1 data, sends the first GENERATE AC,
// stores the response objects (9F27, 9F36, 9F26, 9F10...), sets TSI "card risk
// management was performed", and verifies CDA when it was requested and the card did
// not decline (TVR "CDA failed" otherwise). Errors terminate: transport failure, SW not
// 9000, malformed response, RFU CID, a higher cryptogram than requested.
Result<CardDecision> card_action_analysis(Context& ctx, Ttl& ttl, CryptogramType requested);

// The GENERATE AC exchange both card action analysis and completion use: `cdol_tag` is
// 8C or 8D; `data_out` receives the CDOL data sent.
Result<CardDecision> generate_application_cryptogram(Context& ctx, Ttl& ttl, Tag cdol_tag,
                                                     CryptogramType requested, bool cda,
                                                     Bytes& data_out);

}  // namespace tender::emv
