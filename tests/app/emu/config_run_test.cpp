// tender-emu run --config, in pieces: which scenarios a configured host cannot run (and why),
// how the report shows them skipped, and the terminal-side host log that replaces the built-in
// simulator's memory (masked, with what came back).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/emu/host_log.hpp"
#include "app/emu/report.hpp"
#include "app/emu/runner.hpp"
#include "app/emu/scenario.hpp"

namespace tender::app::emu {
namespace {

Scenario parsed(const std::string& text) {
  auto s = parse_scenario(text, "t.json");
  EXPECT_TRUE(s) << (s ? "" : s.error().message);
  return s ? *s : Scenario{};
}

TEST(EmuConfigRun, SkipRuleNamesTheReason) {
  const Scenario plain = parsed(R"({"name": "n", "host": "aurora", "steps": [{"sale": "1.00"},
      {"swipe": ";4111111111111111=30121010000000000000?"}, {"expect_outcome": "approved"},
      {"expect_host_request": {"path": "/pay-api/v1/transactions/sale"}}, {"power_cut": "sent"}, {"restart": true}]})");
  EXPECT_EQ(needs_builtin_host(plain, HostKind::aurora), std::nullopt);
  EXPECT_EQ(needs_builtin_host(plain, HostKind::fullstack), "needs a aurora host; the configured host is fullstack");

  const Scenario scripted = parsed(R"({"name": "n", "host": "fullstack", "steps": [{"sale": "1.00"},
      {"host_behaviour": "no_answer"}, {"expect_outcome": "approved"}]})");
  EXPECT_EQ(needs_builtin_host(scripted, HostKind::fullstack),
            "step 2 (host_behaviour: no_answer) scripts the built-in host simulator's next answer; a configured host "
            "cannot be scripted");
  const Scenario offline = parsed(R"({"name": "n", "host": "fullstack", "steps": [{"host_behaviour": "unreachable"},
      {"sale": "1.00"}]})");
  EXPECT_EQ(needs_builtin_host(offline, HostKind::fullstack),
            "step 1 (host_behaviour: unreachable) takes the built-in host simulator off the network and back; a "
            "configured host cannot be");
}

std::vector<ScenarioResult> results(bool with_skip) {
  ScenarioResult ok;
  ok.name = "ok";
  ok.host = "aurora";
  ScenarioResult bad;
  bad.name = "bad";
  bad.host = "aurora";
  bad.passed = false;
  bad.failures = {"step 3 (expect_outcome): expected declined, got approved"};
  std::vector<ScenarioResult> out{ok, bad};
  if (with_skip) {
    ScenarioResult skipped;
    skipped.name = "scripted";
    skipped.host = "fullstack";
    skipped.passed = false;
    skipped.skipped = true;
    skipped.skipped_because = "step 2 (host_behaviour: close) scripts the built-in host simulator's next answer";
    out.push_back(skipped);
  }
  return out;
}

TEST(EmuConfigRun, SummaryCountsSkipsOnlyWhenThereAreSome) {
  const std::string plain = summary_text(results(false));
  EXPECT_TRUE(plain.ends_with("\n1 passed, 1 failed\n")) << plain;
  const std::string skipping = summary_text(results(true));
  EXPECT_TRUE(skipping.ends_with("\n1 passed, 1 failed, 1 skipped\n")) << skipping;
  EXPECT_NE(skipping.find("SKIP fullstack scripted -- step 2 (host_behaviour: close) scripts"), std::string::npos);
  EXPECT_EQ(count(results(true)).failed, 1u);
}

TEST(EmuConfigRun, JUnitMarksSkippedTestcases) {
  const std::string xml = junit_xml(results(true));
  EXPECT_NE(xml.find(R"(<testsuite name="tender-emu" tests="3" failures="1" errors="0" skipped="1")"), std::string::npos) << xml;
  EXPECT_NE(xml.find(R"(<skipped message="step 2 (host_behaviour: close) scripts the built-in host simulator&apos;s next answer"/>)"),
            std::string::npos)
      << xml;
  EXPECT_NE(junit_xml(results(false)).find(R"(skipped="0")"), std::string::npos);
}

// A transport that answers what it is told, when told.
class FakeTransport final : public net::http::Transport {
 public:
  void async_send(net::http::Request request, std::chrono::milliseconds, net::http::ResponseHandler handler) override {
    sent.push_back(std::move(request));
    pending.push_back(std::move(handler));
  }
  std::vector<net::http::Request> sent;
  std::vector<net::http::ResponseHandler> pending;
};

