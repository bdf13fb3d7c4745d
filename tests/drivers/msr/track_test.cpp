#include "drivers/msr/track.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <string>
#include <vector>

// Test cards only: the public test PANs of the schemes and their test tools.
namespace tender::msr {
namespace {

constexpr std::string_view kVisa = "4111111111111111";
constexpr std::string_view kTrack1 = "%B4111111111111111^TEST/CARD^2512101000000000000?";
constexpr std::string_view kTrack2 = ";4111111111111111=25121010000000000000?";
constexpr std::string_view kTag57 = "4761739001010010D22122011143804400000F";

// 12 and 19 digits, Luhn-valid, built from the Visa test number.
const std::string kPan12 = std::string{"41111111111"} + luhn_check_digit("41111111111");
const std::string kPan19 =
    std::string{"411111111111111111"} + luhn_check_digit("411111111111111111");

std::string track1(std::string_view pan, std::string_view name = "TEST/CARD",
                   std::string_view tail = "2512101000000000000") {
  return "%B" + std::string{pan} + "^" + std::string{name} + "^" + std::string{tail} + "?";
}

std::string track2(std::string_view pan, std::string_view tail = "25121010000000000000") {
  return ";" + std::string{pan} + "=" + std::string{tail} + "?";
}

// ---------------------------------------------------------------- track 1

TEST(Track1, KnownAnswer) {
  auto t = parse_track1(kTrack1);
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(t->track, Track::one);
  EXPECT_EQ(t->pan.reveal(), kVisa);
  EXPECT_TRUE(t->pan.luhn_ok());
  ASSERT_TRUE(t->name.has_value());
  EXPECT_EQ(*t->name, "TEST/CARD");
  EXPECT_EQ(t->expiry, "2512");
  EXPECT_EQ(t->service_code.str(), "101");
  EXPECT_EQ(t->discretionary.reveal(), "000000000000");
  EXPECT_EQ(t->raw.reveal(), "B4111111111111111^TEST/CARD^2512101000000000000");
}

TEST(Track1, SentinelsAndLrcAreOptional) {
  const std::string_view body = "B4111111111111111^TEST/CARD^2512101000000000000";
  for (const std::string& text :
       {std::string{body}, "%" + std::string{body}, std::string{body} + "?",
        "%" + std::string{body} + "?", "%" + std::string{body} + "?5",
        "%" + std::string{body} + "?%", "%" + std::string{body} + "??", std::string{body} + "?_"}) {
    auto t = parse_track1(text);
    ASSERT_TRUE(t) << text.size() << ": " << t.error().describe();
    EXPECT_EQ(t->raw.reveal(), body);
    EXPECT_EQ(t->discretionary.reveal(), "000000000000");
  }
}

TEST(Track1, NameWithSpacesIsTrimmedAtTheEndOnly) {
  auto t = parse_track1("%B5413330089010434^ MC TEST/CARD  MR     ^2512201123?");
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(*t->name, " MC TEST/CARD  MR");
  EXPECT_EQ(t->service_code.str(), "201");
  EXPECT_TRUE(t->service_code.chip_card());  // not an error: the app asks for the chip
  EXPECT_EQ(t->discretionary.reveal(), "123");
}

TEST(Track1, BlankNameIsPresentButEmpty) {
  auto t = parse_track1(track1(kVisa, "  "));
  ASSERT_TRUE(t) << t.error().describe();
  ASSERT_TRUE(t->name.has_value());
  EXPECT_TRUE(t->name->empty());
}

TEST(Track1, NameLengthLimits) {
  EXPECT_TRUE(parse_track1(track1(kVisa, "AB")));
  EXPECT_TRUE(parse_track1(track1(kVisa, std::string(26, 'N'), "2512101")));
  EXPECT_EQ(parse_track1(track1(kVisa, "A")).error().code, Errc::out_of_range);
  EXPECT_EQ(parse_track1(track1(kVisa, "")).error().code, Errc::out_of_range);
  EXPECT_EQ(parse_track1(track1(kVisa, std::string(27, 'N'), "2512101")).error().code,
            Errc::out_of_range);
}

TEST(Track1, PanLengths) {
  for (std::string_view pan :
       {std::string_view{kPan12}, std::string_view{kPan19}, std::string_view{"371449635398431"},
        std::string_view{"6011000990139424"}}) {
    auto t = parse_track1(track1(pan));
    ASSERT_TRUE(t) << pan.size() << ": " << t.error().describe();
    EXPECT_EQ(t->pan.reveal(), pan);
    EXPECT_TRUE(t->pan.luhn_ok());
  }
  EXPECT_EQ(parse_track1(track1("41111111111")).error().code, Errc::out_of_range);
  EXPECT_EQ(parse_track1(track1("41111111111111111111")).error().code, Errc::out_of_range);
}

TEST(Track1, LuhnFailureIsNotAnError) {
  auto t = parse_track1(track1("4111111111111112"));
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->pan.luhn_ok());
}

TEST(Track1, EmptyDiscretionaryData) {
  auto t = parse_track1("B4111111111111111^TEST/CARD^2512101");
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_TRUE(t->discretionary.empty());
}

TEST(Track1, LengthLimitIs79WithSentinelsAndLrc) {
  // B + 16 + ^ + 26 + ^ + 7 = 52; 76 between the sentinels leaves 24 for the DD.
  const std::string name(26, 'N');
  const std::string ok = track1(kVisa, name, "2512101" + std::string(24, '0')) + "5";
  ASSERT_EQ(ok.size(), 79U);
  EXPECT_TRUE(parse_track1(ok));
  EXPECT_TRUE(parse_track1(ok.substr(1, 76)));  // without sentinels and LRC
  const std::string long1 = track1(kVisa, name, "2512101" + std::string(25, '0'));
  auto t = parse_track1(long1);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, Errc::out_of_range);
  EXPECT_EQ(parse_track1(long1.substr(1, 77)).error().code, Errc::out_of_range);
  EXPECT_EQ(parse_track1(std::string(10000, 'B')).error().code, Errc::out_of_range);
}

