// The kernel end to end against TestCard: every outcome and the data the app gets.
#include "emv/kernel.hpp"

#include <gtest/gtest.h>

#include "common/log.hpp"
#include "tests/emv/test_card.hpp"

namespace tender::emv {
namespace {

using kt::cat;
using kt::hex;
using kt::tlv;

class FixedLog final : public TransactionLog {
 public:
  std::optional<Money> amount_authorised(const Pan& pan) override {
    seen_pan_length = pan.length();
    return Money{amount, usd()};
  }
  std::int64_t amount = 0;
  std::size_t seen_pan_length = 0;
};

struct KernelTest : ::testing::Test {
  KernelTest() {
    config.capks.push_back(kt::test_capk());
    reader.insert(&card);
    profile.cvm_list = hex("00000000 00000000 1E03 1F03");
    profile.oda = OdaMethod::sda;
    card.get_data[0x9F13] = hex("000E");
  }
  Kernel& kernel() {
    if (!kernel_) {
      kernel_ = std::make_unique<Kernel>(reader, pin_pad, config, ui, random,
                                         KernelOptions{transcript, log_enabled ? &log : nullptr});
    }
    return *kernel_;
  }
  KernelResult start(const TransactionInput& input = kt::purchase()) {
    kt::load(card, profile);
    auto r = kernel().start(input);
    EXPECT_TRUE(r.has_value());
    return r ? std::move(*r) : KernelResult{};
  }
  KernelResult complete(const OnlineResponse& response) {
    auto r = kernel().complete(response);
    EXPECT_TRUE(r.has_value());
    return r ? std::move(*r) : KernelResult{};
  }
  static OnlineResponse approval(Bytes scripts = {}) {
    return OnlineResponse{true, Bytes{'0', '0'}, hex("11223344556677883030"), std::move(scripts)};
  }
  void offline_capable_floor_limit() {
    for (AidConfig& aid : config.aids) aid.floor_limit = 5000;
  }

