// A virtual card's personalisation, read from a JSON profile (schema:
// drivers/icc/sim/README.md). Parsing is strict: every malformed, missing, out-of-range
// or unknown field is an error naming the field's path, and nothing here ever quotes a
// value (profiles hold test PANs, PINs and keys).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"
#include "emv/sim/cryptogram.hpp"
#include "emv/tlv.hpp"

namespace tender::icc::sim {

enum class Protocol { t0, t1 };
enum class OdaMethod { none, sda, dda, cda };
// GET PROCESSING OPTIONS / GENERATE AC / INTERNAL AUTHENTICATE response format
// (Book 3 6.5.5.4, 6.5.8.4, 6.5.9.4): 1 = template 80, 2 = template 77.
enum class ResponseFormat { format1 = 1, format2 = 2 };
// Card action analysis at the first GENERATE AC (card risk rules):
//  terminal: grant what the terminal asks (never more);
//  online:   a TC request becomes ARQC (the card wants to go online);
//  decline:  always AAC.
enum class FirstAcRule { terminal, online, decline };
// At the second GENERATE AC: terminal = grant TC or AAC as asked; decline = always AAC.
enum class SecondAcRule { terminal, decline };
// How the ARPC reaches the card: EXTERNAL AUTHENTICATE, tag 91 in the CDOL2 data, or never.
enum class IssuerAuthentication { none, external_authenticate, cdol2 };

struct AflEntry {
  Byte sfi = 1;
  Byte first = 1;
  Byte last = 1;
  Byte oda_records = 0;  // records from `first` on that enter offline data authentication
};

// One record: either the listed data elements, in order, inside template 70 (the tags
// refer to the application's data, or to the ODA elements the card computes at load:
// 8F 90 92 9F32 9F46 9F47 9F48 93), or a complete record given as hex.
struct RecordSpec {
  Byte sfi = 1;
  Byte number = 1;
  std::vector<emv::Tag> tags;
  std::optional<Bytes> raw;
};

struct OdaConfig {
  OdaMethod method = OdaMethod::none;
  std::string ca_key;      // names in the test PKI (pki/keys.json)
  std::string issuer_key;
  std::string icc_key;     // dda, cda (and enciphered offline PIN)
  std::array<Byte, 2> certificate_expiry{0x12, 0x30};  // MMYY of both certificates
  std::array<Byte, 2> data_authentication_code{0xDA, 0xC0};
};

struct CardRisk {
  FirstAcRule first_ac = FirstAcRule::terminal;
  SecondAcRule second_ac = SecondAcRule::terminal;
  // A TC at the second GENERATE AC needs a successful issuer authentication.
  bool require_issuer_authentication = false;
};

struct Application {
  Bytes aid;                    // 4F / 84, 5..16 bytes
  std::string label;            // 50
  std::optional<std::string> preferred_name;  // 9F12
  Byte priority = 0;            // 87 bits 4-1 (0: no priority given, 87 omitted unless confirmation)
  bool confirmation_required = false;  // 87 bit 8
  std::optional<std::string> language;  // 5F2D
  bool blocked = false;
  Bytes pdol;                   // 9F38 in the FCI; empty: none
  ResponseFormat gpo_format = ResponseFormat::format2;
  ResponseFormat response_format = ResponseFormat::format2;  // GENERATE AC, INTERNAL AUTHENTICATE
  std::array<Byte, 2> aip{};
  std::vector<AflEntry> afl;
  std::string pan;              // digits (5A)
  Byte pan_sequence_number = 0;  // 5F34
  Bytes cdol1, cdol2, ddol;     // 8C, 8D, 9F49 (also in `data`)
  std::map<emv::Tag, Bytes> data;  // every data element the records may list
  std::vector<RecordSpec> records;
  std::uint16_t atc = 0;
  std::uint16_t last_online_atc = 0;
  emv::DesKey imk_ac;           // the card derives its MK by Option A at load
  Byte cryptogram_version = 0x01;      // IAD byte 2
  Byte derivation_key_index = 0x01;    // IAD byte 3
  OdaConfig oda;
  CardRisk risk;
  IssuerAuthentication issuer_authentication = IssuerAuthentication::external_authenticate;
  // true: issuer script commands carry a Book 2 9.2.1 MAC (emv::secure_script_command);
  // false: test mode, CLA 84 commands are accepted without one.
  bool script_mac = false;
};

// One issuer script (Book 3 10.10): template 71 or 72, optional 9F18 identifier,
// commands as complete APDUs (tag 86 each).
struct IssuerScript {
  emv::Tag template_tag = 0x71;
  std::optional<std::array<Byte, 4>> identifier;
  std::vector<Bytes> commands;

  [[nodiscard]] Bytes encode() const;
};

// Test-only: what the simulated issuer uses for this card.
struct IssuerSection {
  emv::DesKey imk_ac;
  std::vector<IssuerScript> scripts;
};

struct CardProfile {
  std::string name;
  std::string description;
  Protocol protocol = Protocol::t1;
  Bytes atr;                    // as given, or the default for the protocol
  bool pse = true;
  Byte pse_sfi = 1;
  std::vector<Application> applications;
  SecretString pin;             // the card's reference PIN (test data)
  Byte pin_try_limit = 3;
  Byte pin_try_counter = 3;
  std::optional<IssuerSection> issuer;
};

// `name` is the profile's name (the file name without .json for files).
Result<CardProfile> parse_profile(std::string_view json_text, std::string name);
// Reads and parses a file; the name is the file's stem.
Result<CardProfile> load_profile(const std::string& path);

// Default ATRs (EMV Book 1 8.3): T=0 3B 60 00 00; T=1 3B E0 00 00 81 31 FE 45 EB.
Bytes default_atr(Protocol protocol);

}  // namespace tender::icc::sim
