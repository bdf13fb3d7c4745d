// Persistence seam of the simulator's state. The in-memory store keeps nothing (the
// Ledger holds the state); a SQLite store can implement the same three calls so that
// `tender-hostsim --state-dir DIR` survives a restart.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "net/host/host_kind.hpp"

namespace tender::net::hostsim {

// The simulated API a record belongs to (the SQLite store keeps it as its number).
using Api = host::HostKind;

// capture and void_record are ConnexPay's answer objects (a capture and a void have their own
// guid and GET): they hold no money, so the lifecycle never moves them.
enum class TxnType { authorization, sale, verification, credit, refund, capture, void_record };

// Statuses by the lifecycle; each API names them its own way (aurora_api.cpp, fullstack_api.cpp).
enum class TxnStatus { authorized, captured, settled, voided, declined, refunded };

// Why the host decided what it decided; each API maps these to its own codes.
enum class Outcome { approved, partial, declined, insufficient_funds, expired_card, incorrect_pin, invalid_card };

struct Txn {
  std::string id;
  Api api = Api::aurora;
  TxnType type = TxnType::sale;
  TxnStatus status = TxnStatus::declined;
  Outcome outcome = Outcome::declined;
  std::int64_t requested = 0;   // minor units, as asked for (base amount)
  std::int64_t authorized = 0;  // approved amount
  std::int64_t captured = 0;    // captured amount (base, without tip)
  std::int64_t tip = 0;
  std::int64_t settled = 0;     // captured + tip at settlement
  std::int64_t refunded = 0;    // sum of refunds against this transaction
  std::string owner;            // Aurora paymentProcessorId / FullStack terminal id ("" = card)
  std::string parent_id;        // for refunds
  std::string batch_id;         // "" while in the open batch
  std::string first6;
  std::string last4;
  std::string expiry_mmyy;      // "12/24"
  std::string auth_code;
  std::string reference;        // Aurora referenceId / FullStack order_id
  std::string created_at;       // RFC 3339
  std::string emv_response_hex; // issuer response tags, when a chip issuer answered
  // FullStack only (fullstack_api.cpp): what the request named, for its answers and search.
  std::string idempotency_key;     // "" when the request had none
  std::int64_t idempotency_time = 0;  // the key's window, seconds
  std::string po_number;
  std::string processor_id;
  std::int64_t tip_in_amount = 0;  // tip_amount: part of `requested` ("should be included in Amount")
  int gateway_code = 0;            // the gateway's code when it is not the outcome's (301, 421, 430)
  // Aurora: the surcharge and percentage-off the host applied, how the card was read, and who
  // made the transaction (list `source`: the creating client and its create method).
  std::int64_t surcharge = 0;
  std::int64_t discount = 0;
  std::int64_t card_data_source = 0;
  std::string created_by;
  std::int64_t create_method = 0;
  // Aurora: the chip data the detail's emvTags shows (application cryptogram 9F26, TVR 95, AID).
  std::string emv_ac;
  std::string emv_tvr;
  std::string emv_aid;
  // ConnexPay: the device's SequenceNumber (timeout reversal's key), a void's VoidReason, and
  // the other record a capture ties together (the auth's and the capture's: the new sale).
  std::string sequence_number;
  std::string void_reason;
  std::string related_id;
};

struct Batch {
  std::string id;
  Api api = Api::aurora;
  std::string owner;
  std::string created_at;
  std::int64_t count = 0;
  std::int64_t total = 0;  // minor units settled
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Result<void> put(const Txn& txn) = 0;        // insert or replace by id
  virtual Result<void> put(const Batch& batch) = 0;
  virtual Result<std::vector<Txn>> transactions(Api api) = 0;  // in creation order
  virtual Result<std::vector<Batch>> batches(Api api) = 0;
};

// Keeps nothing: the state lives in the Ledger only, and is gone when the process ends.
class MemoryStore final : public Store {
 public:
  Result<void> put(const Txn&) override { return ok(); }
  Result<void> put(const Batch&) override { return ok(); }
  Result<std::vector<Txn>> transactions(Api) override { return std::vector<Txn>{}; }
  Result<std::vector<Batch>> batches(Api) override { return std::vector<Batch>{}; }
};

}  // namespace tender::net::hostsim
