// ConnexPay end to end (adapter -> our http::Client -> real loopback TLS -> our http::Server ->
// the host simulator), in process: the bearer token's life, the sale kinds, follow-ons, settle
// and return, and the recovery of lost answers (timeout reversal, then the search by
// OrderNumber), each checked against the simulator's own books.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/connexpay/connexpay_adapter.hpp"
#include "tests/net/integration/host_link.hpp"

namespace tender::net::connexpay_link_test {
namespace {

using link_test::kDeadline;
using link_test::keyed;  // the documents' Visa test card, keyed
using link_test::uuid;
using namespace std::chrono_literals;
using host::Outcome;
using hostsim::TxnStatus;
using hostsim::TxnType;

// A swipe as the engine hands it over: clear track 2 without sentinels, the YYMM read from it.
host::AuthorizationRequest swiped(int n, std::int64_t cents) {
  host::AuthorizationRequest r = keyed(n, cents);
  r.entry_mode = host::EntryMode::swiped;
  r.card = {};
  r.card.track2 = SecretString("5413330056003511=28121011234567890");
  r.card.expiry_yymm = SecretString("2812");
  return r;
}

// A chip read: 5A + 5F24 and the tags the simulator requires (B.CB.GS06), no PAN or track.
host::AuthorizationRequest chip(int n, std::int64_t cents) {
  host::AuthorizationRequest r = keyed(n, cents);
  r.entry_mode = host::EntryMode::chip;
  r.card = {};
  r.card.expiry_yymm = SecretString("2812");
  const auto amount = static_cast<std::uint8_t>(cents % 100);
  const auto hundreds = static_cast<std::uint8_t>((cents / 100) % 100);
  auto bcd = [](std::uint8_t v) { return static_cast<std::uint8_t>(((v / 10) << 4) | (v % 10)); };
  Bytes tags{0x5A, 0x08, 0x40, 0x12, 0x00, 0x00, 0x98, 0x76, 0x54, 0x39,                     // PAN
             0x5F, 0x24, 0x03, 0x28, 0x12, 0x31,                                                 // expiry
             0x9F, 0x26, 0x08, 1, 2, 3, 4, 5, 6, 7, 8,                                           // ARQC
             0x9F, 0x27, 0x01, 0x80,                                                             // CID
             0x9F, 0x10, 0x07, 0x06, 0x01, 0x0A, 0x03, 0xA0, 0x00, 0x00,                         // IAD
             0x9F, 0x37, 0x04, 0x11, 0x22, 0x33, 0x44,                                           // UN
             0x9F, 0x36, 0x02, 0x00, 0x01,                                                       // ATC
             0x95, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,                                           // TVR
             0x9A, 0x03, 0x25, 0x06, 0x01,                                                       // date
             0x9C, 0x01, 0x00,                                                                   // type
             0x9F, 0x02, 0x06, 0x00, 0x00, 0x00, 0x00, bcd(hundreds), bcd(amount),               // amount
             0x5F, 0x2A, 0x02, 0x08, 0x40,                                                       // currency
             0x82, 0x02, 0x18, 0x00,                                                             // AIP
             0x9F, 0x1A, 0x02, 0x08, 0x40};                                                      // country
  r.emv = host::EmvData{std::move(tags), std::nullopt, std::nullopt};
  return r;
}

// The guid a host_reference ("<kind>:<guid>") names.
std::string guid_of(const std::string& host_reference) {
  const auto colon = host_reference.find(':');
  return colon == std::string::npos ? host_reference : host_reference.substr(colon + 1);
}

bool digits_only(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

#define ASSERT_OK(r) ASSERT_TRUE(r) << (r).error().describe()

// Our client, counting what the adapter sends by path (the token fetches, voids, reversals).
class CountingTransport final : public http::Transport {
 public:
  explicit CountingTransport(http::Transport& inner) : inner_(inner) {}
  void async_send(http::Request request, std::chrono::milliseconds deadline, http::ResponseHandler handler) override {
    std::string path(request.path());
    std::transform(path.begin(), path.end(), path.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    sent_.push_back(std::move(path));
    inner_.async_send(std::move(request), deadline, std::move(handler));
  }
  [[nodiscard]] std::size_t count(std::string_view path) const {
    return static_cast<std::size_t>(std::count(sent_.begin(), sent_.end(), path));
  }

 private:
  http::Transport& inner_;
  std::vector<std::string> sent_;
};

// HostLink's server, simulator, clock and io_context, with the ConnexPay adapter on a client of
// its own behind the counting transport.
class ConnexPayLink : public link_test::HostLink {
 protected:
  void SetUp() override {
    HostLink::SetUp();
    if (HasFatalFailure()) return;
    client_ = make_client();
    ASSERT_TRUE(client_);
    counting_ = std::make_unique<CountingTransport>(*client_);
    const hostsim::ConnexPayConfig merchant;  // the simulator's defaults
    connexpay::ConnexPayConfig config;
    config.username = merchant.username;
    config.password = SecretString(merchant.password);
    config.device_guid = merchant.device_guid;
    config.merchant_guid = merchant.merchant_guid;
    config.deadline = kDeadline;
    // The terminal's clock agrees with the host's.
    config.unix_now = [this] { return unix_now(); };
    adapter_ = std::make_unique<connexpay::ConnexPayAdapter>(*counting_, config);
  }

  void TearDown() override {
    adapter_.reset();
    counting_.reset();
    client_.reset();
    HostLink::TearDown();
  }

  std::int64_t unix_now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
  }

  Result<host::HostResult> sale(host::AuthorizationRequest r) { return HostLink::sale(*adapter_, std::move(r)); }
  Result<host::HostResult> authorize(host::AuthorizationRequest r) { return HostLink::authorize(*adapter_, std::move(r)); }
  Result<host::HostResult> capture(const std::string& ref, std::optional<Money> amount, int n = 900) {
    return run([&](host::ResultHandler h) { adapter_->capture({uuid(n), ref, amount}, std::move(h)); });
  }
  Result<host::HostResult> void_(const std::string& ref, int n = 901) {
    return run([&](host::ResultHandler h) {
      adapter_->void_({uuid(n), ref, host::VoidReason::merchant}, std::move(h));
    });
  }
  Result<host::HostResult> refund(const std::string& ref, std::optional<Money> amount, int n = 902) {
    return HostLink::refund(*adapter_, ref, amount, n);
  }
  Result<host::SettleResult> settle() { return HostLink::settle(*adapter_); }
  host::RecoveryQuery query_for(const host::AuthorizationRequest& r) { return HostLink::query_for(r); }
  host::RecoveryResult recover(host::RecoveryQuery q) { return HostLink::recover(*adapter_, std::move(q)); }

  // The simulator's books, copied: a later request may move the ledger's records.
  const hostsim::Ledger& ledger() const { return sim_->ledger(host::HostKind::connexpay); }
  static std::vector<hostsim::Txn> copies(const std::vector<const hostsim::Txn*>& found) {
    std::vector<hostsim::Txn> out;
    for (const auto* t : found) out.push_back(*t);
    return out;
  }
  std::vector<hostsim::Txn> select(const std::function<bool(const hostsim::Txn&)>& keep) const {
    return copies(ledger().select(keep));
  }
  std::optional<hostsim::Txn> txn(const std::string& host_reference_or_id) const {
    const auto id = guid_of(host_reference_or_id);
    const auto found = select([&](const hostsim::Txn& t) { return t.id == id; });
    if (found.size() != 1) return std::nullopt;
    return found.front();
  }
  // The top-level sales (not captures' sales, not other records) of an amount.
  std::vector<hostsim::Txn> sales_of(std::int64_t cents) const {
    return select([&](const hostsim::Txn& t) { return t.type == TxnType::sale && t.parent_id.empty() && t.requested == cents; });
  }
  std::vector<hostsim::Txn> voids_of(const std::string& txn_id) const {
    return select([&](const hostsim::Txn& t) { return t.type == TxnType::void_record && t.parent_id == txn_id; });
  }

  std::unique_ptr<http::Client> client_;
  std::unique_ptr<CountingTransport> counting_;
  std::unique_ptr<connexpay::ConnexPayAdapter> adapter_;
};

constexpr std::string_view kToken = "/api/v1/token";
constexpr std::string_view kVoid = "/api/v1/void";
constexpr std::string_view kReversal = "/api/v1/timeoutreversal";

// 1. One token for many sales; past its lifetime (863999 s) a new one, and the sale goes on.
TEST_F(ConnexPayLink, TokenIsFetchedOnceAndRenewedAfterItsLifetime) {
  for (int i = 0; i < 3; ++i) {
    auto s = sale(keyed(1 + i, 1100 + i));
    ASSERT_OK(s);
    EXPECT_EQ(s->outcome, Outcome::approved) << s->response_code << " " << s->response_message;
  }
  EXPECT_EQ(counting_->count(kToken), 1U);
  EXPECT_EQ(sales_of(1100).size() + sales_of(1101).size() + sales_of(1102).size(), 3U);

  clock_.advance(863999s + 1s);
  auto later = sale(keyed(4, 1103));
  ASSERT_OK(later);
  EXPECT_EQ(later->outcome, Outcome::approved) << later->response_code << " " << later->response_message;
  EXPECT_EQ(counting_->count(kToken), 2U);  // renewed before use, not after a 401
  EXPECT_EQ(counting_->count("/api/v1/sales"), 4U);
  ASSERT_EQ(sales_of(1103).size(), 1U);
  EXPECT_EQ(sales_of(1103).front().status, TxnStatus::captured);
}

// 2. The card outcomes.
TEST_F(ConnexPayLink, KeyedSaleApproved) {
  auto s = sale(keyed(10, 1234));
  ASSERT_OK(s);
  ASSERT_EQ(s->outcome, Outcome::approved) << s->response_code << " " << s->response_message;
  EXPECT_EQ(s->approved_amount, Money(1234, usd()));
  EXPECT_FALSE(s->auth_code.empty());
  EXPECT_EQ(s->host_reference.rfind("sale:", 0), 0U) << s->host_reference;
  EXPECT_TRUE(digits_only(s->receipt_reference)) << s->receipt_reference;
  const auto t = txn(s->host_reference);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->status, TxnStatus::captured);
  EXPECT_EQ(t->authorized, 1234);
  EXPECT_EQ(t->auth_code, s->auth_code);
  EXPECT_EQ(t->last4, "1111");
  EXPECT_EQ(t->owner, hostsim::ConnexPayConfig{}.device_guid);
}

TEST_F(ConnexPayLink, SwipedSaleApproved) {
  auto s = sale(swiped(11, 1321));
  ASSERT_OK(s);
  ASSERT_EQ(s->outcome, Outcome::approved) << s->response_code << " " << s->response_message;
  EXPECT_EQ(s->approved_amount, Money(1321, usd()));
  EXPECT_FALSE(s->auth_code.empty());
  EXPECT_TRUE(digits_only(s->receipt_reference)) << s->receipt_reference;
  const auto t = txn(s->host_reference);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->status, TxnStatus::captured);
  EXPECT_EQ(t->last4, "3511");
  EXPECT_EQ(t->first6, "541333");
}

TEST_F(ConnexPayLink, MagicCentsDeclineAndPartial) {
  auto declined = sale(keyed(12, 1451));
  ASSERT_OK(declined);
  EXPECT_EQ(declined->outcome, Outcome::declined) << declined->response_code << " " << declined->response_message;
  EXPECT_FALSE(declined->approved_amount && declined->approved_amount->minor_units() > 0);
  ASSERT_EQ(sales_of(1451).size(), 1U);
  EXPECT_EQ(sales_of(1451).front().status, TxnStatus::declined);

  auto partial = sale(keyed(13, 2052));
  ASSERT_OK(partial);
  EXPECT_EQ(partial->outcome, Outcome::partially_approved) << partial->response_code << " " << partial->response_message;
  EXPECT_EQ(partial->approved_amount, Money(1026, usd()));
  ASSERT_EQ(sales_of(2052).size(), 1U);
  EXPECT_EQ(sales_of(2052).front().authorized, 1026);
}

// 3. Void of a sale, keyed and chip.
TEST_F(ConnexPayLink, VoidOfASaleIsRecorded) {
  auto s = sale(keyed(20, 1510));
  ASSERT_OK(s);
  ASSERT_EQ(s->outcome, Outcome::approved);
  auto v = void_(s->host_reference);
  ASSERT_OK(v);
  EXPECT_EQ(v->outcome, Outcome::approved) << v->response_code << " " << v->response_message;
  const auto t = txn(s->host_reference);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->status, TxnStatus::voided);
  const auto voids = voids_of(t->id);
  ASSERT_EQ(voids.size(), 1U);
  EXPECT_EQ(voids.front().void_reason, "POST_AUTH_USER_DECLINE");
  // A second void is refused (D0004): the adapter reports it, nothing more is recorded.
  auto again = void_(s->host_reference, 903);
  ASSERT_OK(again);
  EXPECT_NE(again->outcome, Outcome::approved);
  EXPECT_EQ(voids_of(t->id).size(), 1U);
}

