#include "net/hostsim/card.hpp"

#include <gtest/gtest.h>

#include "net/hostsim/clock.hpp"

namespace tender::net::hostsim {
namespace {

TEST(HostSimCard, Track1WithAndWithoutSentinels) {
  for (std::string_view t : {"B5413330056003511^CUST IMP MC 351/^2512101000000000",
                             "%B5413330056003511^CUST IMP MC 351/^2512101000000000?"}) {
    auto card = parse_track1(t);
    ASSERT_TRUE(card) << card.error().message;
    EXPECT_EQ(card->pan.reveal(), "5413330056003511");
    EXPECT_EQ(card->expiry_year, 2025);
    EXPECT_EQ(card->expiry_month, 12);
  }
  EXPECT_FALSE(parse_track1("5413330056003511^NAME^2512"));
  EXPECT_FALSE(parse_track1("B5413330056003511^NAME"));
  EXPECT_FALSE(parse_track1("B5413330056003511^NAME^2513101"));
  EXPECT_FALSE(parse_track1("B54133^NAME^2512101"));
}

TEST(HostSimCard, Track2AndEmvTags) {
  auto t2 = parse_track2(";4111111111111111=3012101?");
  ASSERT_TRUE(t2);
  EXPECT_EQ(t2->expiry_year, 2030);
  EXPECT_TRUE(parse_track2("4111111111111111D3012101"));
  EXPECT_FALSE(parse_track2("4111111111111111"));
  // 57 (track 2 equivalent) inside template 70.
  const Bytes tags = {0x70, 0x0E, 0x57, 0x0C, 0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x00, 0x10,
                      0xD3, 0x01, 0x22, 0x01};
  auto chip = card_from_emv_tags(tags);
  ASSERT_TRUE(chip) << chip.error().message;
  EXPECT_EQ(chip->pan.reveal(), "4761739001010010");
  EXPECT_EQ(chip->expiry_year, 2030);
  EXPECT_EQ(chip->expiry_month, 12);
  EXPECT_FALSE(card_from_emv_tags(Bytes{0x9F, 0x26, 0x02, 0x01}));
  EXPECT_FALSE(card_from_emv_tags(Bytes{0x5A, 0x08, 0x47}));  // truncated
}

TEST(HostSimCard, ExpiryIsTheEndOfTheMonth) {
  auto card = keyed_card("4111111111111111", 12, 24);
  ASSERT_TRUE(card);
  EXPECT_FALSE(expired(*card, utc(2024, 12, 31, 23, 59, 59)));
  EXPECT_TRUE(expired(*card, utc(2025, 1, 1)));
  EXPECT_TRUE(keyed_card("4111111111111111", 12, 2024));
  EXPECT_FALSE(keyed_card("4111111111111111", 13, 24));
  EXPECT_FALSE(keyed_card_mmyy("4111111111111111", "1224"));
  EXPECT_EQ(masked(*card), "411111******1111");
}

TEST(HostSimClock, FormatsLikeTheDocuments) {
  EXPECT_EQ(format_rfc3339(utc(2025, 1, 9, 13, 27, 50) + std::chrono::microseconds(33099)),
            "2025-01-09T13:27:50.0330990Z");
}

}  // namespace
}  // namespace tender::net::hostsim
