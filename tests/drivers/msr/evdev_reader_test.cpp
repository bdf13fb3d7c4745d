#include "drivers/msr/evdev_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "drivers/msr/keymap.hpp"
#include "drivers/msr/track.hpp"

// Test cards only: the Visa test number, and made-up names and discretionary data.
namespace tender::msr {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kPan = "4111111111111111";
constexpr std::string_view kPanStart = "411111";  // first 6 may be logged, not in errors here
constexpr std::string_view kTrack1 = "B4111111111111111^DOE-SMITH/JOHN Q.MR^3012101000000000000";
constexpr std::string_view kTrack2 = "4111111111111111=30121010000000000000";

std::string typed_swipe(std::string_view track1, std::string_view track2) {
  std::string s;
  if (!track1.empty()) s += "%" + std::string{track1} + "?";
  if (!track2.empty()) s += ";" + std::string{track2} + "?";
  return s;
}

// Builds the event stream a wedge reader produces: per character an optional Shift
// press, the key press, SYN_REPORT, 1 ms later the releases and SYN_REPORT; the
// next character 2 ms after the one before.
class Recording {
 public:
  explicit Recording(std::uint16_t shift_key = KEY_LEFTSHIFT) : shift_key_(shift_key) {}

  Recording& type(std::string_view text) {
    for (const char c : text) {
      const auto stroke = us_key_stroke(c);
      EXPECT_TRUE(stroke.has_value()) << "no key types character " << static_cast<int>(c);
      if (stroke) stroke_key(stroke->key_code, stroke->shift);
    }
    return *this;
  }
  Recording& enter() { return stroke_key(KEY_ENTER, false); }
  Recording& stroke_key(std::uint16_t code, bool shift, int autorepeats = 0) {
    if (shift) key(shift_key_, 1);
    key(code, 1);
    syn();
    for (int i = 0; i < autorepeats; ++i) {
      add(EV_KEY, code, 2);
      syn();
    }
    now_ += 1ms;
    key(code, 0);
    if (shift) key(shift_key_, 0);
    syn();
    now_ += 1ms;
    return *this;
  }
  Recording& pause(std::chrono::microseconds gap) {
    now_ += gap;
    return *this;
  }
  Recording& add(std::uint16_t type, std::uint16_t code, std::int32_t value) {
    input_event e{};
    e.input_event_sec = static_cast<decltype(e.input_event_sec)>(now_.count() / 1'000'000);
    e.input_event_usec = static_cast<decltype(e.input_event_usec)>(now_.count() % 1'000'000);
    e.type = type;
    e.code = code;
    e.value = value;
    events_.push_back(e);
    return *this;
  }
  Recording& syn() { return add(EV_SYN, SYN_REPORT, 0); }

  [[nodiscard]] const std::vector<input_event>& events() const { return events_; }

 private:
  void key(std::uint16_t code, std::int32_t value) {
    add(EV_MSC, MSC_SCAN, hid_usage(code));
    add(EV_KEY, code, value);
  }

