// ConnexPay Sales API v1 host adapter (issue 12). The wire is net/connexpay/WIRE.md's, every name
// at one constant in connexpay_api.hpp. One transport: the token endpoint is on the API's
// origin. A bearer token (password grant) is fetched on first use and when it expires
// (expires_in); a 401 drops it, and the request goes once more with a fresh one: a 401 is
// the host refusing before processing, so the resend cannot charge twice.
// Every sale and AuthOnly carries OrderNumber = reference_id and SequenceNumber = reference_id
// without hyphens, which recover() (connexpay_recovery.cpp) uses to find a lost request:
// the timeout reversal for a sale, the searches by OrderNumber otherwise.
// host_reference is "<kind>:<guid>" (connexpay_mapping.hpp says why).
// The adapter must outlive its pending operations.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/money.hpp"
#include "common/secret.hpp"
#include "net/connexpay/connexpay_mapping.hpp"
#include "net/host/host_adapter.hpp"
#include "net/http/transport.hpp"

namespace tender::net::connexpay {

struct ConnexPayConfig {
  std::string username;            // token password grant
  SecretString password;
  std::string device_guid;         // DeviceGuid on every call
  std::string merchant_guid;       // MerchantGuid of the searches (recovery)
  Currency currency = usd();
  std::chrono::milliseconds deadline{30000};
  std::function<std::int64_t()> unix_now{};  // wall clock for time windows; empty: system clock
};

class ConnexPayAdapter final : public host::HostAdapter {
 public:
  ConnexPayAdapter(http::Transport& transport, ConnexPayConfig config);

  void authorize(host::AuthorizationRequest request, host::ResultHandler handler) override;
  void sale(host::AuthorizationRequest request, host::ResultHandler handler) override;
  // Keyed cards only (B.VB.C06/C07): Errc::unsupported otherwise.
  void verify(host::AuthorizationRequest request, host::ResultHandler handler) override;
  // NewAmount only when less than authorized: the AuthOnly's record is read first when an
  // amount is given. The result's host_reference is the NEW sale's.
  void capture(host::CaptureRequest request, host::ResultHandler handler) override;
  // VoidReason always (F9915), from VoidRequest::reason.
  void void_(host::VoidRequest request, host::ResultHandler handler) override;
  // Without an amount, the sale's effectiveAmount (read first) is returned.
  void refund(host::RefundRequest request, host::ResultHandler handler) override;
  // ConnexPay has no tip adjustment: Errc::unsupported.
  void tip_adjust(host::TipAdjustRequest request, host::ResultHandler handler) override;
  void settle(host::SettleRequest request, host::Handler<host::SettleResult> handler) override;
  // ConnexPay prices nothing for a terminal: Errc::unsupported (the engine charges the base).
  void calculate_amount(host::CalculateAmountRequest request, host::Handler<host::CalculateAmountResult> handler) override;
  // By host_reference only: GET of its kind; Errc::not_found for a 404.
  void lookup(host::LookupRequest request, host::ResultHandler handler) override;
  void recover(host::RecoveryQuery query, host::RecoveryHandler handler) override;
  [[nodiscard]] host::Capabilities capabilities() const override {
    host::Capabilities c;
    c.chip = true;
    c.online_pin = true;
    c.tip_adjust = false;
    c.verify = true;
    return c;
  }

 private:
  // Whether the request itself left: a token that could not be had means it never did.
  enum class Sent { no, yes };
  using Done = std::function<void(Result<http::Response>, Sent)>;
  void send(http::Method method, std::string target, std::string body, std::string_view operation, Done done,
            bool retried = false);
  void with_token(std::function<void(Result<void>)> next);
  void post_money(std::string_view path, Result<std::string> body, TxKind kind, host::ResultHandler handler);
  void post_capture(const std::string& authonly_guid, std::optional<Money> amount, host::ResultHandler handler);
  void post_return(const std::string& reference_id, const std::string& sale_guid, Money amount, host::ResultHandler handler);
  // GET of a transaction: Errc::not_found for a 404, Errc::io_error for a failure or non-2xx.
  void get_record(const HostRef& ref, std::function<void(Result<Record>)> done);
  void search(std::string_view path, SearchQuery query, TxKind kind, std::function<void(Result<std::vector<Record>>)> done);
  [[nodiscard]] std::int64_t now_unix() const;
  // Recovery (connexpay_recovery.cpp).
  void recover_payment(host::RecoveryQuery query, TxKind kind, host::RecoveryHandler handler);
  void recover_by_search(host::RecoveryQuery query, TxKind kind, std::string why_so_far, host::RecoveryHandler handler);
  void recover_refund(host::RecoveryQuery query, host::RecoveryHandler handler);
  void recover_capture(host::RecoveryQuery query, host::RecoveryHandler handler);
  void recover_void(host::RecoveryQuery query, host::RecoveryHandler handler);
  void check_returns(std::vector<Record> candidates, std::size_t next, std::string sale_guid, std::vector<Record> matched,
                     host::RecoveryQuery query, host::RecoveryHandler handler);

  http::Transport& transport_;
  ConnexPayConfig config_;
  SecretString token_;
  std::int64_t token_expires_unix_ = 0;
};

}  // namespace tender::net::connexpay