TEST_F(ConnexPayLink, ChipSaleApprovedAndVoided) {
  auto s = sale(chip(21, 1620));
  ASSERT_OK(s);
  ASSERT_EQ(s->outcome, Outcome::approved) << s->response_code << " " << s->response_message;
  EXPECT_EQ(s->approved_amount, Money(1620, usd()));
  const auto t = txn(s->host_reference);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->last4, "5439");
  auto v = void_(s->host_reference);  // a chip void needs its VoidReason (F9915): always sent
  ASSERT_OK(v);
  EXPECT_EQ(v->outcome, Outcome::approved) << v->response_code << " " << v->response_message;
  EXPECT_EQ(txn(t->id).value_or(hostsim::Txn{}).status, TxnStatus::voided);
}

// 4. AuthOnly + capture: the capture makes a new sale, which is what later voids name.
TEST_F(ConnexPayLink, CaptureNamesTheNewSale) {
  auto auth = authorize(keyed(30, 1730));
  ASSERT_OK(auth);
  ASSERT_EQ(auth->outcome, Outcome::approved) << auth->response_code << " " << auth->response_message;
  EXPECT_EQ(auth->host_reference.rfind("authonly:", 0), 0U) << auth->host_reference;
  auto cap = capture(auth->host_reference, std::nullopt);
  ASSERT_OK(cap);
  ASSERT_EQ(cap->outcome, Outcome::approved) << cap->response_code << " " << cap->response_message;
  EXPECT_EQ(cap->host_reference.rfind("sale:", 0), 0U) << cap->host_reference;
  EXPECT_NE(guid_of(cap->host_reference), guid_of(auth->host_reference));
  const auto new_sale = txn(cap->host_reference);
  ASSERT_TRUE(new_sale);
  EXPECT_EQ(new_sale->type, TxnType::sale);
  EXPECT_EQ(new_sale->captured, 1730);

  // The AuthOnly, once captured, cannot be voided; the new sale can.
  auto void_auth = void_(auth->host_reference, 904);
  ASSERT_OK(void_auth);
  EXPECT_EQ(void_auth->outcome, Outcome::error) << void_auth->response_code << " " << void_auth->response_message;
  auto void_sale = void_(cap->host_reference, 905);
  ASSERT_OK(void_sale);
  EXPECT_EQ(void_sale->outcome, Outcome::approved) << void_sale->response_code << " " << void_sale->response_message;
  EXPECT_EQ(txn(new_sale->id).value_or(hostsim::Txn{}).status, TxnStatus::voided);
  const auto authonly = txn(auth->host_reference);
  ASSERT_TRUE(authonly);
  EXPECT_NE(authonly->status, TxnStatus::voided);
}

