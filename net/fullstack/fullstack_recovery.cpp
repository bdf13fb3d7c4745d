// FullStack recovery: what became of a request whose answer was lost (host_adapter.hpp, Fate).
//
// Why it is built this way:
//  * The idempotency key is at most once only inside its window: "If the same key is used
//    within the idempotency_time window, the duplicate request will return the original
//    transaction response instead of processing a new transaction" ([FPDOC]; [DOC] L277
//    "Default time is 5 minutes"). After the window the same request is a new charge. The
//    engine asks hours later from its queues, so a blind replay is not a recovery.
//  * So a payment (sale, authorize, verify) is searched for first, always: POST
//    /api/transaction/search by the order_id our request carried (order_id_for(reference)),
//    its type and amount, over a generous created_at range (L934-L957). Searching first
//    even inside the window makes a wrong clock harmless: a replay is only ever sent when
//    the host shows nothing of ours, so it cannot charge twice whatever the clocks say.
//  * Nothing found: inside the window (0 <= now - last_sent <= kIdempotencyTime -
//    kReplayMargin, by the injectable clock; a negative difference means the clock jumped
//    and counts as outside) the very same request is replayed under the same key, which
//    also covers a request still in flight at the host. Outside it: not at the host.
//  * A candidate is ours only if it proves it: our order_id, our type, our amount, and our
//    idempotency_key when the host echoes one. Two of them, or one the terminal already
//    holds for another transaction (known_host_references), is ambiguous: held for the
//    merchant, never guessed. Another terminal's identical sale (same card, same amount)
//    carries its own order_id and is never a candidate.
//  * A follow-on (capture, void, refund) is never re-sent blindly (a lost refund answer must
//    not become two refunds): the original's own record (GET /api/transaction/{id}) says
//    whether it happened, by its status and amount_captured / amount_refunded.
//  * The host could not be asked (transport failure, 5xx, an unreadable answer): not known yet.
#include <algorithm>
#include <string>
#include <utility>

#include "common/log.hpp"
#include "net/fullstack/fullstack_adapter.hpp"

namespace tender::net::fullstack {
namespace {

using host::Fate;
using host::Outcome;
using host::RecoveryResult;

constexpr std::string_view kLog = "fullstack";

RecoveryResult fate(Fate f, std::string why, host::HostResult result = {}) { return {f, std::move(result), std::move(why)}; }

RecoveryResult not_known(const Error& error, std::string trace) {
  host::HostResult r;
  r.trace_id = std::move(trace);
  return {Fate::not_known_yet, std::move(r), "the host could not be asked: " + error.message};
}

std::string_view type_of(host::Operation op) {
  switch (op) {
    case host::Operation::authorize: return *api::table_lookup(api::kTransactionType, api::TransactionType::authorize);
    case host::Operation::verify: return *api::table_lookup(api::kTransactionType, api::TransactionType::verification);
    default: return *api::table_lookup(api::kTransactionType, api::TransactionType::sale);
  }
}

// What a record found by the search says of our payment. Its code decides when it is final;
// a code that is not (0, 99, 301, 421, 430) leaves the decision to the status, which is the
// host's own word on what the transaction holds now.
RecoveryResult from_record(host::HostResult result, const std::string& status) {
  if (result.outcome == Outcome::unknown) result.outcome = status_outcome(status).value_or(Outcome::unknown);
  if (result.outcome == Outcome::unknown) return fate(Fate::not_known_yet, "the host's record of it is not final yet", std::move(result));
  return fate(Fate::done, "found by the search for its order_id", std::move(result));
}

enum class RefundReading { done, not_done, unclear };

// Which reading of the growth of the original's refunded total fits: this refund (`mine`) plus
// some of the others in doubt, or some of the others alone. Unclear when both or neither fit,
// or when there are too many others to try.
RefundReading refund_reading(std::int64_t growth, std::int64_t mine, const std::vector<Money>& others) {
  constexpr std::size_t kMaxOthers = 12;
  if (others.size() > kMaxOthers) return RefundReading::unclear;
  bool with_mine = false;
  bool without_mine = false;
  for (std::uint32_t subset = 0; subset < (1u << others.size()); ++subset) {
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < others.size(); ++i)
      if (subset & (1u << i)) sum += others[i].minor_units();
    with_mine = with_mine || sum + mine == growth;
    without_mine = without_mine || sum == growth;
  }
  if (with_mine == without_mine) return RefundReading::unclear;
  return with_mine ? RefundReading::done : RefundReading::not_done;
}

}  // namespace

