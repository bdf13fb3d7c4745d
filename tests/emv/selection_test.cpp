// Application selection, Book 1 section 12: the PSE directory, the list of AIDs with
// partial selection, blocked applications, priorities, final selection.
#include "emv/selection.hpp"

#include <gtest/gtest.h>

#include "tests/emv/test_card.hpp"

namespace tender::emv {
namespace {

using kt::cat;
using kt::hex;
using kt::tlv;

Bytes fci(std::string_view aid, std::string_view label, std::optional<Byte> priority = std::nullopt) {
  Bytes a5 = tlv(0x50, as_bytes(label));
  if (priority) a5 = cat({a5, tlv(0x87, Bytes{*priority})});
  return tlv(0x6F, cat({tlv(0x84, hex(aid)), tlv(0xA5, a5)}));
}

Bytes directory_entry(std::string_view aid, std::string_view label, std::optional<Byte> priority = std::nullopt) {
  Bytes entry = cat({tlv(0x4F, hex(aid)), tlv(0x50, as_bytes(label))});
  if (priority) entry = cat({entry, tlv(0x87, Bytes{*priority})});
  return tlv(0x61, entry);
}

const Bytes kPseFci = hex("6F 15 84 0E 315041592E5359532E4444463031 A5 03 88 01 01");

struct Selection_ : ::testing::Test {
  Selection_() {
    reader.insert(&card);
    EXPECT_TRUE(reader.power_on().has_value());
  }
  TerminalConfig config = default_test_terminal();
  kt::TestCard card;
  icc::SimReader reader;
  Ttl ttl{reader, TtlOptions{TransmissionProtocol::t1, {}}};
  kt::FakeUi ui;
};

TEST_F(Selection_, PseDirectory) {
  card.pse_fci = kPseFci;
  card.records[{1, 1}] = tlv(0x70, cat({directory_entry("A0000000031010", "VISA CREDIT", 0x02),
                                         directory_entry("A0000000999999", "OTHER", 0x01)}));
  card.records[{1, 2}] = tlv(0x70, directory_entry("A0000000041010", "MASTERCARD", 0x01));
  const CandidateList list = build_candidate_list(ttl, config);
  ASSERT_EQ(list.outcome, SelectionOutcome::selected);
  ASSERT_EQ(list.candidates.size(), 2u);
  EXPECT_EQ(list.candidates[0].label, "MASTERCARD");  // priority 1 first
  EXPECT_EQ(list.candidates[0].aid_index, 2u);
  EXPECT_EQ(list.candidates[1].label, "VISA CREDIT");
  EXPECT_EQ(card.count(hex("00B2030C")), 1u);  // read until 6A83
  EXPECT_EQ(card.count(hex("00A40400 07")), 0u);  // no list-of-AIDs SELECTs
}

TEST_F(Selection_, PseBlockedCardIsCardBlocked) {
  card.on(hex("00A404000E"), hex("6A81"));
  const CandidateList list = build_candidate_list(ttl, config);
  EXPECT_EQ(list.outcome, SelectionOutcome::card_blocked);
}

TEST_F(Selection_, MalformedDirectoryFallsBackToListOfAids) {
  card.pse_fci = kPseFci;
  card.records[{1, 1}] = hex("71 03 61 01 00");  // not a '70' record
  card.fci[hex("A0000000031010")] = fci("A0000000031010", "VISA");
  const CandidateList list = build_candidate_list(ttl, config);
  ASSERT_EQ(list.candidates.size(), 1u);
  EXPECT_EQ(list.candidates[0].label, "VISA");
}

TEST_F(Selection_, EmptyDirectoryFallsBackToListOfAids) {
  card.pse_fci = kPseFci;
  card.fci[hex("A0000000041010")] = fci("A0000000041010", "MASTERCARD");
  const CandidateList list = build_candidate_list(ttl, config);
  ASSERT_EQ(list.candidates.size(), 1u);
  EXPECT_EQ(list.candidates[0].aid_index, 2u);
}

TEST_F(Selection_, ListOfAidsWithPartialSelection) {
  // The card has two applications under A0000000031010: exact match would find neither.
  // (Overrides answer newest first: the one-shot answers go last.)
  card.on(hex("00A4040207A0000000031010"), hex("6A82"));
  card.on(hex("00A4040007A0000000031010"), cat({fci("A000000003101001", "VISA ONE", 0x02), hex("9000")}), 1);
  card.on(hex("00A4040207A0000000031010"), cat({fci("A000000003101002", "VISA TWO", 0x01), hex("9000")}), 1);
  const CandidateList list = build_candidate_list(ttl, config);
  ASSERT_EQ(list.candidates.size(), 2u);
  EXPECT_EQ(list.candidates[0].label, "VISA TWO");
  EXPECT_EQ(to_hex(list.candidates[0].adf_name), "A000000003101002");
  EXPECT_EQ(list.candidates[1].label, "VISA ONE");
}

TEST_F(Selection_, PartialMatchNotAllowedByAsi) {
  config.aids[0].partial_selection = false;
  card.on(hex("00A4040207A0000000031010"), hex("6A82"));
  card.on(hex("00A4040007A0000000031010"), cat({fci("A000000003101001", "VISA ONE"), hex("9000")}), 1);
  const CandidateList list = build_candidate_list(ttl, config);
  EXPECT_EQ(list.outcome, SelectionOutcome::no_common_application);
  EXPECT_EQ(card.count(hex("00A4040207A0000000031010")), 1u);  // still looks for more
}

TEST_F(Selection_, BlockedApplicationIsNotACandidate) {
  card.on(hex("00A4040007A0000000031010"), cat({fci("A0000000031010", "VISA"), hex("6283")}));
  card.fci[hex("A0000000041010")] = fci("A0000000041010", "MASTERCARD");
  const CandidateList list = build_candidate_list(ttl, config);
  ASSERT_EQ(list.candidates.size(), 1u);
  EXPECT_EQ(list.candidates[0].label, "MASTERCARD");
}

TEST_F(Selection_, NoCommonApplication) {
  const CandidateList list = build_candidate_list(ttl, config);
  EXPECT_EQ(list.outcome, SelectionOutcome::no_common_application);
  EXPECT_EQ(card.count(hex("00A40400")), 5u);  // PSE and the 4 AIDs
}

TEST_F(Selection_, MuteCardIsCardError) {
  reader.remove();
  EXPECT_EQ(build_candidate_list(ttl, config).outcome, SelectionOutcome::card_error);
}

TEST_F(Selection_, EndlessNextOccurrenceIsBounded) {
  card.on(hex("00A40402"), cat({fci("A000000003101001", "LOOP"), hex("9000")}));
  card.on(hex("00A4040007A0000000031010"), cat({fci("A000000003101001", "LOOP"), hex("9000")}));
  const CandidateList list = build_candidate_list(ttl, config);
  EXPECT_EQ(card.count(hex("00A4040207A0000000031010")), 1u);
  EXPECT_EQ(list.outcome, SelectionOutcome::selected);
  EXPECT_EQ(list.candidates.size(), 1u);
}

TEST(SelectionOrder, PriorityThenCardOrder) {
  std::vector<Candidate> c(5);
  c[0].label = "none";
  c[1].label = "p3";
  c[1].priority = 0x03;
  c[2].label = "p1-confirm";
  c[2].priority = 0x81;
  c[3].label = "p0";
  c[3].priority = 0x00;
  c[4].label = "p3b";
  c[4].priority = 0x03;
  order_by_priority(c);
  std::vector<std::string> labels;
  for (const auto& x : c) labels.push_back(x.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"p1-confirm", "p3", "p3b", "none", "p0"}));
  EXPECT_TRUE(c[0].confirmation_required());
  EXPECT_EQ(c[0].priority_number(), 1);
}

