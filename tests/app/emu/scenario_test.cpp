// The scenario parser against what a fuzzer (or a careless author) hands it: every member of
// the wrong type is a typed error, never an exception out of the parser; and no message about
// a bad step echoes a value that may be card data (a PAN, track data, a PIN).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/emu/emu_counter.hpp"
#include "app/emu/scenario.hpp"

namespace tender::app::emu {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr std::string_view kPan = "4111111111111111";

std::string scenario_with(const std::string& host, const std::string& steps = R"([{"sale": "1.00"}])") {
  return R"({"name": "n", "host": )" + host + R"(, "steps": )" + steps + "}";
}

// Parses without letting an exception out, and returns the error message ("" when it parsed).
std::string error_of(const std::string& text) {
  Result<Scenario> parsed = make_error(Errc::invalid_argument, "not run");
  EXPECT_NO_THROW(parsed = parse_scenario(text, "t.json")) << text;
  if (parsed) return "";
  EXPECT_EQ(parsed.error().code, Errc::malformed) << text;
  return parsed.error().message;
}

TEST(EmuScenario, HostOfTheWrongTypeIsAnErrorNotAnException) {
  for (const std::string host : {"5", "null", "[]", "{}", "true", "1.5", R"(["aurora"])", R"({"kind": "aurora"})"}) {
    const std::string message = error_of(scenario_with(host));
    EXPECT_EQ(message, R"(host: "aurora", "fullstack" or "connexpay")") << host;
  }
  EXPECT_EQ(error_of(scenario_with(R"("visa")")), R"(host: "aurora", "fullstack" or "connexpay")");
  EXPECT_EQ(error_of(scenario_with(R"("fullstack")")), "");
  // No host: Aurora, as documented.
  auto s = parse_scenario(R"({"name": "n", "steps": [{"sale": "1.00"}]})", "t.json");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->host, HostKind::aurora);
}

TEST(EmuScenario, EveryTopLevelMemberIsTyped) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"name": 5, "steps": [{"sale": "1.00"}]})", "name: a non-empty string is required"},
      {R"({"name": null, "steps": [{"sale": "1.00"}]})", "name: a non-empty string is required"},
      {R"({"name": "", "steps": [{"sale": "1.00"}]})", "name: a non-empty string is required"},
      {R"({"steps": [{"sale": "1.00"}]})", "name: a non-empty string is required"},
      {R"({"name": "n", "description": 7, "steps": [{"sale": "1.00"}]})", "description: a string"},
      {R"({"name": "n", "config": [], "steps": [{"sale": "1.00"}]})", "config: an object"},
      {R"({"name": "n", "config": null, "steps": [{"sale": "1.00"}]})", "config: an object"},
      {R"({"name": "n", "steps": {}})", "steps: a non-empty list is required"},
      {R"({"name": "n", "steps": []})", "steps: a non-empty list is required"},
      {R"({"name": "n"})", "steps: a non-empty list is required"},
      {R"([1, 2])", "not a JSON object"},
      {R"({"name": "n", )", "not JSON: syntax error at line 1, column 15"},
      {R"({"name": "n", "hots": "aurora", "steps": [{"sale": "1.00"}]})", R"(unknown field "hots")"},
  };
  for (const auto& [text, want] : cases) EXPECT_EQ(error_of(text), want) << text;
}

TEST(EmuScenario, ConfigMembersAreTypedAndBounded) {
  const auto with_config = [](const std::string& config) {
    return R"({"name": "n", "config": )" + config + R"(, "steps": [{"sale": "1.00"}]})";
  };
  const std::vector<std::string> bad{
      R"({"surcharge": "yes"})",          R"({"partial": 1})",
      R"({"partial": "sometimes"})",      R"({"offline_swipe_limit": 50})",
      R"({"floor_limit": "fifty"})",      R"({"prompt_timeout_ms": "300"})",
      R"({"prompt_timeout_ms": -1})",     R"({"prompt_timeout_ms": 18446744073709551615})",
      R"({"host_deadline_ms": 1.5})",     R"({"host_deadline_ms": 99999999999})",
      R"({"print_customer_copy": null})", R"({"colour": "red"})",
  };
  for (const auto& config : bad) {
    const std::string message = error_of(with_config(config));
    EXPECT_TRUE(message.starts_with("config")) << config << " -> " << message;
  }
  auto s = parse_scenario(with_config(R"({"surcharge": true, "partial": "reverse", "offline_swipe_limit": "20.00",
      "floor_limit": "50.00", "prompt_timeout_ms": 300, "host_deadline_ms": 800, "print_customer_copy": false})"),
                          "t.json");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->config.surcharge, true);
  EXPECT_EQ(s->config.partial, ScenarioConfig::Partial::reverse);
  EXPECT_EQ(s->config.offline_swipe_limit, 2000);
  EXPECT_EQ(s->config.floor_limit, 5000);
  EXPECT_EQ(s->config.prompt_timeout, std::chrono::milliseconds{300});
  EXPECT_EQ(s->config.host_deadline, std::chrono::milliseconds{800});
  EXPECT_EQ(s->config.print_customer_copy, false);
}