// ---------------------------------------------------------------- track 2

TEST(Track2, KnownAnswer) {
  auto t = parse_track2(kTrack2);
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(t->track, Track::two);
  EXPECT_EQ(t->pan.reveal(), kVisa);
  EXPECT_FALSE(t->name.has_value());
  EXPECT_EQ(t->expiry, "2512");
  EXPECT_EQ(t->service_code.str(), "101");
  EXPECT_FALSE(t->service_code.chip_card());
  EXPECT_EQ(t->discretionary.reveal(), "0000000000000");
  EXPECT_EQ(t->raw.reveal(), "4111111111111111=25121010000000000000");
}

TEST(Track2, SentinelsAndLrcAreOptional) {
  const std::string_view body = "4111111111111111=25121010000000000000";
  for (const std::string& text : {std::string{body}, ";" + std::string{body},
                                  std::string{body} + "?", ";" + std::string{body} + "?",
                                  ";" + std::string{body} + "?:", ";" + std::string{body} + "??",
                                  ";" + std::string{body} + "?0", std::string{body} + "?="}) {
    auto t = parse_track2(text);
    ASSERT_TRUE(t) << text.size() << ": " << t.error().describe();
    EXPECT_EQ(t->raw.reveal(), body);
  }
}

TEST(Track2, PanLengthsAndSchemes) {
  for (std::string_view pan :
       {std::string_view{kPan12}, std::string_view{kPan19}, std::string_view{"5413330089010434"},
        std::string_view{"371449635398431"}, std::string_view{"6011000990139424"}}) {
    auto t = parse_track2(track2(pan, "2512201"));
    ASSERT_TRUE(t) << pan.size() << ": " << t.error().describe();
    EXPECT_EQ(t->pan.reveal(), pan);
    EXPECT_EQ(t->pan.length(), pan.size());
  }
  EXPECT_EQ(parse_track2(track2("41111111111", "2512101")).error().code, Errc::out_of_range);
  EXPECT_EQ(parse_track2(track2("41111111111111111111", "2512101")).error().code,
            Errc::out_of_range);
}

TEST(Track2, LengthLimitIs40WithSentinelsAndLrc) {
  // 16 + '=' + 7 = 24; 37 between the sentinels leaves 13 for the DD.
  const std::string ok = track2(kVisa, "2512101" + std::string(13, '0')) + "0";
  ASSERT_EQ(ok.size(), 40U);
  EXPECT_TRUE(parse_track2(ok));
  const std::string long2 = track2(kVisa, "2512101" + std::string(14, '0'));
  EXPECT_EQ(parse_track2(long2).error().code, Errc::out_of_range);
  EXPECT_EQ(parse_track2(long2.substr(1, 38)).error().code, Errc::out_of_range);
}

