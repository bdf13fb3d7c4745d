// The Terminal Application Layer commands of EMV 4.4 Book 3 section 6.5 (and SELECT,
// Book 1 11.3): each builds its C-APDU, goes through the TTL, and maps the status word
// to what it means for that command (Book 3 Table 14, Book 1 11.3.5). The response
// templates (FCI, format 1 '80' / format 2 '77') are parsed here too, defensively:
// everything a card returns is untrusted.
//
// Errors (Result) are transport failures and malformed responses; a status word the
// command does not expect is not an error here but SwMeaning::error, for the step to
// decide (most terminate, Book 3 10.x says which).
#pragma once

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "drivers/icc/apdu.hpp"
#include "emv/tlv.hpp"
#include "emv/ttl.hpp"

namespace tender::emv {

enum class TalCommand {
  select,
  read_record,
  get_processing_options,
  get_data,
  get_challenge,
  internal_authenticate,
  verify,
  generate_ac,
  external_authenticate,
  issuer_script,
};

enum class SwMeaning {
  ok,                               // 9000
  warning,                          // 62xx / 63xx where the command treats them as done
  selected_file_invalidated,        // 6283 on SELECT: the application is blocked
  function_not_supported,           // 6A81 on SELECT: card blocked or command not supported
  file_not_found,                   // 6A82 on SELECT
  record_not_found,                 // 6A83 on READ RECORD: end of a directory
  conditions_of_use_not_satisfied,  // 6985 on GET PROCESSING OPTIONS
  authentication_failed,            // 6300 on EXTERNAL AUTHENTICATE
  pin_tries_remaining,              // 63Cx on VERIFY: wrong PIN, x tries left
  authentication_method_blocked,    // 6983 on VERIFY
  reference_data_invalidated,       // 6984 on VERIFY
  referenced_data_not_found,        // 6A88 on GET DATA
  error,                            // anything else
};

std::string_view name(TalCommand command) noexcept;
SwMeaning classify(TalCommand command, icc::StatusWord sw) noexcept;

struct CardResponse {
  SwMeaning meaning = SwMeaning::error;
  icc::StatusWord sw = 0;
  Bytes data;

  [[nodiscard]] bool ok() const noexcept { return meaning == SwMeaning::ok; }
  // For VERIFY '63Cx': x.
  [[nodiscard]] unsigned pin_tries() const noexcept { return sw & 0x0F; }
};

enum class SelectOccurrence : Byte { first = 0x00, next = 0x02 };
// Book 3 6.5.12: P2 of VERIFY.
enum class PinQualifier : Byte { plaintext = 0x80, enciphered = 0x88 };
// Book 3 6.5.5.2, Table 12: reference control parameter of GENERATE AC (P1 bits 8-7).
enum class CryptogramType : Byte { aac = 0x00, tc = 0x40, arqc = 0x80 };
std::string_view name(CryptogramType type) noexcept;

Result<CardResponse> select(Ttl& ttl, ByteView df_name,
                            SelectOccurrence occurrence = SelectOccurrence::first);
// SFI 1..30, record 1..255.
Result<CardResponse> read_record(Ttl& ttl, Byte sfi, Byte record);
// `pdol_data` goes inside the Command Template '83' (Book 3 6.5.8.3).
Result<CardResponse> get_processing_options(Ttl& ttl, ByteView pdol_data);
// P1 P2 are the tag: 9F36, 9F13, 9F17, 9F4F (Book 3 6.5.7).
Result<CardResponse> get_data(Ttl& ttl, Tag tag);
Result<CardResponse> get_challenge(Ttl& ttl);
Result<CardResponse> internal_authenticate(Ttl& ttl, ByteView ddol_data);
Result<CardResponse> verify(Ttl& ttl, PinQualifier qualifier, ByteView pin_data);
// P1 = type | '10' when CDA is requested (Book 3 6.5.5.2).
Result<CardResponse> generate_ac(Ttl& ttl, CryptogramType type, bool cda_requested,
                                 ByteView cdol_data);
Result<CardResponse> external_authenticate(Ttl& ttl, ByteView issuer_authentication_data);
// One Issuer Script Command (tag 86): a whole C-APDU as the issuer built it.
Result<CardResponse> issuer_script_command(Ttl& ttl, ByteView command_apdu);

// ---- Responses ----------------------------------------------------------------------

// The direct child of a decoded template with `tag` (find() searches the whole tree).
const TlvNode* find_child(const TlvNode& node, Tag tag);

// A primitive data object copied out of a response.
struct DataObject {
  Tag tag = 0;
  Bytes value;
};

// File Control Information of a SELECT (Book 1 11.3.4, Tables 43-45).
struct Fci {
  Bytes df_name;                                // 84
  std::optional<Byte> sfi;                      // 88: the directory SFI of the PSE
  Bytes label;                                  // 50
  std::optional<Byte> priority;                 // 87
  Bytes pdol;                                   // 9F38
  Bytes language_preference;                    // 5F2D
  std::optional<Byte> issuer_code_table_index;  // 9F11
  Bytes preferred_name;                         // 9F12
  Bytes discretionary;                          // BF0C contents
};
// '6F' with '84' and 'A5' (Errc::malformed otherwise, or on a bad length of 87/88/9F11).
Result<Fci> parse_fci(ByteView fci);

// GET PROCESSING OPTIONS (Book 3 6.5.8.4): format 1 '80' is AIP | AFL; format 2 '77'
// holds 82 and 94 and possibly more. `objects` has every primitive object, 82 and 94 too.
struct ProcessingOptions {
  Bytes aip;  // 2 bytes
  Bytes afl;  // a multiple of 4 bytes
  std::vector<DataObject> objects;
};
Result<ProcessingOptions> parse_processing_options(ByteView response);

// GENERATE AC (Book 3 6.5.5.4): format 1 '80' is CID | ATC | AC | IAD; format 2 '77'
// holds 9F27, 9F36, 9F26 (absent under CDA, the AC then being inside 9F4B), 9F10, 9F4B.
struct GenerateAcResponse {
  bool format2 = false;
  Byte cid = 0;            // 9F27
  Bytes atc;               // 9F36, 2 bytes
  Bytes ac;                // 9F26, 8 bytes; empty when only the signature carries it
  Bytes iad;               // 9F10
  Bytes sdad;              // 9F4B, CDA
  std::vector<DataObject> objects;
  // Book 2 6.6.2 step 12: the format 2 response's data objects except 9F4B, as the
  // card encoded them (tag, length, value), in order: part of the transaction data hash.
  Bytes objects_except_sdad;
};
Result<GenerateAcResponse> parse_generate_ac_response(ByteView response);

// INTERNAL AUTHENTICATE (Book 3 6.5.9.4): the Signed Dynamic Application Data, from '80'
// or from 9F4B in '77'.
Result<Bytes> parse_internal_authenticate_response(ByteView response);

// GET DATA: the response is the requested object itself ('9F36 02 xxxx').
Result<Bytes> parse_get_data_response(ByteView response, Tag tag);

}  // namespace tender::emv
