// Aurora ARISE pay-api v1 host adapter: OAuth2 client credentials, the pay-api calls, and
// recovery by a bounded search of the host's transaction list that never adopts a
// transaction the terminal cannot tell is its own (aurora_recovery.cpp; ARCHITECTURE.md).
//
// The token comes from the OAuth host (its own Transport: it is another origin), is
// cached until `expires_in` minus a margin, and is fetched again once when the API
// answers 401. A second 401 is Outcome::error: the host refused before processing.
// The adapter must outlive its pending operations; all run on the transports' executor.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/secret.hpp"
#include "net/http/transport.hpp"
#include "net/aurora/aurora_mapping.hpp"
#include "net/host/host_adapter.hpp"

namespace tender::net::aurora {

struct AuroraConfig {
  std::string client_id;
  SecretString client_secret;
  std::string payment_processor_id;  // paymentProcessorId of every sale/auth and of settle
  Currency currency = usd();
  std::chrono::milliseconds deadline{30000};
  std::chrono::seconds token_margin{60};  // refresh this long before the token expires
};

class AuroraAdapter final : public host::HostAdapter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  AuroraAdapter(http::Transport& api, http::Transport& oauth, AuroraConfig config,
                Clock clock = [] { return std::chrono::steady_clock::now(); });

  void authorize(host::AuthorizationRequest request, host::ResultHandler handler) override;
  void sale(host::AuthorizationRequest request, host::ResultHandler handler) override;
  // The pay-api has no account verification (specs/aurora-arise.md): Errc::unsupported.
  void verify(host::AuthorizationRequest request, host::ResultHandler handler) override;
  void capture(host::CaptureRequest request, host::ResultHandler handler) override;
  void void_(host::VoidRequest request, host::ResultHandler handler) override;
  void refund(host::RefundRequest request, host::ResultHandler handler) override;
  void tip_adjust(host::TipAdjustRequest request, host::ResultHandler handler) override;
  void settle(host::SettleRequest request, host::Handler<host::SettleResult> handler) override;
  void calculate_amount(host::CalculateAmountRequest request, host::Handler<host::CalculateAmountResult> handler) override;
  // By host reference only: the list has no referenceId filter (aurora_api.hpp), so a lookup
  // by our reference id alone is Errc::unsupported; recover() is the search for lost requests.
  void lookup(host::LookupRequest request, host::ResultHandler handler) override;
  void recover(host::RecoveryQuery query, host::RecoveryHandler handler) override;
  [[nodiscard]] host::Capabilities capabilities() const override {
    host::Capabilities c;
    c.verify = false;
    return c;
  }

 private:
  // What came back from one authenticated exchange. `sent` is false when the request never
  // left (no token): then the error is a plain Result error, not Outcome::unknown.
  struct Exchange {
    Result<http::Response> response;
    bool sent;
  };
  using ExchangeHandler = std::function<void(Exchange)>;
  using TokenHandler = std::function<void(Result<void>)>;

  using DetailHandler = std::function<void(Result<Record>)>;

  void send(http::Request request, ExchangeHandler done, bool retried = false);
  void get(std::string target, ExchangeHandler done);
  // The host's record of one transaction: Errc::not_found on 404, the transport's error or
  // io_error ("HTTP n") when it could not be read.
  void get_detail(const std::string& id, DetailHandler done);
  void with_token(TokenHandler done);
  void fetch_token();
  void post_transaction(std::string_view path, Result<std::string> body, host::Operation operation,
                        host::ResultHandler handler);
  [[nodiscard]] host::HostResult transaction_answer(const http::Response& response, host::Operation operation) const;
  // Recovery (aurora_recovery.cpp): the list search, page by page, and the follow-ons' answer
  // from their original's record.
  struct SearchRun;
  void next_page(std::shared_ptr<SearchRun> run);
  void check_next(std::shared_ptr<SearchRun> run);
  static host::RecoveryResult follow_on_fate(const host::RecoveryQuery& query, const Record& record);
  // A refused void: the host's record says whether the transaction had settled.
  void classify_void_refusal(const std::string& id, host::HostResult refused, host::ResultHandler handler);

  http::Transport& api_;
  http::Transport& oauth_;
  AuroraConfig config_;
  Clock clock_;
  SecretString token_;
  std::chrono::steady_clock::time_point token_expiry_{};
  std::vector<TokenHandler> token_waiters_;
};

}  // namespace tender::net::aurora
