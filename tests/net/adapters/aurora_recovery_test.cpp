// Aurora recovery (net/aurora/aurora_recovery.*): a search of the host's list that adopts a
// transaction only when it can be nothing but the lost request, and never re-sends anything.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "fake_transport.hpp"
#include "net/aurora/aurora_adapter.hpp"
#include "net/aurora/aurora_recovery.hpp"

namespace tender::net::aurora {
namespace {

using host::Fate;
using host::Outcome;
using testing::FakeTransport;
using testing::fixture;
using Json = nlohmann::json;

const std::string kToken = R"({"access_token":"tok-1","token_type":"Bearer","expires_in":3600})";
constexpr std::int64_t kT0 = 1736429270;  // 2025-01-09T13:27:50Z, the documents' day
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 24 * kHour;

std::string at(std::int64_t unix) {
  using namespace std::chrono;
  const sys_seconds t{seconds{unix}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.6993001Z", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

// A list item in RAW S1's shape, with the schema's typeId.
Json item(const std::string& id, std::int64_t when, std::string_view total, std::string_view last4,
          std::string_view status = "Captured", int type = 2, std::string_view processor = "proc-1") {
  return Json{{"id", id},
              {"paymentProcessorId", processor},
              {"date", at(when)},
              {"baseAmount", Json::parse(total)},
              {"totalAmount", Json::parse(total)},
              {"customerPan", "************" + std::string(last4)},
              {"status", status},
              {"statusId", 2},
              {"typeId", type},
              {"type", type == 2 ? "Sale" : "Refund"},
              {"batchId", nullptr},
              {"amount", nullptr}};
}

std::string page(const std::vector<Json>& items, std::int64_t total = -1) {
  return Json{{"items", items}, {"total", total < 0 ? static_cast<std::int64_t>(items.size()) : total}}.dump();
}

std::string detail(const std::string& id, std::string_view status, std::string_view total, std::string_view last4,
                   std::string_view tip = "0", std::optional<int> card_data_source = std::nullopt, int type = 2) {
  auto d = Json::parse(fixture("aurora_transaction_detail.json"));
  if (card_data_source) d["cardDataSourceId"] = *card_data_source;
  d["transactionTypeId"] = type;  // RAW's detail is an Authorization (1); most here are sales
  d["transactionId"] = id;
  d["status"] = status;
  d["customerPan"] = "************" + std::string(last4);
  d["amount"]["baseAmount"] = Json::parse(total);
  d["amount"]["totalAmount"] = Json::parse(total);
  d["amount"]["tipAmount"] = Json::parse(tip);
  return d.dump();
}

// What recovery matches the host's masked customerPan against.
TEST(AuroraRecoveryCard, LastFourFromEveryReader) {
  host::AuthorizationRequest r;
  r.card.pan = SecretString("4111111111114512");
  EXPECT_EQ(card_last4(r), "4512");
  r.card = {};
  r.card.track2 = SecretString(";5413330089010434=30121200000000000000?");
  EXPECT_EQ(card_last4(r), "0434");
  r.card = {};
  r.card.track1 = SecretString("%B5413330056003511^CUST IMP MC 351/^2512101000000000?");
  EXPECT_EQ(card_last4(r), "3511");
  r.card = {};
  // 57 inside template 70, and 5A (F-padded) at the top.
  r.emv = host::EmvData{Bytes{0x70, 0x0A, 0x57, 0x08, 0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x00, 0x10}, {}, {}};
  EXPECT_EQ(card_last4(r), "0010");
  r.emv->tags = {0x5A, 0x08, 0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x00, 0x10};
  EXPECT_EQ(card_last4(r), "0010");
  r.emv->tags = {0x57, 0x0A, 0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x00, 0x19, 0xD3, 0x01};
  EXPECT_EQ(card_last4(r), "0019");
  r.emv->tags = {0x9F, 0x26, 0x01};
  EXPECT_EQ(card_last4(r), "");
}

struct AuroraRecovery : ::testing::Test {
  FakeTransport api;
  FakeTransport oauth;
  AuroraAdapter adapter{api, oauth,
                        AuroraConfig{"c", SecretString("s"), "proc-1", usd(), std::chrono::milliseconds(5000), std::chrono::seconds(60)}};

  void SetUp() override { oauth.answer(200, kToken); }

  // A keyed sale of 12.34 on a card ending 1111, sent at kT0.
  static host::RecoveryQuery sale_query() {
    host::RecoveryQuery q;
    q.operation = host::Operation::sale;
    q.reference_id = "6f1c2a9e-3b7d-4e21-9c55-0a8b7e6d5f43";
    q.first_sent_unix = kT0;
    q.last_sent_unix = kT0 + 5;
    host::AuthorizationRequest r;
    r.reference_id = q.reference_id;
    r.amount = Money(1234, usd());
    r.entry_mode = host::EntryMode::keyed;
    r.card.pan = SecretString("4111111111111111");
    r.card.expiry_yymm = SecretString("3012");
    q.request = r;
    return q;
  }
  host::RecoveryResult recover(host::RecoveryQuery q) {
    host::RecoveryResult out{Fate::not_known_yet, {}, "handler not called"};
    adapter.recover(std::move(q), [&](host::RecoveryResult r) { out = std::move(r); });
    return out;
  }
  void expect_only_reads() {
    for (const auto& r : api.requests) {
      EXPECT_EQ(r.method, http::Method::get) << r.target;
      EXPECT_EQ(r.target.find("referenceId"), std::string::npos) << r.target;
    }
  }
};

TEST_F(AuroraRecovery, AdoptsTheOneRecordThatCanOnlyBeItsOwn) {
  auto q = sale_query();
  q.known_host_references = {"known-1"};
  api.answer(200, page({item("stranger-card", kT0 + 1, "12.34", "9999"),  // another card
                        item("known-1", kT0 + 1, "12.34", "1111"),        // the terminal's own other sale
                        item("other-amount", kT0 + 2, "12.35", "1111"),
                        item("other-processor", kT0 + 2, "12.34", "1111", "Captured", 2, "proc-2"),
                        item("an-auth", kT0 + 2, "12.34", "1111", "Authorized", 1),
                        item("ours", kT0 + 2, "12.34", "1111"),
                        item("old", kT0 - 2 * kDay, "1.00", "0000")}));
  api.answer(200, detail("ours", "Captured", "12.34", "1111"));
  const auto r = recover(q);
  EXPECT_EQ(r.fate, Fate::done) << r.why;
  EXPECT_EQ(r.result.outcome, Outcome::approved);
  EXPECT_EQ(r.result.host_reference, "ours");
  EXPECT_EQ(r.result.auth_code, "A0000");
  EXPECT_EQ(r.result.approved_amount, Money(1234, usd()));
  ASSERT_EQ(api.requests.size(), 2U);
  EXPECT_EQ(api.requests[0].target, "/pay-api/v1/transactions?page=0&pageSize=100&asc=false&orderBy=date");
  EXPECT_EQ(api.requests[1].target, "/pay-api/v1/transactions/ours");
  expect_only_reads();
}

// RAW's own list: sixteen records alike but for id and date. A 1.10 sale on a card ending 4512
// matches every one: held for the merchant, never adopted.
TEST_F(AuroraRecovery, NeverAdoptsOneOfTheDocumentsSixteenLookalikes) {
  AuroraAdapter same_processor{api, oauth,
                               AuroraConfig{"c", SecretString("s"), "6396c8e4-838c-4aa8-b213-45ec8cd266e6", usd(),
                                            std::chrono::milliseconds(5000), std::chrono::seconds(60)}};
  auto q = sale_query();
  q.request->amount = Money(110, usd());
  q.request->card.pan = SecretString("4000000000004512");
  q.first_sent_unix = q.last_sent_unix = kT0;
  api.answer(200, fixture("aurora_list_response.json"));
  host::RecoveryResult r{Fate::done, {}, ""};
  same_processor.recover(q, [&](host::RecoveryResult x) { r = std::move(x); });
  EXPECT_EQ(r.fate, Fate::ambiguous) << r.why;
  EXPECT_TRUE(r.result.host_reference.empty());
  // Made for another payment processor: none of them is ours, and the list was read to its end.
  oauth.answer(200, kToken);
  api.answer(200, fixture("aurora_list_response.json"));
  EXPECT_EQ(recover(q).fate, Fate::not_at_host);
  expect_only_reads();
}

TEST_F(AuroraRecovery, AStrangersTwinMakesItAmbiguous) {
  api.answer(200, page({item("stranger", kT0 + 1, "12.34", "1111"), item("ours", kT0 + 2, "12.34", "1111")}));
  api.answer(200, detail("stranger", "Captured", "12.34", "1111", "0", 7));
  api.answer(200, detail("ours", "Captured", "12.34", "1111", "0", 7));
  const auto r = recover(sale_query());
  EXPECT_EQ(r.fate, Fate::ambiguous) << r.why;
  EXPECT_EQ(api.requests.size(), 3U);
  // The stranger's detail shows its card was read by chip (cardDataSourceId 4), ours was keyed
  // (7): not a lookalike after all.
  api.answer(200, page({item("stranger", kT0 + 1, "12.34", "1111"), item("ours", kT0 + 2, "12.34", "1111")}));
  api.answer(200, detail("stranger", "Captured", "12.34", "1111", "0", 4));
  api.answer(200, detail("ours", "Captured", "12.34", "1111", "0", 7));
  const auto found = recover(sale_query());
  EXPECT_EQ(found.fate, Fate::done) << found.why;
  EXPECT_EQ(found.result.host_reference, "ours");
  // Too many lookalikes to look at: held without reading them.
  std::vector<Json> many;
  for (std::size_t i = 0; i <= recovery::kMaxDetails; ++i) many.push_back(item("l" + std::to_string(i), kT0, "12.34", "1111"));
  api.requests.clear();
  api.answer(200, page(many));
  EXPECT_EQ(recover(sale_query()).fate, Fate::ambiguous);
  EXPECT_EQ(api.requests.size(), 1U);
}

// A chip sale's record shows its application cryptogram (detail emvTags.ac, IOS L3631): the
// one that shows this request's 9F26 is this request; one that shows another never is.
TEST_F(AuroraRecovery, AChipSaleIsKnownByItsCryptogram) {
  auto q = sale_query();
  q.request->entry_mode = host::EntryMode::chip;
  q.request->card = {};
  q.request->emv = host::EmvData{Bytes{0x5A, 0x08, 0x41, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x9F, 0x26, 0x08, 1, 2, 3,
                                       4, 5, 6, 7, 8},
                                 std::nullopt, std::nullopt};
  const auto chip_detail = [](const std::string& id, std::string_view ac) {
    auto d = Json::parse(detail(id, "Captured", "12.34", "1111", "0", 4));
    d["emvTags"] = Json{{"ac", ac}, {"tvr", "0000000000"}, {"aid", "A0000000031010"}};
    return d.dump();
  };
  // A stranger's identical chip sale, and ours, at the same minute: ours by its cryptogram.
  api.answer(200, page({item("stranger", kT0 + 1, "12.34", "1111"), item("ours", kT0 + 2, "12.34", "1111")}));
  api.answer(200, chip_detail("stranger", "A1B2C3D4E5F60718"));
  api.answer(200, chip_detail("ours", "0102030405060708"));
  auto r = recover(q);
  EXPECT_EQ(r.fate, Fate::done) << r.why;
  EXPECT_EQ(r.result.host_reference, "ours");
  // Ours never arrived; the stranger's alone, same amount, card and minute: never adopted.
  api.answer(200, page({item("stranger", kT0 + 1, "12.34", "1111")}));
  api.answer(200, chip_detail("stranger", "A1B2C3D4E5F60718"));
  EXPECT_EQ(recover(q).fate, Fate::not_at_host);
  EXPECT_EQ(request_cryptogram(*q.request), "0102030405060708");
}

TEST_F(AuroraRecovery, SeveralMatchesAreNarrowedToTheAttemptsTime) {
  api.answer(200, page({item("ours", kT0 + 3, "12.34", "1111"), item("this-morning", kT0 - 5 * kHour, "12.34", "1111")}));
  api.answer(200, detail("ours", "Captured", "12.34", "1111"));
  api.answer(200, detail("this-morning", "Captured", "12.34", "1111"));
  const auto r = recover(sale_query());
  EXPECT_EQ(r.fate, Fate::done) << r.why;
  EXPECT_EQ(r.result.host_reference, "ours");
}

TEST_F(AuroraRecovery, NotAtHostOnlyOnceTheListWasReadBackADay) {
  std::vector<Json> recent;
  for (int i = 0; i < 100; ++i) recent.push_back(item("r" + std::to_string(i), kT0 - i * 60, "5.00", "2222"));
  api.answer(200, page(recent, 5000));
  api.answer(200, page({item("yesterday", kT0 - kDay - kHour, "12.34", "1111")}, 5000));
  auto r = recover(sale_query());
  EXPECT_EQ(r.fate, Fate::not_at_host) << r.why;
  EXPECT_EQ(api.requests.size(), 2U);
  EXPECT_EQ(api.requests[1].target, "/pay-api/v1/transactions?page=1&pageSize=100&asc=false&orderBy=date");

  // A busy day: kMaxPages pages and still within the day: not known yet, never "not there".
  api.requests.clear();
  for (int p = 0; p < recovery::kMaxPages; ++p) {
    std::vector<Json> items;
    for (int i = 0; i < 100; ++i) items.push_back(item("p" + std::to_string(p) + "-" + std::to_string(i), kT0 - (p * 100 + i), "5.00", "2222"));
    api.answer(200, page(items, 100'000));
  }
  r = recover(sale_query());
  EXPECT_EQ(r.fate, Fate::not_known_yet) << r.why;
  EXPECT_EQ(api.requests.size(), static_cast<std::size_t>(recovery::kMaxPages));
}

TEST_F(AuroraRecovery, AListOutOfOrderIsReadToItsEnd) {
  std::vector<Json> items;
  items.push_back(item("old", kT0 - 3 * kDay, "1.00", "2222"));
  for (int i = 0; i < 99; ++i) items.push_back(item("n" + std::to_string(i), kT0 - i, "5.00", "2222"));
  api.answer(200, page(items, 150));
  api.answer(200, page({item("ours", kT0 + 1, "12.34", "1111")}, 150));  // newer, on the second page
  api.answer(200, detail("ours", "Captured", "12.34", "1111"));
  EXPECT_EQ(recover(sale_query()).fate, Fate::done);
}

// A lookalike away from the attempts' time is never "not at the host" and never adopted: a
// terminal clock three days slow (or yesterday's same purchase) is held for the merchant.
TEST_F(AuroraRecovery, ALookalikeAwayFromTheAttemptsIsHeldNeverLost) {
  auto q = sale_query();
  q.first_sent_unix = kT0 - 3 * kDay;  // the terminal's clock was three days slow
  q.last_sent_unix = kT0 - 3 * kDay;
  api.answer(200, page({item("ours", kT0, "12.34", "1111")}));
  api.answer(200, detail("ours", "Captured", "12.34", "1111"));
  EXPECT_EQ(recover(q).fate, Fate::ambiguous);
  api.answer(200, page({item("this-morning", kT0 - 5 * kHour, "12.34", "1111")}));
  api.answer(200, detail("this-morning", "Captured", "12.34", "1111"));
  EXPECT_EQ(recover(sale_query()).fate, Fate::ambiguous);
}

// A terminal clock ahead of the host's would stop the search before the request's record: the
// host's Date header tells, and the answer is "not known yet", never "not at the host".
TEST_F(AuroraRecovery, OurClockAheadOfTheHostsIsNotTrusted) {
  auto q = sale_query();
  q.first_sent_unix = q.last_sent_unix = kT0 + 3 * kDay;
  api.answer(200, page({item("ours", kT0, "12.34", "1111")}), {{"Date", "Thu, 09 Jan 2025 13:28:00 GMT"}});
  EXPECT_EQ(recover(q).fate, Fate::not_known_yet);
  EXPECT_EQ(parse_http_date("Thu, 09 Jan 2025 13:28:00 GMT"), kT0 + 10);
  EXPECT_FALSE(parse_http_date("Thursday, 09-Jan-25 13:28:00 GMT"));
  // Within the day, it is read as usual.
  q.first_sent_unix = q.last_sent_unix = kT0 + 5;
  api.answer(200, page({item("ours", kT0, "12.34", "1111")}), {{"Date", "Thu, 09 Jan 2025 13:28:00 GMT"}});
  api.answer(200, detail("ours", "Captured", "12.34", "1111"));
  EXPECT_EQ(recover(q).fate, Fate::done);
}

TEST_F(AuroraRecovery, ARecordThatShowsTooLittleIsNeverAdopted) {
  auto bare = item("ours", kT0 + 1, "12.34", "1111");
  bare.erase("customerPan");
  api.answer(200, page({bare}));
  auto bare_detail = Json::parse(detail("ours", "Captured", "12.34", "1111"));
  bare_detail.erase("customerPan");
  api.answer(200, bare_detail.dump());
  EXPECT_EQ(recover(sale_query()).fate, Fate::ambiguous);
  auto no_card = sale_query();
  no_card.request->card = {};
  no_card.request->entry_mode = host::EntryMode::swiped;
  api.answer(200, page({item("ours", kT0 + 1, "12.34", "1111")}));
  api.answer(200, detail("ours", "Captured", "12.34", "1111"));
  EXPECT_EQ(recover(no_card).fate, Fate::ambiguous);
}

TEST_F(AuroraRecovery, UndecidedUnreachableOrRefusedIsNotKnownYet) {
  api.answer(200, page({item("ours", kT0 + 1, "12.34", "1111", "Pending")}));
  api.answer(200, detail("ours", "Pending", "12.34", "1111"));
  EXPECT_EQ(recover(sale_query()).fate, Fate::not_known_yet);
  api.fail(Errc::timeout);
  EXPECT_EQ(recover(sale_query()).fate, Fate::not_known_yet);
  api.answer(503, "");
  EXPECT_EQ(recover(sale_query()).fate, Fate::not_known_yet);
  api.answer(400, R"({"details":"page must be >= 1"})");
  EXPECT_EQ(recover(sale_query()).fate, Fate::not_known_yet);
  api.answer(200, "{\"items\": 7}");
  EXPECT_EQ(recover(sale_query()).fate, Fate::not_known_yet);
  // Found, but its detail cannot be read.
  api.answer(200, page({item("ours", kT0 + 1, "12.34", "1111")}));
  api.fail(Errc::io_error);
  EXPECT_EQ(recover(sale_query()).fate, Fate::not_known_yet);
  expect_only_reads();
}

TEST_F(AuroraRecovery, ADeclinedSaleIsFoundDeclined) {
  api.answer(200, page({item("ours", kT0 + 1, "12.34", "1111", "Declined")}));
  api.answer(200, detail("ours", "Declined", "12.34", "1111"));
  const auto r = recover(sale_query());
  EXPECT_EQ(r.fate, Fate::done);
  EXPECT_EQ(r.result.outcome, Outcome::declined);
  EXPECT_FALSE(r.result.approved_amount);
}

host::RecoveryQuery follow_on(host::Operation op, std::optional<Money> amount) {
  host::RecoveryQuery q;
  q.operation = op;
  q.reference_id = "7a1c2a9e-3b7d-4e21-9c55-0a8b7e6d5f43";
  q.first_sent_unix = q.last_sent_unix = kT0;
  q.original_host_reference = "orig";
  q.amount = amount;
  q.original_amount = Money(1000, usd());
  return q;
}

TEST_F(AuroraRecovery, AVoidIsReadFromTheOriginalsStatus) {
  api.answer(200, detail("orig", "Voided", "10", "1111"));
  auto r = recover(follow_on(host::Operation::void_, std::nullopt));
  EXPECT_EQ(r.fate, Fate::done) << r.why;
  EXPECT_EQ(r.result.outcome, Outcome::approved);
  EXPECT_EQ(api.requests.back().target, "/pay-api/v1/transactions/orig");
  for (std::string_view live : {"Authorized", "Captured", "Settled"}) {
    api.answer(200, detail("orig", live, "10", "1111"));
    EXPECT_EQ(recover(follow_on(host::Operation::void_, std::nullopt)).fate, Fate::not_at_host) << live;
  }
  api.answer(200, detail("orig", "Pending", "10", "1111"));
  EXPECT_EQ(recover(follow_on(host::Operation::void_, std::nullopt)).fate, Fate::not_known_yet);
  api.answer(404, "");
  EXPECT_EQ(recover(follow_on(host::Operation::void_, std::nullopt)).fate, Fate::ambiguous);
  api.answer(500, "");
  EXPECT_EQ(recover(follow_on(host::Operation::void_, std::nullopt)).fate, Fate::not_known_yet);
  expect_only_reads();
}

TEST_F(AuroraRecovery, ACaptureAndATipAreReadFromTheOriginalsRecord) {
  api.answer(200, detail("orig", "Captured", "8", "1111"));
  auto r = recover(follow_on(host::Operation::capture, Money(800, usd())));
  EXPECT_EQ(r.fate, Fate::done) << r.why;
  EXPECT_EQ(r.result.approved_amount, Money(800, usd()));
  api.answer(200, detail("orig", "Authorized", "10", "1111"));
  EXPECT_EQ(recover(follow_on(host::Operation::capture, Money(800, usd()))).fate, Fate::not_at_host);
  api.answer(200, detail("orig", "Captured", "9", "1111"));
  EXPECT_EQ(recover(follow_on(host::Operation::capture, Money(800, usd()))).fate, Fate::ambiguous);

  api.answer(200, detail("orig", "Captured", "12", "1111", "2"));
  EXPECT_EQ(recover(follow_on(host::Operation::tip_adjust, Money(200, usd()))).fate, Fate::done);
  api.answer(200, detail("orig", "Captured", "10", "1111", "0"));
  EXPECT_EQ(recover(follow_on(host::Operation::tip_adjust, Money(200, usd()))).fate, Fate::not_at_host);
  expect_only_reads();
}

TEST_F(AuroraRecovery, ARefundIsFoundAsAReturnOnTheOriginalsCard) {
  auto q = follow_on(host::Operation::refund, Money(300, usd()));
  api.answer(200, detail("orig", "Settled", "10", "4512"));
  api.answer(200, page({item("stranger-return", kT0 + 1, "3", "9999", "Captured", 5),
                        item("a-sale", kT0 + 1, "3", "4512", "Captured", 2), item("our-return", kT0 + 2, "3", "4512", "Captured", 5)}));
  api.answer(200, detail("our-return", "Captured", "3", "4512", "0", std::nullopt, 5));
  auto r = recover(q);
  EXPECT_EQ(r.fate, Fate::done) << r.why;
  EXPECT_EQ(r.result.host_reference, "our-return");
  // Nothing like it: not at the host. No amount asked: what was left to refund.
  q.amount = std::nullopt;
  q.refunded_before = Money(700, usd());
  api.answer(200, detail("orig", "Settled", "10", "4512"));
  api.answer(200, page({item("our-return", kT0 + 2, "3", "4512", "Captured", 5)}));
  api.answer(200, detail("our-return", "Captured", "3", "4512", "0", std::nullopt, 5));
  EXPECT_EQ(recover(q).fate, Fate::done);
  api.answer(200, detail("orig", "Settled", "10", "4512"));
  api.answer(200, page({item("a-sale", kT0 + 1, "3", "4512", "Captured", 2)}));
  EXPECT_EQ(recover(follow_on(host::Operation::refund, Money(300, usd()))).fate, Fate::not_at_host);
  expect_only_reads();
}

TEST_F(AuroraRecovery, AVerificationWasNeverSent) {
  auto q = sale_query();
  q.operation = host::Operation::verify;
  EXPECT_EQ(recover(q).fate, Fate::not_at_host);
  EXPECT_TRUE(api.requests.empty());
}

}  // namespace
}  // namespace tender::net::aurora
