#include "drivers/icc/sim/replay_card.hpp"

#include <gtest/gtest.h>

#include "drivers/icc/sim/sim_reader.hpp"
#include "tests/test_hex.hpp"

namespace tender::icc::sim {
namespace {

using tender::test::hex;

constexpr const char* kRecording = R"({
  "atr": "3B600000",
  "exchanges": [
    {"c": "00A404000E315041592E5359532E444446303100", "r": "6F0A840E9000"},
    {"c": "80AE80001D0000000010000000000000000008400000000000084026112100112233", "r": "771E9000", "match": "header"},
    {"c": "00B2010C00", "r": "6A83"}
  ]
})";

TEST(ReplayCard, ParseErrorsNameTheField) {
  EXPECT_EQ(ReplayCard::parse("[").error().code, Errc::malformed);
  EXPECT_EQ(ReplayCard::parse(R"({"exchanges":[{"c":"00A4"}]})").error().message.rfind("exchanges[0].c:", 0), 0u);
  EXPECT_EQ(ReplayCard::parse(R"({"exchanges":[{"c":"00A40400"}]})").error().message.rfind("exchanges[0].r:", 0), 0u);
  EXPECT_EQ(ReplayCard::parse(R"({"exchanges":[{"c":"00A40400","r":"90"}]})").error().message.rfind("exchanges[0].r:", 0), 0u);
  EXPECT_EQ(ReplayCard::parse(R"({"exchanges":[{"c":"00A40400","r":"9000","match":"fuzzy"}]})").error().message
                .rfind("exchanges[0].match:", 0), 0u);
  EXPECT_EQ(ReplayCard::parse(R"({"exchanges":[],"extra":1})").error().message.rfind("extra:", 0), 0u);
  EXPECT_EQ(ReplayCard::parse(R"({"exchange":[]})").error().message.rfind("exchanges:", 0), 0u);
}

TEST(ReplayCard, ReplaysExactAndHeaderMatchesInOrder) {
  auto card = ReplayCard::parse(kRecording);
  ASSERT_TRUE(card) << card.error().describe();
  EXPECT_EQ(card->atr(), hex("3B600000"));
  EXPECT_EQ(card->process(hex("00A404000E315041592E5359532E444446303100")), hex("6F0A840E9000"));
  // Header match: other terminal data (unpredictable number) still matches.
  EXPECT_EQ(card->process(hex("80AE80001D00000000200000000000000000084000000000000840261121AABBCCDD")), hex("771E9000"));
  card->reset();  // does not rewind
  EXPECT_EQ(card->process(hex("00B2010C00")), hex("6A83"));
  EXPECT_TRUE(card->complete());
  EXPECT_TRUE(card->failures().empty());
}

TEST(ReplayCard, UnexpectedCommandsAnswer6F00AndAreRecorded) {
  auto card = ReplayCard::parse(kRecording);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->process(hex("00A404000E315041592E5359532E444446303200")), hex("6F00"));  // data differs
  EXPECT_EQ(card->process(hex("00B2010C00")), hex("6F00"));                                // out of order
  ASSERT_EQ(card->failures().size(), 2u);
  EXPECT_NE(card->failures()[0].find("exchange 0"), std::string::npos);
  EXPECT_NE(card->failures()[1].find("00B2010C"), std::string::npos);
  EXPECT_EQ(card->remaining(), 3u);  // nothing consumed
  EXPECT_EQ(card->process(hex("00A404000E315041592E5359532E444446303100")), hex("6F0A840E9000"));
  EXPECT_EQ(card->process(hex("80AE")), hex("6F00"));  // shorter than a header
  EXPECT_FALSE(card->complete());
}

TEST(ReplayCard, CommandsAfterTheLastExchangeFail) {
  ReplayCard card(hex("3B600000"), {{hex("0084000000"), hex("01020304050607089000"), false}});
  SimReader reader;
  reader.insert(&card);
  ASSERT_TRUE(reader.power_on());
  EXPECT_EQ(*reader.transmit(hex("0084000000")), hex("01020304050607089000"));
  EXPECT_EQ(*reader.transmit(hex("0084000000")), hex("6F00"));
  ASSERT_EQ(card.failures().size(), 1u);
  EXPECT_NE(card.failures()[0].find("after the last exchange"), std::string::npos);
}

}  // namespace
}  // namespace tender::icc::sim