TEST(SelectionMatch, ExactAndPartial) {
  TerminalConfig config = default_test_terminal();
  EXPECT_EQ(match_terminal_aid(config, hex("A0000000031010")), 0u);
  EXPECT_EQ(match_terminal_aid(config, hex("A000000003101001")), 0u);
  config.aids[0].partial_selection = false;
  EXPECT_FALSE(match_terminal_aid(config, hex("A000000003101001")).has_value());
  EXPECT_FALSE(match_terminal_aid(config, hex("A00000000310")).has_value());
}

std::vector<Candidate> two_candidates() {
  std::vector<Candidate> c(2);
  c[0].adf_name = hex("A0000000041010");
  c[0].label = "MASTERCARD";
  c[0].priority = 0x01;
  c[0].aid_index = 2;
  c[1].adf_name = hex("A0000000031010");
  c[1].label = "VISA";
  c[1].priority = 0x02;
  return c;
}

TEST_F(Selection_, FinalSelectionByTheCardholder) {
  card.fci[hex("A0000000041010")] = fci("A0000000041010", "MASTERCARD");
  card.fci[hex("A0000000031010")] = fci("A0000000031010", "VISA");
  auto candidates = two_candidates();
  ui.choice = std::size_t{1};
  const Selection s = final_selection(ttl, candidates, config, ui);
  ASSERT_EQ(s.outcome, SelectionOutcome::selected);
  EXPECT_EQ(s.candidate.label, "VISA");
  EXPECT_EQ(ui.shown.size(), 2u);
  EXPECT_EQ(to_hex(s.fci.df_name), "A0000000031010");
}

