// ISO 9564-1 PIN block formats 0 and 4: known answers, round trips and every rejection.
#include "drivers/pinpad/pin_block.hpp"

#include <gtest/gtest.h>

#include "tests/test_hex.hpp"

#include <string>

namespace tender::pinpad {
namespace {

using tender::test::hex;

constexpr std::string_view kPin = "1234";
constexpr std::string_view kPan0 = "4012345678909";     // X9.24-1 A.4
constexpr std::string_view kPan4 = "5237481234567895";  // format 4 worked example

// Error messages must describe, never quote.
void expect_no_secret(const Error& e, std::string_view pin, std::string_view pan) {
  if (pin.size() >= 4) {
    EXPECT_EQ(e.message.find(pin), std::string::npos);
  }
  if (pan.size() >= 6) {
    EXPECT_EQ(e.message.find(pan.substr(0, 6)), std::string::npos);
  }
}

// ---- Format 0 ----

TEST(PinBlockFormat0, X924KnownAnswer) {
  auto block = format0_encode(kPin, kPan0);
  ASSERT_TRUE(block);
  EXPECT_EQ(to_hex(block->reveal()), "041274EDCBA9876F");
}

TEST(PinBlockFormat0, RoundTripsEveryLength) {
  const std::string digits = "987654321098";
  for (std::size_t n = kPinMinLength; n <= kPinMaxLength; ++n) {
    const std::string pin = digits.substr(0, n);
    for (std::string_view pan : {kPan0, std::string_view{"123456789012"},
                                 std::string_view{"4111111111111111111"}}) {
      auto block = format0_encode(pin, pan);
      ASSERT_TRUE(block);
      auto back = format0_decode(block->reveal(), pan);
      ASSERT_TRUE(back) << back.error().message;
      EXPECT_EQ(back->reveal(), pin);
    }
  }
}

TEST(PinBlockFormat0, TwelveDigitPanUsesElevenDigitsLeftPadded) {
  // PAN 123456789012: digits excluding the check digit are 12345678901 (11 digits),
  // so the PAN field is 0000 0123 4567 8901 and the block is 041234FF... XOR that.
  auto block = format0_encode("1234", "123456789012");
  ASSERT_TRUE(block);
  EXPECT_EQ(to_hex(block->reveal()), "041235DCBA9876FE");
}

TEST(PinBlockFormat0, RejectsBadPins) {
  for (std::string_view pin : {"123", "1234567890123", "12a4", "", "12 4"}) {
    auto r = format0_encode(pin, kPan0);
    ASSERT_FALSE(r) << "PIN of length " << pin.size();
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    expect_no_secret(r.error(), pin, kPan0);
  }
}

TEST(PinBlockFormat0, RejectsBadPans) {
  for (std::string_view pan : {"40123456789", "40123456789012345678", "40123456789O9", ""}) {
    auto r = format0_encode(kPin, pan);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    expect_no_secret(r.error(), kPin, pan);
  }
}

TEST(PinBlockFormat0, DecodeRejectsWrongControlLengthDigitAndFill) {
  struct Case {
    std::string_view pin_field;  // before XOR with the PAN field
    const char* why;
  };
  const Case cases[] = {
      {"141234FFFFFFFFFF", "control nibble 1"},
      {"041234FFFFFFFFFF", "(valid reference)"},
      {"031234FFFFFFFFFF", "length 3"},
      {"0D1234567890123F", "length 13"},
      {"0412A4FFFFFFFFFF", "non-digit PIN nibble"},
      {"041234FFFFFFFFFE", "fill not F"},
      {"041234AFFFFFFFFF", "fill not F right after the PIN"},
  };
  // PAN field of 4012345678909: 0000 4012 3456 7890.
  const Bytes pan_field = hex("0000401234567890");
  for (const auto& c : cases) {
    Bytes block = hex(c.pin_field);
    for (std::size_t i = 0; i < 8; ++i) block[i] ^= pan_field[i];
    auto r = format0_decode(block, kPan0);
    if (std::string_view{c.why} == "(valid reference)") {
      ASSERT_TRUE(r);
      EXPECT_EQ(r->reveal(), "1234");
      continue;
    }
    ASSERT_FALSE(r) << c.why;
    EXPECT_EQ(r.error().code, Errc::malformed) << c.why;
  }
}

TEST(PinBlockFormat0, DecodeRejectsWrongSizeAndBadPan) {
  auto short_block = format0_decode(hex("041274EDCBA987"), kPan0);
  ASSERT_FALSE(short_block);
  EXPECT_EQ(short_block.error().code, Errc::invalid_argument);
  auto bad_pan = format0_decode(hex("041274EDCBA9876F"), "12345");
  ASSERT_FALSE(bad_pan);
  EXPECT_EQ(bad_pan.error().code, Errc::invalid_argument);
}

// ---- Format 4 ----

const Bytes& key4() {
  static const Bytes k = hex("62CB437131C129DF001D42676011975150506E2A382145FD9BDEA7EC5A339F63");
  return k;
}
const Bytes& random4() {
  static const Bytes r = hex("FFC853BBF9685D5E");
  return r;
}

TEST(PinBlockFormat4, PinFieldKnownAnswer) {
  auto field = format4_pin_field(kPin, random4());
  ASSERT_TRUE(field);
  EXPECT_EQ(to_hex(field->reveal()), "441234AAAAAAAAAAFFC853BBF9685D5E");
}

TEST(PinBlockFormat4, PanFieldKnownAnswerAndLengths) {
  auto field = format4_pan_field(kPan4);
  ASSERT_TRUE(field);
  EXPECT_EQ(to_hex(*field), "45237481234567895000000000000000");
  auto twelve = format4_pan_field("123456789012");
  ASSERT_TRUE(twelve);
  EXPECT_EQ(to_hex(*twelve), "01234567890120000000000000000000");
  auto nineteen = format4_pan_field("1234567890123456789");
  ASSERT_TRUE(nineteen);
  EXPECT_EQ(to_hex(*nineteen), "71234567890123456789000000000000");
}

TEST(PinBlockFormat4, EncipherKnownAnswer) {
  auto field = format4_pin_field(kPin, random4());
  ASSERT_TRUE(field);
  auto block = format4_encipher(key4(), *field, kPan4);
  ASSERT_TRUE(block);
  EXPECT_EQ(to_hex(*block), "060E768D21D709B5D2A3F9660A704B9D");
}

TEST(PinBlockFormat4, DecipherKnownAnswer) {
  auto pin = format4_decipher(key4(), hex("060E768D21D709B5D2A3F9660A704B9D"), kPan4);
  ASSERT_TRUE(pin) << pin.error().message;
  EXPECT_EQ(pin->reveal(), "1234");
}

TEST(PinBlockFormat4, RoundTripsEveryLengthAndKeySize) {
  const std::string digits = "098765432109";
  for (std::size_t key_len : {16u, 24u, 32u}) {
    const Bytes key(key4().begin(), key4().begin() + static_cast<std::ptrdiff_t>(key_len));
    for (std::size_t n = kPinMinLength; n <= kPinMaxLength; ++n) {
      const std::string pin = digits.substr(0, n);
      auto field = format4_pin_field(pin, random4());
      ASSERT_TRUE(field);
      auto block = format4_encipher(key, *field, kPan4);
      ASSERT_TRUE(block);
      auto back = format4_decipher(key, *block, kPan4);
      ASSERT_TRUE(back) << back.error().message;
      EXPECT_EQ(back->reveal(), pin);
    }
  }
}

TEST(PinBlockFormat4, WrongPanDoesNotDecipher) {
  auto field = format4_pin_field(kPin, random4());
  auto block = format4_encipher(key4(), *field, kPan4);
  ASSERT_TRUE(block);
  auto r = format4_decipher(key4(), *block, "5237481234567896");
  EXPECT_FALSE(r);  // the control nibble or fill no longer checks
}

TEST(PinBlockFormat4, RejectsBadInputs) {
  for (std::string_view pin : {"123", "1234567890123", "12b4"}) {
    auto r = format4_pin_field(pin, random4());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    expect_no_secret(r.error(), pin, kPan4);
  }
  auto short_random = format4_pin_field(kPin, hex("FFC853BBF9685D"));
  ASSERT_FALSE(short_random);
  EXPECT_EQ(short_random.error().code, Errc::invalid_argument);

  for (std::string_view pan : {"52374812345", "52374812345678950000", "5237x81234567895"}) {
    auto r = format4_pan_field(pan);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    expect_no_secret(r.error(), kPin, pan);
  }

  auto field = format4_pin_field(kPin, random4());
  auto bad_key = format4_encipher(hex("0011"), *field, kPan4);
  ASSERT_FALSE(bad_key);
  EXPECT_EQ(bad_key.error().code, Errc::invalid_argument);
  auto bad_block = format4_decipher(key4(), hex("060E768D21D709B5D2A3F9660A704B"), kPan4);
  ASSERT_FALSE(bad_block);
  EXPECT_EQ(bad_block.error().code, Errc::invalid_argument);
}

// Enciphers an arbitrary plain PIN field, to reach the decipher-side checks.
Bytes encipher_raw(std::string_view plain_field_hex) {
  const SecretArray<16> field{hex(plain_field_hex)};
  const auto block = format4_encipher(key4(), field, kPan4).value();
  return Bytes{block.begin(), block.end()};
}

TEST(PinBlockFormat4, DecipherRejectsWrongControlLengthDigitAndFill) {
  struct Case {
    std::string_view field;
    const char* why;
  };
  const Case cases[] = {
      {"041234AAAAAAAAAAFFC853BBF9685D5E", "control 0"},
      {"341234AAAAAAAAAAFFC853BBF9685D5E", "control 3"},
      {"431234AAAAAAAAAAFFC853BBF9685D5E", "length 3"},
      {"4D1234567890123AFFC853BBF9685D5E", "length 13"},
      {"4412C4AAAAAAAAAAFFC853BBF9685D5E", "non-digit PIN nibble"},
      {"441234FFFFFFFFFFFFC853BBF9685D5E", "format 0 fill"},
      {"441234AAAAAAAAABFFC853BBF9685D5E", "last fill nibble"},
  };
  for (const auto& c : cases) {
    auto r = format4_decipher(key4(), encipher_raw(c.field), kPan4);
    ASSERT_FALSE(r) << c.why;
    EXPECT_EQ(r.error().code, Errc::malformed) << c.why;
    expect_no_secret(r.error(), "1234", kPan4);
  }
}

}  // namespace
}  // namespace tender::pinpad
