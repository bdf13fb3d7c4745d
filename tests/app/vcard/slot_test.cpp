// tender-vcard's card set and slot: the built-in cards and profile files, and the slot
// against a fake vpcd on loopback (the vpcd framing of drivers/icc/pcsc): insert, remove,
// swap, a vpcd that closes (pcscd restarting) and one that is not there. No pcscd needed;
// tests/app/vcard/vcard_process.sh runs the real thing.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "app/vcard/card_set.hpp"
#include "app/vcard/slot.hpp"
#include "common/pan.hpp"
#include "drivers/icc/pcsc/vpcd_bridge.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "tests/drivers/icc/pcsc/fake_vpcd.hpp"
#include "tests/test_hex.hpp"

namespace tender::app::vcard {
namespace {

namespace fs = std::filesystem;
namespace vpcd = icc::vpcd;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::hex;

// SELECT 1PAY.SYS.DDF01 (EMV Book 1 12.2.2): every contact test card with a PSE answers 9000.
const Bytes kSelectPse = hex("00A404000E315041592E5359532E444446303100");

using test::FakeVpcd;

// A port nothing listens on (for now): bound, then let go.
std::uint16_t free_port() {
  FakeVpcd probe;
  return probe.port();
}

// The slot's event lines in order: next(event) reads on (calling watch() as needed, at most
// `timeout`) to the first line starting with `event`. One watch() may give several lines
// (a close and a reconnect); none is skipped.
class Events {
 public:
  explicit Events(Slot& slot) : slot_(slot) {}
  bool next(std::string_view event, std::chrono::milliseconds timeout = 5s) {
    const auto until = Clock::now() + timeout;
    for (;;) {
      while (cursor_ < seen_.size())
        if (seen_[cursor_++].rfind(event, 0) == 0) return true;
      if (Clock::now() >= until) return false;
      for (auto& line : slot_.watch()) seen_.push_back(std::move(line));
      std::this_thread::sleep_for(20ms);
    }
  }
  [[nodiscard]] const std::string& last() const { return seen_.at(cursor_ - 1); }
  [[nodiscard]] const std::vector<std::string>& all() const { return seen_; }

 private:
  Slot& slot_;
  std::vector<std::string> seen_;
  std::size_t cursor_ = 0;
};

std::size_t count_starting(const std::vector<std::string>& lines, std::string_view event) {
  std::size_t n = 0;
  for (const auto& l : lines) n += l.rfind(event, 0) == 0 ? 1U : 0U;
  return n;
}

// A temporary directory for profile files, removed at the end.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "vcard_test.XXXXXX").string();
    EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  [[nodiscard]] std::string write(const std::string& name, std::string_view text) const {
    const fs::path file = path / name;
    std::ofstream(file) << text;
    return file.string();
  }
};

std::string builtin_json(std::string_view name) {
  for (const auto& b : icc::sim::builtin_profiles())
    if (b.name == name) return std::string(b.json);
  ADD_FAILURE() << "no built-in card " << name;
  return {};
}

class VcardSlot : public ::testing::Test {
 protected:
  void SetUp() override {
    auto set = CardSet::builtin();
    ASSERT_TRUE(set) << set.error().describe();
    cards.emplace(std::move(*set));
    options.vpcd.port = vpcd_.port();
    options.retry_interval = 20ms;
    options.unreachable_after = 200ms;
    options.swap_gap = 10ms;
  }
  Slot make_slot() { return Slot(*cards, options); }
  Bytes atr_of(std::string_view name) {
    auto info = cards->find(name);
    EXPECT_TRUE(info);
    auto card = cards->card(**info);
    EXPECT_TRUE(card);
    return (*card)->atr();
  }

  std::optional<CardSet> cards;
  SlotOptions options;
  FakeVpcd vpcd_;
};

// ---- the card set ----

TEST_F(VcardSlot, EveryBuiltInCardIsListedWithItsPanMasked) {
  const auto list = cards->list();
  ASSERT_EQ(list.size(), icc::sim::builtin_profiles().size());
  for (const CardInfo* info : list) {
    auto profile = icc::sim::builtin_profile(info->name);
    ASSERT_TRUE(profile) << info->name;
    const std::string& pan = profile->applications.front().pan;
    EXPECT_EQ(info->masked_pan, mask_pan(pan)) << info->name;
    EXPECT_EQ(info->masked_pan.find(pan), std::string::npos) << info->name;
    EXPECT_EQ(info->masked_pan.substr(0, 6), pan.substr(0, 6));
    EXPECT_EQ(info->description, profile->description);
    EXPECT_TRUE(info->file.empty());
  }
  auto info = cards->find("visa_online_pin");
  ASSERT_TRUE(info);
  EXPECT_EQ((*info)->masked_pan, "476173******0010");
}

TEST_F(VcardSlot, AnUnknownCardIsNotFound) {
  auto info = cards->find("visa_platinum");
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, Errc::not_found);
  EXPECT_NE(info.error().message.find("no card visa_platinum"), std::string::npos);
}