TEST_F(Selection_, FinalSelectionByTheTerminalSkipsConfirmationRequired) {
  card.fci[hex("A0000000031010")] = fci("A0000000031010", "VISA");
  auto candidates = two_candidates();
  candidates[0].priority = 0x81;  // confirmation required
  config.cardholder_confirmation = false;
  const Selection s = final_selection(ttl, candidates, config, ui);
  ASSERT_EQ(s.outcome, SelectionOutcome::selected);
  EXPECT_EQ(s.candidate.label, "VISA");
}

TEST_F(Selection_, FinalSelectionRetriesWithoutAFailingCandidate) {
  card.fci[hex("A0000000031010")] = fci("A0000000031010", "VISA");
  auto candidates = two_candidates();  // MASTERCARD is not on the card: 6A82
  const Selection s = final_selection(ttl, candidates, config, ui);  // UI: terminal chooses
  ASSERT_EQ(s.outcome, SelectionOutcome::selected);
  EXPECT_EQ(s.candidate.label, "VISA");
  EXPECT_EQ(candidates.size(), 1u);
  EXPECT_EQ(ui.messages, (std::vector<std::string>{"TRY AGAIN"}));
}

TEST_F(Selection_, FinalSelectionRejectsAnotherDfName) {
  card.fci[hex("A0000000031010")] = fci("A0000000031099", "VISA");
  std::vector<Candidate> candidates = {two_candidates()[1]};
  const Selection s = final_selection(ttl, candidates, config, ui);
  EXPECT_EQ(s.outcome, SelectionOutcome::no_common_application);
}

TEST_F(Selection_, TerminalChoosesAndAsksForConfirmation) {
  card.fci[hex("A0000000041010")] = fci("A0000000041010", "MASTERCARD");
  auto candidates = two_candidates();
  candidates[0].priority = 0x81;
  candidates[1].priority = 0x82;
  ui.confirm = true;  // the UI cannot list applications (choice: unsupported) but can confirm
  const Selection s = final_selection(ttl, candidates, config, ui);
  ASSERT_EQ(s.outcome, SelectionOutcome::selected);
  EXPECT_EQ(s.candidate.label, "MASTERCARD");
  ui.confirm = false;
  EXPECT_EQ(final_selection(ttl, candidates, config, ui).outcome, SelectionOutcome::no_common_application);
}

TEST_F(Selection_, SingleApplicationNeedingConfirmation) {
  card.fci[hex("A0000000031010")] = fci("A0000000031010", "VISA");
  std::vector<Candidate> candidates = {two_candidates()[1]};
  candidates[0].priority = 0x81;
  ui.confirm = false;
  EXPECT_EQ(final_selection(ttl, candidates, config, ui).outcome, SelectionOutcome::cancelled);
  ui.confirm = true;
  EXPECT_EQ(final_selection(ttl, candidates, config, ui).outcome, SelectionOutcome::selected);
  config.cardholder_confirmation = false;
  EXPECT_EQ(final_selection(ttl, candidates, config, ui).outcome, SelectionOutcome::no_common_application);
}

TEST_F(Selection_, CardholderCancels) {
  auto candidates = two_candidates();
  ui.choice = make_error(Errc::cancelled, "cancel");
  EXPECT_EQ(final_selection(ttl, candidates, config, ui).outcome, SelectionOutcome::cancelled);
  ui.choice = std::size_t{7};
  EXPECT_EQ(final_selection(ttl, candidates, config, ui).outcome, SelectionOutcome::cancelled);
}

TEST(SelectionLabels, CardTextIsPrintable) {
  Candidate c;
  c.label = "VISA";
  c.preferred_name = "VISA PREF";
  EXPECT_EQ(c.display_name(), "VISA");
  c.issuer_code_table_index = 0x01;
  EXPECT_EQ(c.display_name(), "VISA PREF");
}

TEST_F(Selection_, LabelsFromTheCardAreSanitised) {
  card.pse_fci = kPseFci;
  card.records[{1, 1}] = tlv(0x70, tlv(0x61, cat({tlv(0x4F, hex("A0000000031010")), tlv(0x50, hex("56 0A 1B 41")),
                                                  tlv(0x87, hex("0102"))})));
  const CandidateList list = build_candidate_list(ttl, config);
  ASSERT_EQ(list.candidates.size(), 1u);
  EXPECT_EQ(list.candidates[0].label, "V??A");
  EXPECT_FALSE(list.candidates[0].priority.has_value());  // 87 of two bytes is ignored
}

}  // namespace
}  // namespace tender::emv
