// Shared by the ConnexPay tests: an adapter on the fake transport, with a scripted token.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "fake_transport.hpp"
#include "net/connexpay/connexpay_adapter.hpp"

namespace tender::net::connexpay::testing {

using Json = nlohmann::json;
using net::testing::FakeTransport;

inline constexpr const char* kReference = "0b6f6a1e-4c3d-4a8e-9f21-7d5c3b2a1e90";
inline constexpr const char* kSequence = "0b6f6a1e4c3d4a8e9f217d5c3b2a1e90";
inline constexpr const char* kDevice = "8ec1c40b-0c00-4a57-a9c7-7800bd52c308";
inline constexpr const char* kMerchant = "19344275-985e-4dff-81ee-cb84b8ad356c";
inline constexpr const char* kSaleGuid = "59344814-87c2-4a62-9859-9b0f5ecadf1e";
inline constexpr const char* kAuthOnlyGuid = "9d973cf7-4e18-4b5d-879f-04940ce237a5";
inline constexpr const char* kPan = "4485754899788507";
inline constexpr const char* kTrack2 = "4485754899788507=27121010000012300000";
inline constexpr const char* kTrack1 = "B4485754899788507^DOE/JOHN^27121010000000000000123000000";

inline Json parse(const std::string& text) { return Json::parse(text, nullptr, false); }

struct Cx {
  FakeTransport transport;
  std::int64_t now = 1'800'000'000;
  ConnexPayAdapter adapter{transport, config()};

  ConnexPayConfig config() {
    ConnexPayConfig c;
    c.username = "terminal@merchant";
    c.password = SecretString("p@ss word&1");
    c.device_guid = kDevice;
    c.merchant_guid = kMerchant;
    c.unix_now = [this] { return now; };
    return c;
  }
  // The token answer H shows (L86-L95), with its expires_in.
  void token(const std::string& value = "tok-1", long long expires_in = 863999) {
    transport.answer(200, R"({"access_token":")" + value + R"(","token_type":"bearer","expires_in":)" +
                              std::to_string(expires_in) + "}");
  }
  // The body of request `i` as JSON.
  Json body(std::size_t i) const { return parse(transport.requests.at(i).body); }
  const http::Request& request(std::size_t i) const { return transport.requests.at(i); }
};

inline std::string sale_answer(const std::string& extra) {
  return R"({"guid":")" + std::string(kSaleGuid) + R"(","deviceGuid":")" + kDevice + R"(","batchStatus":"Batch - Open",)" + extra +
         "}";
}

inline host::AuthorizationRequest keyed_request() {
  host::AuthorizationRequest r;
  r.reference_id = kReference;
  r.amount = Money(1550, usd());
  r.entry_mode = host::EntryMode::keyed;
  r.card.pan = SecretString(kPan);
  r.card.expiry_yymm = SecretString("2712");
  r.card.cvc = SecretString("999");
  return r;
}

}  // namespace tender::net::connexpay::testing