  std::uint16_t shift_key_;
  std::chrono::microseconds now_{std::chrono::seconds{1'795'000'000}};  // CLOCK_REALTIME-like
  std::vector<input_event> events_;
};

Recording swipe_of(std::string_view track1, std::string_view track2) {
  Recording r;
  return std::move(r.type(typed_swipe(track1, track2)).enter());
}

// Everything the decoder emits, in order.
std::vector<Result<Swipe>> decode(EvdevDecoder& decoder, const std::vector<input_event>& events) {
  std::vector<Result<Swipe>> out;
  for (const input_event& e : events)
    if (auto ended = decoder.feed(e)) out.push_back(std::move(*ended));
  return out;
}

std::vector<Result<Swipe>> decode(const std::vector<input_event>& events) {
  EvdevDecoder decoder;
  return decode(decoder, events);
}

void expect_no_card_data(const Error& error) {
  const std::string text = error.describe();
  EXPECT_EQ(text.find(kPan), std::string::npos) << text;
  EXPECT_EQ(text.find(kPanStart), std::string::npos) << text;
  EXPECT_EQ(text.find("DOE"), std::string::npos) << text;
}

// ---------------------------------------------------------------- the fixture
//
// tests/data/msr/wedge_swipe_visa.bin is a swipe in the layout of input_event on
// 64-bit Linux (x86-64, aarch64): 8-byte seconds, 8-byte microseconds, 2-byte type,
// 2-byte code, 4-byte value, little-endian, 24 bytes a record. Converted on read so
// the test also runs where input_event is laid out otherwise (armhf).
// TENDER_WRITE_MSR_FIXTURE=1 rewrites it from the helper.

constexpr std::size_t kFixtureRecord = 24;
const std::string kFixture = std::string{TENDER_TEST_DATA_DIR} + "/msr/wedge_swipe_visa.bin";

template <class T>
void put_le(std::string& out, T v) {
  for (std::size_t i = 0; i < sizeof(T); ++i)
    out.push_back(static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xff));
}
template <class T>
T get_le(const unsigned char* p) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
  return static_cast<T>(v);
}

std::string to_fixture_bytes(const std::vector<input_event>& events) {
  std::string out;
  for (const input_event& e : events) {
    put_le(out, static_cast<std::int64_t>(e.input_event_sec));
    put_le(out, static_cast<std::int64_t>(e.input_event_usec));
    put_le(out, e.type);
    put_le(out, e.code);
    put_le(out, static_cast<std::uint32_t>(e.value));
  }
  return out;
}

std::vector<input_event> from_fixture_bytes(const std::string& bytes) {
  std::vector<input_event> events;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (std::size_t off = 0; off + kFixtureRecord <= bytes.size(); off += kFixtureRecord) {
    input_event e{};
    e.input_event_sec = static_cast<decltype(e.input_event_sec)>(get_le<std::int64_t>(p + off));
    e.input_event_usec =
        static_cast<decltype(e.input_event_usec)>(get_le<std::int64_t>(p + off + 8));
    e.type = get_le<std::uint16_t>(p + off + 16);
    e.code = get_le<std::uint16_t>(p + off + 18);
    e.value = static_cast<std::int32_t>(get_le<std::uint32_t>(p + off + 20));
    events.push_back(e);
  }
  return events;
}

std::string read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

std::string native_bytes(const std::vector<input_event>& events) {
  return {reinterpret_cast<const char*>(events.data()), events.size() * sizeof(input_event)};
}

// A fresh directory for FIFOs and files, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tender-evdev-XXXXXX").string();
    const char* made = ::mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::string file(std::string_view name) const { return path_ + "/" + std::string{name}; }

 private:
  std::string path_;
};

// The one swipe `out` should hold; nullptr, after a failure, otherwise. `out` must
// outlive the pointer.
const Swipe* only_swipe(const std::vector<Result<Swipe>>& out) {
  if (out.size() != 1) {
    ADD_FAILURE() << out.size() << " swipes, expected 1";
    return nullptr;
  }
  if (!out[0]) ADD_FAILURE() << out[0].error().describe();
  return out[0] ? &*out[0] : nullptr;
}

// The error of a swipe that should have failed as malformed, checked for card data.
void expect_malformed(const Result<Swipe>& ended, std::string_view says = {}) {
  ASSERT_FALSE(ended);
  EXPECT_EQ(ended.error().code, Errc::malformed);
  EXPECT_NE(ended.error().message.find(says), std::string::npos) << ended.error().message;
  expect_no_card_data(ended.error());
}

// ---------------------------------------------------------------- EvdevDecoder

TEST(EvdevDecoder, Track2OnlyAndStrayEnters) {
  Recording r;
  r.enter().type(typed_swipe("", kTrack2)).enter().enter();
  const auto out = decode(r.events());
  const Swipe* swipe = only_swipe(out);
  ASSERT_TRUE(swipe);
  EXPECT_TRUE(swipe->track1.empty());
  auto t2 = parse_track2(swipe->track2.reveal());
  ASSERT_TRUE(t2) << t2.error().describe();
  EXPECT_EQ(t2->pan.reveal(), kPan);
}

TEST(EvdevDecoder, ReaderErrorMarkerMeansTrackNotRead) {
  Recording r;
  r.type("%E?;" + std::string{kTrack2} + "?").enter().type("%E?;E?").enter();
  const auto out = decode(r.events());
  ASSERT_EQ(out.size(), 2u);
  ASSERT_TRUE(out[0]) << out[0].error().describe();
  EXPECT_TRUE(out[0]->track1.empty());
  EXPECT_EQ(out[0]->track2.reveal(), kTrack2);
  expect_malformed(out[1], "neither track");
}