TEST(Track2, ChipCardFromStripeIsNotAnError) {
  auto t = parse_track2(track2("4761739001010010", "2212201114380440000"));
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_TRUE(t->service_code.chip_card());
}

// ---------------------------------------------------------------- tag 57

TEST(Tag57, KnownAnswerHex) {
  auto t = parse_track2_equivalent_hex(kTag57);
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(t->track, Track::two);
  EXPECT_EQ(t->pan.reveal(), "4761739001010010");
  EXPECT_FALSE(t->name.has_value());
  EXPECT_EQ(t->expiry, "2212");
  EXPECT_EQ(t->service_code.str(), "201");
  EXPECT_TRUE(t->service_code.chip_card());
  EXPECT_EQ(t->discretionary.reveal(), "1143804400000");
  EXPECT_EQ(t->raw.reveal(), "4761739001010010=22122011143804400000");
}

TEST(Tag57, KnownAnswerBinaryAndLowerCase) {
  auto bytes = from_hex(kTag57);
  ASSERT_TRUE(bytes);
  ASSERT_EQ(bytes->size(), 19U);
  auto t = parse_track2_equivalent(*bytes);
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(t->pan.reveal(), "4761739001010010");

  auto lower = parse_track2_equivalent_hex("4761739001010010d22122011143804400000f");
  ASSERT_TRUE(lower) << lower.error().describe();
  EXPECT_EQ(lower->raw.reveal(), t->raw.reveal());
}

TEST(Tag57, EvenDigitCountHasNoPad) {
  auto t = parse_track2_equivalent_hex("5413330089010434D251220100");
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(t->discretionary.reveal(), "00");
  // 15-digit Amex: PAN + D + YYMM + SVC = 23 nibbles, one pad.
  auto amex = parse_track2_equivalent_hex("371449635398431D2512201F");
  ASSERT_TRUE(amex) << amex.error().describe();
  EXPECT_EQ(amex->pan.reveal(), "371449635398431");
  EXPECT_TRUE(amex->discretionary.empty());
}

TEST(Tag57, Errors) {
  EXPECT_EQ(parse_track2_equivalent(ByteView{}).error().code, Errc::truncated);
  EXPECT_EQ(parse_track2_equivalent_hex("").error().code, Errc::truncated);
  EXPECT_EQ(parse_track2_equivalent_hex("4761739001010010D22122011143804400000").error().code,
            Errc::malformed);  // odd hex
  EXPECT_EQ(parse_track2_equivalent_hex("4761739001010010D22122011143804400000X").error().code,
            Errc::malformed);  // not hex
  // Pad nibble before the end, two pads, other nibble values.
  EXPECT_EQ(parse_track2_equivalent_hex("4761739001010010D2212201F1").error().code,
            Errc::malformed);
  EXPECT_EQ(parse_track2_equivalent_hex("4761739001010010D2212201FF").error().code,
            Errc::malformed);
  for (std::string_view bad :
       {"4761739001010010D2212201A1", "4761739001010010D2212201B1", "4761739001010010D2212201C1",
        "4761739001010010D2212201E1", "47617390010100E0D2212201"}) {
    auto t = parse_track2_equivalent_hex(bad);
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code, Errc::malformed);
    EXPECT_NE(t.error().message.find("nibble"), std::string::npos) << t.error().message;
  }
  // 20 bytes.
  EXPECT_EQ(parse_track2_equivalent_hex("4761739001010010D2212201114380440000000F").error().code,
            Errc::out_of_range);
  // Missing separator, second separator, bad expiry, short.
  EXPECT_EQ(parse_track2_equivalent_hex("47617390010100102212201F").error().code, Errc::malformed);
  EXPECT_EQ(parse_track2_equivalent_hex("4761739001010010D2212201D1").error().code,
            Errc::malformed);
  EXPECT_EQ(parse_track2_equivalent_hex("4761739001010010D2213201").error().code,
            Errc::out_of_range);
  EXPECT_EQ(parse_track2_equivalent_hex("4761739001010010D22122").error().code, Errc::truncated);
}

// ---------------------------------------------------------------- auto-detect

