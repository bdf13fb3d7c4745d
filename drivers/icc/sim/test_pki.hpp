// The test PKI of the virtual cards: the private keys tender-testkeys generated
// (pki/keys.json). The CAs' public halves are pki/capk.json, which the terminal loads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "emv/sim/rsa_sign.hpp"

namespace tender::icc::sim {

enum class PkiRole { ca, issuer, icc };

struct PkiKey {
  std::string name;
  PkiRole role = PkiRole::icc;
  emv::RsaSigningKey key;
  // CA keys only:
  Bytes rid;          // 5 bytes
  Byte index = 0;     // CA public key index (8F)
  std::string description;
};

class TestPki {
 public:
  // keys.json as tender-testkeys writes it. Every key is checked for consistency
  // (Errc::crypto_error naming the key); fields are checked as in profiles.
  static Result<TestPki> parse(std::string_view json_text);

  // Adds a key made elsewhere (a test's own CA): Errc::invalid_argument for a name
  // already there or a CA key without a 5-byte RID, Errc::crypto_error for parameters
  // that are not one consistent RSA key.
  Result<void> add(PkiKey key);

  // nullptr when no key has that name.
  [[nodiscard]] const PkiKey* find(std::string_view name) const;
  [[nodiscard]] const std::vector<PkiKey>& keys() const noexcept { return keys_; }

 private:
  std::vector<PkiKey> keys_;
};

}  // namespace tender::icc::sim