TEST_F(VcardSlot, AProfileFileJoinsTheSetOnceUnderItsStem) {
  TempDir dir;
  const std::string file = dir.write("my_visa.json", builtin_json("visa_dda"));
  auto added = cards->add_file(file);
  ASSERT_TRUE(added) << added.error().describe();
  EXPECT_EQ((*added)->name, "my_visa");
  EXPECT_EQ((*added)->masked_pan, "476173******0267");
  EXPECT_FALSE((*added)->file.empty());
  EXPECT_EQ(cards->list().size(), icc::sim::builtin_profiles().size() + 1);
  // The same file again, by path or by name: the same card (its ATC goes on).
  auto again = cards->find(file);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *added);
  auto by_name = cards->find("my_visa");
  ASSERT_TRUE(by_name);
  EXPECT_EQ(*by_name, *added);
  EXPECT_EQ(cards->list().size(), icc::sim::builtin_profiles().size() + 1);
  auto card = cards->card(**added);
  ASSERT_TRUE(card) << card.error().describe();
  EXPECT_EQ((*card)->process(kSelectPse).back(), 0x00);
}

TEST_F(VcardSlot, AProfileNamedLikeABuiltInCardIsRefused) {
  TempDir dir;
  const std::string file = dir.write("visa_dda.json", builtin_json("visa_dda"));
  auto added = cards->add_file(file);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, Errc::invalid_argument);
  EXPECT_NE(added.error().message.find("already has a card named visa_dda (a built-in card); rename the file"),
            std::string::npos)
      << added.error().message;
}

TEST_F(VcardSlot, ABrokenProfileNamesTheFileAndTheField) {
  TempDir dir;
  std::string json = builtin_json("visa_online_pin");
  const auto at = json.find("\"aid\": \"A0000000031010\"");
  ASSERT_NE(at, std::string::npos);
  json.replace(at, std::string_view("\"aid\": \"A0000000031010\"").size(), "\"aid\": \"A0\"");
  const std::string file = dir.write("short_aid.json", json);
  auto added = cards->add_file(file);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().message.rfind("card profile " + file + ": applications[0].aid", 0), 0U)
      << added.error().message;
  EXPECT_EQ(added.error().message.find("4761739001010010"), std::string::npos);
  auto not_json = cards->add_file(dir.write("not_json.json", "{\"applications\": ["));
  ASSERT_FALSE(not_json);
  EXPECT_NE(not_json.error().message.find("not_json.json"), std::string::npos);
  auto missing = cards->add_file((dir.path / "absent.json").string());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("absent.json"), std::string::npos);
}

// ---- the slot against a fake vpcd ----

TEST_F(VcardSlot, AnInsertedCardAnswersVpcd) {
  Slot slot = make_slot();
  auto inserted = slot.insert("visa_online_pin");
  ASSERT_TRUE(inserted) << inserted.error().describe();
  EXPECT_EQ(*inserted, "inserted visa_online_pin 476173******0010");
  ASSERT_TRUE(vpcd_.accept_card(5s));
  Events events(slot);
  ASSERT_TRUE(events.next("connected"));
  EXPECT_EQ(events.last(), "connected vpcd 127.0.0.1:" + std::to_string(vpcd_.port()) + ": visa_online_pin is in the reader");
  EXPECT_EQ(vpcd_.atr(), atr_of("visa_online_pin"));
  vpcd_.send(vpcd::Control::power_on);
  const Bytes answer = vpcd_.ask(kSelectPse);
  ASSERT_GE(answer.size(), 2U);
  EXPECT_EQ(answer[answer.size() - 2], 0x90);
  EXPECT_EQ(slot.status().rfind("status inserted visa_online_pin 476173******0010, connected to vpcd", 0), 0U)
      << slot.status();
  EXPECT_NE(slot.status().find("commands answered: 1"), std::string::npos) << slot.status();
}

TEST_F(VcardSlot, OneCardAtATime) {
  Slot slot = make_slot();
  ASSERT_TRUE(slot.insert("visa_online_pin"));
  auto second = slot.insert("visa_dda");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::invalid_argument);
  EXPECT_EQ(second.error().message, "insert: visa_online_pin is in the slot; remove it first, or swap");
  EXPECT_EQ(slot.card()->name, "visa_online_pin");
}

