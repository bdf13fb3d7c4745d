#include <gtest/gtest.h>

#include "net/host/host_adapter.hpp"
#include "net/host/json_edge.hpp"

namespace tender::net::host {
namespace {

Result<Money> decimal(std::string_view json_number, Currency currency = usd()) {
  auto json = parse_json(json_number);
  if (!json) return std::move(json).error();
  return money_from_json(*json, AmountUnit::decimal, currency, "amount");
}

TEST(JsonEdge, DecimalsParseExactlyFromTheJsonText) {
  EXPECT_EQ(decimal("0.10")->minor_units(), 10);
  EXPECT_EQ(decimal("0.1")->minor_units(), 10);
  EXPECT_EQ(decimal("19.99")->minor_units(), 1999);
  EXPECT_EQ(decimal("1234567.89")->minor_units(), 123456789);
  EXPECT_EQ(decimal("10")->minor_units(), 1000);
  EXPECT_EQ(decimal("97.85")->minor_units(), 9785);
  EXPECT_EQ(decimal("92233720368547758.07")->minor_units(), 9223372036854775807);  // beyond a double's 53 bits
}

TEST(JsonEdge, MoreDecimalsThanTheCurrencyIsRefused) {
  EXPECT_EQ(decimal("19.999").error().code, Errc::out_of_range);
  EXPECT_EQ(decimal("0.001").error().code, Errc::out_of_range);
  EXPECT_EQ(decimal("1.5", *currency_by_alpha("JPY")).error().code, Errc::out_of_range);
  EXPECT_FALSE(decimal("1e2"));  // exponents are not exact amounts
  EXPECT_FALSE(decimal("\"19.99\""));  // a string is not a number
  EXPECT_EQ(decimal("92233720368547758.08").error().code, Errc::out_of_range);
}

TEST(JsonEdge, MinorUnitsMustBeIntegers) {
  auto json = parse_json("{\"amount\":1299,\"bad\":12.99}");
  ASSERT_TRUE(json);
  EXPECT_EQ(money_from_json((*json)["amount"], AmountUnit::minor_units, usd(), "amount")->minor_units(), 1299);
  EXPECT_EQ(money_from_json((*json)["bad"], AmountUnit::minor_units, usd(), "bad").error().code, Errc::malformed);
}

TEST(JsonEdge, WriterWritesDecimalsFromMinorUnits) {
  JsonWriter w;
  w.begin_object().decimal("a", Money(10, usd())).decimal("b", Money(1999, usd())).decimal("c", Money(123456789, usd()));
  w.string("s", "q\"x").null("n").boolean("t", true).integer("i", -5).begin_array("arr").string_element("x").end_array();
  w.key("o").begin_object().integer("k", 1).end_object().end_object();
  EXPECT_EQ(w.text(), R"({"a":0.10,"b":19.99,"c":1234567.89,"s":"q\"x","n":null,"t":true,"i":-5,"arr":["x"],"o":{"k":1}})");
  EXPECT_TRUE(parse_json(w.text()));
}

TEST(JsonEdge, MalformedJsonIsATypedErrorNeverAThrow) {
  for (const char* text : {"", "{", "{\"a\":}", "[1,2", "nul", "{\"a\":1}x"}) {
    auto json = parse_json(text);
    ASSERT_FALSE(json) << text;
    EXPECT_EQ(json.error().code, Errc::malformed);
  }
}

TEST(JsonEdge, FieldAccessChecksTypes) {
  auto json = parse_json(R"({"s":"x","n":1,"z":null})");
  ASSERT_TRUE(json);
  EXPECT_EQ(*string_field(*json, "s"), "x");
  EXPECT_EQ(string_field(*json, "n").error().code, Errc::malformed);
  EXPECT_EQ(string_field(*json, "missing").error().code, Errc::malformed);
  EXPECT_EQ(*optional_string_field(*json, "z"), "");
  EXPECT_FALSE(optional_string_field(*json, "n"));
}

TEST(HostContract, HttpStatusClasses) {
  EXPECT_FALSE(outcome_for_http_status(200));
  EXPECT_EQ(outcome_for_http_status(400), Outcome::error);
  EXPECT_EQ(outcome_for_http_status(404), Outcome::error);
  EXPECT_EQ(outcome_for_http_status(500), Outcome::unknown);
  EXPECT_EQ(outcome_for_http_status(503), Outcome::unknown);
  EXPECT_EQ(unknown_after_transport_error(make_error(Errc::timeout, "x")).outcome, Outcome::unknown);
}

}  // namespace
}  // namespace tender::net::host
