// Every built-in test card through the real kernel, end to end: selection to the
// final cryptogram, with the simulated issuer answering online requests. Each row
// states the outcome, TVR, TSI and CVM results the EMV books require for that card.
#include <gtest/gtest.h>

#include <optional>

#include "tests/chip_session.hpp"

#include <memory>

#include "app/sim/simulated_issuer.hpp"
#include "app/sim/test_terminal.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "emv/kernel.hpp"

namespace tender {
namespace {

using emv::CryptogramType;
using emv::Outcome;

enum class Host { approve, decline, unreachable };

struct Case {
  std::string_view card;
  std::optional<std::string_view> pin;  // nullopt: the cardholder bypasses PIN entry
  Host host;
  Outcome outcome;
  std::string_view tvr;
  std::string_view tsi;
  std::string_view cvm_results;
  std::optional<CryptogramType> cryptogram;
};

// TVR bits named in the comments are EMV Book 3 Annex C5; floor limit 0 makes every
// sale "exceeds floor limit" (byte 4 bit 8). TSI F800: ODA, CVM, card risk
// management, issuer authentication, terminal risk management performed.
constexpr Case kCases[] = {
    // Online PIN (CVM 42: enciphered PIN online, apply next if unsuccessful), TVR byte 3 "online PIN entered".
    {"visa_online_pin", "1234", Host::approve, Outcome::approved_online, "0000048000", "F800", "420300", CryptogramType::tc},
    {"visa_online_pin", "1234", Host::decline, Outcome::declined_online, "0000048000", "F800", "420300", CryptogramType::aac},
    // Unable to go online: TAC/IAC default decide (floor limit bit) -> AAC; no issuer authentication.
    {"visa_online_pin", "1234", Host::unreachable, Outcome::declined_offline, "0000048000", "E800", "420300", CryptogramType::aac},
    // Bypass: byte 3 "PIN entry required, PIN pad present, but PIN was not entered"; next rule signature.
    {"visa_online_pin", std::nullopt, Host::approve, Outcome::approved_online, "0000088000", "F800", "1E0300", CryptogramType::tc},
    // Offline plaintext PIN verified by the card (41 .. 02 successful); ARPC through CDOL2, so no TSI issuer auth bit.
    {"mc_offline_plain_pin", "1234", Host::approve, Outcome::approved_online, "0000008000", "E800", "410302", CryptogramType::tc},
    // Wrong PIN until the card blocks it: byte 3 "PIN try limit exceeded", then signature.
    {"mc_offline_plain_pin", "9999", Host::approve, Outcome::approved_online, "0000208000", "E800", "1E0300", CryptogramType::tc},
    {"mc_offline_plain_pin", std::nullopt, Host::approve, Outcome::approved_online, "0000088000", "E800", "1E0300", CryptogramType::tc},
    // Offline enciphered PIN (44 .. 02).
    {"visa_offline_enc_pin", "1234", Host::approve, Outcome::approved_online, "0000008000", "F800", "440302", CryptogramType::tc},
    {"visa_offline_enc_pin", "1111", Host::approve, Outcome::approved_online, "0000208000", "F800", "1E0300", CryptogramType::tc},
    // Signature (1E, result unknown 00) under SDA: byte 1 "SDA selected".
    {"mc_signature", "1234", Host::approve, Outcome::approved_online, "0200008000", "E800", "1E0300", CryptogramType::tc},
    // No CVM required (1F .. 02).
    {"visa_no_cvm", "1234", Host::approve, Outcome::approved_online, "0000008000", "F800", "1F0002", CryptogramType::tc},
    {"visa_sda", "1234", Host::approve, Outcome::approved_online, "0200008000", "F800", "1E0300", CryptogramType::tc},
    {"visa_dda", "1234", Host::approve, Outcome::approved_online, "0000008000", "F800", "1E0300", CryptogramType::tc},
    // The card answers the second GENERATE AC with an AAC although the host approved: the
    // engine must reverse (app/engine). Same data as visa_dda otherwise.
    {"visa_aac_after_approval", "1234", Host::approve, Outcome::declined_online, "0000008000", "F800", "1E0300", CryptogramType::aac},
    {"visa_dda", "1234", Host::unreachable, Outcome::declined_offline, "0000008000", "E800", "1E0300", CryptogramType::aac},
    // CDA on both GENERATE ACs.
    {"mc_cda", "1234", Host::approve, Outcome::approved_online, "0000008000", "E800", "1E0300", CryptogramType::tc},
    {"mc_cda", "1234", Host::decline, Outcome::declined_online, "0000008000", "E800", "1E0300", CryptogramType::aac},
    {"mc_cda", "1234", Host::unreachable, Outcome::declined_offline, "0000008000", "E800", "1E0300", CryptogramType::aac},
    // Byte 2 "expired application": the issuer declines it.
    {"visa_expired", "1234", Host::approve, Outcome::declined_online, "0040008000", "F800", "1E0300", CryptogramType::aac},
    // PIN try counter already 0: byte 3 "PIN try limit exceeded" without prompting; SDA selected.
    {"mc_pin_try_exceeded", "1234", Host::approve, Outcome::approved_online, "0200208000", "E800", "1E0300", CryptogramType::tc},
    // The card declines at GENERATE AC 1 whatever the terminal asks.
    {"visa_decline_offline", "1234", Host::approve, Outcome::declined_offline, "0000008000", "E800", "1E0300", CryptogramType::aac},
    {"mc_online_required", "1234", Host::approve, Outcome::approved_online, "0000008000", "E800", "1E0300", CryptogramType::tc},
    // Two applications by PSE: the higher priority one is selected and confirmed.
    {"mc_two_apps_selection", "1234", Host::approve, Outcome::approved_online, "0200008000", "E800", "1E0300", CryptogramType::tc},
    // Issuer scripts 71/72: TSI byte 1 "script processing was performed".
    {"visa_issuer_scripts", "1234", Host::approve, Outcome::approved_online, "0000048000", "FC00", "420300", CryptogramType::tc},
    {"visa_t0", "1234", Host::approve, Outcome::approved_online, "0000048000", "F800", "420300", CryptogramType::tc},
    // Nothing in common: the app falls back to the stripe. Blocked application: terminated, no fallback.
    {"unknown_aid", "1234", Host::approve, Outcome::fallback, "0000000000", "0000", "3F0000", std::nullopt},
    {"visa_blocked", "1234", Host::approve, Outcome::terminated, "0000000000", "0000", "3F0000", std::nullopt},
};



struct CardRun {
  emv::KernelResult result;
  std::unique_ptr<test::ChipSession> session;  // the card, as the transaction left it
};

CardRun run(const Case& c) {
  auto profile = icc::sim::builtin_profile(c.card);
  EXPECT_TRUE(profile) << c.card;
  CardRun r{{}, std::make_unique<test::ChipSession>(c.card, c.pin)};
  const app::OnlineResponder responder =
      [&](const emv::KernelResult& request) -> Result<std::optional<emv::OnlineResponse>> {
    if (c.host == Host::unreachable) return std::optional<emv::OnlineResponse>{};
    auto answer = app::answer_online_request(
        &*profile, request, c.host == Host::approve ? app::IssuerDecision::approve : app::IssuerDecision::decline);
    if (!answer) return std::move(answer).error();
    return std::optional<emv::OnlineResponse>{std::move(answer->response)};
  };
  auto result = r.session->run(responder);
  EXPECT_TRUE(result) << c.card;
  if (result) r.result = std::move(*result);
  return r;
}

class EmvCards : public ::testing::TestWithParam<Case> {};

TEST_P(EmvCards, EndsAsTheBooksRequire) {
  const Case& c = GetParam();
  const CardRun r = run(c);
  EXPECT_EQ(emv::name(r.result.outcome), emv::name(c.outcome)) << r.result.termination_reason;
  EXPECT_EQ(to_hex(r.result.tvr), c.tvr);
  EXPECT_EQ(to_hex(r.result.tsi), c.tsi);
  EXPECT_EQ(to_hex(r.result.cvm_results), c.cvm_results);
  ASSERT_EQ(r.result.cryptogram.has_value(), c.cryptogram.has_value());
  if (c.cryptogram) {
    EXPECT_EQ(emv::name(*r.result.cryptogram), emv::name(*c.cryptogram));
  }
  if (c.outcome == Outcome::fallback || c.outcome == Outcome::terminated) {
    EXPECT_FALSE(r.result.termination_reason.empty());
  } else {
    // Whatever the path, the host got a cryptogram with its context.
    EXPECT_NE(to_hex(r.result.online_tags).find("9F2608"), std::string::npos);
    EXPECT_NE(to_hex(r.result.online_tags).find("9F2701"), std::string::npos);
  }
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  static constexpr std::string_view kHost[] = {"approve", "decline", "unreachable"};
  std::string pin = !info.param.pin ? "bypass" : *info.param.pin == "1234" ? "pin" : "wrongpin";
  return std::string(info.param.card) + "_" + pin + "_" + std::string(kHost[static_cast<int>(info.param.host)]);
}

INSTANTIATE_TEST_SUITE_P(AllBuiltinCards, EmvCards, ::testing::ValuesIn(kCases), case_name);

TEST(EmvCardsCoverage, EveryBuiltinProfileHasARow) {
  for (const auto& profile : icc::sim::builtin_profiles()) {
    bool found = false;
    for (const auto& c : kCases) found = found || c.card == profile.name;
    EXPECT_TRUE(found) << "no end-to-end row for built-in card " << profile.name;
  }
}

// The card remembers: a blocked PIN stays blocked and the ATC moved on.
TEST(EmvCardsState, WrongPinBlocksTheCardsPinAndTheAtcAdvances) {
  const CardRun r = run({"mc_offline_plain_pin", "9999", Host::approve, Outcome::approved_online, "", "", "", {}});
  EXPECT_EQ(r.session->card().pin_try_counter(), 0);
  auto fresh = icc::sim::make_builtin_card("mc_offline_plain_pin");
  ASSERT_TRUE(fresh);
  EXPECT_EQ(r.session->card().atc(), fresh->atc() + 1);
}

// Issuer scripts: one result per script, each successful (first nibble 2: Book 3 Annex A).
TEST(EmvCardsState, IssuerScriptResultsReportEachScript) {
  const CardRun r = run({"visa_issuer_scripts", "1234", Host::approve, Outcome::approved_online, "", "", "", {}});
  const Bytes& results = r.result.issuer_script_results;
  ASSERT_EQ(results.size() % 5, 0U);
  ASSERT_EQ(results.size() / 5, 2U);
  for (std::size_t i = 0; i < results.size(); i += 5) EXPECT_EQ(results[i] >> 4, 2) << "script " << i / 5;
}

}  // namespace
}  // namespace tender