TEST(ParseTrack, DetectsEachForm) {
  auto t1 = parse_track(kTrack1);
  ASSERT_TRUE(t1);
  EXPECT_EQ(t1->track, Track::one);
  auto t1b = parse_track(kTrack1.substr(1));
  ASSERT_TRUE(t1b);
  EXPECT_EQ(t1b->track, Track::one);
  auto t2 = parse_track(kTrack2);
  ASSERT_TRUE(t2);
  EXPECT_EQ(t2->track, Track::two);
  auto t2b = parse_track(kTrack2.substr(1));
  ASSERT_TRUE(t2b);
  EXPECT_EQ(t2b->track, Track::two);
  auto t57 = parse_track(kTag57);
  ASSERT_TRUE(t57);
  EXPECT_EQ(t57->track, Track::two);
  EXPECT_EQ(t57->service_code.str(), "201");
  auto t57l = parse_track("4761739001010010d22122011143804400000f");
  ASSERT_TRUE(t57l);
}

TEST(ParseTrack, RejectsTheUnrecognizable) {
  for (std::string_view text : {"", "hello", "4111111111111111", "4111111111111111ABCEF0",
                                "4761739001010010D2212 201", "\n"}) {
    auto t = parse_track(text);
    ASSERT_FALSE(t) << text.size();
    EXPECT_EQ(t.error().code, Errc::malformed) << t.error().message;
  }
  // Detected, then rejected by the detected parser with its own error.
  EXPECT_EQ(parse_track("%A4111111111111111^TEST/CARD^2512101?").error().code, Errc::malformed);
  EXPECT_EQ(parse_track(";4111111111111111=2513101?").error().code, Errc::out_of_range);
}

// ---------------------------------------------------------------- errors

struct ErrorCase {
  std::string_view what;
  std::function<Result<TrackData>()> parse;
  Errc code;
  std::string_view says;  // a word the message must contain
};

