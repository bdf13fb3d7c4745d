// The interactive emulator's card set: the chip cards and at least one card that is magnetic
// stripe only (the trial found none to swipe without being told to insert).
#include <gtest/gtest.h>

#include <algorithm>

#include "app/emu/emu_counter.hpp"
#include "drivers/msr/track.hpp"

namespace tender::app::emu {
namespace {

TEST(EmuCardSet, HasAStripeOnlyCardWhoseStripeSaysNoChip) {
  const auto cards = card_set();
  const auto stripe = std::find_if(cards.begin(), cards.end(), [](const EmuCard& c) { return !c.chip; });
  ASSERT_NE(stripe, cards.end()) << "no stripe-only card in the emulator's card set";
  auto event = swipe_event(stripe->name);
  ASSERT_TRUE(event) << event.error().describe();
  EXPECT_EQ(event->presentation, CardPresentation::swiped);
  ASSERT_FALSE(event->track2.empty());
  ASSERT_FALSE(event->track1.empty());
  auto track2 = msr::parse_track(event->track2.reveal());
  ASSERT_TRUE(track2) << track2.error().describe();
  EXPECT_FALSE(track2->service_code.chip_card());
  EXPECT_FALSE(track2->service_code.pin_required());
  EXPECT_TRUE(track2->pan.luhn_ok());
  auto track1 = msr::parse_track(event->track1.reveal());
  ASSERT_TRUE(track1) << track1.error().describe();
  EXPECT_EQ(track1->pan.reveal(), track2->pan.reveal());
}

TEST(EmuCardSet, ChipCardsStillSwipeTheirChipStripe) {
  const auto cards = card_set();
  const auto chip = std::find_if(cards.begin(), cards.end(), [](const EmuCard& c) { return c.chip; });
  ASSERT_NE(chip, cards.end());
  auto event = swipe_event(chip->name);
  ASSERT_TRUE(event) << event.error().describe();
  auto track2 = msr::parse_track(event->track2.reveal());
  ASSERT_TRUE(track2) << track2.error().describe();
  EXPECT_TRUE(track2->service_code.chip_card());
}

TEST(EmuCardSet, EmptySwipeTextIsAnError) {
  auto event = swipe_event("");
  ASSERT_FALSE(event);
  EXPECT_EQ(event.error().code, Errc::malformed);
}

}  // namespace
}  // namespace tender::app::emu
