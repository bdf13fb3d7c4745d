// The config file against numbers a JSON parser cannot hold (found by config_fuzz):
// nlohmann throws out_of_range, not parse_error, for 1e999, and its message quotes the
// number. Each must be a typed error naming the field, never the value.
#include <gtest/gtest.h>

#include <string>

#include "app/config/settings.hpp"

namespace tender::app {
namespace {

// A valid Aurora file with NUMBER in place of host.timeout_ms and its neighbours marked
// so single fields can be swapped for raw text no JSON library would write.
constexpr std::string_view kTemplate = R"({
  "terminal_id": "TENDER01",
  "merchant": {"name": "TENDER TEST STORE", "address": [ADDRESS], "merchant_id": "MID0001"},
  "currency": "USD", "state_dir": "/var/lib/tender", "device_key": "test",
  "host": {"kind": "aurora", "url": "https://127.0.0.1:8443", "ca_file": "/etc/tender/ca.pem",
           "timeout_ms": TIMEOUT,
           "aurora": {"client_id": "tender-test", "client_secret": "tender-test-secret", "payment_processor_id": "proc-1"}},
  "engine": {"receipt_width": WIDTH, "offline_queue_cap": CAP}
})";

std::string config(std::string timeout = "20000", std::string width = "42", std::string cap = "25",
                   std::string address = "\"1 TEST STREET\"") {
  std::string text(kTemplate);
  const auto put = [&](std::string_view mark, const std::string& value) {
    text.replace(text.find(mark), mark.size(), value);
  };
  put("TIMEOUT", timeout);
  put("WIDTH", width);
  put("CAP", cap);
  put("ADDRESS", address);
  return text;
}

void expect_field_error(const std::string& text, Errc code, const std::string& path, const std::string& value) {
  Result<TerminalSettings> r = make_error(Errc::cancelled, "not run");
  ASSERT_NO_THROW(r = parse_settings(text)) << "for " << path;
  ASSERT_FALSE(r) << "accepted " << path;
  EXPECT_EQ(r.error().code, code) << r.error().describe();
  EXPECT_TRUE(r.error().message.starts_with(path + ":")) << r.error().describe();
  EXPECT_EQ(r.error().message.find(value), std::string::npos) << "quotes the value: " << r.error().describe();
}

TEST(ConfigNumbers, TheTemplateIsValid) {
  auto r = parse_settings(config());
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->host.timeout.count(), 20000);
}

TEST(ConfigNumbers, NumberBeyondADoubleNamesTheFieldNotTheValue) {
  expect_field_error(config("1e999"), Errc::out_of_range, "host.timeout_ms", "1e999");
  expect_field_error(config("20000", "-1e999"), Errc::out_of_range, "engine.receipt_width", "1e999");
  expect_field_error(config("20000", "42", "1E400"), Errc::out_of_range, "engine.offline_queue_cap", "1E400");
  expect_field_error(config("20000", "42", "25", "\"A\", 1e999"), Errc::out_of_range, "merchant.address", "1e999");
  // After an object inside the array, the path is still the array's, not that object's key.
  expect_field_error(config("20000", "42", "25", "{\"k\": 1}, 1e999"), Errc::out_of_range, "merchant.address",
                     "1e999");
}

TEST(ConfigNumbers, NumberBeyondADoubleOutsideAnyObjectNamesTheDocument) {
  expect_field_error("1e999", Errc::out_of_range, "the document", "1e999");
  expect_field_error("[1e999]", Errc::out_of_range, "the document", "1e999");
}

TEST(ConfigNumbers, OtherOddNumbersAreTypedErrors) {
  // A digit run beyond 2^64 parses as a double: not an integer; beyond a double, out of range.
  expect_field_error(config(std::string(30, '9')), Errc::malformed, "host.timeout_ms", "9999999");
  expect_field_error(config(std::string(400, '9')), Errc::out_of_range, "host.timeout_ms", "9999999");
  expect_field_error(config("18446744073709551616"), Errc::malformed, "host.timeout_ms", "18446744073709551616");
  expect_field_error(config("18446744073709551615"), Errc::out_of_range, "host.timeout_ms", "18446744073709551615");
  expect_field_error(config("-9223372036854775808"), Errc::out_of_range, "host.timeout_ms", "9223372036854775808");
  expect_field_error(config("20000", "-0"), Errc::out_of_range, "engine.receipt_width", "-0");
  expect_field_error(config("20000.5"), Errc::malformed, "host.timeout_ms", "20000.5");
  expect_field_error(config("1e3"), Errc::malformed, "host.timeout_ms", "1e3");
}

}  // namespace
}  // namespace tender::app