std::vector<ErrorCase> error_cases() {
  const auto t1 = [](std::string text) { return [text] { return parse_track1(text); }; };
  const auto t2 = [](std::string text) { return [text] { return parse_track2(text); }; };
  const auto hex = [](std::string text) {
    return [text] { return parse_track2_equivalent_hex(text); };
  };
  const std::string v{kVisa};
  // clang-format off
  return {
      // track 1
      {"t1 empty", t1(""), Errc::truncated, "no data"},
      {"t1 sentinels only", t1("%?"), Errc::truncated, "no data"},
      {"t1 format code", t1("%A" + v + "^TEST/CARD^2512101?"), Errc::malformed, "format code"},
      {"t1 no format code", t1("%" + v + "^TEST/CARD^2512101?"), Errc::malformed, "format code"},
      {"t1 missing first separator", t1("%B" + v + "TEST/CARD2512101?"), Errc::malformed, "separator"},
      {"t1 missing second separator", t1("%B" + v + "^TEST/CARD2512101000?"), Errc::malformed, "separator after the name"},
      {"t1 non-digit in PAN", t1("%B41111111A1111111^TEST/CARD^2512101?"), Errc::malformed, "non-digit in PAN at offset 10"},
      {"t1 space in PAN", t1("%B4111 1111 1111 1111^TEST/CARD^2512101?"), Errc::malformed, "non-digit in PAN"},
      {"t1 PAN 11", t1(track1("41111111111")), Errc::out_of_range, "PAN length 11"},
      {"t1 PAN 20", t1(track1("41111111111111111111")), Errc::out_of_range, "PAN length 20"},
      {"t1 empty PAN", t1(track1("")), Errc::out_of_range, "PAN length 0"},
      {"t1 name short", t1(track1(v, "A")), Errc::out_of_range, "name length 1"},
      {"t1 name long", t1(track1(v, std::string(27, 'N'), "2512101")), Errc::out_of_range, "name length 27"},
      {"t1 expiry non-digit", t1(track1(v, "TEST/CARD", "25A2101")), Errc::malformed, "expiry"},
      {"t1 expiry month 13", t1(track1(v, "TEST/CARD", "2513101")), Errc::out_of_range, "month"},
      {"t1 expiry month 00", t1(track1(v, "TEST/CARD", "2500101")), Errc::out_of_range, "month"},
      {"t1 expiry 0000", t1(track1(v, "TEST/CARD", "0000101")), Errc::out_of_range, "month"},
      {"t1 no expiry", t1(track1(v, "TEST/CARD", "")), Errc::truncated, "expiry"},
      {"t1 short expiry", t1(track1(v, "TEST/CARD", "251")), Errc::truncated, "expiry"},
      {"t1 no service code", t1(track1(v, "TEST/CARD", "2512")), Errc::truncated, "service code"},
      {"t1 short service code", t1(track1(v, "TEST/CARD", "251210")), Errc::truncated, "service code"},
      {"t1 service code non-digit", t1(track1(v, "TEST/CARD", "25121A1000")), Errc::malformed, "service code"},
      {"t1 lower case", t1(track1(v, "Test/Card")), Errc::malformed, "illegal character at offset 20"},
      {"t1 control character", t1(track1(v) + "\n"), Errc::malformed, "LRC"},
      {"t1 trailing newline, no sentinel", t1("B" + v + "^TEST/CARD^2512101\n"), Errc::malformed, "illegal character"},
      {"t1 percent inside", t1(track1(v, "TEST%CARD")), Errc::malformed, "illegal character"},
      {"t1 separator in DD", t1(track1(v, "TEST/CARD", "2512101000^000")), Errc::malformed, "discretionary"},
      {"t1 data after LRC", t1(track1(v) + "5;"), Errc::malformed, "after the end sentinel"},
      {"t1 two tracks", t1(track1(v) + track2(v)), Errc::malformed, "after the end sentinel"},
      {"t1 too long", t1(track1(v, std::string(26, 'N'), "2512101" + std::string(25, '0'))), Errc::out_of_range, "too long"},
      // track 2
      {"t2 empty", t2(""), Errc::truncated, "no data"},
      {"t2 sentinels only", t2(";?"), Errc::truncated, "no data"},
      {"t2 missing separator", t2(";" + v + "25121010000?"), Errc::malformed, "separator"},
      {"t2 D separator", t2(";" + v + "D25121010000?"), Errc::malformed, "illegal character at offset 17"},
      {"t2 PAN 11", t2(track2("41111111111", "2512101")), Errc::out_of_range, "PAN length 11"},
      {"t2 PAN 20", t2(track2("41111111111111111111", "2512101")), Errc::out_of_range, "PAN length 20"},
      {"t2 expiry month 13", t2(track2(v, "25131010")), Errc::out_of_range, "month"},
      {"t2 expiry month 00", t2(track2(v, "25001010")), Errc::out_of_range, "month"},
      {"t2 short expiry", t2(track2(v, "25")), Errc::truncated, "expiry"},
      {"t2 short service code", t2(track2(v, "25121")), Errc::truncated, "service code"},
      {"t2 letter", t2(track2(v, "2512101A")), Errc::malformed, "illegal character"},
      {"t2 colon", t2(track2(v, "2512101:")), Errc::malformed, "illegal character"},
      {"t2 separator in DD", t2(track2(v, "2512101=00")), Errc::malformed, "discretionary"},
      {"t2 LRC outside set", t2(track2(v) + "A"), Errc::malformed, "LRC"},
      {"t2 data after LRC", t2(track2(v) + "00"), Errc::malformed, "after the end sentinel"},
      {"t2 too long", t2(track2(v, "2512101" + std::string(14, '0'))), Errc::out_of_range, "too long"},
      {"t2 start sentinel inside", t2(v + ";=2512101?"), Errc::malformed, "illegal character"},
      // tag 57
      {"57 empty", hex(""), Errc::truncated, "no data"},
      {"57 odd", hex(std::string{kTag57}.substr(0, 37)), Errc::malformed, "odd"},
      {"57 pad inside", hex("4761739001010010D2212201F1"), Errc::malformed, "pad"},
      {"57 nibble", hex("4761739001010010D2212201A1"), Errc::malformed, "nibble"},
      {"57 too long", hex("4761739001010010D2212201114380440000000F"), Errc::out_of_range, "too long"},
      {"57 missing separator", hex("47617390010100102212201F"), Errc::malformed, "separator"},
      {"57 PAN 11", hex("47617390010D2212201F"), Errc::out_of_range, "PAN length 11"},
      {"57 PAN 20", hex("47617390010100100000D2212201F"), Errc::malformed, "odd"},
      {"57 PAN 20 even", hex("47617390010100100000D22122010F"), Errc::out_of_range, "PAN length 20"},
      {"57 month", hex("4761739001010010D2200201"), Errc::out_of_range, "month"},
      {"57 short", hex("4761739001010010D2212F"), Errc::truncated, "service code"},
  };
  // clang-format on
}

