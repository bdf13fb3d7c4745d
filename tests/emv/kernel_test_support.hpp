// Test doubles for the kernel steps: RSA test keys and Book 2 records signed here
// (independently of the card side's emv/rsa_sign), a PIN pad, a cardholder, a random
// source, and TestCard: a small EMV card that answers from tables and, where it must,
// computes (PIN try counter, ATC, GENERATE AC with CDA, INTERNAL AUTHENTICATE).
#pragma once

#include <gtest/gtest.h>
#include <mbedtls/rsa.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "drivers/icc/apdu.hpp"
#include "drivers/icc/card.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "drivers/pinpad/pin_pad.hpp"
#include "emv/capk.hpp"
#include "emv/context.hpp"
#include "emv/dol.hpp"
#include "emv/oda_rsa.hpp"
#include "emv/tlv.hpp"
#include "tests/test_hex.hpp"

namespace tender::emv::kt {

using tender::test::hex;

inline Bytes cat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes tlv(Tag tag, ByteView value) { return encode_tlv(tag, value); }

// ---- RSA test keys ------------------------------------------------------------------

// Deterministic byte stream for key generation (xorshift; not a CSPRNG).
inline int xorshift_rng(void* state, unsigned char* out, std::size_t size) {
  auto* s = static_cast<std::uint64_t*>(state);
  for (std::size_t i = 0; i < size; ++i) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    out[i] = static_cast<unsigned char>(*s >> 32);
  }
  return 0;
}

class RsaKey {
 public:
  RsaKey(unsigned bits, int public_exponent, std::uint64_t seed) : ctx_(new mbedtls_rsa_context) {
    mbedtls_rsa_init(ctx_.get(), MBEDTLS_RSA_PKCS_V15, 0);
    EXPECT_EQ(mbedtls_rsa_gen_key(ctx_.get(), xorshift_rng, &seed, bits, public_exponent), 0);
    modulus.resize(mbedtls_rsa_get_len(ctx_.get()));
    Bytes e(4);
    EXPECT_EQ(mbedtls_rsa_export_raw(ctx_.get(), modulus.data(), modulus.size(), nullptr, 0, nullptr,
                                     0, nullptr, 0, e.data(), e.size()),
              0);
    while (e.size() > 1 && e.front() == 0) e.erase(e.begin());
    exponent = e;
  }
  RsaKey(const RsaKey&) = delete;
  RsaKey& operator=(const RsaKey&) = delete;

  // The private operation: signs a Book 2 record, or deciphers an enciphered PIN block.
  [[nodiscard]] Bytes private_op(ByteView input) const {
    Bytes out(modulus.size());
    EXPECT_EQ(input.size(), modulus.size());
    std::uint64_t seed = 42;
    EXPECT_EQ(mbedtls_rsa_private(ctx_.get(), xorshift_rng, &seed, input.data(), out.data()), 0);
    return out;
  }
  [[nodiscard]] pinpad::RsaPublicKey public_key() const { return {modulus, exponent}; }

  Bytes modulus;
  Bytes exponent;

 private:
  struct Free {
    void operator()(mbedtls_rsa_context* c) const {
      mbedtls_rsa_free(c);
      delete c;
    }
  };
  std::unique_ptr<mbedtls_rsa_context, Free> ctx_;
};

// CA 1024 bits, issuer 896 (does not fit in the CA certificate: remainder 20 bytes),
// ICC 768 with exponent 65537 (remainder 26 bytes). Generated once per test binary.
struct TestKeys {
  RsaKey ca{1024, 3, 0x1111};
  RsaKey issuer{896, 3, 0x2222};
  RsaKey icc{768, 65537, 0x3333};
  RsaKey icc_pin{768, 3, 0x4444};
};

inline const TestKeys& keys() {
  static const TestKeys k;
  return k;
}

inline const Bytes kRid = hex("A000000003");
inline constexpr Byte kCaIndex = 0x92;

inline Capk test_capk() {
  Capk capk{kRid, kCaIndex, keys().ca.modulus, keys().ca.exponent, {}, std::nullopt};
  capk.checksum = capk_checksum(capk);
  return capk;
}

// A Book 2 record: 6A | body | SHA-1(body | hashed_tail) | BC, signed with `key`.
inline Bytes sign_record(const RsaKey& key, ByteView body, ByteView hashed_tail) {
  const Bytes hash = sha1({body, hashed_tail});
  return key.private_op(cat({hex("6A"), body, hash, hex("BC")}));
}

struct SignedKey {
  Bytes certificate;
  Bytes remainder;
};

// Book 2 Table 13 (format 02) and Table 14 (format 04): `identifier` is the issuer
// identifier (4 bytes cn) or the PAN (10 bytes cn).
inline SignedKey certify(const RsaKey& signer, const RsaKey& subject, Byte format, ByteView identifier,
                         ByteView expiry_mmyy, ByteView static_data = {}) {
  const std::size_t room = signer.modulus.size() - 32 - identifier.size();
  const Bytes& n = subject.modulus;
  Bytes leftmost(n.begin(), n.begin() + static_cast<std::ptrdiff_t>(std::min(room, n.size())));
  leftmost.resize(room, 0xBB);
  SignedKey out;
  if (n.size() > room) out.remainder.assign(n.begin() + static_cast<std::ptrdiff_t>(room), n.end());
  const Bytes body = cat({Bytes{format}, identifier, expiry_mmyy, hex("000001 01 01"),
                          Bytes{static_cast<Byte>(n.size()), static_cast<Byte>(subject.exponent.size())},
                          leftmost});
  out.certificate = sign_record(signer, body, cat({out.remainder, subject.exponent, static_data}));
  return out;
}