TEST(EvdevDecoder, Track3AndTextAroundTracksIgnored) {
  Recording r;
  r.type("STX" + typed_swipe(kTrack1, kTrack2) + ";011234567890123445=7247241000000000?ETX");
  const auto out = decode(r.enter().events());
  const Swipe* swipe = only_swipe(out);
  ASSERT_TRUE(swipe);
  EXPECT_EQ(swipe->track1.reveal(), kTrack1);
  EXPECT_EQ(swipe->track2.reveal(), kTrack2);
}

TEST(EvdevDecoder, AutorepeatIgnored) {
  Recording r;
  for (const char c : typed_swipe("", kTrack2)) {
    const auto stroke = us_key_stroke(c);
    ASSERT_TRUE(stroke);
    r.stroke_key(stroke->key_code, stroke->shift, /*autorepeats=*/3);
  }
  const auto out = decode(r.stroke_key(KEY_ENTER, false, 2).events());
  const Swipe* swipe = only_swipe(out);
  ASSERT_TRUE(swipe);
  EXPECT_EQ(swipe->track2.reveal(), kTrack2);
}

TEST(EvdevDecoder, CaseFollowsEitherShift) {
  for (const std::uint16_t shift : {std::uint16_t{KEY_LEFTSHIFT}, std::uint16_t{KEY_RIGHTSHIFT}}) {
    Recording r{shift};
    const auto out = decode(r.type("%Bab^Cd Ef-g.h/I'j^?").enter().events());
    const Swipe* swipe = only_swipe(out);
    ASSERT_TRUE(swipe);
    EXPECT_EQ(swipe->track1.reveal(), "Bab^Cd Ef-g.h/I'j^");
  }
}

TEST(EvdevDecoder, KeypadDigitsAndEnter) {
  constexpr std::uint16_t kKeypad[] = {KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4,
                                       KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9};
  Recording r;
  r.type(";");
  for (const char c : kPan) r.stroke_key(kKeypad[c - '0'], false);
  const auto out = decode(r.type("=3012?").stroke_key(KEY_KPENTER, false).events());
  const Swipe* swipe = only_swipe(out);
  ASSERT_TRUE(swipe);
  EXPECT_EQ(swipe->track2.reveal(), "4111111111111111=3012");
}

TEST(EvdevDecoder, GapLongerThanTimeoutSplitsSwipes) {
  Recording r;
  r.type(typed_swipe("", kTrack2)).pause(150ms).type(typed_swipe(kTrack1, "")).enter();
  const auto out = decode(r.events());
  ASSERT_EQ(out.size(), 2u);
  ASSERT_TRUE(out[0]) << out[0].error().describe();
  EXPECT_EQ(out[0]->track2.reveal(), kTrack2);
  EXPECT_TRUE(out[0]->track1.empty());
  ASSERT_TRUE(out[1]) << out[1].error().describe();
  EXPECT_EQ(out[1]->track1.reveal(), kTrack1);
  EXPECT_TRUE(out[1]->track2.empty());

  EvdevDecoder patient{200ms};
  const auto joined = decode(patient, r.events());
  const Swipe* swipe = only_swipe(joined);
  ASSERT_TRUE(swipe);
  EXPECT_EQ(swipe->track1.reveal(), kTrack1);
  EXPECT_EQ(swipe->track2.reveal(), kTrack2);
}

TEST(EvdevDecoder, FinishEndsAndResetDropsSwipeWithoutEnter) {
  Recording r;
  r.type(typed_swipe(kTrack1, kTrack2));
  EvdevDecoder decoder;
  EXPECT_TRUE(decode(decoder, r.events()).empty());
  EXPECT_TRUE(decoder.pending());
  auto ended = decoder.finish();
  ASSERT_TRUE(ended.has_value());
  ASSERT_TRUE(*ended) << ended->error().describe();
  EXPECT_EQ((*ended)->track2.reveal(), kTrack2);
  EXPECT_FALSE(decoder.pending());
  EXPECT_FALSE(decoder.finish().has_value());

  (void)decode(decoder, r.events());
  ASSERT_TRUE(decoder.pending());
  decoder.reset();
  EXPECT_FALSE(decoder.pending());
  EXPECT_FALSE(decoder.finish().has_value());
}

