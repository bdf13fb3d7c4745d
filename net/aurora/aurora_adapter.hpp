// Aurora ARISE pay-api v1 host adapter: OAuth2 client credentials, the pay-api calls,
// and recovery by referenceId lookup then void (ARCHITECTURE.md, HostAdapter).
//
// The token comes from the OAuth host (its own Transport: it is another origin), is
// cached until `expires_in` minus a margin, and is fetched again once when the API
// answers 401. A second 401 is Outcome::error: the host refused before processing.
// The adapter must outlive its pending operations; all run on the transports' executor.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/secret.hpp"
#include "net/http/transport.hpp"
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

  void send(http::Request request, ExchangeHandler done, bool retried = false);
  void with_token(TokenHandler done);
  void fetch_token();
  void post_transaction(std::string_view path, Result<std::string> body, host::ResultHandler handler);
  void finish_transaction(Exchange exchange, host::ResultHandler handler, bool detail);

  http::Transport& api_;
  http::Transport& oauth_;
  AuroraConfig config_;
  Clock clock_;
  SecretString token_;
  std::chrono::steady_clock::time_point token_expiry_{};
  std::vector<TokenHandler> token_waiters_;
};

}  // namespace tender::net::aurora