// Book 2 Table 7: format 03 with the Data Authentication Code.
inline Bytes sign_static_data(const RsaKey& issuer, ByteView dac, ByteView static_data) {
  Bytes body = cat({hex("03 01"), dac});
  body.resize(issuer.modulus.size() - 22, 0xBB);
  return sign_record(issuer, body, static_data);
}

// Book 2 Table 17: format 05 with the ICC Dynamic Data, hashed with `terminal_data`.
inline Bytes sign_dynamic_data(const RsaKey& icc, ByteView dynamic_data, ByteView terminal_data) {
  Bytes body = cat({hex("05 01"), Bytes{static_cast<Byte>(dynamic_data.size())}, dynamic_data});
  body.resize(icc.modulus.size() - 22, 0xBB);
  return sign_record(icc, body, terminal_data);
}

// ---- Terminal-side doubles ----------------------------------------------------------

class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(Bytes pattern = {0x11, 0x22, 0x33, 0x44}) : pattern_(std::move(pattern)) {}
  void fill(std::span<Byte> out) override {
    for (Byte& b : out) b = pattern_[next_++ % pattern_.size()];
  }

 private:
  Bytes pattern_;
  std::size_t next_ = 0;
};

class FakeUi final : public KernelUi {
 public:
  Result<std::size_t> choose_application(std::span<const Candidate> candidates) override {
    shown.assign(candidates.begin(), candidates.end());
    return choice;
  }
  Result<bool> confirm_application(const Candidate&) override { return confirm; }
  Result<Money> amount_for(const Candidate& selected, const Money& requested) override {
    amount_asked.push_back(selected.label);
    return amount ? amount(selected, requested) : Result<Money>{requested};
  }
  void message(std::string_view text) override { messages.emplace_back(text); }

  // The amount for the selected application (unset: the requested one), and who was asked.
  std::function<Result<Money>(const Candidate&, const Money&)> amount;
  std::vector<std::string> amount_asked;

  Result<std::size_t> choice = make_error(Errc::unsupported, "terminal chooses");
  Result<bool> confirm = true;
  std::vector<Candidate> shown;
  std::vector<std::string> messages;
};

// A cardholder at the PIN pad: each entry is digits, or nullopt for bypass; an entry
// "!cancel" or "!timeout" fails the entry that way.
class FakePinPad final : public pinpad::PinPad {
 public:
  [[nodiscard]] bool available() const override { return present; }
  Result<pinpad::OnlinePin> enter_online_pin(std::string_view pan, std::string_view) override {
    ++online_calls;
    pan_length = pan.size();
    auto entry = next();
    if (!entry) return std::move(entry).error();
    if (!*entry) return pinpad::OnlinePin{true, {}, {}, pinpad::OnlinePinFormat::iso0_tdes_dukpt};
    return pinpad::OnlinePin{false, hex("1122334455667788"), hex("FFFF9876543210E00001"),
                             pinpad::OnlinePinFormat::iso0_tdes_dukpt};
  }
  Result<pinpad::OfflinePin> enter_offline_plaintext_pin(std::string_view) override {
    auto entry = next();
    if (!entry) return std::move(entry).error();
    if (!*entry) return pinpad::OfflinePin{true, {}};
    const Bytes block = format2_block(**entry);
    return pinpad::OfflinePin{false, SecretBytes{block}};
  }
  Result<pinpad::OfflinePin> enter_offline_enciphered_pin(const pinpad::RsaPublicKey& key, ByteView un,
                                                          std::string_view) override {
    auto entry = next();
    if (!entry) return std::move(entry).error();
    if (!*entry) return pinpad::OfflinePin{true, {}};
    Bytes plain = cat({hex("7F"), format2_block(**entry), un});
    plain.resize(key.modulus.size(), 0x5A);
    auto enciphered = rsa_recover(key.modulus, key.exponent, plain);
    EXPECT_TRUE(enciphered.has_value());
    return pinpad::OfflinePin{false, SecretBytes{enciphered.value_or(Bytes{})}};
  }

  static Bytes format2_block(const std::string& pin) {
    Bytes block(8, 0xFF);
    block[0] = static_cast<Byte>(0x20 | pin.size());
    for (std::size_t i = 0; i < pin.size(); ++i) {
      const Byte digit = static_cast<Byte>(pin[i] - '0');
      Byte& b = block[1 + i / 2];
      b = i % 2 == 0 ? static_cast<Byte>((digit << 4) | 0x0F) : static_cast<Byte>((b & 0xF0) | digit);
    }
    return block;
  }

  bool present = true;
  std::deque<std::optional<std::string>> entries;
  int online_calls = 0;
  std::size_t pan_length = 0;

 private:
  Result<std::optional<std::string>> next() {
    if (entries.empty()) return make_error(Errc::cancelled, "no more entries");
    auto e = entries.front();
    entries.pop_front();
    if (e == "!cancel") return make_error(Errc::cancelled, "cancelled");
    if (e == "!timeout") return make_error(Errc::timeout, "timeout");
    return e;
  }
};

}  // namespace tender::emv::kt