TEST(EvdevDecoder, UnknownKeyMakesThatSwipeMalformed) {
  Recording r;
  r.type("%B41111111").stroke_key(KEY_F1, false).type("11111111^DOE/JOHN^3012101?").enter();
  r.type(typed_swipe(kTrack1, kTrack2)).enter();
  const auto out = decode(r.events());
  ASSERT_EQ(out.size(), 2u);
  expect_malformed(out[0], "key code " + std::to_string(KEY_F1));
  ASSERT_TRUE(out[1]) << out[1].error().describe();
  EXPECT_EQ(out[1]->track2.reveal(), kTrack2);
}

TEST(EvdevDecoder, NeitherTrackOrNoEndSentinelIsMalformed) {
  Recording r;
  r.type("hello 4111111111111111").enter().type(";" + std::string{kTrack2}).enter();
  const auto out = decode(r.events());
  ASSERT_EQ(out.size(), 2u);
  expect_malformed(out[0], "neither track");
  expect_malformed(out[1], "no end sentinel");
}

TEST(EvdevDecoder, OverflowDropsSwipeAndResyncsAtEnterOrTimeout) {
  Recording r;
  r.type("%B" + std::string(EvdevDecoder::kMaxSwipeCharacters, '4') + "?").enter();
  r.type(typed_swipe(kTrack1, kTrack2)).enter();
  r.type(std::string(EvdevDecoder::kMaxSwipeCharacters + 10, '4'));
  r.pause(500ms).type(typed_swipe("", kTrack2)).enter();
  r.type(";" + std::string(EvdevDecoder::kMaxSwipeCharacters - 2, '1') + "?").enter();  // full
  const auto out = decode(r.events());
  ASSERT_EQ(out.size(), 5u);
  expect_malformed(out[0], "longer than 256");
  ASSERT_TRUE(out[1]) << out[1].error().describe();
  EXPECT_EQ(out[1]->track1.reveal(), kTrack1);
  expect_malformed(out[2], "longer than 256");
  ASSERT_TRUE(out[3]) << out[3].error().describe();
  EXPECT_EQ(out[3]->track2.reveal(), kTrack2);
  ASSERT_TRUE(out[4]) << out[4].error().describe();
  EXPECT_EQ(out[4]->track2.size(), EvdevDecoder::kMaxSwipeCharacters - 2);
}

TEST(EvdevDecoder, SynDroppedSpoilsSwipeAndReleasesShift) {
  Recording r;
  r.type("%B4111");
  // Shift pressed, then the kernel's queue overflows and its release is lost.
  r.add(EV_KEY, KEY_LEFTSHIFT, 1).syn().add(EV_SYN, SYN_DROPPED, 0);
  r.add(EV_KEY, KEY_1, 1).add(EV_KEY, KEY_1, 0).syn();  // partial report: skipped
  r.type("1111^X^3012?").enter();
  r.type(typed_swipe("", kTrack2)).enter();
  // Idle when events are lost: that swipe ends by the gap, the next one is fine.
  r.pause(1s).add(EV_SYN, SYN_DROPPED, 0).syn().pause(1s).type(typed_swipe("", kTrack2)).enter();
  const auto out = decode(r.events());
  ASSERT_EQ(out.size(), 4u);
  expect_malformed(out[0], "SYN_DROPPED");
  ASSERT_TRUE(out[1]) << out[1].error().describe();
  EXPECT_EQ(out[1]->track2.reveal(), kTrack2);  // not ':' for ';' typed with a stuck Shift
  expect_malformed(out[2], "SYN_DROPPED");
  ASSERT_TRUE(out[3]) << out[3].error().describe();
  EXPECT_EQ(out[3]->track2.reveal(), kTrack2);
}

