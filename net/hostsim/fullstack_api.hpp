// FullStack gateway v1.5.1, served: /api/transaction and its sub-resources, search,
// settlement batches, terminals, fee lookup and amount calculation; Authorization with the
// private API key; idempotency_key replays within idempotency_time; duplicate detection;
// x-correlation-id on every response. Sources and choices: fullstack_constants.hpp, README.md.
#pragma once

#include <chrono>
#include <deque>
#include <string>
#include <vector>

#include "net/hostsim/api.hpp"
#include "net/hostsim/fullstack_constants.hpp"
#include "net/hostsim/idempotency.hpp"
#include "net/hostsim/json_util.hpp"
#include "net/hostsim/ledger.hpp"
#include "net/hostsim/simulated_api.hpp"

namespace tender::net::hostsim {

struct FullStackConfig {
  std::string api_key = "api_tender_test";
  std::int64_t surcharge_rate = 0;  // fee lookup: thousandths of a percent (3500 = 3.500 %)
  // The merchant's processors and its default one ("" = no default: every transaction must
  // name its processor_id, L264-L266).
  std::vector<std::string> processors{std::string(fullstack::kDefaultProcessor)};
  std::string default_processor{fullstack::kDefaultProcessor};
  // The merchant's "Duplicate detection seconds": the idempotency window of a request that
  // names no idempotency_time, and the window of the keyless duplicate check (0: none).
  std::chrono::seconds duplicate_window = fullstack::kDefaultDuplicateWindow;
};

class FullStackApi final : public SimulatedApi {
 public:
  FullStackApi(FullStackConfig config, Services services, Store* store);

  [[nodiscard]] host::HostKind kind() const noexcept override { return host::HostKind::fullstack; }
  [[nodiscard]] bool serves(std::string_view path) const override;
  [[nodiscard]] bool creates_transaction(const http::Request& request) const override;
  [[nodiscard]] bool takes_scripts(const http::Request& request) const override;
  ApiReply handle(const http::Request& request) override;
  [[nodiscard]] bool authorized(const http::Request& request) const;
  http::Response server_error() override;
  Ledger& ledger() override { return ledger_; }
  // Another client of the merchant (another terminal, the control panel) makes a keyed sale
  // with its own idempotency key and order_id. Returns the transaction id.
  Result<std::string> other_client_sale(std::int64_t amount, std::string_view pan, std::string_view expiry_mm_yy);
  [[nodiscard]] std::size_t live_idempotency_keys() const noexcept { return idempotency_.size(); }

 private:
  ApiReply route(const http::Request& request);
  ApiReply process(const http::Request& request);
  ApiReply process_new(const Json& body, const std::string& key, std::int64_t key_time);
  ApiReply get(std::string_view id);
  ApiReply capture(std::string_view id, const http::Request& request);
  ApiReply void_transaction(std::string_view id);
  ApiReply refund(std::string_view id, const http::Request& request);
  ApiReply search(const http::Request& request);
  ApiReply batch_search(const http::Request& request);
  ApiReply terminals();
  ApiReply settle_terminal(std::string_view id);
  ApiReply lookup_fees(const http::Request& request);
  ApiReply calculate_amounts(const http::Request& request);
  // A keyless request that repeats an approved one of the window: the earlier one's id.
  std::optional<std::string> keyless_duplicate(const Txn& candidate);

  struct Recent {  // a keyless approval, for the duplicate check
    std::chrono::system_clock::time_point at;
    std::string id;
  };

  FullStackConfig config_;
  Services services_;
  Ledger ledger_;
  IdempotencyIndex idempotency_;
  std::deque<Recent> recent_keyless_;
  std::uint64_t correlation_ = 0;
  std::uint64_t other_clients_ = 0;
};

}  // namespace tender::net::hostsim