TEST(EmuScenario, EveryStepValueIsTyped) {
  // Each step with values of every JSON type but its own: an error naming the step, no throw.
  const std::vector<std::string> values{"5", "null", "[]", "{}", "true", "false", "1.5", "-3", R"("")", R"("x")",
                                        R"([1])", R"({"a": 1})"};
  const std::vector<std::string> kinds{"sale",  "preauth",     "verify",         "refund",    "void",    "capture",
                                       "tip_adjust", "settle", "flush",          "insert",    "swipe",   "keyed",
                                       "key",   "pin",         "remove_card",    "host_behaviour", "power_cut",
                                       "restart", "expect_display", "expect_outcome", "expect_host_request",
                                       "expect_receipt", "expect_queue"};
  for (const auto& kind : kinds) {
    for (const auto& value : values) {
      const std::string text = scenario_with(R"("aurora")", R"([{"sale": "1.00"}, {")" + kind + R"(": )" + value + "}]");
      const std::string message = error_of(text);
      if (!message.empty()) {
        EXPECT_TRUE(message.starts_with("step 2: ")) << text << " -> " << message;
      }
    }
  }
  // The members of expect_host_request are typed too (the runner reads them as strings).
  for (const std::string request : {R"({"path": 5})", R"({"path": "/x", "method": 5})", R"({"path": "/x", "method": null})",
                                    R"({"path": "/x", "method": "FETCH"})", R"({"path": "/x", "json": []})",
                                    R"({"method": "POST"})", R"({"path": "x"})", R"({"path": "/x", "body": {}})"}) {
    const std::string message = error_of(scenario_with(R"("aurora")", R"([{"expect_host_request": )" + request + "}]"));
    EXPECT_TRUE(message.starts_with("step 1: expect_host_request")) << request << " -> " << message;
  }
  // Counts: whole numbers from 0; not negative, fractional or beyond any queue.
  for (const std::string count : {"-1", "1.0", "18446744073709551615", "\"2\""}) {
    EXPECT_EQ(error_of(scenario_with(R"("aurora")", R"([{"expect_queue": )" + count + "}]")),
              "step 1: expect_queue takes a count (a whole number, 0 or more)")
        << count;
  }
}

TEST(EmuScenario, DeepJsonSubsetIsRefused) {
  std::string deep;
  for (int i = 0; i < 2000; ++i) deep += R"({"a": )";
  deep += "1" + std::string(2000, '}');
  const std::string message = error_of(scenario_with(R"("aurora")", R"([{"expect_host_request": {"path": "/x", "json": )" + deep + "}}]"));
  EXPECT_EQ(message, "step 1: expect_host_request: json nests deeper than 16");
}

TEST(EmuScenario, ValuesOfTheFormatAreCheckedWhenParsed) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"key": "ESC"})", "step 1: key: takes ENTER, CANCEL or one digit 0-9"},
      {R"({"pin": "12a4"})", "step 1: pin: takes 4 to 12 digits"},
      {R"({"power_cut": "halfway"})",
       "step 1: power_cut: takes true or a journal state a row is written in (sent, offline_approved, declined, "
       "failed, cancelled, approved, reversal_pending, in_doubt, completed, reversed, forwarded, forward_declined)"},
      // No move writes `created` (the row is first written as the request leaves): a cut
      // waiting for it would never come, so the scenario is refused instead of passing.
      {R"({"power_cut": "created"})", "step 1: power_cut: takes true or a journal state a row is written in (sent, "
                                      "offline_approved, declined, failed, cancelled, approved, reversal_pending, "
                                      "in_doubt, completed, reversed, forwarded, forward_declined)"},
      {R"({"host_behaviour": "explode"})", "step 1: host_behaviour: unknown behaviour"},
      {R"({"expect_outcome": "great"})",
       "step 1: expect_outcome: not an outcome (approved, declined, reversed, approved_offline, cancelled, failed)"},
      {R"({"insert": "no_such_card"})", "step 1: insert: no built-in card of that name (drivers/icc/sim/cards)"},
  };
  for (const auto& [step, want] : cases) EXPECT_EQ(error_of(scenario_with(R"("aurora")", "[" + step + "]")), want) << step;
  for (const std::string step : {R"({"host_behaviour": "unreachable"})", R"({"host_behaviour": "partial:5.00"})",
                                 R"({"power_cut": "sent"})", R"({"power_cut": true})", R"({"keyed": "4111111111111112=3012"})",
                                 R"({"keyed": "4111111111111111=3012=1234"})", R"({"expect_outcome": "approved_offline"})",
                                 R"({"key": "7"})", R"({"insert": "visa_no_cvm"})"}) {
    EXPECT_EQ(error_of(scenario_with(R"("aurora")", "[" + step + "]")), "") << step;
  }
}

