// The surcharge rule on its own: what a chip application says of its card, and what the
// host's prices allow for each kind of card.
#include "app/engine/surcharge.hpp"

#include <gtest/gtest.h>

namespace tender::app {
namespace {

namespace host = net::host;

Bytes aid(std::string_view text) { return from_hex(text).value(); }

TEST(ChipFunding, DebitOnlyAidsAreDebitWhateverTheLabel) {
  for (const char* a : {"A0000000980840", "A0000000042203", "A0000001524010", "A0000006200620", "A000000333010108",
                        "A0000000033010", "A0000000032010", "A0000000043060", "A0000002771010"}) {
    EXPECT_EQ(chip_funding(aid(a), "VISA CREDIT", ""), Funding::debit) << a;
  }
  // Partial selection: the card's DF name extends the registered AID.
  EXPECT_EQ(chip_funding(aid("A000000098084001"), "", ""), Funding::debit);
}

TEST(ChipFunding, GlobalAidsTellNothingWithoutTheCardsWords) {
  EXPECT_EQ(chip_funding(aid("A0000000031010"), "VISA CREDIT", ""), Funding::credit);
  EXPECT_EQ(chip_funding(aid("A0000000031010"), "Visa Debit", ""), Funding::debit);
  EXPECT_EQ(chip_funding(aid("A0000000041010"), "MASTERCARD", "PREPAID MC"), Funding::prepaid);
  EXPECT_EQ(chip_funding(aid("A0000000041010"), "CREDIT", "DEBIT MASTERCARD"), Funding::debit);  // debit wins
  EXPECT_EQ(chip_funding(aid("A0000000041010"), "MASTERCARD", ""), Funding::unknown);
  EXPECT_EQ(chip_funding(aid("A00000002501"), "AMERICAN EXPRESS", ""), Funding::unknown);
}

host::CalculateAmountResult prices(std::int64_t credit_surcharge, std::int64_t debit_surcharge = 0) {
  host::CalculateAmountResult p;
  p.card = {Money{1000, usd()}, Money{credit_surcharge, usd()}, Money{0, usd()}, Money{1000 + credit_surcharge, usd()}};
  p.debit = host::AmountBreakdown{Money{1000, usd()}, Money{debit_surcharge, usd()}, Money{0, usd()},
                                  Money{1000 + debit_surcharge, usd()}};
  return p;
}

TEST(DecideSurcharge, OnlyACardShownToBeCreditOrPricedByItsBin) {
  const Money base{1000, usd()};
  EXPECT_EQ(decide_surcharge(prices(30), Funding::credit, false, base).surcharge, Money(30, usd()));
  EXPECT_FALSE(decide_surcharge(prices(30), Funding::unknown, false, base).surcharge);
  EXPECT_EQ(decide_surcharge(prices(30), Funding::unknown, true, base).surcharge, Money(30, usd()));
  EXPECT_FALSE(decide_surcharge(prices(0), Funding::credit, false, base).surcharge);
}

TEST(DecideSurcharge, NeverDebitOrPrepaidEvenWhenTheHostPricesOne) {
  const Money base{1000, usd()};
  for (const Funding f : {Funding::debit, Funding::prepaid}) {
    EXPECT_FALSE(decide_surcharge(prices(30, 30), f, false, base).surcharge) << to_string(f);
    EXPECT_FALSE(decide_surcharge(prices(30), f, true, base).surcharge) << to_string(f);
  }
}

TEST(DecideSurcharge, AnAnswerThatIsNotAPriceOfThisSaleIsIgnored) {
  EXPECT_FALSE(decide_surcharge(prices(30), Funding::credit, false, Money{999, usd()}).surcharge);  // another base
  EXPECT_FALSE(decide_surcharge(prices(-1), Funding::credit, false, Money{1000, usd()}).surcharge);
  EXPECT_EQ(decide_surcharge(prices(40), Funding::credit, false, Money{1000, usd()}).surcharge, Money(40, usd()));  // 4 %
  EXPECT_FALSE(decide_surcharge(prices(41), Funding::credit, false, Money{1000, usd()}).surcharge);  // above any cap
  auto euros = prices(30);
  euros.card.surcharge = Money{30, *currency_by_alpha("EUR")};
  EXPECT_FALSE(decide_surcharge(euros, Funding::credit, false, Money{1000, usd()}).surcharge);
}

}  // namespace
}  // namespace tender::app