// The recorded swipe in tests/data: both tracks, and they parse.
TEST(EvdevDecoder, BothTracksFromTheFixture) {
  const std::string expected = to_fixture_bytes(swipe_of(kTrack1, kTrack2).events());
  if (const char* write = std::getenv("TENDER_WRITE_MSR_FIXTURE"); write && *write == '1') {
    std::filesystem::create_directories(std::filesystem::path{kFixture}.parent_path());
    std::ofstream{kFixture, std::ios::binary} << expected;
  }
  const std::string bytes = read_file(kFixture);
  ASSERT_FALSE(bytes.empty()) << kFixture << " missing; run with TENDER_WRITE_MSR_FIXTURE=1";
  EXPECT_TRUE(bytes == expected) << "fixture differs from fixture_recording()";

  const auto out = decode(from_fixture_bytes(bytes));
  const Swipe* swipe = only_swipe(out);
  ASSERT_TRUE(swipe);
  EXPECT_EQ(swipe->track1.reveal(), kTrack1);
  EXPECT_EQ(swipe->track2.reveal(), kTrack2);
  auto t1 = parse_track1(swipe->track1.reveal());
  ASSERT_TRUE(t1) << t1.error().describe();
  EXPECT_EQ(t1->pan.reveal(), kPan);
  EXPECT_EQ(t1->name, "DOE-SMITH/JOHN Q.MR");
  EXPECT_EQ(t1->expiry, "3012");
  EXPECT_EQ(t1->service_code.str(), "101");
  auto t2 = parse_track2(swipe->track2.reveal());
  ASSERT_TRUE(t2) << t2.error().describe();
  EXPECT_EQ(t2->pan.reveal(), kPan);
  EXPECT_EQ(t2->expiry, "3012");
}

TEST(EvdevDecoder, KeymapRoundTrips) {
  for (int c = 0x20; c < 0x7f; ++c) {
    const auto stroke = us_key_stroke(static_cast<char>(c));
    ASSERT_TRUE(stroke) << c;
    EXPECT_EQ(us_character(stroke->key_code, stroke->shift), static_cast<char>(c)) << c;
  }
  EXPECT_FALSE(us_character(KEY_F1, false));
  EXPECT_FALSE(us_key_stroke('\n'));
}

// ---------------------------------------------------------------- EvdevReader

// A FIFO with the reader's end opened by EvdevReader and the writer's end here.
class Fifo {
 public:
  Fifo() : path_(dir_.file("event0")) { EXPECT_EQ(::mkfifo(path_.c_str(), 0600), 0); }
  ~Fifo() { close_writer(); }
  Fifo(const Fifo&) = delete;
  Fifo& operator=(const Fifo&) = delete;

