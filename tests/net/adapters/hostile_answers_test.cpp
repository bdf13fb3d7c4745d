// Host answers found by the fuzz targets (tests/fuzz/*_fuzz.cpp), each through the
// adapter's public interface only: a typed result, never undefined behaviour.
#include <gtest/gtest.h>

#include "fake_transport.hpp"
#include "net/fullstack/fullstack_adapter.hpp"

namespace tender::net {
namespace {

using testing::FakeTransport;
using testing::run;

// fullstack_fuzz (seed 2, mutant 9284): a service fee of 2^63-1 beside a surcharge
// overflowed their sum (signed overflow, UB).
TEST(HostileAnswers, FullStackFeesWhoseSumOverflowsAreOutOfRange) {
  FakeTransport transport;
  fullstack::FullStackAdapter adapter{transport, fullstack::FullStackConfig{SecretString("api_test_key"),
                                                                            "1ucio551tlv85l7moe5s", "", usd(),
                                                                            std::chrono::milliseconds(7000)}};
  transport.answer(200, R"({"status":"success","msg":"success","data":{"service_fee":9223372036854775807,
                             "requested_amount":1350,"surcharge":350}})");
  auto fees = run<host::CalculateAmountResult>(
      [&](auto h) { adapter.calculate_amount({Money(1000, usd()), std::nullopt, "517246", "IL", "US"}, h); });
  ASSERT_FALSE(fees);
  EXPECT_EQ(fees.error().code, Errc::out_of_range) << fees.error().describe();
}

}  // namespace
}  // namespace tender::net
