// A PIN verifier and a chip issuer whose answers a test sets: what app/ implements for real
// (DUKPT receiver, test issuer), for the simulators' tests.
#pragma once

#include "net/hostsim/verifiers.hpp"

namespace tender::net::hostsim {

class FakePinVerifier final : public PinVerifier {
 public:
  bool answer = true;
  Bytes last_block, last_ksn;
  int calls = 0;
  Result<bool> verify(std::string_view, ByteView pin_block, ByteView ksn) override {
    ++calls;
    last_block.assign(pin_block.begin(), pin_block.end());
    last_ksn.assign(ksn.begin(), ksn.end());
    return answer;
  }
};

class FakeChipIssuer final : public ChipIssuer {
 public:
  bool cryptogram_ok = true;
  Bytes last_psn;
  bool last_approve = false;
  Result<ChipDecision> authorize(std::string_view, ByteView psn, ByteView, bool approve) override {
    last_psn.assign(psn.begin(), psn.end());
    last_approve = approve;
    ChipDecision d;
    d.approved = approve && cryptogram_ok;
    d.response_tags = d.approved ? Bytes{0x8A, 0x02, 0x30, 0x30} : Bytes{0x8A, 0x02, 0x30, 0x35};
    return d;
  }
};

}  // namespace tender::net::hostsim