TEST(EmuConfigRun, LoggingTransportLogsWhatTheTerminalSentAndReceivedMasked) {
  FakeTransport inner;
  HostLog log;
  LoggingTransport transport(inner, log);
  std::vector<int> statuses;
  const auto keep = [&](Result<net::http::Response> r) { statuses.push_back(r ? r->status : -1); };

  net::http::Request token;
  token.method = net::http::Method::post;
  token.target = "/oauth2/token";
  token.body = "grant_type=client_credentials&client_id=tender-test&client_secret=tender-test-secret";
  transport.async_send(token, std::chrono::milliseconds{1000}, keep);
  net::http::Request sale;
  sale.method = net::http::Method::post;
  sale.target = "/pay-api/v1/transactions/sale?x=1";
  sale.body = R"({"accountNumber": "4111111111111111", "securityCode": "123", "track2": "4111111111111111=3012", "amount": 1.5})";
  transport.async_send(sale, std::chrono::milliseconds{1000}, keep);
  net::http::Request lost = sale;
  transport.async_send(lost, std::chrono::milliseconds{1000}, keep);
  net::http::Request refused = sale;
  transport.async_send(refused, std::chrono::milliseconds{1000}, keep);
  ASSERT_EQ(inner.sent.size(), 4u);
  EXPECT_EQ(inner.sent[1].body, sale.body);  // the host gets the real request

  net::http::Response issued;
  issued.body = R"({"access_token": "eyJhbGciOi.secret.token", "expires_in": 3600})";
  inner.pending[0](issued);
  net::http::Response approved;
  approved.body = R"({"status": "Captured", "details": {"maskedPan": "************1111"}})";
  inner.pending[1](approved);
  inner.pending[3](make_error(Errc::io_error, "connect: refused"));
  log.power_off();  // the third never came back
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, -1}));

  const auto& e = log.entries();
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].path, "/oauth2/token");
  EXPECT_TRUE(e[0].body.is_null());  // a form body, with the client secret: never shown
  EXPECT_EQ(e[0].response["access_token"], "[masked 23 chars]");
  EXPECT_EQ(e[1].method, "POST");
  EXPECT_EQ(e[1].path, "/pay-api/v1/transactions/sale");
  EXPECT_EQ(e[1].body["accountNumber"], "411111******1111");
  EXPECT_EQ(e[1].body["securityCode"], "[masked 3 chars]");
  EXPECT_EQ(e[1].body["track2"], "[masked 21 chars]");
  EXPECT_EQ(e[1].status, 200);
  EXPECT_EQ(e[1].response["status"], "Captured");
  EXPECT_EQ(e[2].error, "no answer before the terminal went off");
  EXPECT_EQ(e[3].error, "io_error: connect: refused");
  for (const auto& entry : e) {
    const std::string text = entry.body.dump() + entry.response.dump() + entry.error.value_or("");
    EXPECT_EQ(text.find("4111111111111111"), std::string::npos) << text;
    EXPECT_EQ(text.find("secret"), std::string::npos) << text;
  }
}

// host.log streams: what has ended is handed over in order and forgotten; one still waiting
// holds itself and what came after it, and its answer still lands once taken ones are gone.
TEST(EmuConfigRun, HostLogHandsOverFinishedExchangesInOrder) {
  FakeTransport inner;
  HostLog log;
  LoggingTransport transport(inner, log);
  net::http::Request request;
  request.method = net::http::Method::post;
  for (const char* path : {"/a", "/b", "/c"}) {
    request.target = path;
    transport.async_send(request, std::chrono::milliseconds{1000}, [](Result<net::http::Response>) {});
  }
  inner.pending[0](net::http::Response{});
  inner.pending[2](net::http::Response{});
  auto first = log.take_finished();
  ASSERT_EQ(first.size(), 1u);  // /c waits behind /b
  EXPECT_EQ(first[0].path, "/a");
  EXPECT_EQ(log.entries().size(), 2u);
  inner.pending[1](make_error(Errc::timeout, "deadline"));
  auto rest = log.take_finished();
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].path, "/b");
  EXPECT_EQ(rest[0].error, "timeout: deadline");
  EXPECT_EQ(rest[1].path, "/c");
  EXPECT_EQ(rest[1].status, 200);
  EXPECT_TRUE(log.entries().empty());
  // A line of host.log reads back as what was written.
  auto back = parse_host_log_line(host_log_line(rest[0]));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->path, "/b");
  EXPECT_EQ(back->error, "timeout: deadline");
  EXPECT_FALSE(parse_host_log_line("not json"));
}

TEST(EmuConfigRun, JUnitErrorCaseNamesTheStepAndSystemOutTheFiles) {
  std::vector<ScenarioResult> all = results(false);
  all[0].folder = "ok";
  all[0].receipts = 2;
  all[0].host_requests = 1;
  all[0].screens = 9;
  all.push_back(file_error("suite/typo.json", "step 1: unknown step \"sael\""));
  const std::string xml = junit_xml(all, RunInfo{"2026-12-08T01:45:00", "bench", 3.5});
  EXPECT_NE(xml.find(R"(<testsuite name="tender-emu" tests="3" failures="1" errors="1" skipped="0" time="3.500" )"
                     R"(timestamp="2026-12-08T01:45:00" hostname="bench">)"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find(R"(<testcase classname="scenario-file" name="typo.json" time="0.000">)"
                     "\n"
                     R"(      <error type="malformed" message="step 1: unknown step &quot;sael&quot;">)"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("receipts: ok/receipts.txt (2 printed)\nhost log: ok/host.log (1 requests)\n"
                     "display log: ok/display.log (9 screens)\n"),
            std::string::npos)
      << xml;
  EXPECT_EQ(xml.find(" file="), std::string::npos) << xml;  // not in the Jenkins schema
  EXPECT_TRUE(summary_text(all).ends_with("ERROR suite/typo.json -- step 1: unknown step \"sael\"\n1 passed, 1 failed, 1 errors\n"));
}

}  // namespace
}  // namespace tender::app::emu