TEST(TrackErrors, EachCaseHasItsCodeAndMessage) {
  for (const ErrorCase& c : error_cases()) {
    auto t = c.parse();
    ASSERT_FALSE(t) << c.what;
    EXPECT_EQ(t.error().code, c.code) << c.what << ": " << t.error().describe();
    EXPECT_NE(t.error().message.find(c.says), std::string::npos)
        << c.what << ": " << t.error().describe();
  }
}

TEST(TrackErrors, MessagesNeverQuoteCardData) {
  // No PAN, no part of one long enough to matter, no name, no discretionary data.
  for (const ErrorCase& c : error_cases()) {
    auto t = c.parse();
    ASSERT_FALSE(t) << c.what;
    const std::string& m = t.error().message;
    for (std::string_view secret : {"4111111111111111", "4761739001010010", "411111", "476173",
                                    "TEST", "CARD", "0000", "1143804400000"}) {
      EXPECT_EQ(m.find(secret), std::string::npos) << c.what << ": " << m;
    }
    // Offsets and lengths are at most 5 digits; no longer digit run may appear.
    std::size_t run = 0;
    for (char ch : m) {
      run = (ch >= '0' && ch <= '9') ? run + 1 : 0;
      EXPECT_LT(run, 6U) << c.what << ": " << m;
    }
  }
}

// ---------------------------------------------------------------- robustness

template <class Parse>
void every_prefix(std::string_view text, Parse parse, std::string_view full_pan) {
  for (std::size_t n = 0; n <= text.size(); ++n) {
    auto t = parse(text.substr(0, n));
    if (t) {
      // A prefix that parses ends after the service code: same card, same PAN.
      EXPECT_EQ(t->pan.reveal(), full_pan) << n;
    } else {
      EXPECT_FALSE(t.error().message.empty()) << n;
    }
  }
}

TEST(Robustness, EveryPrefixParsesOrFailsCleanly) {
  every_prefix(kTrack1, parse_track1, kVisa);
  every_prefix(kTrack1, parse_track, kVisa);
  every_prefix(kTrack2, parse_track2, kVisa);
  every_prefix(kTrack2, parse_track, kVisa);
  every_prefix(kTag57, parse_track2_equivalent_hex, "4761739001010010");
  auto bytes = from_hex(kTag57);
  ASSERT_TRUE(bytes);
  for (std::size_t n = 0; n <= bytes->size(); ++n) {
    auto t = parse_track2_equivalent(ByteView{bytes->data(), n});
    if (t) {
      EXPECT_EQ(t->pan.reveal(), "4761739001010010");
    }
  }
}

TEST(Robustness, ParsedPrefixesStopNoEarlierThanTheServiceCode) {
  // track 2: ";" + 16 + "=" + 4 + 3 = 25 characters is the shortest valid prefix.
  for (std::size_t n = 0; n < 25; ++n) EXPECT_FALSE(parse_track2(kTrack2.substr(0, n))) << n;
  EXPECT_TRUE(parse_track2(kTrack2.substr(0, 25)));
}

TEST(Robustness, EverySingleByteValueInEveryPosition) {
  const std::string base{kTrack1};
  for (std::size_t i = 0; i < base.size(); ++i) {
    for (int b = 0; b < 256; ++b) {
      std::string text = base;
      text[i] = static_cast<char>(b);
      (void)parse_track1(text);
      (void)parse_track2(text);
      (void)parse_track(text);
    }
  }
  SUCCEED();
}

// ---------------------------------------------------------------- secrecy

TEST(Secrecy, StreamingMasksPanAndHidesDiscretionaryData) {
  for (std::string_view text : {kTrack1, kTrack2, kTag57}) {
    auto t = parse_track(text);
    ASSERT_TRUE(t);
    std::ostringstream os;
    os << t->pan << '|' << t->discretionary << '|' << t->raw;
    const std::string out = os.str();
    EXPECT_EQ(out.find(t->pan.reveal()), std::string::npos);
    EXPECT_EQ(out, t->pan.masked() + "|***|***");
  }
  auto t = parse_track1(kTrack1);
  ASSERT_TRUE(t);
  std::ostringstream os;
  os << t->pan;
  EXPECT_EQ(os.str(), "411111******1111");
}

}  // namespace
}  // namespace tender::msr