// 5. A return only after settlement.
TEST_F(ConnexPayLink, RefundBeforeSettlementIsRefusedAfterItIsApproved) {
  auto s = sale(keyed(40, 1840));
  ASSERT_OK(s);
  ASSERT_EQ(s->outcome, Outcome::approved);
  auto early = refund(s->host_reference, Money(840, usd()), 906);
  ASSERT_OK(early);
  EXPECT_EQ(early->outcome, Outcome::error) << early->response_code << " " << early->response_message;
  EXPECT_NE(early->response_message.find("has not been settled"), std::string::npos) << early->response_message;
  EXPECT_TRUE(select([](const hostsim::Txn& t) { return t.type == TxnType::refund; }).empty());

  auto closed = settle();
  ASSERT_OK(closed);
  EXPECT_TRUE(closed->accepted) << closed->response_code << " " << closed->response_message;
  const auto t = txn(s->host_reference);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->status, TxnStatus::settled);
  EXPECT_FALSE(t->batch_id.empty());

  auto ret = refund(s->host_reference, Money(840, usd()), 907);
  ASSERT_OK(ret);
  EXPECT_EQ(ret->outcome, Outcome::approved) << ret->response_code << " " << ret->response_message;
  EXPECT_EQ(ret->host_reference.rfind("return:", 0), 0U) << ret->host_reference;
  const auto refunds = select([](const hostsim::Txn& x) { return x.type == TxnType::refund; });
  ASSERT_EQ(refunds.size(), 1U);
  EXPECT_EQ(refunds.front().parent_id, t->id);
  EXPECT_EQ(refunds.front().requested, 840);
  EXPECT_EQ(txn(t->id).value_or(hostsim::Txn{}).refunded, 840);
}

