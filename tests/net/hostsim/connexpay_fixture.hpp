// The ConnexPay document's own example requests (specs/raw/connexpay-api.txt), the card-present
// requests WIRE.md describes, and a harness that holds a bearer token. Bodies carrying card
// data are never printed: assertions compare answers, which hold no clear PAN.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fake_verifiers.hpp"
#include "fixtures.hpp"
#include "net/hostsim/connexpay_views.hpp"

namespace tender::net::hostsim::test {

// H L864-L947: the Create sale example, verbatim (keyed; no CardDataSource).
inline constexpr std::string_view kCxSale = R"({
  "DeviceGuid" : "fde63679-0c47-4a9c-9b47-82cdf1929851",
  "Amount" : 1500,
  "SequenceNumber" : "849741",
  "RiskProcessingOnly" : false,
  "StatementDescription" : "Agent Booking 123",
  "ConnexPayTransaction" : {
    "ExpectedPayments" : 9
  },
  "RiskData" : {
    "Name" : "John Doe",
    "Gender" : "M",
    "DateOfBirth" : "1993-03-18",
    "BillingAddress1" : "151 E 33rd St",
    "BillingAddress2" : "Second Floor",
    "BillingCity" : "New York",
    "BillingState" : "NY",
    "BillingPostalCode" : "10016",
    "BillingCountryCode" : "US",
    "Email" : "johnd@gmail.com",
    "ProductType" : "Flight",
    "ProductDesc" : "Flight from London to New York",
    "ProductItem" : "784GTWJFK856",
    "ProductQuantity" : 4,
    "ProductPrice" : "42400",
    "CardHolderPhoneNumber" : "9177563046",
    "OrderNumber" : "857B2",
    "SellerId" : "AG75597",
    "FlightData" : {
        "Airline" : "American Airlines",
        "DepartureAirport" : "Gatwick",
        "DepartureDate" : "2020-06-30",
        "DestinationAirport" : "JFK",
        "HoursToDeparture" : 5,
        "JourneyType" : "Day",
        "Route" : "Direct",
        "RouteByCountry" : "UK, USA"
    },
    "FlightPassengers" : [
        {
            "Country" : "USA",
            "DateOfBirth" : "1990-12-07",
            "Id" : "89456489",
            "Name" : "Adam Smith"
        },
        {
            "Country" : "ARG",
            "DateOfBirth" : "1995-05-05",
            "Id" : "74566",
            "Name" : "John Lock"
        }
    ],
    "CustomParameters" : [
        {
            "Name" : "ClientSpecific1",
            "Value" : "Traveling"
        },
        {
            "Name" : "ClientSpecific2",
            "Value" : "wounderful"
        }
    ]
  },
  "Card": {
    "CardNumber" : "4716317307520473",
    "ExpirationDate" : "1912",
    "Customer": {
      "FirstName" : "John",
      "LastName" : "Doe",
      "Phone" : "9177563007",
      "City" : "New York",
      "State" : "NY",
      "Country" : "US",
      "Email" : "johnd@gmail.com",
      "Address1" : "107 7th Av.",
      "Address2" : "",
      "Zip" : "10007",
      "DateOfBirth" : "1990-12-07",
      "DriverLicenseNumber" : "12345678",
      "DriverLicenseState" : "TX",
      "SSN4" : "1210"
    }
  }
})";

// H L2652-L2656 (void), L3117-L3121 (return), L1582-L1585 (timeout reversal), L4004-L4006
// (batch close), L2165-L2169 (capture): verbatim; tests replace the guids with the simulator's
// (its devices and transactions are its own).
inline constexpr std::string_view kCxVoid = R"({
  "DeviceGuid" : "4b5013f7-b275-4929-8e83-0167c6edf639",
  "SaleGuid": "c5ac2017-99cb-4b1f-a90e-142cc82b21e5",
  "VoidReason": "DEVICE_TIMEOUT"
})";
inline constexpr std::string_view kCxReturn = R"({
  "DeviceGuid" : "4b5013f7-b275-4929-8e83-0167c6edf639",
  "SaleGuid": "41881e9c-f238-4ff7-8cba-3684bbb8bada",
  "Amount": 19.74
})";
inline constexpr std::string_view kCxTimeoutReversal = R"({
  "DeviceGuid" : "4b5013f7-b275-4929-8e83-0167c6edf639",
  "SequenceNumber": "849741"
})";
inline constexpr std::string_view kCxBatchClose = R"({
  "DeviceGuid" : "8257dde1-ded6-4c38-ab71-4338c4aa87ac"
})";
inline constexpr std::string_view kCxCapture = R"({
  "DeviceGuid" : "4b5013f7-b275-4929-8e83-0167c6edf639",
  "AuthOnlyGuid" : "c8741761-10fe-4530-be84-b1289dcdb9a7",
  "NewAmount" : 90.00
})";

// Test cards (Luhn-valid, far from expiry on the tests' dates).
inline constexpr std::string_view kVisa = "4111111111111111";
inline constexpr std::string_view kMastercardTrack2 = "5413330056003511=3012101000000000";
inline constexpr std::string_view kMastercardTrack1 = "B5413330056003511^CUST IMP MC 351/^3012101000000000";

