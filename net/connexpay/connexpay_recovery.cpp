// What became of a request whose answer was lost (ARCHITECTURE.md: recovery is owned by the
// adapter). ConnexPay has no idempotency key, so nothing is ever re-sent from here: a lost sale
// is reversed by the host's own timeout reversal, and everything else is found by what the
// terminal put in it (OrderNumber = reference_id, our DeviceGuid) or by the original's record.
// A candidate of another device, or one the terminal already holds, is never adopted; more
// than one that fits is held for the merchant (ambiguous).
#include <algorithm>
#include <cctype>
#include <utility>

#include "common/log.hpp"
#include "net/connexpay/connexpay_adapter.hpp"

namespace tender::net::connexpay {
namespace {

using host::Fate;
using host::Outcome;
using host::RecoveryResult;

// Beyond this many candidate returns to read one by one, the search is not narrow enough to
// trust: held for the merchant.
constexpr std::size_t kMaxReturnCandidates = 20;
constexpr std::int64_t kDaySeconds = 86400;

RecoveryResult fate(Fate f, std::string why) {
  RecoveryResult r;
  r.fate = f;
  r.why = std::move(why);
  return r;
}

RecoveryResult done(host::HostResult result, std::string why) {
  RecoveryResult r = fate(Fate::done, std::move(why));
  r.result = std::move(result);
  return r;
}

// The sale or AuthOnly found and reversed (or reversed by the host): declined to the engine,
// with nothing approved. Not not_at_host: a resend would carry the same SequenceNumber and
// card, which the host refuses as a duplicate (30 minutes; D0008 within a minute).
RecoveryResult reversed(std::string host_reference, std::string message, std::string why) {
  host::HostResult result;
  result.outcome = Outcome::declined;
  result.host_reference = std::move(host_reference);
  result.response_message = std::move(message);
  return done(std::move(result), std::move(why));
}

bool same_guid(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool known(const host::RecoveryQuery& query, const Record& record) {
  return std::any_of(query.known_host_references.begin(), query.known_host_references.end(), [&](const std::string& ref) {
    const auto parsed = parse_host_reference(ref);
    return same_guid(parsed ? parsed->guid : ref, record.guid);
  });
}

bool approved(Outcome outcome) { return outcome == Outcome::approved || outcome == Outcome::partially_approved; }

}  // namespace

void ConnexPayAdapter::recover(host::RecoveryQuery query, host::RecoveryHandler handler) {
  switch (query.operation) {
    case host::Operation::sale: recover_payment(std::move(query), TxKind::sale, std::move(handler)); return;
    case host::Operation::authorize: recover_by_search(std::move(query), TxKind::authonly, {}, std::move(handler)); return;
    case host::Operation::verify:
      handler(fate(Fate::not_at_host, "a verification moves no money: safe to send again"));
      return;
    case host::Operation::capture: recover_capture(std::move(query), std::move(handler)); return;
    case host::Operation::void_: recover_void(std::move(query), std::move(handler)); return;
    case host::Operation::refund: recover_refund(std::move(query), std::move(handler)); return;
    case host::Operation::tip_adjust:
      handler(fate(Fate::not_at_host, "ConnexPay has no tip adjustment: it was never sent"));
      return;
  }
  handler(fate(Fate::not_known_yet, "unknown operation"));
}

// A sale: the host's timeout reversal by DeviceGuid + SequenceNumber [E H L1503-1611]. Its one
// documented answer means the host found the sale and voided it; anything else (its not-found
// answer is undocumented) falls back to the search.
void ConnexPayAdapter::recover_payment(host::RecoveryQuery query, TxKind kind, host::RecoveryHandler handler) {
  if (!is_uuid(query.reference_id)) {
    handler(fate(Fate::not_known_yet, "the lost sale's reference is not a UUID: its SequenceNumber is unknown"));
    return;
  }
  std::string body = timeout_reversal_body(config_.device_guid, sequence_number_for(query.reference_id));
  send(http::Method::post, std::string(api::kTimeoutReversalPath), std::move(body), "timeoutreversal",
       [this, query = std::move(query), kind, handler = std::move(handler)](Result<http::Response> response, Sent) mutable {
         if (response && is_timeout_reversed(response->status, response->body)) {
           handler(reversed({}, "reversed by the host's timeout reversal",
                            "the host's timeout reversal found the sale and voided it"));
           return;
         }
         std::string why = response ? "timeout reversal answered HTTP " + std::to_string(response->status) + " (undocumented)"
                                    : "timeout reversal not answered (" + std::string(to_string(response.error().code)) + ")";
         recover_by_search(std::move(query), kind, std::move(why) + "; ", std::move(handler));
       });
}

// Search/Sales or Search/AuthOnlys by OrderNumber, the one filter ConnexPay honors [E C2].
void ConnexPayAdapter::recover_by_search(host::RecoveryQuery query, TxKind kind, std::string why_so_far,
                                         host::RecoveryHandler handler) {
  SearchQuery search_query;
  search_query.order_number = query.reference_id;
  const std::string_view path = kind == TxKind::sale ? api::kSearchSalesPath : api::kSearchAuthOnlysPath;
  search(path, std::move(search_query), kind,
         [this, query, kind, why_so_far, handler = std::move(handler)](Result<std::vector<Record>> rows) {
           if (!rows) {
             handler(fate(Fate::not_known_yet, why_so_far + "the search could not be read: " + rows.error().message));
             return;
           }
           std::vector<Record> ours;
           for (auto& row : *rows) {
             if (!same_guid(row.device_guid, config_.device_guid) || known(query, row)) continue;
             if (!row.order_number.empty() && row.order_number != query.reference_id) continue;
             ours.push_back(std::move(row));
           }
           if (ours.empty()) {
             handler(fate(Fate::not_at_host, why_so_far + "no transaction of this device with this OrderNumber"));
             return;
           }
           if (ours.size() > 1) {
             handler(fate(Fate::ambiguous, why_so_far + std::to_string(ours.size()) + " transactions carry this OrderNumber"));
             return;
           }
           Record& found = ours.front();
           if (found.voided) {
             handler(reversed(found.result.host_reference, "voided at the host", why_so_far + "found it, already voided"));
             return;
           }
           if (found.result.outcome == Outcome::declined) {
             handler(done(std::move(found.result), why_so_far + "found it, declined"));
             return;
           }
           if (!approved(found.result.outcome)) {
             handler(fate(Fate::not_known_yet, why_so_far + "found it, with no final status yet"));
             return;
           }
           if (found.batch_status != api::kBatchOpen) {
             // Settled: it can no longer be voided, and it is proven ours: the engine has its record.
             handler(done(std::move(found.result), why_so_far + "found it approved and settled"));
             return;
           }
           const HostRef target{kind, found.guid};
           post_money(api::kVoidPath, void_body(config_.device_guid, target, api::VoidReasonCode::device_timeout), TxKind::void_,
                      [reference = found.result.host_reference, why_so_far, handler](Result<host::HostResult> voided) {
                        if (voided && approved(voided->outcome)) {
                          handler(reversed(reference, "reversed: the answer was lost",
                                           why_so_far + "found it approved and voided it (DEVICE_TIMEOUT)"));
                          return;
                        }
                        handler(fate(Fate::not_known_yet, why_so_far + "found it approved; its void did not succeed yet"));
                      });
         });
}

// A return: no key either. The returns of that amount since the day before the first attempt
// (the journal's clock may be off: a day's slack, and none at all when it is absurd), of this
// device, each read to see that it returns our sale.
void ConnexPayAdapter::recover_refund(host::RecoveryQuery query, host::RecoveryHandler handler) {
  const auto original = parse_host_reference(query.original_host_reference);
  if (!original || original->kind != TxKind::sale || !query.amount) {
    handler(fate(Fate::ambiguous, "the lost return names no sale or amount to match: held"));
    return;
  }
  SearchQuery search_query;
  search_query.amount = query.amount;
  const std::int64_t now = now_unix();
  if (query.first_sent_unix > kDaySeconds && query.first_sent_unix <= now + kDaySeconds) {
    search_query.timestamp_from = utc_date(query.first_sent_unix - kDaySeconds);
  }
  search(api::kSearchReturnsPath, std::move(search_query), TxKind::return_,
         [this, query, sale_guid = original->guid, handler = std::move(handler)](Result<std::vector<Record>> rows) mutable {
           if (!rows) {
             handler(fate(Fate::not_known_yet, "the returns search could not be read: " + rows.error().message));
             return;
           }
           std::vector<Record> candidates;
           for (auto& row : *rows) {
             if (!same_guid(row.device_guid, config_.device_guid) || known(query, row) || !is_uuid(row.guid)) continue;
             if (row.amount && !(*row.amount == *query.amount)) continue;
             if (!row.order_number.empty() && row.order_number != query.reference_id) continue;
             candidates.push_back(std::move(row));
           }
           if (candidates.size() > kMaxReturnCandidates) {
             handler(fate(Fate::ambiguous, std::to_string(candidates.size()) + " returns of this amount: held"));
             return;
           }
           check_returns(std::move(candidates), 0, std::move(sale_guid), {}, std::move(query), std::move(handler));
         });
}

void ConnexPayAdapter::check_returns(std::vector<Record> candidates, std::size_t next, std::string sale_guid,
                                     std::vector<Record> matched, host::RecoveryQuery query, host::RecoveryHandler handler) {
  if (next < candidates.size()) {
    const HostRef ref{TxKind::return_, candidates[next].guid};
    get_record(ref, [this, candidates = std::move(candidates), next, sale_guid = std::move(sale_guid),
                     matched = std::move(matched), query = std::move(query),
                     handler = std::move(handler)](Result<Record> record) mutable {
      if (!record) {
        handler(fate(Fate::not_known_yet, "a candidate return could not be read: " + record.error().message));
        return;
      }
      if (same_guid(record->sale_guid, sale_guid)) matched.push_back(std::move(*record));
      check_returns(std::move(candidates), next + 1, std::move(sale_guid), std::move(matched), std::move(query),
                    std::move(handler));
    });
    return;
  }
  // Our own OrderNumber on the record proves it whatever else is in doubt.
  const auto by_order = std::count_if(matched.begin(), matched.end(),
                                      [&](const Record& r) { return r.order_number == query.reference_id; });
  if (by_order == 1) {
    auto it = std::find_if(matched.begin(), matched.end(), [&](const Record& r) { return r.order_number == query.reference_id; });
    handler(done(std::move(it->result), "found the return by its OrderNumber"));
    return;
  }
  if (matched.empty()) {
    handler(fate(Fate::not_at_host, "no return of this device for the sale and amount"));
    return;
  }
  const bool twin_in_doubt = std::any_of(query.other_refunds_in_doubt.begin(), query.other_refunds_in_doubt.end(),
                                         [&](const Money& m) { return m == *query.amount; });
  if (matched.size() > 1 || twin_in_doubt) {
    handler(fate(Fate::ambiguous, std::to_string(matched.size()) + " return(s) fit, another refund of that amount in doubt: held"));
    return;
  }
  handler(done(std::move(matched.front().result), "found the return of the sale for that amount"));
}

// A capture: the AuthOnly's search row names its capture (relatedCapture, H L5262; the GET
// example has no such member), and the capture names the new sale.
void ConnexPayAdapter::recover_capture(host::RecoveryQuery query, host::RecoveryHandler handler) {
  const auto original = parse_host_reference(query.original_host_reference);
  if (!original || original->kind != TxKind::authonly) {
    handler(fate(Fate::not_known_yet, "the lost capture names no AuthOnly"));
    return;
  }
  SearchQuery search_query;
  search_query.guid = original->guid;
  search_query.amount = query.original_amount;
  search(api::kSearchAuthOnlysPath, std::move(search_query), TxKind::authonly,
         [this, guid = original->guid, handler = std::move(handler)](Result<std::vector<Record>> rows) {
    if (!rows) {
      handler(fate(Fate::not_known_yet, "the AuthOnly could not be found: " + rows.error().message));
      return;
    }
    const auto row = std::find_if(rows->begin(), rows->end(), [&](const Record& r) { return same_guid(r.guid, guid); });
    if (row == rows->end()) {
      handler(fate(Fate::not_known_yet, "the search does not show the AuthOnly"));
      return;
    }
    const Record* record = &*row;
    if (!record->capture_known) {
      handler(fate(Fate::not_known_yet, "the AuthOnly's record does not say whether it was captured"));
      return;
    }
    if (record->related_capture_guid.empty()) {
      handler(fate(Fate::not_at_host, "the AuthOnly was not captured"));
      return;
    }
    if (!is_uuid(record->related_capture_guid)) {
      handler(fate(Fate::not_known_yet, "the AuthOnly's capture id is not a guid"));
      return;
    }
    send(http::Method::get, std::string(api::kCapturesPath) + "/" + record->related_capture_guid, {}, "get capture",
         [this, handler](Result<http::Response> response, Sent) {
           if (!response || response->status < 200 || response->status >= 300) {
             handler(fate(Fate::not_known_yet, "the AuthOnly was captured; the capture could not be read"));
             return;
           }
           auto capture = parse_capture(response->body, config_.currency);
           if (!capture) {
             handler(fate(Fate::not_known_yet, "the AuthOnly was captured; the capture is unreadable"));
             return;
           }
           handler(done(std::move(*capture), "the AuthOnly was captured"));
         });
  });
}

// A void: the voided transaction's own record (effectiveAmount 0 after a void [E H L2680];
// relatedVoid on an AuthOnly [E H L5263]).
void ConnexPayAdapter::recover_void(host::RecoveryQuery query, host::RecoveryHandler handler) {
  const auto original = parse_host_reference(query.original_host_reference);
  if (!original) {
    handler(fate(Fate::not_known_yet, "the lost void names no transaction"));
    return;
  }
  get_record(*original, [reference = query.original_host_reference, handler = std::move(handler)](Result<Record> record) {
    if (!record) {
      handler(fate(Fate::not_known_yet, "the voided transaction could not be read: " + record.error().message));
      return;
    }
    if (record->voided) {
      host::HostResult result;
      result.outcome = Outcome::approved;
      result.host_reference = reference;
      result.response_message = "voided";
      handler(done(std::move(result), "the transaction's record shows it voided"));
      return;
    }
    handler(fate(Fate::not_at_host, "the transaction is still live: the void never happened"));
  });
}

}  // namespace tender::net::connexpay
