#include "net/hostsim/ledger.hpp"

#include "net/hostsim/api.hpp"

#include <algorithm>
#include <cstdio>

namespace tender::net::hostsim {
namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

bool open_and_live(const Txn& t) {
  return t.batch_id.empty() && (t.status == TxnStatus::authorized || t.status == TxnStatus::captured);
}

}  // namespace

// A version-4 UUID as Aurora's ids are (RAW "c7c37acc-7e3d-460a-a2cf-d2b91244f0bb"), from a
// counter. Each group ends in a letter (sim): a run of 13 or more digits would read as a card
// number to the terminal's log scrubber, which then drops the id as unsafe to keep.
std::string uuid_from(std::uint64_t n) {
  const std::uint64_t hi = splitmix64(n);
  const std::uint64_t lo = splitmix64(hi ^ n);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-4%03llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF), static_cast<unsigned long long>(hi & 0xFFF),
                static_cast<unsigned long long>(0x8000 | ((lo >> 48) & 0x3FFF)),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  std::string id(buf);
  for (std::size_t end : {7U, 12U, 17U, 22U, 35U}) id[end] = static_cast<char>('a' + (id[end] % 6));
  return id;
}

Ledger::Ledger(Api api, const Clock& clock, Store* store) : api_(api), clock_(clock), store_(store) {}

Result<void> Ledger::restore() {
  if (store_ == nullptr) return ok();
  auto txns = store_->transactions(api_);
  if (!txns) return std::move(txns).error();
  auto batches = store_->batches(api_);
  if (!batches) return std::move(batches).error();
  txns_ = std::move(*txns);
  batches_ = std::move(*batches);
  index_.clear();
  for (std::size_t i = 0; i < txns_.size(); ++i) index_.emplace(txns_[i].id, i);
  sequence_ = txns_.size() + batches_.size();
  return ok();
}

// Ids in each API's own shape: Aurora and ConnexPay GUIDs, FullStack 20-character lowercase base32.
// Deterministic (a counter), so tests and certification logs are reproducible.
std::string Ledger::next_id() {
  const std::uint64_t n = ++sequence_;
  if (api_ == Api::fullstack) return fullstack_id(n);
  // Aurora and ConnexPay both use GUIDs: each kind draws from its own range, because one store
  // keeps every API's records and its ids are unique across them.
  return uuid_from(n + (static_cast<std::uint64_t>(api_) << 48));
}

void Ledger::save(const Txn& txn) {
  if (store_ != nullptr) (void)store_->put(txn);  // best effort: the simulator keeps serving
}

Txn& Ledger::record(Txn txn) {
  txn.id = next_id();
  txn.api = api_;
  txn.created_at = format_rfc3339(clock_.now());
  index_.emplace(txn.id, txns_.size());
  txns_.push_back(std::move(txn));
  save(txns_.back());
  return txns_.back();
}

Txn* Ledger::find(std::string_view id) {
  const auto it = index_.find(id);
  return it == index_.end() ? nullptr : &txns_[it->second];
}

Result<void> Ledger::capture(Txn& txn, std::optional<std::int64_t> amount) {
  if (txn.type != TxnType::authorization || txn.status != TxnStatus::authorized || !txn.batch_id.empty())
    return make_error(Errc::invalid_argument, "only an authorized, uncaptured authorization can be captured");
  const std::int64_t value = amount.value_or(txn.authorized);
  if (value > txn.authorized)
    return make_error(Errc::out_of_range, "capture amount exceeds the authorized amount");
  if (value <= 0) return make_error(Errc::out_of_range, "capture amount must be positive");
  txn.captured = value;
  txn.status = TxnStatus::captured;
  save(txn);
  return ok();
}

Result<void> Ledger::void_transaction(Txn& txn) {
  if (txn.status == TxnStatus::settled || txn.status == TxnStatus::refunded || !txn.batch_id.empty())
    return make_error(Errc::invalid_argument, "a settled transaction cannot be voided; refund it instead");
  if (!open_and_live(txn)) return make_error(Errc::invalid_argument, "transaction cannot be voided in its status");
  txn.status = TxnStatus::voided;
  save(txn);
  return ok();
}

Result<void> Ledger::adjust_tip(Txn& txn, std::int64_t tip) {
  if (!open_and_live(txn) || txn.type == TxnType::refund || txn.type == TxnType::credit ||
      txn.type == TxnType::verification)
    return make_error(Errc::invalid_argument, "tip can be adjusted only on an open, approved payment");
  txn.tip = tip;
  save(txn);
  return ok();
}

Result<Txn*> Ledger::refund(Txn& txn, std::optional<std::int64_t> amount) {
  if (txn.status != TxnStatus::settled || txn.type == TxnType::refund || txn.type == TxnType::credit)
    return make_error(Errc::invalid_argument, "only a settled payment can be refunded; void it before settlement");
  const std::int64_t remaining = txn.settled - txn.refunded;
  const std::int64_t value = amount.value_or(remaining);
  if (value <= 0) return make_error(Errc::out_of_range, "refund amount must be positive");
  if (value > remaining) return make_error(Errc::out_of_range, "refund amount exceeds the settled amount");
  txn.refunded += value;
  save(txn);
  Txn refund;
  refund.type = TxnType::refund;
  refund.status = TxnStatus::captured;
  refund.outcome = Outcome::approved;
  refund.requested = refund.authorized = refund.captured = value;
  refund.owner = txn.owner;
  refund.parent_id = txn.id;
  refund.first6 = txn.first6;
  refund.last4 = txn.last4;
  refund.expiry_mmyy = txn.expiry_mmyy;
  refund.auth_code = txn.auth_code;
  const std::string parent = txn.id;  // `txn` may move when the vector grows
  Txn& recorded = record(std::move(refund));
  if (Txn* original = find(parent); original != nullptr && original->refunded == original->settled) {
    original->status = TxnStatus::refunded;
    save(*original);
  }
  return &recorded;
}

Batch Ledger::settle(const std::string& owner) {
  Batch batch;
  batch.id = next_id();
  batch.api = api_;
  batch.owner = owner;
  batch.created_at = format_rfc3339(clock_.now());
  for (auto& t : txns_) {
    if (!t.batch_id.empty() || t.status != TxnStatus::captured) continue;
    if (!owner.empty() && t.owner != owner) continue;
    t.batch_id = batch.id;
    t.status = TxnStatus::settled;
    t.settled = t.captured - t.discount + t.surcharge + t.tip;  // all zero but the tip on FullStack
    ++batch.count;
    batch.total += t.type == TxnType::refund || t.type == TxnType::credit ? -t.settled : t.settled;
    save(t);
  }
  batches_.push_back(batch);
  if (store_ != nullptr) (void)store_->put(batch);
  return batch;
}

std::vector<const Txn*> Ledger::select(const std::function<bool(const Txn&)>& keep) const {
  std::vector<const Txn*> out;
  for (const auto& t : txns_)
    if (keep(t)) out.push_back(&t);
  return out;
}

std::vector<const Batch*> Ledger::batches() const {
  std::vector<const Batch*> out;
  out.reserve(batches_.size());
  for (const auto& b : batches_) out.push_back(&b);
  return out;
}

}  // namespace tender::net::hostsim
