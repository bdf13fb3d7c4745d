#include "emv/capk.hpp"

#include <algorithm>

#include "emv/formats.hpp"
#include "emv/oda_rsa.hpp"

namespace tender::emv {

Bytes capk_checksum(const Capk& key) {
  const Byte index[1] = {key.index};
  return sha1({key.rid, index, key.modulus, key.exponent});
}

Result<void> verify_checksum(const Capk& key) {
  if (key.rid.size() != 5) return make_error(Errc::malformed, "CA public key RID is not 5 bytes");
  if (key.modulus.empty() || key.modulus.front() == 0) {
    return make_error(Errc::malformed, "CA public key modulus is empty or has a leading 0 byte");
  }
  if (key.exponent.empty()) return make_error(Errc::malformed, "CA public key exponent is empty");
  if (key.checksum != capk_checksum(key)) {
    return make_error(Errc::checksum, "CA public key checksum does not match");
  }
  return ok();
}

const Capk* find_capk(std::span<const Capk> keys, ByteView rid, Byte index,
                      std::optional<std::array<Byte, 3>> transaction_date) {
  for (const Capk& key : keys) {
    if (key.index != index || !std::ranges::equal(key.rid, rid)) continue;
    if (transaction_date && key.expiry) {
      const auto expiry = parse_yymmdd(*key.expiry);
      const auto today = parse_yymmdd(*transaction_date);
      if (expiry && today && *expiry < *today) continue;
    }
    return &key;
  }
  return nullptr;
}

}  // namespace tender::emv
