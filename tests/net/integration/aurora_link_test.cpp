// Aurora end to end (adapter -> TLS -> simulator): recovery that never adopts a stranger's
// transaction, and the bodies the stricter simulator now checks (capture, return, surcharge).
#include "net/host/host_answer.hpp"
#include "tests/net/integration/host_link.hpp"

namespace tender::net::link_test {
namespace {

hostsim::ForeignPayment stranger(std::int64_t cents, std::string last4 = "1111") {
  hostsim::ForeignPayment p;
  p.total = cents;
  p.last4 = std::move(last4);
  p.card_data_source = 7;  // keyed, as the tests' own sales: a true lookalike
  return p;
}

// A lost answer, and another terminal of the same merchant made the same sale on the same
// card at the same moment: recovery cannot tell which is this terminal's, so it holds it for
// the merchant; it never adopts (and so never voids or keeps) either one.
TEST_F(HostLink, AuroraRecoveryNeverAdoptsAStrangersTwin) {
  sim_->script_next(*hostsim::parse_behaviour("no_answer+twin"), 1);
  auto r = sale(*aurora_, keyed(1, 2200));
  ASSERT_OK(r);
  ASSERT_EQ(r->outcome, Outcome::unknown);
  const auto found = recover(*aurora_, query_for(keyed(1, 2200)));
  EXPECT_EQ(found.fate, host::Fate::ambiguous) << found.why;
  EXPECT_TRUE(found.result.host_reference.empty());
  // Both stay at the host as they were: nothing was voided or re-sent.
  for (const auto* t : sim_->aurora().ledger().select([](const hostsim::Txn& x) { return x.requested == 2200; }))
    EXPECT_EQ(t->status, hostsim::TxnStatus::captured);
}

// The limit of what the host shows (aurora_recovery.hpp): when the terminal's own request never
// arrived and a stranger made the very same sale (amount, card, read the same way, the same
// minute), that lookalike is the one candidate and is adopted. Read another way, it is not.
TEST_F(HostLink, AuroraALoneLookalikeIsIndistinguishable) {
  ASSERT_EQ(sale(*aurora_, keyed(2, 1056))->outcome, Outcome::unknown);  // HTTP 500: nothing recorded
  auto chip = stranger(1056);  // another terminal's chip sale of the same amount on the same card
  chip.card_data_source = 4;
  sim_->aurora().record_foreign(chip);
  EXPECT_EQ(recover(*aurora_, query_for(keyed(2, 1056))).fate, host::Fate::not_at_host);
  auto keyed_too = stranger(1056);
  keyed_too.card_data_source = 7;  // Manual, as ours
  const std::string id = sim_->aurora().record_foreign(keyed_too).id;
  const auto found = recover(*aurora_, query_for(keyed(2, 1056)));
  EXPECT_EQ(found.fate, host::Fate::done) << found.why;
  EXPECT_EQ(found.result.host_reference, id);
}

// A chip sale carries its own cryptogram, which the host's record shows: a stranger's identical
// chip sale, alone at the host, is never taken for the terminal's.
TEST_F(HostLink, AuroraAChipLookalikeIsNeverAdopted) {
  auto chip = keyed(3, 1056);  // HTTP 500: nothing recorded
  chip.entry_mode = host::EntryMode::chip;
  chip.card = {};
  chip.emv = host::EmvData{Bytes{0x5A, 0x08, 0x41, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x5F, 0x24, 0x03, 0x28, 0x12,
                                 0x31, 0x9F, 0x26, 0x08, 1, 2, 3, 4, 5, 6, 7, 8},
                           std::nullopt, std::nullopt};
  ASSERT_EQ(sale(*aurora_, chip)->outcome, Outcome::unknown);
  auto twin = stranger(1056);
  twin.card_data_source = 4;  // read by chip too, with its own cryptogram
  sim_->aurora().record_foreign(twin);
  EXPECT_EQ(recover(*aurora_, query_for(chip)).fate, host::Fate::not_at_host);
  // Its own, beside the stranger's: found by its cryptogram.
  chip.reference_id = uuid(4);
  chip.amount = Money(1077, usd());
  sim_->script_next(*hostsim::parse_behaviour("close+twin"), 1);
  ASSERT_EQ(sale(*aurora_, chip)->outcome, Outcome::unknown);
  const auto found = recover(*aurora_, query_for(chip));
  ASSERT_EQ(found.fate, host::Fate::done) << found.why;
  EXPECT_EQ(found.result.approved_amount, Money(1077, usd()));
}

TEST_F(HostLink, AuroraRecoveryFindsItsOwnAmongStrangers) {
  for (auto [cents, last4] : std::vector<std::pair<std::int64_t, std::string>>{{2300, "4242"}, {2301, "1111"}, {2999, "1111"}})
    sim_->aurora().record_foreign(stranger(cents, last4));
  auto earlier = sale(*aurora_, keyed(3, 2300));  // this terminal's own earlier sale: known
  ASSERT_OK(earlier);
  sim_->script_next({hostsim::Behaviour::close_connection, 0, 0ms}, 1);
  ASSERT_EQ(sale(*aurora_, keyed(4, 2300))->outcome, Outcome::unknown);
  const auto found = recover(*aurora_, query_for(keyed(4, 2300), host::Operation::sale, {earlier->host_reference}));
  ASSERT_EQ(found.fate, host::Fate::done) << found.why;
  EXPECT_NE(found.result.host_reference, earlier->host_reference);
  EXPECT_EQ(found.result.approved_amount, Money(2300, usd()));
  // Without knowing its own earlier sale, the terminal sees two candidates: held.
  EXPECT_EQ(recover(*aurora_, query_for(keyed(4, 2300))).fate, host::Fate::ambiguous);
  // A sale of the same card for less, at the same moment, may be this one partially approved
  // (a captured or settled record no longer says so): held, never "not at the host".
  sim_->aurora().record_foreign(stranger(4000, "1111"));
  auto lone = query_for(keyed(6, 6000), host::Operation::sale, {earlier->host_reference, found.result.host_reference});
  EXPECT_EQ(recover(*aurora_, lone).fate, host::Fate::ambiguous);
}

TEST_F(HostLink, AuroraRecoveryOfASaleThatNeverArrivedIsNotAtHost) {
  sim_->aurora().record_foreign(stranger(2400, "4242"));
  ASSERT_EQ(sale(*aurora_, keyed(5, 1056))->outcome, Outcome::unknown);  // HTTP 500: not recorded
  const auto found = recover(*aurora_, query_for(keyed(5, 1056)));
  EXPECT_EQ(found.fate, host::Fate::not_at_host) << found.why;
}

TEST_F(HostLink, AuroraPendingAnswerIsRecoveredDecided) {
  sim_->script_next({hostsim::Behaviour::pending, 0, 0ms}, 1);
  auto r = sale(*aurora_, keyed(6, 2500));
  ASSERT_OK(r);
  EXPECT_EQ(r->outcome, Outcome::unknown) << r->response_message;  // Pending: not decided
  const auto found = recover(*aurora_, query_for(keyed(6, 2500)));
  ASSERT_EQ(found.fate, host::Fate::done) << found.why;
  EXPECT_EQ(found.result.outcome, Outcome::approved);
}

// The simulator refuses a null capture amount and a null return cardDataSource (required in
// the vendor's DTOs); the adapter sends both.
TEST_F(HostLink, AuroraCaptureWithoutAnAmountAndAReturnAreAccepted) {
  auto auth = authorize(*aurora_, keyed(7, 3000));
  ASSERT_OK(auth);
  ASSERT_EQ(auth->outcome, Outcome::approved);
  auto cap = capture(*aurora_, auth->host_reference, std::nullopt);  // the engine's "capture all"
  ASSERT_OK(cap);
  EXPECT_EQ(cap->outcome, Outcome::approved) << cap->response_code << " " << cap->response_message;
  auto l = lookup(*aurora_, {"", auth->host_reference});
  ASSERT_OK(l);
  EXPECT_EQ(l->approved_amount, Money(3000, usd()));
  ASSERT_OK(settle(*aurora_));
  auto ret = refund(*aurora_, auth->host_reference, Money(1000, usd()));
  ASSERT_OK(ret);
  EXPECT_EQ(ret->outcome, Outcome::approved) << ret->response_code << " " << ret->response_message;
}

TEST_F(HostLink, AuroraPartialAuthorizationThenCapture) {
  auto auth = authorize(*aurora_, keyed(8, 2052));  // magic cents: half approved
  ASSERT_OK(auth);
  EXPECT_EQ(auth->outcome, Outcome::partially_approved);
  EXPECT_EQ(auth->approved_amount, Money(1026, usd()));
  auto cap = capture(*aurora_, auth->host_reference, Money(1026, usd()));
  ASSERT_OK(cap);
  EXPECT_EQ(cap->outcome, Outcome::approved) << cap->response_code << " " << cap->response_message;
}

// Defect 6: the surcharge the receipt prints was dropped from the request (surchargeRate null),
// so the host charged less than the terminal asked: a partial approval out of nowhere.
TEST_F(HostLink, AuroraSurchargeIsChargedInFull) {
  auto r = keyed(9, 1035);
  r.surcharge = Money(35, usd());
  auto s = sale(*aurora_, r);
  ASSERT_OK(s);
  EXPECT_EQ(s->outcome, Outcome::approved) << s->response_code << " " << s->response_message;
  EXPECT_EQ(s->approved_amount, Money(1035, usd()));
  EXPECT_EQ(host::check_approved_amount(r.amount, s->approved_amount), host::ApprovalCheck::full);
}

// The real answer carries no issuer EMV data; the simulator adds it only as its own option. The
// adapter's answer is the same either way, with or without the tags for the card.
TEST_F(HostLink, AuroraChipApprovedWithOrWithoutIssuerData) {
  auto chip = keyed(10, 1000);
  chip.entry_mode = host::EntryMode::chip;
  chip.card = {};
  chip.emv = host::EmvData{Bytes{0x5A, 0x08, 0x41, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x5F, 0x24, 0x03, 0x28, 0x12, 0x31},
                           std::nullopt, std::nullopt};
  auto plain = sale(*aurora_, chip);
  ASSERT_OK(plain);
  EXPECT_EQ(plain->outcome, Outcome::approved);
  EXPECT_TRUE(plain->issuer_response_tlv.empty());
  hostsim::HostSimConfig with_tags;
  with_tags.aurora.issuer_emv_data = true;
  sim_ = std::make_unique<hostsim::HostSimulator>(with_tags, clock_);  // no ChipIssuer: no tags to give
  chip.reference_id = uuid(11);
  auto tagged = sale(*aurora_, chip);
  ASSERT_OK(tagged);
  EXPECT_EQ(tagged->outcome, Outcome::approved);
}

TEST_F(HostLink, AuroraLostRefundAndVoidAreReadFromTheHost) {
  auto s1 = sale(*aurora_, keyed(12, 4000));
  ASSERT_OK(s1);
  ASSERT_OK(settle(*aurora_));
  sim_->script_next({hostsim::Behaviour::close_connection, 0, 0ms}, 1);
  auto lost = refund(*aurora_, s1->host_reference, Money(1500, usd()));
  ASSERT_OK(lost);
  ASSERT_EQ(lost->outcome, Outcome::unknown);
  host::RecoveryQuery q = query_for(keyed(13, 1500), host::Operation::refund);
  q.request.reset();
  q.original_host_reference = s1->host_reference;
  q.amount = Money(1500, usd());
  q.original_amount = Money(4000, usd());
  auto found = recover(*aurora_, q);
  ASSERT_EQ(found.fate, host::Fate::done) << found.why;
  EXPECT_EQ(found.result.outcome, Outcome::approved);
  q.amount = Money(1600, usd());
  EXPECT_EQ(recover(*aurora_, q).fate, host::Fate::not_at_host);

  auto s2 = sale(*aurora_, keyed(14, 4100));
  ASSERT_OK(s2);
  host::RecoveryQuery v = q;
  v.operation = host::Operation::void_;
  v.original_host_reference = s2->host_reference;
  v.amount.reset();
  EXPECT_EQ(recover(*aurora_, v).fate, host::Fate::not_at_host);  // not voided yet
  sim_->script_next({hostsim::Behaviour::close_connection, 0, 0ms}, 1);
  ASSERT_EQ(void_(*aurora_, s2->host_reference)->outcome, Outcome::unknown);
  auto voided = recover(*aurora_, v);
  ASSERT_EQ(voided.fate, host::Fate::done) << voided.why;
  EXPECT_EQ(voided.result.outcome, Outcome::approved);
}

}  // namespace
}  // namespace tender::net::link_test