TEST_F(VcardSlot, RemoveClosesTheConnection) {
  Slot slot = make_slot();
  ASSERT_TRUE(slot.insert("visa_dda"));
  ASSERT_TRUE(vpcd_.accept_card(5s));
  EXPECT_EQ(vpcd_.atr(), atr_of("visa_dda"));
  auto removed = slot.remove();
  ASSERT_TRUE(removed) << removed.error().describe();
  EXPECT_EQ(*removed, "removed visa_dda");
  EXPECT_TRUE(vpcd_.sees_close(2s));
  EXPECT_FALSE(slot.inserted());
  EXPECT_EQ(slot.status(), "status empty slot (vpcd 127.0.0.1:" + std::to_string(vpcd_.port()) + ")");
  auto again = slot.remove();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::not_found);
  EXPECT_TRUE(slot.watch().empty());
}

TEST_F(VcardSlot, SwapPutsAnotherCardInTheReader) {
  Slot slot = make_slot();
  // Into an empty slot a swap is an insert.
  auto first = slot.swap("visa_t0");
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(*first, (std::vector<std::string>{"inserted visa_t0 476173******0671"}));
  ASSERT_TRUE(vpcd_.accept_card(5s));
  const Bytes t0_atr = vpcd_.atr();
  EXPECT_EQ(t0_atr, atr_of("visa_t0"));
  auto second = slot.swap("mc_signature");
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_EQ(*second, (std::vector<std::string>{"removed visa_t0", "inserted mc_signature 541333******0011"}));
  EXPECT_TRUE(vpcd_.sees_close(2s));
  ASSERT_TRUE(vpcd_.accept_card(5s));
  const Bytes mc_atr = vpcd_.atr();
  EXPECT_EQ(mc_atr, atr_of("mc_signature"));
  EXPECT_NE(mc_atr, t0_atr);  // T=1 after T=0: the reader really holds another card
  EXPECT_EQ(slot.card()->name, "mc_signature");
}

TEST_F(VcardSlot, ASwapToAnUnknownCardLeavesTheSlotAlone) {
  Slot slot = make_slot();
  ASSERT_TRUE(slot.insert("visa_dda"));
  ASSERT_TRUE(vpcd_.accept_card(5s));
  auto swapped = slot.swap("no_such_card");
  ASSERT_FALSE(swapped);
  EXPECT_EQ(swapped.error().code, Errc::not_found);
  auto same = slot.swap("visa_dda");
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().message, "swap: visa_dda is the card in the slot");
  EXPECT_EQ(slot.card()->name, "visa_dda");
  EXPECT_EQ(vpcd_.atr(), atr_of("visa_dda"));  // still connected, still answering
}

TEST_F(VcardSlot, AVpcdThatClosesIsReconnected) {
  Slot slot = make_slot();
  ASSERT_TRUE(slot.insert("visa_online_pin"));
  ASSERT_TRUE(vpcd_.accept_card(5s));
  Events events(slot);
  ASSERT_TRUE(events.next("connected"));
  vpcd_.drop();  // pcscd stopped: vpcd's end closes
  ASSERT_TRUE(events.next("disconnected")) << ::testing::PrintToString(events.all());
  EXPECT_NE(events.last().find("closed the connection (pcscd stopped?); reconnecting every 20 ms"), std::string::npos)
      << events.last();
  ASSERT_TRUE(vpcd_.accept_card(5s));  // the bridge came back by itself
  ASSERT_TRUE(events.next("connected")) << ::testing::PrintToString(events.all());
  EXPECT_EQ(vpcd_.atr(), atr_of("visa_online_pin"));
}

TEST_F(VcardSlot, AnUnreachableVpcdIsReportedOnceThenConnects) {
  options.vpcd.port = free_port();
  Slot slot = make_slot();
  ASSERT_TRUE(slot.insert("visa_online_pin"));
  Events events(slot);
  ASSERT_TRUE(events.next("unreachable")) << ::testing::PrintToString(events.all());
  EXPECT_EQ(events.last(), "unreachable vpcd 127.0.0.1:" + std::to_string(options.vpcd.port) +
                             " (is pcscd running with vpcd?); retrying every 20 ms");
  EXPECT_NE(slot.status().find("waiting for vpcd"), std::string::npos) << slot.status();
  // Still retrying, but said once: more watching adds no line until something changes.
  EXPECT_FALSE(events.next("unreachable", 500ms));
  FakeVpcd late(options.vpcd.port);  // pcscd comes up
  ASSERT_TRUE(late.accept_card(5s));
  Events after(slot);
  ASSERT_TRUE(after.next("connected")) << ::testing::PrintToString(after.all());
  EXPECT_EQ(count_starting(events.all(), "unreachable"), 1U);
  EXPECT_EQ(count_starting(after.all(), "unreachable"), 0U);
  EXPECT_EQ(late.atr(), atr_of("visa_online_pin"));
}

}  // namespace
}  // namespace tender::app::vcard
