// A chip card with online PIN through the real kernel, sent to the host simulator with
// tender-hostsim's verifiers as an Aurora sale (emvTags + pin/pinKsn), and the simulator's
// EMV response tags given back to the card: the whole loop in process.
#include <gtest/gtest.h>

#include "tests/chip_session.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/hostsim/verifiers.hpp"
#include "app/terminal/issuer_response.hpp"
#include "app/sim/test_terminal.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/sim_reader.hpp"
#include "emv/kernel.hpp"
#include "emv/tlv.hpp"
#include "net/hostsim/host_simulator.hpp"

namespace tender {
namespace {

namespace hs = net::hostsim;
using Json = nlohmann::json;

net::http::Request request(net::http::Method method, std::string target, std::string body,
                           std::string content_type = "application/json") {
  net::http::Request r;
  r.method = method;
  r.target = std::move(target);
  r.body = std::move(body);
  r.set_header("Content-Type", std::move(content_type));
  return r;
}

struct Flow {
  emv::KernelResult result;
  Json sale;  // the simulator's answer
};

Flow chip_sale(std::string_view card_name, std::string_view pin) {
  hs::ManualClock clock{hs::utc(2025, 1, 9)};
  app::DukptPinVerifier pin_verifier;
  auto issuer = app::TestCardIssuer::builtin();
  EXPECT_TRUE(issuer);
  // The real Aurora answer carries no issuer EMV data; the simulator's option adds it, which is
  // what this loop exercises (the terminal completes without it too: the chip scenarios).
  hs::HostSimConfig config;
  config.aurora.issuer_emv_data = true;
  hs::HostSimulator sim(config, clock, nullptr, &pin_verifier, &*issuer);

  const auto token_answer =
      sim.handle(request(net::http::Method::post, "/oauth2/token",
                         "grant_type=client_credentials&client_id=tender-test&client_secret=tender-test-secret",
                         "application/x-www-form-urlencoded"));
  EXPECT_EQ(token_answer.response.status, 200);
  const std::string token = Json::parse(token_answer.response.body).value("access_token", "");

  test::ChipSession session{card_name, pin, {0x25, 0x01, 0x09}};
  Flow flow;
  const app::OnlineResponder responder =
      [&](const emv::KernelResult& online) -> Result<std::optional<emv::OnlineResponse>> {
    // What a terminal sends: the online tags plus the track 2 equivalent data (57).
    Bytes tags = online.online_tags;
    emv::append_tlv(tags, 0x57, online.track2_equivalent.reveal());
    Json body{{"paymentProcessorId", "fe520286-0125-4cc4-bd3c-f50333e679e5"},
              {"amount", 12.34},
              {"currencyId", 1},
              {"cardDataSource", 3},
              {"emvTags", to_hex(tags)}};
    if (online.online_pin && !online.online_pin->bypassed) {
      body["pin"] = to_hex(online.online_pin->pin_block);
      body["pinKsn"] = to_hex(online.online_pin->ksn);
    }
    auto sale = request(net::http::Method::post, "/pay-api/v1/transactions/sale", body.dump());
    sale.set_header("Authorization", "Bearer " + token);
    const auto answer = sim.handle(sale);
    EXPECT_EQ(answer.response.status, 200) << answer.response.body;
    flow.sale = Json::parse(answer.response.body, nullptr, false);
    auto bytes = from_hex(flow.sale.value("emvTags", ""));
    if (!bytes) return std::move(bytes).error();
    auto response = app::online_response_from_issuer_tags(*bytes);
    if (!response) return std::move(response).error();
    return std::optional<emv::OnlineResponse>{std::move(*response)};
  };
  auto result = session.run(responder);
  EXPECT_TRUE(result);
  if (result) flow.result = std::move(*result);
  return flow;
}

TEST(HostSimChipFlow, OnlinePinAndArqcApproved) {
  const Flow flow = chip_sale("visa_online_pin", "1234");
  EXPECT_EQ(flow.sale.value("status", ""), "Captured") << flow.sale.dump();
  EXPECT_EQ(emv::name(flow.result.outcome), emv::name(emv::Outcome::approved_online));
  EXPECT_EQ(to_hex(flow.result.tsi), "F800");  // issuer authentication performed (the ARPC verified)
}

TEST(HostSimChipFlow, WrongOnlinePinDeclinedByTheHost) {
  const Flow flow = chip_sale("visa_online_pin", "9999");
  EXPECT_EQ(flow.sale.value("status", ""), "Declined") << flow.sale.dump();
  ASSERT_TRUE(flow.sale.contains("details")) << flow.sale.dump();
  EXPECT_EQ(flow.sale["details"].value("hostResponseCode", ""), "55") << flow.sale.dump();  // incorrect PIN
  EXPECT_EQ(emv::name(flow.result.outcome), emv::name(emv::Outcome::declined_online));
}

TEST(HostSimChipFlow, IssuerScriptsReachTheCard) {
  const Flow flow = chip_sale("visa_issuer_scripts", "1234");
  EXPECT_EQ(flow.sale.value("status", ""), "Captured") << flow.sale.dump();
  EXPECT_EQ(emv::name(flow.result.outcome), emv::name(emv::Outcome::approved_online));
  EXPECT_EQ(to_hex(flow.result.tsi), "FC00");
  EXPECT_FALSE(flow.result.issuer_script_results.empty());
}

}  // namespace
}  // namespace tender
