// ConnexPay Sales API v1, served: the password-grant token, sales, AuthOnlys, Captures (a new
// sale), void, returns, timeout reversal, Verify, batch close, GET by guid and Search. Paths
// are matched case-insensitively. Sources and choices: connexpay_constants.hpp, README.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "net/hostsim/api.hpp"
#include "net/hostsim/connexpay_constants.hpp"
#include "net/hostsim/json_util.hpp"
#include "net/hostsim/ledger.hpp"
#include "net/hostsim/simulated_api.hpp"

namespace tender::net::hostsim {

// The merchant the simulator plays: one user, one merchant with two devices (this terminal and
// another terminal of the same merchant), and a device of another merchant the user does not
// administer. The emulator reads its credentials here and nowhere else.
struct ConnexPayConfig {
  std::string username = "tender-test";
  std::string password = "tender-test-secret";
  std::string merchant_guid = "3c9e5b1a-7d2f-4a8e-b6c4-e2f1a9d8c7b5";
  std::string device_guid = "8f2d6c1e-4b3a-4e9f-a7d5-c1b2e3f4a5d6";
  std::string other_device_guid = "b7e4a2c9-5f1d-4c8b-9e3a-d6f5c4b3a2e1";   // another terminal, same merchant
  std::string foreign_device_guid = "e1d2c3b4-a5f6-4e7d-8c9b-a0f1e2d3c4b5";  // another merchant's device
  std::chrono::seconds token_lifetime = connexpay::kTokenLifetime;
};

class ConnexPayApi final : public SimulatedApi {
 public:
  ConnexPayApi(ConnexPayConfig config, Services services, Store* store);

  [[nodiscard]] host::HostKind kind() const noexcept override { return host::HostKind::connexpay; }
  [[nodiscard]] bool serves(std::string_view path) const override;
  [[nodiscard]] bool creates_transaction(const http::Request& request) const override;
  [[nodiscard]] bool takes_scripts(const http::Request& request) const override;
  ApiReply handle(const http::Request& request) override;
  http::Response server_error() override;
  Ledger& ledger() override { return ledger_; }
  [[nodiscard]] const ConnexPayConfig& config() const noexcept { return config_; }

  // Another terminal of the same merchant makes a keyed sale with its own SequenceNumber and
  // OrderNumber: what this terminal's recovery must never touch. Returns the sale guid.
  Result<std::string> other_device_sale(std::int64_t amount, std::string_view pan, std::string_view expiry_yymm,
                                        std::string_view sequence_number);

 private:
  ApiReply route(const http::Request& request, std::string_view path);
  ApiReply token(const http::Request& request);
  [[nodiscard]] bool authorized(const http::Request& request) const;

  // connexpay_payment.cpp
  ApiReply payment(const Json& body, TxnType type);
  ApiReply sale(const Json& body) { return payment(body, TxnType::sale); }
  ApiReply auth_only(const Json& body) { return payment(body, TxnType::authorization); }
  ApiReply verify(const Json& body);
  // connexpay_follow_on.cpp
  ApiReply capture(const Json& body);
  ApiReply void_transaction(const Json& body);
  ApiReply return_sale(const Json& body);
  ApiReply timeout_reversal(const Json& body);
  ApiReply batch_close(const Json& body);
  // connexpay_query.cpp
  ApiReply get(std::string_view collection, std::string_view guid);
  ApiReply search(std::string_view rest, const Json& body);
  Json search_row(const Txn& t);

  // Shared by the handlers (connexpay_api.cpp).
  // The request's DeviceGuid: this merchant's device, or the rule it breaks.
  Result<std::string> device_of(const Json& body, std::optional<connexpay::Rule>& refused) const;
  ApiReply refuse(connexpay::Rule rule);
  ApiReply bad_request(std::string_view field, std::string_view why);
  // The transaction as the API shows it (connexpay_views.cpp), with the records it names.
  Json view(const Txn& txn);
  // The guid of the batch `txn` is in: its closed batch, or its device's open one.
  std::string batch_guid(const Txn& txn) const;
  bool merchant_device(std::string_view guid) const;

  ConnexPayConfig config_;
  Services services_;
  Ledger ledger_;
  std::map<std::string, std::chrono::system_clock::time_point, std::less<>> tokens_;
  std::uint64_t token_sequence_ = 0;
  std::uint64_t error_sequence_ = 0;
  std::uint64_t other_sales_ = 0;
};

}  // namespace tender::net::hostsim
