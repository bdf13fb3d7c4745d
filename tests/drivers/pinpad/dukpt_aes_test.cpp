// AES DUKPT (ANSI X9.24-3:2017): the supplement's initial and intermediate derivation
// keys, working keys cross-checked through CMAC and CBC results published for the
// same BDK, the originator's skipping and exhaustion, and format 4 end to end.
#include "drivers/pinpad/dukpt_aes.hpp"

#include <gtest/gtest.h>

#include "tests/test_hex.hpp"
#include <mbedtls/aes.h>

#include <bit>

#include "common/crypto/cmac.hpp"
#include "drivers/pinpad/pin_block.hpp"

namespace tender::pinpad::aes {
namespace {

using tender::test::hex;
Ksn ksn_of(std::string_view h) { return parse_ksn(hex(h)).value(); }

constexpr std::string_view kBdk128 = "FEDCBA9876543210F1F1F1F1F1F1F1F1";
constexpr std::string_view kBdk256 = "FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210F1F1F1F1F1F1F1F1";
constexpr std::string_view kInitialKeyId = "1234567890123456";
constexpr std::string_view kInitialKey128 = "1273671EA26AC29AFA4D1084127652A1";
constexpr std::string_view kInitialKey256 =
    "CE9CE0C101D1138F97FB6CAD4DF045A7083D4EAE2D35A31789D01CCF0949550F";

struct DerivationVector {
  std::string_view ksn;
  std::string_view derivation_key;
};

// X9.24-3:2017 supplement, AES-128 BDK: intermediate derivation keys.
constexpr DerivationVector kDerivation[] = {
    {"123456789012345600000001", "4F21B565BAD9835E112B6465635EAE44"},
    {"123456789012345600000002", "2F34D68DE10F68D38091A73B9E7C437C"},
    {"123456789012345600000003", "031504E530365CF81264238540518318"},
    {"123456789012345600000004", "0EEFC7ADA628BA68878DA9165A8A1887"},
    {"123456789012345600000005", "C2A7AC328A5DA2D6002D62465BFC028B"},
    {"123456789012345600000006", "D30F7D9351DA58448A2F5E92B4EE3B7D"},
    {"123456789012345600000007", "A8253CEED9AC042C54F75D35C8352278"},
    {"123456789012345600000008", "718EE6CF0B27E53D5F7AF99C4D8146A2"},
    {"12345678901234560001FFFE", "E21E8C8D347F8561A2BE752DAA85A111"},
    {"123456789012345600020000", "F7AE9025468A25D37B7249CFFED224C8"},
    {"123456789012345600020001", "692C8EA4013645135B36497131DF9D2C"},
    {"1234567890123456FFFE2000", "48E585B694EB0B18D5C35443E163C0BA"},
    {"1234567890123456FFFE4000", "396C2C7CA1EA701C03B86B7D41F0C562"},
    {"1234567890123456FFFE8000", "0387625F189B58AE03EF0E8CCA41105E"},
    {"1234567890123456FFFF0000", "F6BA59389BD14A9855BE9727E7C52E3C"},
};

// AES-CMAC of ASCII "4012345678909D987" under the MAC generation working key (usage
// 2000, AES-128) of the first eight KSNs, as published by moov-io/dukpt for this BDK.
constexpr std::string_view kMacData = "4012345678909D987";
constexpr std::string_view kCmacRequest[] = {
    "A2EB5C1C35809E58404E873C3C411E31", "4D104704C53491A60944193DCAF6B411",
    "6A18904AA8E966A03505F5EEBDAEBD82", "77BBD3FB827158B9B12880B0794D1C74",
    "C0CE6DA1F4434AD16EEEBF486C9616CD", "05222AE91471C590B3A9471523324C14",
    "37FA54258AAF805A44AA1273C0DF928C", "85C7CA68F55F51E7DCAC969B8C111130",
};

Bytes initial_key_id() { return hex(kInitialKeyId); }
SecretBytes initial_key128() { return derive_initial_key(hex(kBdk128), initial_key_id()).value(); }

std::string cmac_aes128(ByteView key, std::string_view message) {
  EXPECT_EQ(key.size(), 16U);
  auto mac = crypto::aes_cmac(key, as_bytes(message));
  EXPECT_TRUE(mac) << mac.error().message;
  return mac ? to_hex(*mac) : std::string{};
}

SecretBytes working_key(std::string_view ksn_hex, KeyUsage usage, KeyType type) {
  const Ksn ksn = ksn_of(ksn_hex);
  auto dk = derive_derivation_key(initial_key128().reveal(), ksn).value();
  return derive_working_key(dk.reveal(), KeyType::aes128, ksn, usage, type).value();
}

// Registers a device legitimately holds just before it uses `counter` (the same rule
// as for TDES DUKPT, with register i serving counter bit 1 << i).
OriginatorState state_before(ByteView initial_key, std::uint32_t counter) {
  std::array<Byte, 8> id{};
  const Bytes idb = initial_key_id();
  std::copy(idb.begin(), idb.end(), id.begin());
  OriginatorState s;
  s.ksn = make_ksn(id, counter);
  s.derivation_key_type = bdk_key_type(initial_key.size()).value();
  const std::uint64_t c = counter;
  const std::uint64_t low = c & (~c + 1);
  for (std::size_t i = 0; i < kIntermediateKeyRegisterCount; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    std::uint64_t holder = 0;
    if (bit == low) {
      holder = c;
    } else if (bit > low && (c & bit) == 0) {
      holder = (c & ~((bit << 1) - 1)) | bit;
    } else {
      continue;
    }
    auto key = derive_derivation_key(initial_key, make_ksn(id, static_cast<std::uint32_t>(holder)));
    s.registers[i] = SecretArray<kMaxKeyLength>{key.value().reveal()};
    s.in_use[i] = true;
  }
  return s;
}

void expect_same_state(const OriginatorState& a, const OriginatorState& b) {
  ASSERT_EQ(to_hex(a.ksn), to_hex(b.ksn));
  ASSERT_EQ(a.ceased, b.ceased);
  ASSERT_EQ(a.derivation_key_type, b.derivation_key_type);
  for (std::size_t i = 0; i < kIntermediateKeyRegisterCount; ++i) {
    ASSERT_EQ(a.in_use[i], b.in_use[i]) << "register " << i << " at " << to_hex(a.ksn);
    if (a.in_use[i]) {
      ASSERT_TRUE(a.registers[i] == b.registers[i]) << "register " << i;
    }
  }
}

// The derivation key the originator is about to use: its current register.
std::string current_register_hex(const Originator& device) {
  const auto& s = device.state();
  const std::uint32_t c = ksn_counter(s.ksn);
  const auto index = static_cast<std::size_t>(std::countr_zero(c));
  return to_hex(s.registers[index].reveal().first(key_length(s.derivation_key_type)));
}

TEST(AesDukpt, InitialKeysFromTheSupplement) {
  EXPECT_EQ(to_hex(initial_key128().reveal()), kInitialKey128);
  auto ik256 = derive_initial_key(hex(kBdk256), initial_key_id());
  ASSERT_TRUE(ik256);
  EXPECT_EQ(to_hex(ik256->reveal()), kInitialKey256);
}

TEST(AesDukpt, IntermediateDerivationKeysFromTheSupplement) {
  const auto ik = initial_key128();
  for (const auto& v : kDerivation) {
    auto dk = derive_derivation_key(ik.reveal(), ksn_of(v.ksn));
    ASSERT_TRUE(dk) << v.ksn;
    EXPECT_EQ(to_hex(dk->reveal()), v.derivation_key) << v.ksn;
  }
}

TEST(AesDukpt, MacGenerationWorkingKeyMatchesPublishedCmac) {
  for (std::size_t i = 0; i < std::size(kCmacRequest); ++i) {
    const auto key = working_key(kDerivation[i].ksn, KeyUsage::mac_generation, KeyType::aes128);
    EXPECT_EQ(cmac_aes128(key.reveal(), kMacData), kCmacRequest[i]) << kDerivation[i].ksn;
  }
  // The response direction uses the MAC verification usage (2001).
  const auto verify = working_key(kDerivation[0].ksn, KeyUsage::mac_verification, KeyType::aes128);
  EXPECT_EQ(cmac_aes128(verify.reveal(), kMacData), "DD4E1895FD9BF53D8DAF25568ABF551D");
}

TEST(AesDukpt, DataEncryptionWorkingKeyMatchesPublishedCbc) {
  // Same source: the MAC data zero-padded to 32 bytes, AES-CBC with a zero IV under
  // the data encryption key (usage 3000) of KSN ...01.
  const auto key = working_key("123456789012345600000001", KeyUsage::data_encrypt, KeyType::aes128);
  std::array<Byte, 32> data{};
  std::copy(kMacData.begin(), kMacData.end(), data.begin());
  std::array<Byte, 16> iv{};
  std::array<Byte, 32> out{};
  mbedtls_aes_context ctx;
  mbedtls_aes_init(&ctx);
  ASSERT_EQ(mbedtls_aes_setkey_enc(&ctx, key.reveal().data(), 128), 0);
  ASSERT_EQ(mbedtls_aes_crypt_cbc(&ctx, MBEDTLS_AES_ENCRYPT, data.size(), iv.data(), data.data(),
                                  out.data()),
            0);
  mbedtls_aes_free(&ctx);
  EXPECT_EQ(to_hex(out), "E5AFA5B408A3310E3D779C8A9A2AE29448BD5B4232582090DB703AF647205A79");
}

TEST(AesDukpt, OriginatorMatchesTheReceiverForTheFirstKsns) {
  const auto ik = initial_key128();
  Originator device = Originator::load_initial_key(ik.reveal(), initial_key_id()).value();
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(current_register_hex(device), kDerivation[i].derivation_key);
    auto tk = device.next_transaction();
    ASSERT_TRUE(tk);
    EXPECT_EQ(to_hex(tk->ksn), kDerivation[i].ksn);
    auto receiver = derive_pin_key(hex(kBdk128), tk->ksn);
    ASSERT_TRUE(receiver);
    EXPECT_TRUE(tk->pin_key == *receiver) << kDerivation[i].ksn;

    // Format 4 end to end: the terminal enciphers, the host deciphers.
    auto field = format4_pin_field("1234", hex("FFC853BBF9685D5E")).value();
    auto block = format4_encipher(tk->pin_key.reveal(), field, "4111111111111111");
    ASSERT_TRUE(block);
    auto pin = format4_decipher(receiver->reveal(), *block, "4111111111111111");
    ASSERT_TRUE(pin);
    EXPECT_EQ(pin->reveal(), "1234");
  }
}

TEST(AesDukpt, StateConstructionMatchesADrivenDevice) {
  const auto ik = initial_key128();
  Originator device = Originator::load_initial_key(ik.reveal(), initial_key_id()).value();
  for (int n = 0; n < 600; ++n) {
    if (n < 40 || n % 29 == 0) {
      expect_same_state(device.state(), state_before(ik.reveal(), ksn_counter(device.state().ksn)));
      if (HasFatalFailure()) return;
    }
    ASSERT_TRUE(device.next_transaction());
  }
}

TEST(AesDukpt, OriginatorSkipsCountersWithSeventeenOneBits) {
  const auto ik = initial_key128();
  Originator device = Originator::restore(state_before(ik.reveal(), 0x0001FFFE)).value();
  for (std::size_t i = 8; i <= 10; ++i) {  // ...0001FFFE, ...00020000, ...00020001
    EXPECT_EQ(current_register_hex(device), kDerivation[i].derivation_key);
    auto tk = device.next_transaction();
    ASSERT_TRUE(tk);
    EXPECT_EQ(to_hex(tk->ksn), kDerivation[i].ksn);
    EXPECT_TRUE(tk->pin_key == derive_pin_key(hex(kBdk128), tk->ksn).value());
  }
}

TEST(AesDukpt, OriginatorExhaustsAfterFFFF0000) {
  const auto ik = initial_key128();
  Originator device = Originator::restore(state_before(ik.reveal(), 0xFFFE2000)).value();
  for (std::size_t i = 11; i <= 14; ++i) {  // FFFE2000, FFFE4000, FFFE8000, FFFF0000
    EXPECT_EQ(current_register_hex(device), kDerivation[i].derivation_key);
    auto tk = device.next_transaction();
    ASSERT_TRUE(tk);
    EXPECT_EQ(to_hex(tk->ksn), kDerivation[i].ksn);
    EXPECT_TRUE(tk->pin_key == derive_pin_key(hex(kBdk128), tk->ksn).value());
  }
  EXPECT_TRUE(device.state().ceased);
  for (int again = 0; again < 2; ++again) {
    auto tk = device.next_transaction();
    ASSERT_FALSE(tk);
    EXPECT_EQ(tk.error().code, Errc::exhausted);
  }
}

TEST(AesDukpt, Aes256DeviceAndWorkingKeyStrength) {
  auto ik = derive_initial_key(hex(kBdk256), initial_key_id()).value();
  Originator device = Originator::load_initial_key(ik.reveal(), initial_key_id()).value();
  EXPECT_EQ(device.state().derivation_key_type, KeyType::aes256);
  auto tk = device.next_transaction(KeyType::aes256);
  ASSERT_TRUE(tk);
  EXPECT_EQ(tk->pin_key.size(), 32u);
  auto dk = derive_derivation_key(ik.reveal(), tk->ksn).value();
  EXPECT_TRUE(tk->pin_key == derive_working_key(dk.reveal(), KeyType::aes256, tk->ksn,
                                                KeyUsage::pin_encryption, KeyType::aes256)
                                 .value());
  auto tk2 = device.next_transaction();  // default AES-128 PIN key
  ASSERT_TRUE(tk2);
  EXPECT_TRUE(tk2->pin_key == derive_pin_key(hex(kBdk256), tk2->ksn).value());

  // An AES-128 device may not derive AES-192/256 working keys; TDEA ones are fine.
  Originator small = Originator::load_initial_key(initial_key128().reveal(), initial_key_id()).value();
  auto refused = small.next_transaction(KeyType::aes256);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
  EXPECT_EQ(ksn_counter(small.state().ksn), 1u);  // state untouched
  auto tdes3 = small.next_transaction(KeyType::tdes3);
  ASSERT_TRUE(tdes3);
  EXPECT_EQ(tdes3->pin_key.size(), 24u);
  EXPECT_EQ(ksn_counter(tdes3->ksn), 1u);
}

TEST(AesDukpt, CounterValidity) {
  struct Case {
    std::uint32_t counter;
    bool valid;
  };
  const Case cases[] = {{0, false},         {1, true},          {0x0000FFFF, true},
                        {0x0001FFFE, true}, {0x0001FFFF, false}, {0xFFFF0000, true},
                        {0xFFFF8000, false}, {0xFFFFFFFF, false}};
  for (const auto& c : cases) EXPECT_EQ(counter_is_valid(c.counter), c.valid) << c.counter;
}

TEST(AesDukpt, RejectsBadInputs) {
  EXPECT_EQ(bdk_key_type(16).value(), KeyType::aes128);
  EXPECT_EQ(bdk_key_type(24).value(), KeyType::aes192);
  EXPECT_EQ(bdk_key_type(32).value(), KeyType::aes256);
  EXPECT_EQ(bdk_key_type(20).error().code, Errc::invalid_argument);
  EXPECT_EQ(derive_initial_key(hex(kBdk128), hex("12345678")).error().code, Errc::invalid_argument);
  EXPECT_EQ(derive_initial_key(hex("0011"), initial_key_id()).error().code, Errc::invalid_argument);
  const auto ik = initial_key128();
  EXPECT_EQ(derive_derivation_key(ik.reveal(), ksn_of("12345678901234560001FFFF")).error().code,
            Errc::out_of_range);
  EXPECT_EQ(derive_derivation_key(ik.reveal(), ksn_of("123456789012345600000000")).error().code,
            Errc::out_of_range);
  EXPECT_EQ(derive_pin_key(hex(kBdk128), ksn_of("12345678901234560001FFFF")).error().code,
            Errc::out_of_range);
  const Ksn ksn = ksn_of("123456789012345600000001");
  EXPECT_EQ(derive_working_key(ik.reveal(), KeyType::aes256, ksn, KeyUsage::pin_encryption,
                               KeyType::aes128)
                .error()
                .code,
            Errc::invalid_argument);  // length does not match the stated type
  EXPECT_EQ(derive_working_key(ik.reveal(), KeyType::aes128, ksn, KeyUsage::pin_encryption,
                               KeyType::aes192)
                .error()
                .code,
            Errc::invalid_argument);  // stronger than the derivation key
  EXPECT_FALSE(parse_ksn(hex("1234567890123456000000")));
  EXPECT_EQ(Originator::load_initial_key(hex("0011"), initial_key_id()).error().code,
            Errc::invalid_argument);
}

TEST(AesDukpt, RestoreRejectsInconsistentStateAndMoveCeases) {
  const auto ik = initial_key128();
  Originator a = Originator::load_initial_key(ik.reveal(), initial_key_id()).value();
  OriginatorState s = a.state();
  s.ksn = make_ksn(ksn_initial_key_id(s.ksn), 0);
  EXPECT_EQ(Originator::restore(s).error().code, Errc::malformed);
  s = a.state();
  s.derivation_key_type = KeyType::tdes2;
  EXPECT_EQ(Originator::restore(s).error().code, Errc::malformed);

  Originator b = std::move(a);
  EXPECT_TRUE(a.state().ceased);  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(a.next_transaction().error().code, Errc::exhausted);
  EXPECT_EQ(to_hex(b.next_transaction()->ksn), kDerivation[0].ksn);
}

}  // namespace
}  // namespace tender::pinpad::aes