void FullStackAdapter::recover(host::RecoveryQuery query, host::RecoveryHandler handler) {
  switch (query.operation) {
    case host::Operation::authorize:
    case host::Operation::sale:
    case host::Operation::verify:
      recover_payment(std::move(query), std::move(handler));
      return;
    case host::Operation::capture:
    case host::Operation::void_:
    case host::Operation::refund:
      recover_follow_on(std::move(query), std::move(handler));
      return;
    case host::Operation::tip_adjust:
      handler(fate(Fate::not_at_host, "FullStack has no tip adjustment: nothing was sent"));
      return;
  }
  handler(fate(Fate::not_known_yet, "unknown operation"));
}

void FullStackAdapter::recover_payment(host::RecoveryQuery query, host::RecoveryHandler handler) {
  const std::string order_id = order_id_for(query.reference_id);
  if (order_id.empty()) {  // transaction_body refuses such a reference: nothing was ever sent
    handler(fate(Fate::not_at_host, "the reference id is not a UUID: no request could have been sent"));
    return;
  }
  TransactionSearch search;
  search.order_id = order_id;
  search.type = std::string(type_of(query.operation));
  if (query.request) search.amount = query.request->amount.minor_units();
  else if (query.amount) search.amount = query.amount->minor_units();
  const std::int64_t now = now_unix();
  std::int64_t earliest = now;
  std::int64_t latest = now;
  for (std::int64_t t : {query.first_sent_unix, query.last_sent_unix}) {
    if (t <= 0) continue;
    earliest = std::min(earliest, t);
    latest = std::max(latest, t);
  }
  const std::int64_t slack = std::chrono::duration_cast<std::chrono::seconds>(api::kSearchSlack).count();
  search.created_from = utc_text(earliest - slack);
  search.created_to = utc_text(latest + slack);
  search.limit = api::kSearchLimit;
  search_records(search, [this, query = std::move(query), order_id, search, handler = std::move(handler)](
                             Result<RecordPage> page, std::string trace) mutable {
    if (!page) {
      log::warn(kLog, "recovery search failed: ", to_string(page.error().code));
      handler(not_known(page.error(), std::move(trace)));
      return;
    }
    std::vector<Record> ours;
    for (Record& r : page->records) {
      if (!r.type.empty() && r.type != search.type) continue;  // e.g. a refund that kept the order_id
      ours.push_back(std::move(r));
    }
    const bool complete = !page->total_count || *page->total_count <= static_cast<std::int64_t>(page->records.size());
    if (!complete) {
      handler(fate(Fate::ambiguous, "the search found more transactions than one page holds"));
      return;
    }
    for (const Record& r : ours) {
      const bool proven = r.order_id == order_id && (r.idempotency_key.empty() || r.idempotency_key == query.reference_id) &&
                          (!search.amount || !r.amount || *r.amount == *search.amount);
      const bool known = std::find(query.known_host_references.begin(), query.known_host_references.end(),
                                   r.result.host_reference) != query.known_host_references.end();
      if (!proven || known) {
        handler(fate(Fate::ambiguous, known ? "the host's candidate is another of this terminal's transactions"
                                            : "the host's candidate does not prove it is this request (order_id, key or amount)"));
        return;
      }
    }
    if (ours.size() > 1) {
      handler(fate(Fate::ambiguous, std::to_string(ours.size()) + " transactions carry this request's order_id"));
      return;
    }
    if (ours.size() == 1) {
      host::HostResult result = std::move(ours.front().result);
      result.trace_id = std::move(trace);
      handler(from_record(std::move(result), ours.front().status));
      return;
    }
    // Nothing of ours at the host. Inside the window a replay under the same key is at most
    // once (and meets a request still in flight); outside it would be a second charge.
    const std::int64_t since = now_unix() - query.last_sent_unix;
    const std::int64_t window = (api::kIdempotencyTime - api::kReplayMargin).count();
    if (query.request && query.last_sent_unix > 0 && since >= 0 && since <= window) {
      replay(std::move(query), std::move(trace), std::move(handler));
      return;
    }
    host::HostResult none;
    none.trace_id = std::move(trace);
    handler(fate(Fate::not_at_host,
                 since < 0 ? "not found by the search; the clock went back, so no replay"
                           : "not found by the search, and the idempotency window is over: never replayed",
                 std::move(none)));
  });
}

void FullStackAdapter::replay(host::RecoveryQuery query, std::string trace, host::RecoveryHandler handler) {
  host::AuthorizationRequest request = std::move(*query.request);
  request.reference_id = query.reference_id;
  auto decided = [trace = std::move(trace), handler = std::move(handler)](Result<host::HostResult> r) {
    if (!r) {
      // Refused before sending (the request cannot be built): the original never could be sent.
      const bool unsendable = r.error().code == Errc::invalid_argument || r.error().code == Errc::unsupported;
      if (unsendable) handler(fate(Fate::not_at_host, "not found, and the request cannot be sent: " + r.error().message));
      else handler(not_known(r.error(), trace));
      return;
    }
    if (r->outcome == Outcome::unknown) {
      handler(fate(Fate::not_known_yet, "not found by the search; the replay was not answered either", std::move(*r)));
      return;
    }
    handler(fate(Fate::done, "not found by the search; replayed under the same idempotency key inside its window", std::move(*r)));
  };
  switch (query.operation) {
    case host::Operation::authorize: authorize(std::move(request), std::move(decided)); return;
    case host::Operation::verify: verify(std::move(request), std::move(decided)); return;
    default: sale(std::move(request), std::move(decided)); return;
  }
}