// Chip data: the twelve tags the simulator requires ([SIM] B.CB.GS06) + PAN 5A and expiry 5F24.
inline std::string emv_tags(bool with_pan = true, unsigned drop = 0) {
  struct Tag {
    unsigned tag;
    std::string_view tlv;
  };
  static constexpr Tag kTags[] = {
      {0x5A, "5A084761739001010010"}, {0x5F24, "5F2403301231"}, {0x5F2A, "5F2A020840"}, {0x9F26, "9F2608A1B2C3D4E5F60718"},
      {0x9F27, "9F270180"},          {0x9F10, "9F100706010A03A00000"}, {0x9F37, "9F37041A2B3C4D"},
      {0x9F36, "9F3602000A"},         {0x95, "95050000008000"},         {0x9A, "9A03181010"},
      {0x9C, "9C0100"},               {0x9F02, "9F0206000000001000"},   {0x82, "82021980"},
      {0x9F1A, "9F1A020840"},
  };
  std::string out;
  for (const Tag& t : kTags) {
    if (t.tag == drop || (!with_pan && t.tag == 0x5A)) continue;
    out += t.tlv;
  }
  return out;
}

inline nlohmann::json terminal_data(bool pin) {
  return {{"TerminalCapability", "MAGSTRIPE_ICC_KEYED_ENTRY_ONLY"},
          {"TerminalOperatingEnvironment", "ON_MERCHANT_PREMISES_ATTENDED"},
          {"CardholderAuthenticationMethod", pin ? "PIN" : "NOT_AUTHENTICATED"},
          {"TerminalAuthenticationCapability", "PIN_ENTRY"},
          {"TerminalOutputCapability", "PRINT_AND_DISPLAY"},
          {"MaxPinLength", "12"}};
}

class ConnexPayTest : public ::testing::Test {
 public:
  ManualClock clock{utc(2018, 9, 10, 13, 36, 13)};  // the document's sale example date
  HostSimConfig config{};
  FakePinVerifier pin;   // answers yes unless a test says otherwise
  FakeChipIssuer issuer;
  HostSimulator sim{config, clock, nullptr, &pin, &issuer};
  std::string bearer;
  int orders = 0;

  const ConnexPayConfig& cx() { return sim.connexpay().config(); }

  ServerAction token_request(std::string body) {
    http::Request r;
    r.method = http::Method::post;
    r.target = "/api/v1/token";
    r.body = std::move(body);
    r.set_header("Content-Type", "application/x-www-form-urlencoded");
    return sim.handle(r);
  }
  std::string fresh_token() {
    const auto a = token_request("grant_type=password&username=tender-test&password=tender-test-secret");
    return body_of(a).value("access_token", "");
  }
  ServerAction call(http::Method m, std::string target, std::string body = {}) {
    if (bearer.empty()) bearer = fresh_token();
    auto r = request(m, std::move(target), std::move(body));
    r.set_header("Authorization", "Bearer " + bearer);
    return sim.handle(r);
  }
  ServerAction post(std::string target, const nlohmann::json& body) {
    return call(http::Method::post, std::move(target), body.dump());
  }
  nlohmann::json get(const std::string& collection, const std::string& guid) {
    return body_of(call(http::Method::get, "/api/v1/" + collection + "/" + guid));
  }

  // A terminal's sale as WIRE.md describes it, keyed, with its own reference.
  nlohmann::json keyed(double amount, std::string_view pan = kVisa, std::string_view expiry = "3012") {
    ++orders;
    char order[40];
    std::snprintf(order, sizeof order, "3f0c2b1e-9a8d-4c7b-b6a5-%012d", orders);
    std::string sequence(order);
    std::erase(sequence, '-');
    return {{"DeviceGuid", cx().device_guid},
            {"Amount", amount},
            {"OrderNumber", order},
            {"SequenceNumber", sequence},
            {"TenderType", "Credit"},
            {"ConnexPayTransaction", {{"ExpectedPayments", 1}}},
            {"RiskData", nlohmann::json::object()},
            {"SendReceipt", false},
            {"CardDataSource", "MANUAL"},
            {"Card", {{"CardNumber", pan}, {"ExpirationDate", expiry}, {"Cvv2", "999"}}}};
  }
  nlohmann::json swiped(double amount) {
    nlohmann::json b = keyed(amount);
    b["CardDataSource"] = "SWIPE";
    b["Card"] = {{"Track2Data", kMastercardTrack2}, {"ExpirationDate", "3012"}};
    b["TerminalData"] = terminal_data(false);
    return b;
  }
  nlohmann::json chip(double amount) {
    nlohmann::json b = keyed(amount);
    b["CardDataSource"] = "EMV";
    b["Card"] = {{"EmvTags", emv_tags()}, {"ExpirationDate", "3012"}};
    b["TerminalData"] = terminal_data(false);
    return b;
  }
  nlohmann::json fallback(double amount) {
    nlohmann::json b = swiped(amount);
    b["CardDataSource"] = "FALLBACK_SWIPE";
    b["EmvFallbackCondition"] = "ICC_TERMINAL_ERROR";
    b["LastChipRead"] = "FAILED";
    return b;
  }

  nlohmann::json ok_sale(const nlohmann::json& body, std::string_view path = "/api/v1/sales") {
    const auto a = post(std::string(path), body);
    EXPECT_EQ(a.response.status, 200);
    return body_of(a);
  }
  nlohmann::json close_batch(const std::string& device) {
    const auto a = post("/api/v1/Batches/close", {{"DeviceGuid", device}});
    EXPECT_EQ(a.response.status, 200);
    return body_of(a);
  }
  // The 422 refusal of `rule`, its documented text.
  static std::string text_of(connexpay::Rule rule) { return connexpay::refusal_message(connexpay::row_of(rule)); }
  void expect_refused(const ServerAction& a, connexpay::Rule rule) {
    EXPECT_EQ(a.response.status, 422);
    const auto b = body_of(a);
    EXPECT_EQ(b.value("message", ""), text_of(rule));
    EXPECT_TRUE(b.contains("errorId"));
  }
};

}  // namespace tender::net::hostsim::test
