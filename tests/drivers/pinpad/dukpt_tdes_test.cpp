// TDES DUKPT (ANSI X9.24-1:2009): the A.4 known answers on both sides, the
// originator's counter skipping and rollover, exhaustion, and no KSN reuse.
#include "drivers/pinpad/dukpt_tdes.hpp"

#include <gtest/gtest.h>

#include "tests/test_hex.hpp"

#include <bit>

#include "drivers/pinpad/pin_block.hpp"

namespace tender::pinpad::tdes {
namespace {

using tender::test::hex;
Ksn ksn_of(std::string_view h) { return parse_ksn(hex(h)).value(); }

constexpr std::string_view kBdk = "0123456789ABCDEFFEDCBA9876543210";
constexpr std::string_view kInitialKsn = "FFFF9876543210E00000";
constexpr std::string_view kIpek = "6AC292FAA1315B4D858AB3A3D7D5933A";
constexpr std::string_view kClearPinBlock = "041274EDCBA9876F";  // PIN 1234, PAN 4012345678909

// The A.4 tables list each transaction key as the future key register holds it,
// before the PIN variant; the PIN block is enciphered under its PIN variant.
struct Vector {
  std::string_view ksn;
  std::string_view key;
  std::string_view pin_block;
};

// A.4.2 initial sequence.
constexpr Vector kInitial[] = {
    {"FFFF9876543210E00001", "042666B49184CFA368DE9628D0397BC9", "1B9C1845EB993A7A"},
    {"FFFF9876543210E00002", "C46551CEF9FD24B0AA9AD834130D3BC7", "10A01C8D02C69107"},
    {"FFFF9876543210E00003", "0DF3D9422ACA56E547676D07AD6BADFA", "18DC07B94797B466"},
    {"FFFF9876543210E00004", "279C0F6AEED0BE652B2C733E1383AE91", "0BC79509D5645DF7"},
    {"FFFF9876543210E00005", "5F8DC6D2C845C125508DDC048093B83F", "5BC0AF22AD87B327"},
    {"FFFF9876543210E00006", "5E415CB0BAF9F03CD0C14B63FB62FF43", "A16DF70AE36158D8"},
    {"FFFF9876543210E00007", "0C8F780B7C8B49D0AE84A9EB2A6CE660", "27711C16CB257F8E"},
    {"FFFF9876543210E00008", "27F66D5244FF62E1AA6F6120EDEB4280", "50E55547A5027551"},
    {"FFFF9876543210E00009", "27E31064FDC565698900E2057F658E7E", "536CF7F678ACFC8D"},
    {"FFFF9876543210E0000A", "6CF2500A22507C7CC776CEADC1E33014", "EDABBA23221833FE"},
    {"FFFF9876543210E0000B", "3E8260BA04B2D620C01482B3819A18B7", "2328981C57B4BDBA"},
    {"FFFF9876543210E0000C", "B716E1E11CF53D80726CAEE75C3A624F", "038D03CC926CF286"},
    {"FFFF9876543210E0000D", "E072EDF95340535FB6C581C58FBF2533", "6C8AA97088B62C68"},
    {"FFFF9876543210E0000E", "A80046087F5B8F245AAD95E18429084F", "F17C9E1D72CD4950"},
    {"FFFF9876543210E0000F", "93DD5B956C4878472E453AAEFD32A5AA", "B170F6E7F7F2F64A"},
    {"FFFF9876543210E00010", "59598DCBD9BD94C094165CE453585F57", "D5D9638559EF53D6"},
    {"FFFF9876543210E00011", "2B5F01F4F0CC05EA639D523231BF1BA2", "D544F8CDD292C863"},
    {"FFFF9876543210E00012", "9CF640F279C2AEE615F725EEEAC2CBAF", "7A21BD10F36DC41D"},
    {"FFFF9876543210E00013", "C3DF489FDF1153B4F03DE97C27DC4C2F", "78649BD17D0DFA60"},
    {"FFFF9876543210E00014", "658488507721B3F14737FA93F923CBD2", "7E7E16EA0C31AD56"},
    {"FFFF9876543210E00015", "E161D1956A61F6D2F37AFD7F9CC3699A", "72105C22EBC791E6"},
};

// A.4.3 rollover: counters 0x0FF800 .. 0x100000, skipping those with > 10 one bits.
constexpr Vector kRollover[] = {
    {"FFFF9876543210EFF800", "F9CDFEBF4F5B1D9EB3EC12454527E176", "33365F5CC6F23C35"},
    {"FFFF9876543210EFF801", "5BEE92627E97825C911BF619DF72CA3B", "3A86BF003F835C9D"},
    {"FFFF9876543210EFF802", "64CA2F8AB93F61B01620B00BF77C7301", "3DB977D05C36DF3F"},
    {"FFFF9876543210EFF804", "35A168695B3BA83307E871C42021DD37", "BA83243305712099"},
    {"FFFF9876543210EFF808", "12C380FCB72ED3C26FC6079AF63F4787", "B0DA04AC90A36D85"},
    {"FFFF9876543210EFF810", "D8007C833A1E3C49C6889B97A68C54FF", "2CF02BD9C309EEDA"},
    {"FFFF9876543210EFF820", "A9C9FF9B735FDD49591F296B0BF0FD70", "9D1E2F77AEEE81C6"},
    {"FFFF9876543210EFF840", "0E3E221062CB5E03A384602783A004FA", "40870B0F8BA2011C"},
    {"FFFF9876543210EFF880", "CA8225C587124DFBB87F279C0BE29727", "22E340D6ABB40981"},
    {"FFFF9876543210EFF900", "906AAC1751D4971A144D52C76C6E1F97", "1A4C10AFBA03A430"},
    {"FFFF9876543210EFFA00", "2B9E2CE7C2750337E10B54D2989EA6AF", "849763B43E5F9CFF"},
    {"FFFF9876543210EFFC00", "F9430DF975082491C77BE4EF4FDB91EE", "DEFC6F09F8927B71"},
    {"FFFF9876543210F00000", "AA4D58DB653EC74A48C75F2F047DD2B5", "73EC88AD0AC5830E"},
};

Key ipek() { return derive_ipek(hex(kBdk), hex(kInitialKsn)).value(); }

std::string pin_key_of(const Vector& v) { return to_hex(pin_variant(Key{hex(v.key)}).reveal()); }

std::array<Byte, 8> clear_block() {
  std::array<Byte, 8> b{};
  const Bytes h = hex(kClearPinBlock);
  std::copy(h.begin(), h.end(), b.begin());
  return b;
}

Originator loaded() { return Originator::load_initial_key(ipek(), ksn_of(kInitialKsn)).value(); }

// The registers a device legitimately holds just before it uses `counter`, computed
// from the receiver side: the register of the counter's rightmost one bit holds the
// key of the counter itself; a register left of it whose bit is clear holds the key of
// (counter's bits left of it) | its bit, made when that prefix was used; the rest are
// erased. Checked against a driven originator in StateConstructionMatchesADrivenDevice.
OriginatorState state_before(std::uint32_t counter) {
  const Key k = ipek();
  const Ksn base = ksn_of(kInitialKsn);
  OriginatorState s;
  s.ksn = ksn_with_counter(base, counter);
  const std::uint32_t low = counter & (~counter + 1);
  for (std::uint32_t bit = 1; bit <= (1u << 20); bit <<= 1) {
    std::uint32_t holder = 0;
    if (bit == low) {
      holder = counter;
    } else if (bit > low && (counter & bit) == 0) {
      holder = (counter & ~((bit << 1) - 1)) | bit;
    } else {
      continue;
    }
    const std::size_t i = future_key_register_index(bit);
    s.future_keys[i] = derive_transaction_key(k, ksn_with_counter(base, holder)).value();
    s.valid[i] = true;
  }
  return s;
}

void expect_same_state(const OriginatorState& a, const OriginatorState& b) {
  ASSERT_EQ(to_hex(a.ksn), to_hex(b.ksn));
  ASSERT_EQ(a.ceased, b.ceased);
  for (std::size_t i = 0; i < kFutureKeyRegisterCount; ++i) {
    ASSERT_EQ(a.valid[i], b.valid[i]) << "register #" << i + 1 << " at " << to_hex(a.ksn);
    if (a.valid[i]) {
      ASSERT_TRUE(a.future_keys[i] == b.future_keys[i]) << "register #" << i + 1;
    }
  }
}

TEST(TdesDukpt, DerivesTheA4Ipek) {
  EXPECT_EQ(to_hex(ipek().reveal()), kIpek);
}

TEST(TdesDukpt, ReceiverSideMatchesA42AndA43) {
  const Key k = ipek();
  auto check = [&k](const Vector& v) {
    auto transaction_key = derive_transaction_key(k, ksn_of(v.ksn));
    ASSERT_TRUE(transaction_key) << v.ksn;
    EXPECT_EQ(to_hex(transaction_key->reveal()), v.key) << v.ksn;
    auto key = derive_pin_key(hex(kBdk), hex(v.ksn));
    ASSERT_TRUE(key) << v.ksn;
    EXPECT_EQ(to_hex(key->reveal()), pin_key_of(v)) << v.ksn;
    const auto block = encrypt_pin_block(*key, clear_block());
    EXPECT_EQ(to_hex(block), v.pin_block) << v.ksn;
    EXPECT_EQ(to_hex(decrypt_pin_block(*key, block).reveal()), kClearPinBlock) << v.ksn;
  };
  for (const auto& v : kInitial) check(v);
  for (const auto& v : kRollover) check(v);
}

TEST(TdesDukpt, ClearPinBlockIsTheFormat0KnownAnswer) {
  auto block = format0_encode("1234", "4012345678909");
  ASSERT_TRUE(block);
  EXPECT_EQ(to_hex(block->reveal()), kClearPinBlock);
}

TEST(TdesDukpt, OriginatorProducesTheA42Sequence) {
  Originator device = loaded();
  for (const auto& v : kInitial) {
    auto tk = device.next_transaction();
    ASSERT_TRUE(tk);
    EXPECT_EQ(to_hex(tk->ksn), v.ksn);
    EXPECT_EQ(to_hex(tk->pin_key.reveal()), pin_key_of(v)) << v.ksn;
    auto clear = format0_encode("1234", "4012345678909").value();
    EXPECT_EQ(to_hex(encrypt_pin_block(tk->pin_key, clear.reveal().first<8>())), v.pin_block);
  }
}

TEST(TdesDukpt, LoadInitialKeyClearsTheCounterAndLeavesCounterOneNext) {
  const Ksn with_counter = ksn_of("FFFF9876543210E01234");
  Originator device = Originator::load_initial_key(ipek(), with_counter).value();
  EXPECT_EQ(to_hex(device.state().ksn), "FFFF9876543210E00001");
  for (std::size_t i = 0; i < kFutureKeyRegisterCount; ++i) EXPECT_TRUE(device.state().valid[i]);
}

TEST(TdesDukpt, StateConstructionMatchesADrivenDevice) {
  // 2,100 transactions cross counter 0x7FF (11 one bits, skipped) at 0x7FE -> 0x800.
  Originator device = loaded();
  for (int n = 0; n < 2100; ++n) {
    const std::uint32_t counter = ksn_counter(device.state().ksn);
    if (n < 64 || n % 37 == 0 || counter >= 0x7F0) {
      expect_same_state(device.state(), state_before(counter));
      if (HasFatalFailure()) return;
    }
    ASSERT_TRUE(device.next_transaction());
  }
}

TEST(TdesDukpt, OriginatorRollsOverAsInA43) {
  Originator device = Originator::restore(state_before(0x0FF800)).value();
  for (const auto& v : kRollover) {
    auto tk = device.next_transaction();
    ASSERT_TRUE(tk);
    EXPECT_EQ(to_hex(tk->ksn), v.ksn);
    EXPECT_EQ(to_hex(tk->pin_key.reveal()), pin_key_of(v)) << v.ksn;
    EXPECT_EQ(to_hex(encrypt_pin_block(tk->pin_key, clear_block())), v.pin_block) << v.ksn;
  }
  // After 0x100000 (one bit set) the device goes on with 0x100001.
  EXPECT_EQ(to_hex(device.next_transaction()->ksn), "FFFF9876543210F00001");
}

TEST(TdesDukpt, ExhaustsAfterCounter1FF800WithoutReuse) {
  // Start where 0x1FF000 (9 one bits) is next: the device then walks every counter
  // with at most 10 one bits up to 0x1FF800, the last one, and ceases.
  Originator device = Originator::restore(state_before(0x1FF000)).value();
  const Key k = ipek();
  std::uint32_t last = 0;
  int issued = 0;
  for (;;) {
    auto tk = device.next_transaction();
    if (!tk) {
      EXPECT_EQ(tk.error().code, Errc::exhausted);
      break;
    }
    const std::uint32_t counter = ksn_counter(tk->ksn);
    ASSERT_GT(counter, last);
    ASSERT_TRUE(counter_is_valid(counter));
    ASSERT_TRUE(tk->pin_key == pin_variant(derive_transaction_key(k, tk->ksn).value()));
    last = counter;
    ++issued;
  }
  EXPECT_EQ(last, 0x1FF800u);
  // Counters in [0x1FF000, 0x1FF800] with <= 10 one bits: 0x1FF000 | x for x < 0x800
  // with at most one bit set (x = 0 or a single bit), plus 0x1FF800 itself.
  EXPECT_EQ(issued, 1 + 11 + 1);
  EXPECT_TRUE(device.state().ceased);
  auto again = device.next_transaction();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::exhausted);
}

TEST(TdesDukpt, WholeLifeFromLoadToExhaustion) {
  // Every one of the 2^20 - 1 counters with 1..10 one bits, in increasing order, each
  // once; the A.4.3 rollover reached by driving, not by restoring; then exhaustion.
  Originator device = loaded();
  const Key k = ipek();
  std::uint32_t last = 0;
  std::uint32_t issued = 0;
  std::size_t rollover = 0;
  for (;;) {
    auto tk = device.next_transaction();
    if (!tk) {
      ASSERT_EQ(tk.error().code, Errc::exhausted);
      break;
    }
    const std::uint32_t counter = ksn_counter(tk->ksn);
    ASSERT_GT(counter, last);
    ASSERT_LE(std::popcount(counter), kMaxCounterOneBits);
    // Every counter between two issued ones was skipped for having > 10 one bits.
    for (std::uint32_t skipped = last + 1; skipped < counter; ++skipped) {
      ASSERT_GT(std::popcount(skipped), kMaxCounterOneBits) << skipped;
    }
    if (rollover < std::size(kRollover) && to_hex(tk->ksn) == kRollover[rollover].ksn) {
      EXPECT_EQ(to_hex(tk->pin_key.reveal()), pin_key_of(kRollover[rollover]));
      ++rollover;
    }
    if (issued % 65521 == 0) {
      ASSERT_TRUE(tk->pin_key == pin_variant(derive_transaction_key(k, tk->ksn).value()));
    }
    last = counter;
    ++issued;
  }
  EXPECT_EQ(issued, (1u << 20) - 1);
  EXPECT_EQ(last, 0x1FF800u);
  EXPECT_EQ(rollover, std::size(kRollover));
  EXPECT_EQ(device.next_transaction().error().code, Errc::exhausted);
}

TEST(TdesDukpt, ErasedRegisterIsSkippedNotReused) {
  // "Request PIN Entry 2": a register that fails its check is skipped by adding the
  // shift register to the counter.
  OriginatorState s = loaded().state();  // counter 1 next
  s.valid[future_key_register_index(1)] = false;
  Originator device = Originator::restore(s).value();
  auto tk = device.next_transaction();
  ASSERT_TRUE(tk);
  EXPECT_EQ(to_hex(tk->ksn), "FFFF9876543210E00002");
  EXPECT_EQ(to_hex(tk->pin_key.reveal()), pin_key_of(kInitial[1]));
}

TEST(TdesDukpt, CounterValidity) {
  struct Case {
    std::uint32_t counter;
    bool valid;
  };
  const Case cases[] = {{0, false},       {1, true},         {0x3FF, true},     {0x7FF, false},
                        {0x1FF800, true}, {0x1FFC00, false}, {0x200000, false}, {0x0FF801, true},
                        {0x0FF803, false}};
  for (const auto& c : cases) EXPECT_EQ(counter_is_valid(c.counter), c.valid) << c.counter;
}

TEST(TdesDukpt, RejectsBadInputs) {
  EXPECT_EQ(derive_ipek(hex("0123456789ABCDEF"), hex(kInitialKsn)).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(derive_ipek(hex(kBdk), hex("FFFF9876543210E000")).error().code, Errc::invalid_argument);
  EXPECT_EQ(derive_pin_key(hex(kBdk), hex("FFFF9876543210E00000")).error().code,
            Errc::out_of_range);  // counter 0
  EXPECT_EQ(derive_pin_key(hex(kBdk), hex("FFFF9876543210E007FF")).error().code,
            Errc::out_of_range);  // 11 one bits
  EXPECT_FALSE(parse_ksn(hex("FFFF98765432")));
}

TEST(TdesDukpt, RestoreRejectsInconsistentState) {
  OriginatorState s = loaded().state();
  s.ksn = ksn_with_counter(s.ksn, 0);
  EXPECT_EQ(Originator::restore(s).error().code, Errc::malformed);
  s.ceased = true;
  s.ksn = ksn_with_counter(s.ksn, 5);
  EXPECT_EQ(Originator::restore(s).error().code, Errc::malformed);
}

TEST(TdesDukpt, MovedFromOriginatorHasCeased) {
  Originator a = loaded();
  Originator b = std::move(a);
  EXPECT_TRUE(a.state().ceased);  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(a.next_transaction().error().code, Errc::exhausted);
  EXPECT_EQ(to_hex(b.next_transaction()->ksn), kInitial[0].ksn);
}

}  // namespace
}  // namespace tender::pinpad::tdes
