// The terminal's EMV parameters from JSON (the file `emv.terminal_file` names; a sample with
// the test set is data/emv/terminal.sample.json): what the kernel needs of the terminal
// (EMV 4.4 Book 4 Annex A, Book 3 Annex A) and, per AID it accepts, the acquirer's
// parameters. The identity (9F1C, 9F16) comes from the terminal's configuration, the CA
// public keys from `emv.capk_file` (capk_json.hpp).
//
//   {
//     "note": "free text",                       optional, not used
//     "terminal_type": "22",                     9F35, Book 4 Annex A1: 11-16, 21-26, 31-36
//     "capabilities": "E0F8C8",                  9F33, 3 bytes hex
//     "additional_capabilities": "6000F0A001",   9F40, 5 bytes hex
//     "country": "840",                          9F1A, ISO 3166-1 numeric, 3 digits
//     "currency": "USD",                         ISO 4217; must be the configuration's `currency`
//     "merchant_category_code": "5999",          9F15, 4 digits
//     "transaction_category_code": "R",          9F53, optional: one letter or digit
//     "ifd_serial": "TNDR0001",                  9F1E, optional: 1 to 8 letters or digits
//     "pse": true,                               optional (true): try 1PAY.SYS.DDF01 first
//     "cardholder_confirmation": true,           optional (true): Book 1 12.4
//     "velocity_checking": true,                 optional (true): Book 3 10.6.3
//     "aids": [{
//       "name": "VISA CREDIT",                   optional, for people: not used
//       "aid": "A0000000031010",                 9F06, 5 to 16 bytes hex, each AID once
//       "partial_selection": true,               optional (true): Book 1 12.3.1
//       "application_version": "008C",           9F09, 2 bytes hex
//       "tac_denial": "0010000000",              the Terminal Action Codes, 5 bytes hex each
//       "tac_online": "DC4004F800",
//       "tac_default": "DC4000A800",
//       "floor_limit": "0.00",                   9F1B, decimal amount in the currency
//       "random_selection_threshold": "0.00",    optional ("0"): Book 3 10.6.2, at most the floor limit
//       "target_percentage": 0,                  optional (0): 0 to 99
//       "max_target_percentage": 0,              optional (0): 0 to 99, at least the target
//       "default_ddol": "9F3704",                optional (none): a DOL, Book 3 5.4
//       "default_tdol": "9F0206"                 optional (none): a DOL
//     }]
//   }
//
// Every field is checked and a bad one is a typed error naming its path
// ("aids[1].tac_online: must be 5 bytes of hex"), as the configuration file's are
// (app/config/settings.hpp): Errc::malformed for a wrong JSON type or format,
// Errc::invalid_argument for a missing, unknown or repeated key and for fields that
// contradict each other (the currency, a repeated AID, target above max), Errc::out_of_range
// for a value that parses but is not allowed.
#pragma once

#include <string_view>

#include "common/money.hpp"
#include "common/result.hpp"
#include "emv/terminal_config.hpp"

namespace tender::app {

// The terminal file's fields in a TerminalConfig; everything else (terminal_id,
// merchant_id, capks) keeps its default. `currency` is the terminal's (the
// configuration's `currency`): the file must name the same one, and its amounts are in it.
Result<emv::TerminalConfig> parse_terminal_json(std::string_view json_text, Currency currency);

}  // namespace tender::app
