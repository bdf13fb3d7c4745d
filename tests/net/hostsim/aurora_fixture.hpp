// The Aurora simulator under test: a fresh simulator on the documents' date, a token, and
// small helpers to call it as a client would.
#pragma once

#include <gtest/gtest.h>

#include "fake_verifiers.hpp"
#include "fixtures.hpp"

namespace tender::net::hostsim {

using namespace std::chrono_literals;
using namespace test;
using Json = nlohmann::json;

constexpr std::string_view kForm = "grant_type=client_credentials&client_id=tender-test&client_secret=tender-test-secret";

class AuroraTest : public ::testing::Test {
 public:
  ManualClock clock{utc(2025, 1, 9, 13, 27, 50)};  // the document's own examples' date
  FakePinVerifier pin;
  FakeChipIssuer chip;
  HostSimulator sim{HostSimConfig{}, clock, nullptr, &pin, &chip};
  std::string token;

  void SetUp() override {
    auto r = request(http::Method::post, "/oauth2/token", std::string(kForm));
    r.set_header("Content-Type", "application/x-www-form-urlencoded");
    const auto a = sim.handle(r);
    ASSERT_EQ(a.response.status, 200);
    token = body_of(a)["access_token"].get<std::string>();
  }

  ServerAction call(http::Method m, std::string target, std::string body = {}) {
    auto r = request(m, std::move(target), std::move(body));
    r.set_header("Authorization", "Bearer " + token);
    return sim.handle(r);
  }
  ServerAction post(std::string_view path, const Json& body) {
    return call(http::Method::post, std::string(path), body.dump());
  }
  // A keyed sale or auth of `amount` (JSON number text) on the document's Visa test card,
  // without E4's tip and rates.
  Json pay(std::string_view kind, std::string_view amount, std::string_view processor = "p-1") {
    Json body = Json::parse(kAuroraSale);
    body["amount"] = Json::parse(amount);
    body["tipAmount"] = nullptr;
    body["percentageOffRate"] = nullptr;
    body["surchargeRate"] = nullptr;
    body["paymentProcessorId"] = processor;
    body["expirationYear"] = 30;
    return body_of(post(std::string("/pay-api/v1/transactions/") + std::string(kind), body));
  }
  Json by_id(const std::string& id) { return body_of(call(http::Method::get, "/pay-api/v1/transactions/" + id)); }
};

}  // namespace tender::net::hostsim