// 6. A lost answer: the timeout reversal voids the sale; nothing is charged.
TEST_F(ConnexPayLink, LostSaleIsReversedByTheTimeoutReversal) {
  for (const auto how : {"no_answer", "close"}) {
    SCOPED_TRACE(how);
    const std::int64_t cents = std::string_view(how) == "close" ? 1961 : 1960;
    const auto request = keyed(cents == 1960 ? 50 : 51, cents);
    sim_->script_next(*hostsim::parse_behaviour(how), 1);
    auto lost = sale(request);
    ASSERT_OK(lost);
    ASSERT_EQ(lost->outcome, Outcome::unknown);
    ASSERT_EQ(sales_of(cents).size(), 1U);  // the host approved it; the answer was lost
    const auto found = recover(query_for(request));
    ASSERT_EQ(found.fate, host::Fate::done) << found.why;
    EXPECT_EQ(found.result.outcome, Outcome::declined) << found.why;
    EXPECT_FALSE(found.result.approved_amount && found.result.approved_amount->minor_units() > 0);
    const auto sales = sales_of(cents);
    ASSERT_EQ(sales.size(), 1U);
    EXPECT_EQ(sales.front().status, TxnStatus::voided);
    const auto voids = voids_of(sales.front().id);
    ASSERT_EQ(voids.size(), 1U);
    EXPECT_EQ(voids.front().void_reason, "DEVICE_TIMEOUT");
  }
  EXPECT_EQ(counting_->count(kReversal), 2U);
  EXPECT_EQ(counting_->count(kVoid), 0U);
}