// The fuzzer's finding: a bad step carrying a PAN came back in the error message.
TEST(EmuScenario, ErrorsNameTheStepAndFieldNeverCardData) {
  const std::string pan(kPan);
  const std::vector<std::pair<std::string, std::string>> steps{
      {R"({"sale": ")" + pan + R"(=3012"})", "step 1: sale: not an amount"},
      {R"({")" + pan + R"(": true})", "step 1: unknown step (not shown"},
      {R"({"keyed": ")" + pan + R"("})", "step 1: keyed: takes PAN=YYMM"},
      {R"({"keyed": ")" + pan + R"(=30=1"})", "step 1: keyed: takes PAN=YYMM"},
      {R"({"pin": "12345678901234"})", "step 1: pin: takes 4 to 12 digits"},
      {R"({"key": "1234"})", "step 1: key: takes ENTER"},
      {R"({"insert": ")" + pan + R"("})", "step 1: insert: no built-in card"},
      {R"({"power_cut": ")" + pan + R"("})", "step 1: power_cut: takes true"},
      {R"({"host_behaviour": ")" + pan + R"("})", "step 1: host_behaviour: "},
      {R"({"host_behaviour": "delay:)" + pan + R"("})", "step 1: host_behaviour: "},
      {R"({"expect_outcome": ")" + pan + R"("})", "step 1: expect_outcome: not an outcome"},
      {R"({"expect_host_request": {"path": "/x", ")" + pan + R"(": 1}})", "step 1: expect_host_request: unknown field (not shown"},
      {R"({"expect_host_request": {"path": "/x", "method": ")" + pan + R"("}})", "step 1: expect_host_request: method takes"},
      {R"({"refund": "%B)" + pan + R"(^DOE/J^3012101?"})", "step 1: refund: not an amount"},
  };
  for (const auto& [step, prefix] : steps) {
    const std::string message = error_of(scenario_with(R"("aurora")", "[" + step + "]"));
    EXPECT_TRUE(message.starts_with(prefix)) << step << " -> " << message;
    EXPECT_EQ(message.find("411111"), std::string::npos) << message;
    EXPECT_EQ(message.find("1111"), std::string::npos) << message;
    EXPECT_EQ(message.find("1234"), std::string::npos) << message;
  }
  // Top-level and config keys the same way.
  for (const std::string& text : {R"({"name": "n", ")" + pan + R"(": 1, "steps": [{"sale": "1.00"}]})",
                                 R"({"name": "n", "config": {")" + pan + R"(": 1}, "steps": [{"sale": "1.00"}]})"}) {
    const std::string message = error_of(text);
    EXPECT_NE(message.find("unknown field (not shown"), std::string::npos) << message;
    EXPECT_EQ(message.find("411111"), std::string::npos) << message;
  }
}

TEST(EmuScenario, ShownNameQuotesOnlyPlainNames) {
  EXPECT_EQ(shown_name("sael"), "\"sael\"");
  EXPECT_EQ(shown_name("visa_t0"), "\"visa_t0\"");
  EXPECT_EQ(shown_name("expect-host"), "\"expect-host\"");
  for (const std::string_view hidden : {std::string_view{kPan}, std::string_view{"1234"}, std::string_view{"a1234"},
                                        std::string_view{";4111=30?"}, std::string_view{""}, std::string_view{"x y"},
                                        std::string_view{"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq"}}) {
    EXPECT_EQ(shown_name(hidden), "(not shown: not a plain name)") << hidden;
  }
}

// The counter's messages about an input the terminal did not ask for name its step and kind.
TEST(EmuCounter, MismatchNamesTheStepNotTheInput) {
  {
    EmuCounter counter;
    counter.push({Input::Kind::pin, "4321", 3});
    bool answered = false;
    counter.async_card(Screen::present_card, {}, [&](Result<CardEvent>) { answered = true; });
    EXPECT_FALSE(answered);
    ASSERT_TRUE(counter.mismatch());
    EXPECT_EQ(*counter.mismatch(), "step 3: the terminal asks for a card, the next input is a pin step");
  }
  {
    EmuCounter counter;
    counter.push({Input::Kind::keyed, std::string(kPan) + "=3012=123", 4});
    bool answered = false;
    counter.async_confirm(Screen::confirm_amount, {}, [&](Result<bool>) { answered = true; });
    EXPECT_FALSE(answered);
    ASSERT_TRUE(counter.mismatch());
    EXPECT_EQ(*counter.mismatch(), "step 4: the terminal asks for ENTER or CANCEL, the next input is a keyed step");
  }
  {
    EmuCounter counter;
    counter.push({Input::Kind::insert, std::string(kPan), 2});
    counter.async_card(Screen::present_card, {}, [](Result<CardEvent>) {});
    ASSERT_TRUE(counter.mismatch());
    EXPECT_EQ(*counter.mismatch(), "step 2: no built-in card (not shown: not a plain name)");
  }
}