  TerminalConfig config = default_test_terminal();
  kt::TestCard card;
  icc::SimReader reader;
  kt::FakePinPad pin_pad;
  kt::FakeUi ui;
  kt::FixedRandom random{hex("63")};
  kt::CardProfile profile;
  Transcript transcript;
  FixedLog log;
  bool log_enabled = false;
  std::unique_ptr<Kernel> kernel_;
};

std::vector<Tag> tags_of(ByteView tlv_bytes) {
  std::vector<Tag> tags;
  auto nodes = decode(tlv_bytes);
  EXPECT_TRUE(nodes.has_value());
  if (nodes)
    for (const TlvNode& n : *nodes) tags.push_back(n.tag);
  return tags;
}

TEST_F(KernelTest, ApprovedOffline) {
  offline_capable_floor_limit();
  const KernelResult r = start();
  ASSERT_EQ(r.outcome, Outcome::approved_offline) << r.termination_reason;
  EXPECT_EQ(to_hex(r.aid), "A0000000031010");
  EXPECT_EQ(r.label, "VISA CREDIT");
  EXPECT_EQ(to_hex(r.tvr), "0200000000");  // SDA selected, nothing else
  EXPECT_EQ(to_hex(r.tsi), "E800");
  EXPECT_EQ(to_hex(r.cvm_results), "1E0300");
  EXPECT_EQ(r.cryptogram, CryptogramType::tc);
  EXPECT_TRUE(r.signature_required);
  EXPECT_FALSE(r.online_pin.has_value());
  ASSERT_TRUE(r.pan.has_value());
  EXPECT_EQ(r.pan->masked(), "476173******0010");
  EXPECT_EQ(r.pan_sequence_number, 0x01);
  EXPECT_EQ(r.track2_equivalent.size(), 19u);
  EXPECT_TRUE(r.termination_reason.empty());
  EXPECT_EQ(card.generate_ac_p1, (std::vector<Byte>{0x40}));
}

TEST_F(KernelTest, OnlineTagsInTheHostsOrder) {
  config.transaction_category_code = 0x52;
  const KernelResult r = start();
  ASSERT_EQ(r.outcome, Outcome::online_request);
  const std::vector<Tag> expected = {0x9F26, 0x9F27, 0x9F10, 0x9F37, 0x9F36, 0x95,   0x9A,   0x9C,
                                     0x9F02, 0x5F2A, 0x82,   0x9F1A, 0x9F34, 0x9F33, 0x9F35, 0x84,
                                     0x9F09, 0x9F03, 0x5F34, 0x9F1E, 0x9F53, 0x9F41, 0x9F6E};
  EXPECT_EQ(tags_of(r.online_tags), expected);
  auto nodes = decode(r.online_tags);
  EXPECT_EQ(to_hex(find(*nodes, 0x9F27)->value), "80");
  EXPECT_EQ(to_hex(find(*nodes, 0x95)->value), to_hex(r.tvr));
  EXPECT_EQ(to_hex(find(*nodes, 0x9F09)->value), "008C");
  EXPECT_EQ(to_hex(find(*nodes, 0x9F37)->value), "63636363");
  EXPECT_EQ(to_hex(find(*nodes, 0x9F41)->value), "00000001");
  // No PAN or track data in the host's tags.
  EXPECT_EQ(find(*nodes, 0x5A), nullptr);
  EXPECT_EQ(find(*nodes, 0x57), nullptr);
}

TEST_F(KernelTest, OnlineApprovedWithOnlinePinAndScripts) {
  profile.cvm_list = hex("00000000 00000000 4203 1E03 1F03");
  pin_pad.entries = {"1234"};
  const KernelResult first = start();
  ASSERT_EQ(first.outcome, Outcome::online_request) << first.termination_reason;
  EXPECT_EQ(first.cryptogram, CryptogramType::arqc);
  ASSERT_TRUE(first.online_pin.has_value());
  EXPECT_EQ(to_hex(first.online_pin->pin_block), "1122334455667788");
  EXPECT_EQ(to_hex(first.cvm_results), "420300");
  EXPECT_FALSE(first.signature_required);
  EXPECT_TRUE(Tvr{first.tvr}.test(TvrBit::online_pin_entered));
  EXPECT_TRUE(Tvr{first.tvr}.test(TvrBit::transaction_exceeds_floor_limit));

  const Bytes script = tlv(0x72, cat({tlv(0x9F18, hex("00000001")), tlv(0x86, hex("841E000000"))}));
  const KernelResult second = complete(approval(script));
  EXPECT_EQ(second.outcome, Outcome::approved_online) << second.termination_reason;
  EXPECT_EQ(second.cryptogram, CryptogramType::tc);
  EXPECT_EQ(to_hex(second.issuer_script_results), "2000000001");
  EXPECT_EQ(to_hex(second.tsi), "FC00");
  EXPECT_EQ(card.generate_ac_p1, (std::vector<Byte>{0x80, 0x40}));
  auto nodes = decode(second.online_tags);
  EXPECT_EQ(to_hex(find(*nodes, 0x9F27)->value), "40");  // the final cryptogram's data
}

TEST_F(KernelTest, DeclinedOnline) {
  ASSERT_EQ(start().outcome, Outcome::online_request);
  OnlineResponse response = approval();
  response.arc = Bytes{'5', '1'};
  const KernelResult r = complete(response);
  EXPECT_EQ(r.outcome, Outcome::declined_online);
  EXPECT_EQ(r.cryptogram, CryptogramType::aac);
}

TEST_F(KernelTest, UnableToGoOnline) {
  // Online only because it was selected at random: TAC-Default (DC4000A800) lets it go.
  offline_capable_floor_limit();
  for (AidConfig& aid : config.aids) aid.target_percentage = 50;
  const KernelResult first = start();
  ASSERT_EQ(first.outcome, Outcome::online_request);
  EXPECT_EQ(to_hex(first.tvr), "0200001000");
  const KernelResult r = complete(OnlineResponse{});
  EXPECT_EQ(r.outcome, Outcome::approved_offline);
  EXPECT_EQ(r.cryptogram, CryptogramType::tc);
}

TEST_F(KernelTest, UnableToGoOnlineAndTheDefaultCodesDecline) {
  // Over the floor limit: TAC-Default declines when the host cannot be reached.
  ASSERT_EQ(start().outcome, Outcome::online_request);
  const KernelResult r = complete(OnlineResponse{});
  EXPECT_EQ(r.outcome, Outcome::declined_offline);
}

TEST_F(KernelTest, CardDeclinesOffline) {
  card.cid = [](Byte, int) { return Byte{0x00}; };
  const KernelResult r = start();
  EXPECT_EQ(r.outcome, Outcome::declined_offline);
  EXPECT_EQ(r.cryptogram, CryptogramType::aac);
}

TEST_F(KernelTest, TerminalDeclinesOnTacDenial) {
  profile.auc = hex("0000");  // service not allowed: Visa TAC-Denial
  const KernelResult r = start();
  EXPECT_EQ(r.outcome, Outcome::declined_offline);
  EXPECT_EQ(card.generate_ac_p1, (std::vector<Byte>{0x00}));
}

TEST_F(KernelTest, MuteAtResetFallsBack) {
  reader.remove();
  auto r = kernel().start(kt::purchase());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->outcome, Outcome::fallback);
  EXPECT_NE(r->termination_reason.find("mute"), std::string::npos);
}

TEST_F(KernelTest, NoCommonApplicationFallsBack) {
  profile.aid = hex("A0000000651010");
  EXPECT_EQ(start().outcome, Outcome::fallback);
}

TEST_F(KernelTest, BlockedCardTerminates) {
  card.on(hex("00A4"), hex("6A81"));
  const KernelResult r = start();
  EXPECT_EQ(r.outcome, Outcome::terminated);
  EXPECT_NE(r.termination_reason.find("card blocked"), std::string::npos);
}

TEST_F(KernelTest, ConditionsOfUseNotSatisfiedTriesTheNextApplication) {
  kt::CardProfile mastercard;
  mastercard.aid = hex("A0000000041010");
  mastercard.label = "MASTERCARD";
  mastercard.priority = 0x02;
  card.fci[mastercard.aid] = kt::build_fci(mastercard);
  card.on(hex("80A8"), hex("6985"), 1);  // the first (Visa, priority 1) refuses
  const KernelResult r = start();
  EXPECT_EQ(to_hex(r.aid), "A0000000041010");
  EXPECT_EQ(r.label, "MASTERCARD");
  EXPECT_NE(r.outcome, Outcome::terminated) << r.termination_reason;
  EXPECT_EQ(ui.messages.front(), "NOT ACCEPTED");
}

TEST_F(KernelTest, ConditionsOfUseOnTheOnlyApplicationTerminates) {
  card.on(hex("80A8"), hex("6985"));
  EXPECT_EQ(start().outcome, Outcome::terminated);
}

// The amount the UI settles after final selection (a surcharge on a credit application) is
// the one the card sees: in the PDOL data of GET PROCESSING OPTIONS, in CDOL1, and in the
// host's tags (9F02).
TEST_F(KernelTest, AmountForTheSelectedApplicationReachesGpoAndTheArqc) {
  ui.amount = [](const Candidate&, const Money& requested) -> Result<Money> {
    return Money{requested.minor_units() + 35, requested.currency()};
  };
  const KernelResult r = start(kt::purchase(1000));
  ASSERT_EQ(r.outcome, Outcome::online_request) << r.termination_reason;
  EXPECT_EQ(ui.amount_asked, (std::vector<std::string>{"VISA CREDIT"}));
  auto nodes = decode(r.online_tags);
  ASSERT_TRUE(nodes && find(*nodes, 0x9F02));
  EXPECT_EQ(to_hex(find(*nodes, 0x9F02)->value), "000000001035");
  // PDOL 9F02 06 5F2A 02 9F37 04: the amount leads the '83' data of GPO.
  ASSERT_EQ(card.count(hex("80A8")), 1u);
  for (const Bytes& c : card.log) {
    if (c.size() > 7 && c[0] == 0x80 && c[1] == 0xA8) {
      EXPECT_EQ(to_hex(ByteView{c}.subspan(7, 6)), "000000001035");
    }
  }
  ASSERT_NE(kernel().context(), nullptr);
  EXPECT_EQ(kernel().context()->txn.amount, Money(1035, usd()));
}

TEST_F(KernelTest, AmountRefusedByTheCardholderEndsAsCancelled) {
  ui.amount = [](const Candidate&, const Money&) -> Result<Money> { return make_error(Errc::cancelled, "CANCEL"); };
  const KernelResult r = start();
  EXPECT_EQ(r.outcome, Outcome::terminated);
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(card.count(hex("80A8")), 0u);  // nothing after selection reached the card
}

TEST_F(KernelTest, AmountInAnotherCurrencyTerminates) {
  ui.amount = [](const Candidate&, const Money&) -> Result<Money> { return Money{1000, *currency_by_alpha("EUR")}; };
  const KernelResult r = start();
  EXPECT_EQ(r.outcome, Outcome::terminated);
  EXPECT_FALSE(r.cancelled);
}

// An application that refuses GPO sends the kernel back to selection: the next application
// gets its own amount, asked from the original (a debit application is not surcharged).
TEST_F(KernelTest, AmountIsAskedAgainForTheNextApplication) {
  kt::CardProfile debit;
  debit.aid = hex("A0000000980840");
  debit.label = "US DEBIT";
  debit.priority = 0x02;
  card.fci[debit.aid] = kt::build_fci(debit);
  config.aids.push_back(config.aids.front());
  config.aids.back().aid = debit.aid;
  card.on(hex("80A8"), hex("6985"), 1);
  std::vector<Money> requested;
  ui.amount = [&](const Candidate& c, const Money& asked) -> Result<Money> {
    requested.push_back(asked);
    return c.label == "US DEBIT" ? asked : Money{asked.minor_units() + 35, asked.currency()};
  };
  const KernelResult r = start(kt::purchase(1000));
  EXPECT_EQ(ui.amount_asked, (std::vector<std::string>{"VISA CREDIT", "US DEBIT"}));
  EXPECT_EQ(requested, (std::vector<Money>{Money(1000, usd()), Money(1000, usd())}));
  EXPECT_EQ(kernel().context()->txn.amount, Money(1000, usd()));
  EXPECT_NE(r.outcome, Outcome::terminated) << r.termination_reason;
}

TEST_F(KernelTest, MissingMandatoryDataTerminates) {
  kt::load(card, profile);
  auto nodes = decode(card.records[{1, 1}]);
  Bytes contents;
  for (const TlvNode& n : (*nodes)[0].children)
    if (n.tag != 0x8C) contents = cat({contents, tlv(n.tag, n.value)});
  card.records[{1, 1}] = tlv(0x70, contents);
  auto r = kernel().start(kt::purchase());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->outcome, Outcome::terminated);
  EXPECT_NE(r->termination_reason.find("8C"), std::string::npos);
}

