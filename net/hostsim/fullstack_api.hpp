// FullStack gateway v1.5.1, served: /api/transaction and its sub-resources, search,
// settlement batches, terminals, fee lookup and amount calculation; Authorization with the
// private API key; idempotency_key replays; x-correlation-id on every response.
#pragma once

#include <chrono>
#include <string>

#include "net/hostsim/api.hpp"
#include "net/hostsim/idempotency.hpp"
#include "net/hostsim/json_util.hpp"
#include "net/hostsim/ledger.hpp"

namespace tender::net::hostsim {

struct FullStackConfig {
  std::string api_key = "api_tender_test";
  std::int64_t surcharge_rate = 0;  // fee lookup: thousandths of a percent (3500 = 3.500 %)
};

class FullStackApi {
 public:
  FullStackApi(FullStackConfig config, Services services, Store* store);

  [[nodiscard]] static bool serves(std::string_view path);
  [[nodiscard]] static bool creates_transaction(const http::Request& request);
  ApiReply handle(const http::Request& request);
  [[nodiscard]] bool authorized(const http::Request& request) const;
  http::Response server_error();
  Ledger& ledger() { return ledger_; }

 private:
  ApiReply route(const http::Request& request);
  ApiReply process(const http::Request& request);
  ApiReply process_new(const Json& body);
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

  FullStackConfig config_;
  Services services_;
  Ledger ledger_;
  IdempotencyIndex idempotency_;
  std::uint64_t correlation_ = 0;
};

}  // namespace tender::net::hostsim
