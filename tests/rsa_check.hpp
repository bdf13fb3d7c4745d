// An independent check of EMV Book 2 signed records for the tests: recover with
// mbedtls_rsa_public, then check header 6A, format, trailer BC and the SHA-1 hash by
// hand. Deliberately shares no code with emv/rsa_sign or emv/oda.
#pragma once

#include <gtest/gtest.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha1.h>

#include <initializer_list>

#include "common/bytes.hpp"

namespace tender::test {

inline Bytes rsa_recover_raw(ByteView modulus, ByteView exponent, ByteView signature) {
  mbedtls_rsa_context rsa;
  mbedtls_rsa_init(&rsa, MBEDTLS_RSA_PKCS_V15, 0);
  Bytes out(modulus.size());
  int rc = mbedtls_rsa_import_raw(&rsa, modulus.data(), modulus.size(), nullptr, 0, nullptr, 0, nullptr, 0,
                                  exponent.data(), exponent.size());
  if (rc == 0) rc = mbedtls_rsa_complete(&rsa);
  if (rc == 0 && signature.size() == modulus.size()) rc = mbedtls_rsa_public(&rsa, signature.data(), out.data());
  else if (rc == 0) rc = -1;
  mbedtls_rsa_free(&rsa);
  EXPECT_EQ(rc, 0) << "RSA recovery failed";
  return out;
}

inline Bytes sha1_reference(ByteView data) {
  Bytes out(20);
  mbedtls_sha1_ret(data.data(), data.size(), out.data());
  return out;
}

inline Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// 6A | format ... | hash | BC, hash = SHA-1(recovered[1 .. n-22] || tail).
inline void expect_valid_record(const Bytes& recovered, Byte format, ByteView tail) {
  ASSERT_GE(recovered.size(), 22u);
  EXPECT_EQ(recovered.front(), 0x6A);
  EXPECT_EQ(recovered[1], format);
  EXPECT_EQ(recovered.back(), 0xBC);
  const Bytes body(recovered.begin() + 1, recovered.end() - 21);
  const Bytes hash(recovered.end() - 21, recovered.end() - 1);
  EXPECT_EQ(hash, sha1_reference(concat({body, tail})));
}

}  // namespace tender::test