TEST_F(KernelTest, ExpiredApplicationGoesOnline) {
  profile.expiry = hex("250101");
  offline_capable_floor_limit();
  const KernelResult r = start();
  EXPECT_EQ(r.outcome, Outcome::online_request);  // Visa TAC-Online has "expired application"
  EXPECT_TRUE(Tvr{r.tvr}.test(TvrBit::expired_application));
}

TEST_F(KernelTest, CdaFailureOnAnArqcDeclinesAndClosesTheCard) {
  profile.oda = OdaMethod::cda;
  card.corrupt_cda = true;
  const KernelResult r = start();
  EXPECT_EQ(r.outcome, Outcome::declined_offline);
  EXPECT_EQ(r.termination_reason, "CDA failed");
  EXPECT_TRUE(Tvr{r.tvr}.test(TvrBit::cda_failed));
  EXPECT_EQ(card.generate_ac_p1, (std::vector<Byte>{0x90, 0x00}));
  EXPECT_FALSE(kernel().complete(approval()).has_value());
}

TEST_F(KernelTest, CdaApprovedOnline) {
  profile.oda = OdaMethod::cda;
  ASSERT_EQ(start().outcome, Outcome::online_request);
  const KernelResult r = complete(approval());
  EXPECT_EQ(r.outcome, Outcome::approved_online) << r.termination_reason;
  EXPECT_EQ(card.generate_ac_p1, (std::vector<Byte>{0x90, 0x50}));
}