  // The writer's end is opened before the first poll: with none, a FIFO reads as ended.
  Result<EvdevReader> open_reader(
      std::chrono::microseconds timeout = EvdevDecoder::kDefaultInterCharacterTimeout) {
    auto reader = EvdevReader::open(path_, timeout);
    writer_ = ::open(path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    EXPECT_GE(writer_, 0) << std::strerror(errno);
    return reader;
  }
  void write(std::string_view bytes) const {
    EXPECT_EQ(::write(writer_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  void close_writer() {
    if (writer_ >= 0) ::close(writer_);
    writer_ = -1;
  }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  TempDir dir_;
  std::string path_;
  int writer_ = -1;
};

// The swipe the next poll() should return within a generous deadline.
std::optional<Swipe> next_swipe(EvdevReader& reader) {
  auto got = reader.poll(5s);
  if (!got) {
    ADD_FAILURE() << got.error().describe();
    return std::nullopt;
  }
  if (!got->has_value()) ADD_FAILURE() << "no swipe within the deadline";
  return std::move(*got);
}

TEST(EvdevReader, PipeDeliversSwipe) {
  Fifo fifo;
  auto opened = fifo.open_reader();
  ASSERT_TRUE(opened) << opened.error().describe();
  EvdevReader reader = std::move(opened).value();  // a moved reader reads on
  EXPECT_FALSE(reader.grabbed());
  fifo.write(native_bytes(swipe_of(kTrack1, kTrack2).events()));
  const auto swipe = next_swipe(reader);
  ASSERT_TRUE(swipe);
  EXPECT_EQ(swipe->track1.reveal(), kTrack1);
  EXPECT_EQ(swipe->track2.reveal(), kTrack2);
}

TEST(EvdevReader, NoDataIsNulloptAfterTheWait) {
  Fifo fifo;
  auto reader = fifo.open_reader();
  ASSERT_TRUE(reader) << reader.error().describe();
  for (const auto wait : {50ms, 0ms}) {
    auto got = reader->poll(wait);
    ASSERT_TRUE(got) << got.error().describe();
    EXPECT_FALSE(got->has_value());
  }
}

TEST(EvdevReader, SwipeWithoutEnterEndsOnTheClock) {
  Fifo fifo;
  auto reader = fifo.open_reader(30ms);
  ASSERT_TRUE(reader) << reader.error().describe();
  Recording r;
  fifo.write(native_bytes(r.type(typed_swipe("", kTrack2)).events()));
  const auto swipe = next_swipe(*reader);
  ASSERT_TRUE(swipe);
  EXPECT_EQ(swipe->track2.reveal(), kTrack2);
}

TEST(EvdevReader, RecordsSplitAcrossWritesAndTwoSwipesInOneWrite) {
  Fifo fifo;
  auto reader = fifo.open_reader();
  ASSERT_TRUE(reader) << reader.error().describe();
  Recording r;
  r.type(typed_swipe(kTrack1, kTrack2)).enter().type(typed_swipe("", kTrack2)).enter();
  const std::string bytes = native_bytes(r.events());
  const std::size_t cut = 7 * sizeof(input_event) + 5;  // inside a record
  fifo.write(std::string_view{bytes}.substr(0, cut));
  auto none = reader->poll(0ms);
  ASSERT_TRUE(none) << none.error().describe();
  EXPECT_FALSE(none->has_value());
  fifo.write(std::string_view{bytes}.substr(cut));
  // The caller comes back after the timeout: the rest, already written, still counts.
  std::this_thread::sleep_for(150ms);

  const auto first = next_swipe(*reader);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->track1.reveal(), kTrack1);
  const auto second = next_swipe(*reader);
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->track1.empty());
  EXPECT_EQ(second->track2.reveal(), kTrack2);
}

TEST(EvdevReader, EndOfStreamEndsPendingSwipe) {
  Fifo fifo;
  auto reader = fifo.open_reader(10s);
  ASSERT_TRUE(reader) << reader.error().describe();
  Recording r;
  fifo.write(native_bytes(r.type(typed_swipe("", kTrack2)).events()));
  fifo.close_writer();
  const auto swipe = next_swipe(*reader);
  ASSERT_TRUE(swipe);
  EXPECT_EQ(swipe->track2.reveal(), kTrack2);
  EXPECT_TRUE(reader->at_end());
  auto after = reader->poll(20ms);
  ASSERT_TRUE(after) << after.error().describe();
  EXPECT_FALSE(after->has_value());
}

TEST(EvdevReader, MalformedSwipeNamesPathNotData) {
  Fifo fifo;
  auto reader = fifo.open_reader();
  ASSERT_TRUE(reader) << reader.error().describe();
  Recording r;
  r.type("%B4111111111111111^DOE/JOHN").stroke_key(KEY_F1, false);
  r.type("^3012101?;4111111111111111=3012101?").enter();
  r.type(typed_swipe("", kTrack2)).enter();
  fifo.write(native_bytes(r.events()));
  auto bad = reader->poll(5s);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::malformed);
  EXPECT_NE(bad.error().message.find(fifo.path()), std::string::npos) << bad.error().message;
  expect_no_card_data(bad.error());
  const auto good = next_swipe(*reader);
  ASSERT_TRUE(good);
  EXPECT_EQ(good->track2.reveal(), kTrack2);
}

TEST(EvdevReader, RecordedFixtureFile) {
  const std::string bytes = read_file(kFixture);
  ASSERT_FALSE(bytes.empty()) << kFixture;
  TempDir dir;
  std::string path = kFixture;
  // The fixture is in the 64-bit layout; elsewhere replay it in the native one.
  if (sizeof(input_event) != kFixtureRecord || std::endian::native != std::endian::little) {
    path = dir.file("native.bin");
    std::ofstream{path, std::ios::binary} << native_bytes(from_fixture_bytes(bytes));
  }
  auto reader = EvdevReader::open(path);
  ASSERT_TRUE(reader) << reader.error().describe();
  EXPECT_FALSE(reader->grabbed());
  const auto swipe = next_swipe(*reader);
  ASSERT_TRUE(swipe);
  EXPECT_EQ(swipe->track1.reveal(), kTrack1);
  EXPECT_EQ(swipe->track2.reveal(), kTrack2);
  auto again = reader->poll(10ms);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_FALSE(again->has_value());
  EXPECT_TRUE(reader->at_end());
}

TEST(EvdevReader, OpenErrors) {
  const std::string path = "/nonexistent/tender/input/event99";
  auto missing = EvdevReader::open(path);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::io_error);
  EXPECT_NE(missing.error().message.find(path), std::string::npos) << missing.error().message;
  expect_no_card_data(missing.error());

  auto zero_timeout = EvdevReader::open("/dev/null", 0ms);
  ASSERT_FALSE(zero_timeout);
  EXPECT_EQ(zero_timeout.error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace tender::msr
