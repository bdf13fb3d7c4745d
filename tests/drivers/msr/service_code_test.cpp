#include "drivers/msr/service_code.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace tender::msr {
namespace {

using Interchange = ServiceCode::Interchange;
using Authorization = ServiceCode::Authorization;
using Services = ServiceCode::Services;

ServiceCode code(std::string_view digits) {
  auto parsed = parse_service_code(digits);
  EXPECT_TRUE(parsed) << digits;
  return parsed.value_or(ServiceCode{{'0', '0', '0'}});
}

struct Row {
  std::string_view digits;
  Interchange interchange;
  Authorization authorization;
  Services services;
  bool chip;
  bool pin;
  bool prompt;
};

TEST(ServiceCode, KnownCodes) {
  // clang-format off
  const Row rows[] = {
      {"101", Interchange::international, Authorization::normal, Services::no_restrictions, false, false, false},
      {"120", Interchange::international, Authorization::by_issuer, Services::no_restrictions_pin_required, false, true, false},
      {"201", Interchange::international_ic, Authorization::normal, Services::no_restrictions, true, false, false},
      {"221", Interchange::international_ic, Authorization::by_issuer, Services::no_restrictions, true, false, false},
      {"226", Interchange::international_ic, Authorization::by_issuer, Services::no_restrictions_prompt_pin, true, false, true},
      {"601", Interchange::national_ic, Authorization::normal, Services::no_restrictions, true, false, false},
      {"702", Interchange::private_, Authorization::normal, Services::goods_and_services_only, false, false, false},
      {"503", Interchange::national, Authorization::normal, Services::atm_only_pin_required, false, true, false},
      {"104", Interchange::international, Authorization::normal, Services::cash_only, false, false, false},
      {"145", Interchange::international, Authorization::by_issuer_unless_agreement, Services::goods_services_only_pin_required, false, true, false},
      {"907", Interchange::test, Authorization::normal, Services::goods_services_only_prompt_pin, false, false, true},
  };
  // clang-format on
  for (const Row& row : rows) {
    const ServiceCode sc = code(row.digits);
    EXPECT_EQ(sc.str(), row.digits);
    EXPECT_EQ(sc.interchange(), row.interchange) << row.digits;
    EXPECT_EQ(sc.authorization(), row.authorization) << row.digits;
    EXPECT_EQ(sc.services(), row.services) << row.digits;
    EXPECT_EQ(sc.chip_card(), row.chip) << row.digits;
    EXPECT_EQ(sc.pin_required(), row.pin) << row.digits;
    EXPECT_EQ(sc.prompt_if_pin_pad(), row.prompt) << row.digits;
  }
}

TEST(ServiceCode, ReservedDigitsDecodeToUnknown) {
  for (std::string_view digits : {"018", "319", "489", "838", "058"}) {
    const ServiceCode sc = code(digits);
    EXPECT_EQ(sc.interchange(), Interchange::unknown) << digits;
    EXPECT_FALSE(sc.chip_card()) << digits;
  }
  EXPECT_EQ(code("113").authorization(), Authorization::unknown);
  EXPECT_EQ(code("198").authorization(), Authorization::unknown);
  EXPECT_EQ(code("108").services(), Services::unknown);
  EXPECT_EQ(code("109").services(), Services::unknown);
  EXPECT_FALSE(code("108").pin_required());
  EXPECT_FALSE(code("109").prompt_if_pin_pad());
}

TEST(ServiceCode, EveryCodeDecodesWithoutSurprise) {
  // Exhaustive: every one of the 1000 codes parses and has a description.
  for (int n = 0; n < 1000; ++n) {
    std::string digits = std::to_string(n);
    digits.insert(0, 3 - digits.size(), '0');
    const ServiceCode sc = code(digits);
    EXPECT_FALSE(describe(sc.interchange()).empty());
    EXPECT_FALSE(describe(sc.authorization()).empty());
    EXPECT_FALSE(describe(sc.services()).empty());
    EXPECT_FALSE(sc.pin_required() && sc.prompt_if_pin_pad());
  }
}

TEST(ServiceCode, ParseRejectsBadInput) {
  EXPECT_EQ(parse_service_code("").error().code, Errc::malformed);
  EXPECT_EQ(parse_service_code("20").error().code, Errc::malformed);
  EXPECT_EQ(parse_service_code("2011").error().code, Errc::malformed);
  EXPECT_EQ(parse_service_code("2A1").error().code, Errc::malformed);
  EXPECT_EQ(parse_service_code(" 01").error().code, Errc::malformed);
  EXPECT_NE(parse_service_code("2A1").error().message.find("position 2"), std::string::npos);
}

TEST(ServiceCode, HandBuiltNonDigitsAreUnknownNotUndefined) {
  const ServiceCode sc{{'x', '/', ':'}};
  EXPECT_EQ(sc.interchange(), Interchange::unknown);
  EXPECT_EQ(sc.authorization(), Authorization::unknown);
  EXPECT_EQ(sc.services(), Services::unknown);
  EXPECT_FALSE(sc.chip_card());
}

TEST(ServiceCode, DescriptionsAreDistinct) {
  std::set<std::string_view> interchange;
  for (int i = 0; i <= static_cast<int>(Interchange::unknown); ++i)
    interchange.insert(describe(static_cast<Interchange>(i)));
  EXPECT_EQ(interchange.size(), 7U);
  std::set<std::string_view> authorization;
  for (int i = 0; i <= static_cast<int>(Authorization::unknown); ++i)
    authorization.insert(describe(static_cast<Authorization>(i)));
  EXPECT_EQ(authorization.size(), 4U);
  std::set<std::string_view> services;
  for (int i = 0; i <= static_cast<int>(Services::unknown); ++i)
    services.insert(describe(static_cast<Services>(i)));
  EXPECT_EQ(services.size(), 9U);
  EXPECT_EQ(describe(Services::atm_only_pin_required), "ATM only, PIN required");
}

}  // namespace
}  // namespace tender::msr