// 7. HTTP 500: nothing recorded; recovery says so; the resend is the one sale.
TEST_F(ConnexPayLink, ServerErrorIsNotAtHostAndTheResendApprovesOnce) {
  const auto request = keyed(60, 2070);
  sim_->script_next(*hostsim::parse_behaviour("error_500"), 1);
  auto lost = sale(request);
  ASSERT_OK(lost);
  ASSERT_EQ(lost->outcome, Outcome::unknown) << lost->response_code << " " << lost->response_message;
  EXPECT_TRUE(sales_of(2070).empty());
  const auto found = recover(query_for(request));
  EXPECT_EQ(found.fate, host::Fate::not_at_host) << found.why;
  EXPECT_EQ(counting_->count(kReversal), 1U);
  EXPECT_EQ(counting_->count(kVoid), 0U);

  auto again = sale(request);  // the engine sends the same request again
  ASSERT_OK(again);
  EXPECT_EQ(again->outcome, Outcome::approved) << again->response_code << " " << again->response_message;
  const auto sales = sales_of(2070);
  ASSERT_EQ(sales.size(), 1U);
  EXPECT_EQ(sales.front().status, TxnStatus::captured);
  EXPECT_EQ(sales.front().id, guid_of(again->host_reference));
}

// 8. Another terminal of the merchant made the same sale (same card and amount, even the same
// SequenceNumber): our recovery never touches it.
TEST_F(ConnexPayLink, RecoveryNeverTouchesAnotherDevicesSale) {
  const auto request = keyed(70, 2180);
  std::string sequence = request.reference_id;
  sequence.erase(std::remove(sequence.begin(), sequence.end(), '-'), sequence.end());
  auto other = sim_->connexpay_other_device_sale(2180, "4111111111111111", "2812", sequence);
  ASSERT_OK(other);
  clock_.advance(61s);  // beyond the D0008 minute: both sales are approved
  sim_->script_next(*hostsim::parse_behaviour("no_answer"), 1);
  auto lost = sale(request);
  ASSERT_OK(lost);
  ASSERT_EQ(lost->outcome, Outcome::unknown);
  ASSERT_EQ(sales_of(2180).size(), 2U);
  const auto found = recover(query_for(request));
  ASSERT_EQ(found.fate, host::Fate::done) << found.why;
  EXPECT_EQ(found.result.outcome, Outcome::declined);

  const auto theirs = txn(*other);
  ASSERT_TRUE(theirs);
  EXPECT_EQ(theirs->status, TxnStatus::captured);
  EXPECT_EQ(theirs->owner, hostsim::ConnexPayConfig{}.other_device_guid);
  EXPECT_TRUE(voids_of(theirs->id).empty());
  const auto ours = select([&](const hostsim::Txn& t) {
    return t.type == TxnType::sale && t.requested == 2180 && t.id != *other;
  });
  ASSERT_EQ(ours.size(), 1U);
  EXPECT_EQ(ours.front().status, TxnStatus::voided);
  EXPECT_EQ(ours.front().owner, hostsim::ConnexPayConfig{}.device_guid);

  // Its sale without ours: the search by OrderNumber finds nothing of ours either.
  auto never = keyed(71, 2280);
  auto other2 = sim_->connexpay_other_device_sale(2280, "4111111111111111", "2812", "anothersequence71");
  ASSERT_OK(other2);
  EXPECT_EQ(recover(query_for(never)).fate, host::Fate::not_at_host);
  const auto theirs2 = txn(*other2);
  ASSERT_TRUE(theirs2);
  EXPECT_EQ(theirs2->status, TxnStatus::captured);
}

// 9. The reversal's answer is lost too: the search finds the sale voided, and no second void.
TEST_F(ConnexPayLink, LostReversalAnswerIsSettledByTheSearch) {
  const auto request = keyed(80, 2390);
  sim_->script_next(*hostsim::parse_behaviour("no_answer"), 2);  // the sale, then the reversal
  auto lost = sale(request);
  ASSERT_OK(lost);
  ASSERT_EQ(lost->outcome, Outcome::unknown);
  const auto found = recover(query_for(request));
  ASSERT_EQ(found.fate, host::Fate::done) << found.why;
  EXPECT_EQ(found.result.outcome, Outcome::declined) << found.why;
  const auto sales = sales_of(2390);
  ASSERT_EQ(sales.size(), 1U);
  EXPECT_EQ(sales.front().status, TxnStatus::voided);
  EXPECT_EQ(guid_of(found.result.host_reference), sales.front().id);
  EXPECT_EQ(voids_of(sales.front().id).size(), 1U);
  EXPECT_EQ(counting_->count(kReversal), 1U);
  EXPECT_EQ(counting_->count(kVoid), 0U);
}

}  // namespace
}  // namespace tender::net::connexpay_link_test