TEST_F(KernelTest, CardholderCancelsPinEntry) {
  profile.cvm_list = hex("00000000 00000000 0100");
  pin_pad.entries = {"!cancel"};
  const KernelResult r = start();
  EXPECT_EQ(r.outcome, Outcome::terminated);
  EXPECT_NE(r.termination_reason.find("cancel"), std::string::npos);
}

TEST_F(KernelTest, CardRemovedMidway) {
  card.on(hex("00B2020C"), [this](ByteView) {
    reader.remove();
    return hex("6F00");
  });
  const KernelResult r = start();
  EXPECT_EQ(r.outcome, Outcome::terminated);
}

TEST_F(KernelTest, TransactionLogCountsAgainstTheFloorLimit) {
  offline_capable_floor_limit();
  log_enabled = true;
  log.amount = 4500;
  const KernelResult r = start();
  EXPECT_EQ(log.seen_pan_length, 16u);
  EXPECT_TRUE(Tvr{r.tvr}.test(TvrBit::transaction_exceeds_floor_limit));
  EXPECT_EQ(r.outcome, Outcome::online_request);
}

TEST_F(KernelTest, TranscriptSeesTheSession) {
  std::vector<std::string> commands;
  transcript = [&](ByteView c, ByteView) { commands.push_back(to_hex(c.first(2))); };
  start();
  ASSERT_FALSE(commands.empty());
  EXPECT_EQ(commands.front(), "00A4");
  EXPECT_EQ(commands.back(), "80AE");
}

