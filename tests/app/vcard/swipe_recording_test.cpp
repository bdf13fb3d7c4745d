// tender-swipe's recordings: the bytes of the checked-in wedge swipe (which the evdev tests
// verify against their own generator), and a round trip through tender's own decoder.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "app/vcard/swipe_recording.hpp"
#include "drivers/msr/evdev_reader.hpp"
#include "drivers/msr/track.hpp"

namespace tender::app::vcard {
namespace {

// The Visa test number with made-up name and discretionary data (tests/data/msr).
const std::string kTyped =
    "%B4111111111111111^DOE-SMITH/JOHN Q.MR^3012101000000000000?;4111111111111111=30121010000000000000?";

Bytes read_fixture() {
  std::ifstream in(std::string{TENDER_TEST_DATA_DIR} + "/msr/wedge_swipe_visa.bin", std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The records in this machine's layout, as the kernel would hand them over.
std::vector<input_event> events_of(const Bytes& bytes) {
  std::vector<input_event> events(bytes.size() / sizeof(input_event));
  std::memcpy(events.data(), bytes.data(), events.size() * sizeof(input_event));
  return events;
}

TEST(VcardSwipe, TheCheckedInRecordingIsWhatTheToolWrites) {
  const Bytes fixture = read_fixture();
  ASSERT_FALSE(fixture.empty());
  auto made = swipe_recording(std::vector<std::string>{kTyped}, EventLayout::le64);
  ASSERT_TRUE(made) << made.error().describe();
  EXPECT_TRUE(*made == fixture) << made->size() << " bytes against " << fixture.size();
}

TEST(VcardSwipe, ThirtyTwoBitRecordsKeepTheLowHalfOfEachTime) {
  auto wide = swipe_recording(std::vector<std::string>{kTyped}, EventLayout::le64);
  auto narrow = swipe_recording(std::vector<std::string>{kTyped}, EventLayout::le32);
  ASSERT_TRUE(wide && narrow);
  ASSERT_EQ(wide->size() % 24, 0U);
  ASSERT_EQ(narrow->size(), wide->size() / 24 * 16);
  for (std::size_t r = 0; r < wide->size() / 24; ++r) {
    const Byte* w = wide->data() + r * 24;
    const Byte* n = narrow->data() + r * 16;
    EXPECT_EQ(std::memcmp(n, w, 4), 0) << r;           // seconds, low half
    EXPECT_EQ(std::memcmp(n + 4, w + 8, 4), 0) << r;   // microseconds, low half
    EXPECT_EQ(std::memcmp(n + 8, w + 16, 8), 0) << r;  // type, code, value
  }
}

TEST(VcardSwipe, TwoSwipesDecodeToTheirTracks) {
  const std::string second = ";5413330089020011=30122011234567890?";
  auto made = swipe_recording(std::vector<std::string>{kTyped, second}, native_layout());
  ASSERT_TRUE(made) << made.error().describe();
  ASSERT_EQ(made->size() % record_size(native_layout()), 0U);
  msr::EvdevDecoder decoder;
  std::vector<msr::Swipe> swipes;
  for (const input_event& e : events_of(*made))
    if (auto ended = decoder.feed(e)) {
      ASSERT_TRUE(*ended) << ended->error().describe();
      swipes.push_back(std::move(**ended));
    }
  ASSERT_EQ(swipes.size(), 2U);
  auto t1 = msr::parse_track1(swipes[0].track1.reveal());
  ASSERT_TRUE(t1) << t1.error().describe();
  EXPECT_EQ(t1->pan.reveal(), "4111111111111111");
  EXPECT_EQ(t1->name, "DOE-SMITH/JOHN Q.MR");
  EXPECT_TRUE(swipes[1].track1.empty());
  auto t2 = msr::parse_track2(swipes[1].track2.reveal());
  ASSERT_TRUE(t2) << t2.error().describe();
  EXPECT_EQ(t2->pan.reveal(), "5413330089020011");
  EXPECT_EQ(t2->service_code.str(), "201");
}

TEST(VcardSwipe, BadInputSaysWhereNotWhat) {
  auto none = swipe_recording(std::vector<std::string>{}, EventLayout::le64);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message, "no swipe to record");
  auto empty = swipe_recording(std::vector<std::string>{kTyped, ""}, EventLayout::le64);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "swipe 2 is empty");
  auto tab = swipe_recording(std::vector<std::string>{";4111111111111111\t=3012?"}, EventLayout::le64);
  ASSERT_FALSE(tab);
  EXPECT_EQ(tab.error().code, Errc::invalid_argument);
  EXPECT_EQ(tab.error().message, "swipe 1, character 18: no key types it on a US layout");
}

}  // namespace
}  // namespace tender::app::vcard
