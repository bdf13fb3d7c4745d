#include "app/terminal/issuer_response.hpp"

#include <gtest/gtest.h>

#include "tests/test_hex.hpp"

namespace tender::app {
namespace {

using tender::test::hex;

TEST(IssuerResponse, SplitsArcArpcAndScripts) {
  // 8A "00", 91 (ARPC + ARC), a 71 script with one command, an unrelated 9F36, a 72 script.
  const Bytes tags = hex("8A023030 910A1122334455667788 3030 710A9F180400000001 860100 9F36020005 72068604 841E0000");
  auto r = online_response_from_issuer_tags(tags);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_TRUE(r->host_reached);
  EXPECT_EQ(to_hex(r->arc), "3030");
  EXPECT_EQ(to_hex(r->issuer_authentication_data), "11223344556677883030");
  EXPECT_EQ(to_hex(r->issuer_scripts), "710A9F180400000001860100" "72068604841E0000");
}

TEST(IssuerResponse, EmptyAndMalformed) {
  auto empty = online_response_from_issuer_tags({});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->host_reached);
  EXPECT_TRUE(empty->arc.empty());
  EXPECT_EQ(online_response_from_issuer_tags(hex("8A0530")).error().code, Errc::malformed);
}

}  // namespace
}  // namespace tender::app