void FullStackAdapter::recover_follow_on(host::RecoveryQuery query, host::RecoveryHandler handler) {
  if (query.original_host_reference.empty()) {  // follow_on() sends nothing without it
    handler(fate(Fate::not_at_host, "no original host transaction: nothing could have been sent"));
    return;
  }
  const std::string original = query.original_host_reference;
  get_record(original, [query = std::move(query), handler = std::move(handler)](Result<Record> record, std::string trace) {
    if (!record) {
      if (record.error().code == Errc::not_found) {
        handler(fate(Fate::ambiguous, "the host does not know the original transaction"));
      } else {
        handler(not_known(record.error(), std::move(trace)));
      }
      return;
    }
    const Record& r = *record;
    host::HostResult done;
    done.host_reference = query.original_host_reference;
    done.trace_id = trace;
    const std::string& status = r.status;
    if (r.result.host_reference != query.original_host_reference) {
      handler(fate(Fate::ambiguous, "the host answered with another transaction"));
      return;
    }
    switch (query.operation) {
      case host::Operation::void_:
        if (api::one_of(api::kVoidedStatus, status)) {
          done.outcome = Outcome::approved;
          done.response_message = status;
          handler(fate(Fate::done, "the original is " + status, std::move(done)));
        } else if (api::one_of(api::kSettledStatus, status)) {
          done.outcome = Outcome::error;
          done.refusal = host::Refusal::already_settled;
          done.response_message = "the transaction had settled: a void is refused";
          handler(fate(Fate::done, "the original settled: it cannot have been voided", std::move(done)));
        } else if (status == "authorized" || status == "pending_settlement" || status == "declined") {
          handler(fate(Fate::not_at_host, "the original is still " + status + ": the void did not happen"));
        } else {
          handler(fate(Fate::ambiguous, "the original's status (" + status + ") does not tell"));
        }
        return;
      case host::Operation::capture:
        if (status == "authorized" || api::one_of(api::kVoidedStatus, status) || status == "declined") {
          handler(fate(Fate::not_at_host, "the original is " + status + ": nothing was captured"));
        } else if (!r.amount_captured || *r.amount_captured <= 0) {
          handler(fate(Fate::ambiguous, "the original is " + status + " without a captured amount"));
        } else if (query.amount && *r.amount_captured != query.amount->minor_units()) {
          handler(fate(Fate::ambiguous, "the original's captured amount is not what this capture asked"));
        } else {
          done.outcome = Outcome::approved;
          done.approved_amount = Money(*r.amount_captured, query.amount ? query.amount->currency() : usd());
          done.auth_code = r.result.auth_code;
          handler(fate(Fate::done, "the original shows the capture", std::move(done)));
        }
        return;
      case host::Operation::refund: {
        // amount_refunded against what this terminal had refunded of it before: grown by this
        // refund is done, unchanged is not at the host. Other refunds of it still in doubt may
        // explain part of the growth: decided only when exactly one reading fits.
        if (!r.amount_refunded || !query.amount) {
          handler(fate(Fate::ambiguous, "the original shows no refunded amount to compare"));
          return;
        }
        if (!query.refunded_before && *r.amount_refunded != 0) {
          handler(fate(Fate::ambiguous, "the terminal does not know what was refunded before"));
          return;
        }
        const std::int64_t before = query.refunded_before ? query.refunded_before->minor_units() : 0;
        const auto reading = refund_reading(*r.amount_refunded - before, query.amount->minor_units(), query.other_refunds_in_doubt);
        if (reading == RefundReading::not_done) {
          handler(fate(Fate::not_at_host, "the original's refunded amount does not hold this refund: it did not happen"));
        } else if (reading == RefundReading::done) {
          // The refund is its own transaction at the host, and the original's record does not
          // name it: its id stays unknown rather than the original's.
          done.host_reference.clear();
          done.outcome = Outcome::approved;
          done.approved_amount = *query.amount;
          handler(fate(Fate::done, "the original's refunded amount grew by this refund", std::move(done)));
        } else {
          handler(fate(Fate::ambiguous, "the original's refunded amount does not tell whether this refund happened"));
        }
        return;
      }
      default:
        handler(fate(Fate::not_known_yet, "not a follow-on"));
        return;
    }
  });
}

}  // namespace tender::net::fullstack
