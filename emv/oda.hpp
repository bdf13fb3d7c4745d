// Offline data authentication: EMV 4.4 Book 2 sections 5 (SDA), 6 (DDA and CDA) and 7.1
// (the ICC PIN encipherment key), and the terminal's step, Book 3 10.3.
//
// The recover_* / verify_* functions are the pure checks, one per Book 2 table, on
// explicit inputs; the Context functions below them run a method on the card's data and
// set the TVR and TSI. Every certificate comes from the card: lengths are checked before
// any byte is read, and no check failure is ever more than a typed error.
#pragma once

#include <string>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "drivers/pinpad/pin_pad.hpp"
#include "emv/capk.hpp"
#include "emv/context.hpp"
#include "emv/formats.hpp"
#include "emv/tal.hpp"
#include "emv/ttl.hpp"

namespace tender::emv {

using RsaPublicKey = pinpad::RsaPublicKey;

// Book 2 5.3, Table 13: the Issuer Public Key Certificate (90) under the CA key, with
// the Issuer Public Key Remainder (92) and Exponent (9F32). Checks header, format 02,
// trailer, hash, the issuer identifier against the PAN (5A, cn), the expiry against
// `today`, the algorithm indicators.
Result<RsaPublicKey> recover_issuer_public_key(const Capk& ca_key, ByteView certificate,
                                               ByteView remainder, ByteView exponent,
                                               ByteView pan, const Date& today);

// Book 2 6.4, Table 14: the ICC Public Key Certificate (9F46, remainder 9F48, exponent
// 9F47) under the issuer key; the hash covers `static_data` (the static data to be
// authenticated). Format 04, PAN equal to 5A, expiry. Also the ICC PIN Encipherment
// Public Key Certificate (9F2D, 9F2F, 9F2E: Book 2 7.1), whose hash has no static data.
Result<RsaPublicKey> recover_icc_public_key(const RsaPublicKey& issuer_key, ByteView certificate,
                                            ByteView remainder, ByteView exponent, ByteView pan,
                                            ByteView static_data, const Date& today);

// Book 2 5.4, Table 7: Signed Static Application Data (93), format 03. Returns the Data
// Authentication Code (9F45).
Result<Bytes> verify_signed_static_application_data(const RsaPublicKey& issuer_key,
                                                    ByteView signed_data, ByteView static_data);

// Book 2 6.5.2, Table 17: Signed Dynamic Application Data from INTERNAL AUTHENTICATE,
// format 05, hashed with the DDOL data. Returns the ICC Dynamic Number (9F4C).
Result<Bytes> verify_signed_dynamic_application_data(const RsaPublicKey& icc_key,
                                                     ByteView signed_data, ByteView ddol_data);

// Book 2 6.6.2, Tables 18 and 22: CDA's Signed Dynamic Application Data (9F4B) from a
// GENERATE AC response. `cid` is the 9F27 the response carried; `transaction_data` is
// what the Transaction Data Hash Code covers (PDOL data | CDOL1 data [| CDOL2 data] |
// the response's objects except 9F4B).
struct CdaDynamicData {
  Bytes icc_dynamic_number;  // 9F4C
  Byte cid = 0;
  Bytes application_cryptogram;  // 9F26
};
Result<CdaDynamicData> verify_cda_signature(const RsaPublicKey& icc_key, ByteView signed_data,
                                            ByteView unpredictable_number, Byte cid,
                                            ByteView transaction_data);

// Book 2 5.4 / Book 3 10.3: the records the AFL marks plus, when the SDA Tag List (9F4A)
// is present, the value of the AIP. Errc::malformed when 9F4A names anything but 82 or a
// marked record was not a '70' template.
Result<Bytes> static_data_to_be_authenticated(const Context& ctx);

// ---- Book 3 10.3 on the context -----------------------------------------------------

// CDA if the card (AIP) and the terminal (9F33) both support it, else DDA, else SDA.
OdaMethod select_oda_method(const Context& ctx);

// Runs the selected method: SDA or DDA completely (INTERNAL AUTHENTICATE for DDA), CDA up
// to the retrieval of the ICC key (the signature comes with GENERATE AC). Sets TVR
// "offline data authentication was not performed" / "SDA selected" / "SDA|DDA|CDA failed"
// / "ICC data missing", and TSI "offline data authentication was performed". Stores 9F45
// (SDA) or 9F4C (DDA). Errors are only transport failures (the transaction terminates).
Result<void> offline_data_authentication(Context& ctx, Ttl& ttl);

// The keys, cached in the context. Errc::not_found when the card lacks data for them.
Result<RsaPublicKey> retrieve_issuer_public_key(Context& ctx);
Result<RsaPublicKey> retrieve_icc_public_key(Context& ctx);
// Book 2 7.1: the ICC PIN Encipherment Public Key when the card has one, else the ICC key.
Result<RsaPublicKey> retrieve_icc_pin_encipherment_key(Context& ctx);

// CDA on a GENERATE AC response (Book 2 6.6.2). On success stores 9F26 and 9F4C in the
// ICC data; on failure returns the reason (the caller sets "CDA failed").
Result<void> verify_generate_ac_signature(Context& ctx, const GenerateAcResponse& response,
                                          bool second_generate_ac);

}  // namespace tender::emv