// A file that is not JSON is named by where it stops parsing, never by what it holds there
// (the library's own message quotes the token it stopped at, which may be card data).
TEST(EmuScenario, NotJsonNamesTheLineAndColumnOnly) {
  const std::string text = "{ \"name\": \"n\",\n  \"steps\": [ {\"sale\": \"1.00\"}\n    {\"swipe\": \"" + std::string(kPan) + "\"} ] }";
  EXPECT_EQ(error_of(text), "not JSON: syntax error at line 3, column 5");
  const std::string unquoted = "{ \"name\": \"n\", \"steps\": [ {\"swipe\": " + std::string(kPan) + "x} ] }";
  const std::string message = error_of(unquoted);
  EXPECT_TRUE(message.starts_with("not JSON: syntax error at line 1, column ")) << message;
  EXPECT_EQ(message.find("411111"), std::string::npos) << message;
}

TEST(EmuScenario, ExpectSettlementIsTyped) {
  const auto steps = [](const std::string& check) { return scenario_with(R"("aurora")", R"([{"expect_settlement": )" + check + "}]"); };
  auto parsed = parse_scenario(
      steps(R"({"accepted": true, "transactions": 3, "sale": {"count": 2, "total": "22.00"}, "refund": {"count": 0}})"), "t.json");
  ASSERT_TRUE(parsed) << parsed.error().message;
  const SettlementCheck& check = parsed->steps.at(0).settlement;
  EXPECT_EQ(check.accepted, true);
  EXPECT_EQ(check.transactions, 3);
  ASSERT_EQ(check.kinds.size(), 2u);
  EXPECT_EQ(check.kinds[1].kind, TxnKind::sale);  // nlohmann orders an object's keys
  EXPECT_EQ(check.kinds[1].count, 2);
  EXPECT_EQ(check.kinds[1].total, Money::parse("22.00", usd()).value());
  EXPECT_EQ(check.kinds[0].kind, TxnKind::refund);
  EXPECT_FALSE(check.kinds[0].total);

  const std::vector<std::pair<std::string, std::string>> cases{
      {"true", "step 1: expect_settlement takes {\"accepted\": true, \"transactions\": N, \"sale\": {\"count\": N, \"total\": \"12.34\"}, ...}"},
      {"{}", "step 1: expect_settlement takes {\"accepted\": true, \"transactions\": N, \"sale\": {\"count\": N, \"total\": \"12.34\"}, ...}"},
      {R"({"accepted": "yes"})", "step 1: expect_settlement: accepted takes true or false"},
      {R"({"transactions": -1})", "step 1: expect_settlement: transactions takes a count (a whole number, 0 or more)"},
      {R"({"sael": {"count": 1}})",
       "step 1: expect_settlement: unknown field \"sael\" (accepted, transactions, or a kind: sale, preauth, capture, void, "
       "refund, tip_adjust, verify)"},
      {R"({"sale": 2})", "step 1: expect_settlement: sale takes {\"count\": N, \"total\": \"12.34\"}"},
      {R"({"sale": {"count": "2"}})", "step 1: expect_settlement: sale.count takes a count (a whole number, 0 or more)"},
      {R"({"sale": {"total": 22}})", "step 1: expect_settlement: sale.total takes an amount as a string, e.g. \"12.34\""},
      {R"({"sale": {"total": "22.001"}})", "step 1: expect_settlement: sale.total takes an amount as a string, e.g. \"12.34\""},
      {R"({"sale": {"cnt": 1}})", "step 1: expect_settlement: sale: unknown field \"cnt\" (count, total)"},
  };
  for (const auto& [check_text, want] : cases) EXPECT_EQ(error_of(steps(check_text)), want) << check_text;
}

// The certification suite itself parses under the strict rules.
TEST(EmuScenario, TheSuiteParses) {
  const fs::path suite = fs::path(TENDER_TEST_DATA_DIR).parent_path() / "scenarios";
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(suite)) {
    if (e.path().extension() != ".json") continue;
    ++files;
    auto s = load_scenario(e.path().string());
    EXPECT_TRUE(s) << (s ? "" : s.error().message);
  }
  EXPECT_GT(files, 100u);
}

}  // namespace
}  // namespace tender::app::emu