TEST_F(KernelTest, CallerMistakes) {
  EXPECT_EQ(kernel().complete(approval()).error().code, Errc::invalid_argument);
  TransactionInput euros = kt::purchase();
  euros.amount = Money{1000, *currency_by_alpha("EUR")};
  EXPECT_EQ(kernel().start(euros).error().code, Errc::invalid_argument);
  // After an offline outcome there is nothing to complete.
  offline_capable_floor_limit();
  ASSERT_EQ(start().outcome, Outcome::approved_offline);
  EXPECT_FALSE(kernel().complete(approval()).has_value());
}

TEST_F(KernelTest, OutcomeNames) {
  EXPECT_EQ(name(Outcome::online_request), "online request");
  EXPECT_EQ(name(Outcome::fallback), "fallback");
}

}  // namespace
}  // namespace tender::emv

namespace tender::emv {
namespace {

// A card whose every answer may be cut, extended or bit-flipped: whatever it sends, the
// kernel ends with an outcome, reads nothing out of bounds (ASan) and never hangs.
class MangledCard final : public icc::Card {
 public:
  MangledCard(icc::Card& inner, std::uint64_t seed) : inner_(inner), state_(seed * 2654435761u + 1) {}
  [[nodiscard]] Bytes atr() const override { return inner_.atr(); }
  void reset() override { inner_.reset(); }
  Bytes process(ByteView command) override {
    Bytes r = inner_.process(command);
    const unsigned what = next() % 32;
    if (r.size() > 2 && what == 0) r.erase(r.begin() + static_cast<std::ptrdiff_t>(next() % (r.size() - 2)));
    if (r.size() > 2 && what == 1) r[next() % (r.size() - 2)] ^= static_cast<Byte>(1u << (next() % 8));
    if (what == 2) r.insert(r.begin(), static_cast<Byte>(next()));
    if (r.size() > 2 && what == 3) r.resize(next() % r.size());
    if (what == 4) r = {0x61, static_cast<Byte>(next())};
    return r;
  }

 private:
  unsigned next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return static_cast<unsigned>(state_ >> 32);
  }
  icc::Card& inner_;
  std::uint64_t state_;
};

TEST_F(KernelTest, MangledCardResponsesAlwaysEndInAnOutcome) {
  profile.oda = OdaMethod::cda;
  profile.cvm_list = hex("00000000 00000000 4103 4203 1E03 1F03");
  kt::load(card, profile);
  card.pse_fci = hex("6F 15 84 0E 315041592E5359532E4444463031 A5 03 88 01 05");
  card.records[{5, 1}] = tlv(0x70, tlv(0x61, cat({tlv(0x4F, profile.aid), tlv(0x50, as_bytes("VISA"))})));
  int outcomes[7] = {};
  const log::Level level = log::level();
  log::set_level(log::Level::warn);
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    kt::TestCard fresh = card;
    MangledCard mangled(fresh, seed);
    icc::SimReader mangled_reader;
    mangled_reader.insert(&mangled);
    kt::FakePinPad pins;
    pins.entries = {"1234", "1234", "1234"};
    Kernel k(mangled_reader, pins, config, ui, random);
    auto r = k.start(kt::purchase());
    ASSERT_TRUE(r.has_value());
    ++outcomes[static_cast<int>(r->outcome)];
    if (r->outcome == Outcome::online_request) {
      auto c = k.complete(approval(tlv(0x71, tlv(0x86, hex("841E000000")))));
      ASSERT_TRUE(c.has_value());
    }
  }
  log::set_level(level);
  // Some sessions got through, some were stopped.
  EXPECT_GT(outcomes[static_cast<int>(Outcome::terminated)], 0);
  EXPECT_GT(outcomes[static_cast<int>(Outcome::online_request)] + outcomes[static_cast<int>(Outcome::declined_offline)], 0);
}

}  // namespace
}  // namespace tender::emv
