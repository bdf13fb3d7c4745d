// FullStack gateway v1.5.1 host adapter. Authorization: the private API key as is
// (L16-L28, no "Bearer"). Every POST /api/transaction carries idempotency_key = the
// request's reference_id (with idempotency_time) and an order_id derived from it, so
// recover() finds what became of a lost request by searching for it, and replays it under
// the same key only inside the key's window (fullstack_recovery.cpp). The x-correlation-id of
// every response is logged (L48) and returned as HostResult::trace_id.
// The adapter must outlive its pending operations.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/secret.hpp"
#include "net/fullstack/fullstack_mapping.hpp"
#include "net/host/host_adapter.hpp"
#include "net/http/transport.hpp"

namespace tender::net::fullstack {

struct FullStackConfig {
  SecretString api_key;        // "api_..." private key
  std::string terminal_id;     // default gateway terminal for settle()
  // With a processor, calculate_amount() asks /api/calculate/amounts (the full total, tax
  // and fees included); without one, /api/lookup/fees (surcharge and fees only).
  // Sent on every transaction when set (L288: otherwise the gateway's default processor;
  // with no default "the transaction will fail").
  std::string processor_id;
  Currency currency = usd();
  std::chrono::milliseconds deadline{30000};
  // Wall-clock seconds for the idempotency window (recover()); empty: the system clock.
  std::function<std::int64_t()> unix_now{};
};

class FullStackAdapter final : public host::HostAdapter {
 public:
  FullStackAdapter(http::Transport& transport, FullStackConfig config);

  void authorize(host::AuthorizationRequest request, host::ResultHandler handler) override;
  void sale(host::AuthorizationRequest request, host::ResultHandler handler) override;
  void capture(host::CaptureRequest request, host::ResultHandler handler) override;
  void void_(host::VoidRequest request, host::ResultHandler handler) override;
  void refund(host::RefundRequest request, host::ResultHandler handler) override;
  // FullStack has no tip adjustment: Errc::unsupported (capture with the new amount instead).
  void tip_adjust(host::TipAdjustRequest request, host::ResultHandler handler) override;
  void settle(host::SettleRequest request, host::Handler<host::SettleResult> handler) override;
  void calculate_amount(host::CalculateAmountRequest request, host::Handler<host::CalculateAmountResult> handler) override;
  // By host_reference only (GET /api/transaction/{id}): Errc::unsupported otherwise (a lost
  // request is recover()'s business).
  void lookup(host::LookupRequest request, host::ResultHandler handler) override;
  // fullstack_recovery.cpp: search by order_id, replay only inside the key's window; follow-ons
  // by the original's own record.
  void recover(host::RecoveryQuery query, host::RecoveryHandler handler) override;
  // The gateway has no EMV, PIN or fallback fields (specs/fullstack.md) and no tip adjust
  // (decided in the mapping): our chip kernel's data cannot reach it.
  [[nodiscard]] host::Capabilities capabilities() const override {
    host::Capabilities c;
    c.chip = false;
    c.online_pin = false;
    c.tip_adjust = false;
    return c;
  }

  // Beyond the seam: a verification (type "verification", no money moves).
  void verify(host::AuthorizationRequest request, host::ResultHandler handler) override;
  // Beyond the seam: a credit (type "credit"): money back to a card with no original
  // transaction on this gateway (an unlinked refund). It settles like a sale.
  void credit(host::AuthorizationRequest request, host::ResultHandler handler);
  void list_terminals(host::Handler<std::vector<Terminal>> handler);
  void search_transactions(TransactionSearch search, host::Handler<std::vector<host::HostResult>> handler);
  void search_settlement_batches(BatchSearch search, host::Handler<std::vector<SettlementBatch>> handler);

 private:
  using Done = std::function<void(Result<http::Response>)>;
  void send(http::Method method, std::string target, std::string body, std::string_view operation, Done done);
  void post_transaction(host::AuthorizationRequest request, api::TransactionType type, host::ResultHandler handler);
  void follow_on(const std::string& host_reference, std::string_view suffix, Result<std::string> body,
                 host::ResultHandler handler);
  // GET /api/transaction/{id} as a record; Errc::not_found for a 404, Errc::io_error for a
  // transport failure or another non-2xx answer. `trace` receives the answer's correlation id.
  void get_record(const std::string& host_reference, std::function<void(Result<Record>, std::string trace)> done);
  void search_records(const TransactionSearch& search, std::function<void(Result<RecordPage>, std::string trace)> done);
  [[nodiscard]] std::int64_t now_unix() const;
  // Recovery (fullstack_recovery.cpp).
  void recover_payment(host::RecoveryQuery query, host::RecoveryHandler handler);
  void recover_follow_on(host::RecoveryQuery query, host::RecoveryHandler handler);
  void replay(host::RecoveryQuery query, std::string trace, host::RecoveryHandler handler);

  http::Transport& transport_;
  FullStackConfig config_;
};

}  // namespace tender::net::fullstack
