// Checks the simulator cannot do itself without depending on drivers/ or emv/: they are
// injected, and app/ implements them (DUKPT receiver side with the test BDK; the simulated
// issuer of the virtual test cards). Both are optional: null means "not checked".
#pragma once

#include <string_view>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace tender::net::hostsim {

class PinVerifier {
 public:
  virtual ~PinVerifier() = default;
  // True when the encrypted PIN block, decrypted under the key the KSN selects, holds the
  // cardholder's PIN for `pan`. An error (bad KSN, exhausted key) is treated as a decline
  // for "incorrect PIN" too: a host never approves a PIN it could not check.
  virtual Result<bool> verify(std::string_view pan, ByteView pin_block, ByteView ksn) = 0;
};

struct ChipDecision {
  bool approved = false;  // false when the ARQC did not verify (or `approve` was false)
  Bytes response_tags;    // BER-TLV: 8A (ARC), 91 (issuer authentication data), 71/72 scripts
};

class ChipIssuer {
 public:
  virtual ~ChipIssuer() = default;
  // `psn` is tag 5F34 (card sequence number) or empty; `emv_tags` the request's tag list as
  // sent; `approve` is what the simulator decided before the cryptogram check.
  virtual Result<ChipDecision> authorize(std::string_view pan, ByteView psn, ByteView emv_tags,
                                         bool approve) = 0;
};

}  // namespace tender::net::hostsim
