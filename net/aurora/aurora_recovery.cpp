// Aurora recovery (aurora_recovery.hpp says why it is a search and what it never does).
#include "net/aurora/aurora_recovery.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "common/log.hpp"
#include "net/aurora/aurora_adapter.hpp"
#include "net/aurora/aurora_api.hpp"

namespace tender::net::aurora {
namespace recovery {

Search::Search(Criteria criteria) : criteria_(std::move(criteria)) {}

bool Search::take(const Page& page, int index) {
  ++pages_;
  for (const Record& r : page.items) {
    if (r.date_unix) {
      if (oldest_ && *r.date_unix > *oldest_) ordered_ = false;  // not newest first: no cut-off
      oldest_ = r.date_unix;
    }
    if (!r.id.empty()) {
      if (std::find(criteria_.known.begin(), criteria_.known.end(), r.id) != criteria_.known.end()) continue;
      if (!seen_.insert(r.id).second) continue;  // the same record on two pages
    }
    // Older than the search reaches back: not this request. A newer one is never ruled out
    // by its date: the terminal's clock may be behind the host's.
    if (r.date_unix && criteria_.first_sent_unix > 0 && *r.date_unix < criteria_.first_sent_unix - kPagingMargin) continue;
    if (bool proven = false; agrees(r, proven)) candidates_.push_back({r, proven});
  }
  const auto read = static_cast<std::int64_t>(index + 1) * kPageSize;
  end_of_list_ = page.items.size() < static_cast<std::size_t>(kPageSize) || (page.total && read >= *page.total);
  return !end_of_list_ && !reached(kPagingMargin) && pages_ < kMaxPages;
}

bool Search::reached(std::int64_t margin) const {
  return end_of_list_ ||
         (ordered_ && criteria_.first_sent_unix > 0 && oldest_ && *oldest_ < criteria_.first_sent_unix - margin);
}

bool Search::in_window(const Record& r, std::int64_t margin) const {
  if (!r.date_unix || criteria_.first_sent_unix <= 0) return true;  // cannot be ruled out
  const std::int64_t last = std::max(criteria_.last_sent_unix, criteria_.first_sent_unix);
  return *r.date_unix >= criteria_.first_sent_unix - margin && *r.date_unix <= last + margin;
}

// A record agrees unless something it shows contradicts the request; it is proven when its id,
// amount and card were all shown and agree. Only a proven record is ever adopted.
bool Search::agrees(const Record& r, bool& proven) const {
  if (criteria_.type_id && r.type_id && *r.type_id != *criteria_.type_id) return false;
  if (!criteria_.processor_id.empty() && !r.processor_id.empty() && r.processor_id != criteria_.processor_id) return false;
  if (criteria_.card_data_source && r.card_data_source && *r.card_data_source != *criteria_.card_data_source) return false;
  // The total is what the host charged: ours is the total we sent, or less for a partial
  // approval the host says is partial. A record showing only its base is compared with ours.
  bool amount_agrees = false;
  if (r.total) {
    // Only a payment can be approved for part of it (a refund is for what it asks), and only
    // a record from the time of our attempts is considered.
    const bool payment = criteria_.type_id != api::type_id::refund;
    const bool charged = r.outcome != host::Outcome::declined && r.outcome != host::Outcome::error;  // unknown: the list may not say
    const bool lower = payment && charged && criteria_.total && r.total->currency() == criteria_.total->currency() &&
                       r.total->minor_units() > 0 && r.total->minor_units() < criteria_.total->minor_units() &&
                       in_window(r, kNarrowMargin);
    const bool partial = lower && r.outcome == host::Outcome::partially_approved;
    amount_agrees = r.total == criteria_.total || partial;
    // Less than we asked, shown as a plain approval: once captured or settled a partial
    // approval's record no longer says it was one. It may be ours: never "not at the host",
    // never adopted on its amount (only its cryptogram could prove it).
    if (!amount_agrees && !lower) return false;
  } else if (r.base) {
    amount_agrees = r.base == criteria_.base;
    if (!amount_agrees) return false;
  }
  if (!r.last4.empty() && !criteria_.last4.empty() && r.last4 != criteria_.last4) return false;
  // A chip transaction's cryptogram is its own: the record that shows ours is ours, one that
  // shows another is another's, whatever else agrees.
  if (!r.ac.empty() && !criteria_.cryptogram.empty()) {
    if (r.ac != criteria_.cryptogram) return false;
    proven = !r.id.empty();
    return true;
  }
  proven = amount_agrees && !r.last4.empty() && r.last4 == criteria_.last4 && !r.id.empty();
  return true;
}

std::optional<Search::Verdict> Search::after_paging() const {
  if (!reached(kNarrowMargin)) {
    return Verdict{host::Fate::not_known_yet, {}, "the host's list was not read back to the first attempt within " +
                                                      std::to_string(kMaxPages) + " pages"};
  }
  if (candidates_.empty()) {
    if (reached(kPagingMargin)) return Verdict{host::Fate::not_at_host, {}, "no transaction at the host matches the request"};
    return Verdict{host::Fate::not_known_yet, {}, "nothing matches; the host's list was not read back a day"};
  }
  if (candidates_.size() > kMaxDetails) {
    return Verdict{host::Fate::ambiguous, {}, std::to_string(candidates_.size()) +
                                                  " transactions at the host look like the request; held for the merchant"};
  }
  return std::nullopt;
}

std::vector<std::string> Search::to_check() const {
  std::vector<std::string> ids;
  for (const auto& c : candidates_) ids.push_back(c.record.id);
  return ids;
}

Search::Verdict Search::decide(const std::vector<Record>& details) const {
  // A lookalike's detail may say more than its list item (cardDataSourceId, IOS L4728): one
  // that contradicts the request is a stranger's, whatever the list showed.
  std::vector<Candidate> left;
  for (std::size_t i = 0; i < candidates_.size(); ++i) {
    Record merged = i < details.size() ? details[i] : candidates_[i].record;
    if (merged.id.empty()) merged.id = candidates_[i].record.id;
    if (candidates_[i].record.date_unix) merged.date_unix = candidates_[i].record.date_unix;  // the date it was paged by
    if (!merged.type_id) merged.type_id = candidates_[i].record.type_id;
    if (!merged.total) merged.total = candidates_[i].record.total;
    if (merged.last4.empty()) merged.last4 = candidates_[i].record.last4;
    bool proven = false;
    if (agrees(merged, proven)) left.push_back({merged, proven || candidates_[i].proven});
  }
  if (left.empty()) {
    if (reached(kPagingMargin)) return {host::Fate::not_at_host, {}, "every lookalike at the host is another transaction"};
    return {host::Fate::not_known_yet, {}, "no match near the attempts; the host's list was not read back a day"};
  }
  // The record that shows this request's own cryptogram is the request, whenever it was dated.
  for (const auto& c : left)
    if (!c.record.ac.empty() && c.record.ac == criteria_.cryptogram && c.proven)
      return {host::Fate::done, c.record, "the host's record of this chip transaction (its cryptogram)"};
  // Otherwise adopted only at the attempts' own time: a lone lookalike hours away is as likely
  // a stranger's (or the terminal's clock is off): the merchant decides, never a guess.
  std::erase_if(left, [&](const Candidate& c) { return !in_window(c.record, kNarrowMargin); });
  if (left.size() == 1 && left.front().proven) return {host::Fate::done, left.front().record, "the host's one matching transaction"};
  // Records for less than asked stand for a partial approval of ours only when nothing of our
  // amount is there: one proven record of our amount among them is ours.
  const auto lower = [&](const Candidate& c) {
    return c.record.total && criteria_.total && c.record.total->currency() == criteria_.total->currency() &&
           c.record.total->minor_units() < criteria_.total->minor_units();
  };
  const auto exact = std::count_if(left.begin(), left.end(), [&](const Candidate& c) { return !lower(c); });
  if (exact == 1) {
    const auto it = std::find_if(left.begin(), left.end(), [&](const Candidate& c) { return !lower(c); });
    if (it->proven) return {host::Fate::done, it->record, "the host's one transaction of this amount"};
  }
  if (left.size() == 1) {
    return {host::Fate::ambiguous, {}, "a transaction at the host may be this one, but its record does not show enough to tell"};
  }
  if (left.empty()) return {host::Fate::ambiguous, {}, "lookalikes at the host, none at the time of the attempts; held for the merchant"};
  return {host::Fate::ambiguous, {}, std::to_string(left.size()) + " transactions at the host match the request; held for the merchant"};
}

}  // namespace recovery

namespace {

constexpr std::string_view kLog = "aurora";

host::RecoveryResult fate(host::Fate f, std::string why, host::HostResult result = {}) {
  return host::RecoveryResult{f, std::move(result), std::move(why)};
}

// A detail the host could not give: a missing original is for the merchant; anything else
// (transport, 5xx, unreadable) is asked again later.
host::RecoveryResult unread(const Error& error) {
  if (error.code == Errc::not_found) return fate(host::Fate::ambiguous, "the host has no record of the original transaction");
  return fate(host::Fate::not_known_yet, "the host's record could not be read: " + error.message);
}

std::optional<Money> base_of(const host::AuthorizationRequest& r) {
  std::int64_t base = r.amount.minor_units();
  for (const auto& part : {r.tip, r.surcharge})
    if (part) base -= part->minor_units();
  return Money(base, r.amount.currency());
}

}  // namespace

struct AuroraAdapter::SearchRun {
  recovery::Search search;
  host::RecoveryHandler done;
  std::int64_t last_sent_unix = 0;
  int page = api::kFirstPage;
  int read = 0;
  std::vector<std::string> pending{};  // lookalikes whose details are read
  std::vector<Record> details{};
};

void AuroraAdapter::next_page(std::shared_ptr<SearchRun> run) {
  const std::string target = std::string(api::kTransactionsPath) + "?" + std::string(api::kPageQuery) + "=" +
                             std::to_string(run->page) + "&" + std::string(api::kPageSizeQuery) + "=" +
                             std::to_string(recovery::kPageSize) + "&" + std::string(api::kAscQuery) + "=false&" +
                             std::string(api::kOrderByQuery) + "=" + std::string(api::kOrderByDate);
  get(target, [this, run](Exchange exchange) {
    if (!exchange.response || exchange.response->status != 200) {
      run->done(fate(host::Fate::not_known_yet, exchange.response ? "the host's list answered HTTP " +
                                                                        std::to_string(exchange.response->status)
                                                                  : "the host's list could not be read"));
      return;
    }
    auto page = parse_list(exchange.response->body, config_.currency);
    if (!page) {
      run->done(fate(host::Fate::not_known_yet, "the host's list is unreadable: " + page.error().message));
      return;
    }
    // The search trusts the attempts' times to know where to stop. A terminal clock behind the
    // host's only makes it read further; one ahead would stop it before the request's record,
    // so the host's own clock (its Date header, RFC 9110 §6.6.1) is checked when it gives one.
    const auto host_now = parse_http_date(exchange.response->header("Date").value_or(""));
    if (run->read == 0 && host_now && run->last_sent_unix > *host_now + recovery::kPagingMargin) {
      run->done(fate(host::Fate::not_known_yet, "the terminal's clock is ahead of the host's by more than a day"));
      return;
    }
    const int index = run->read++;
    ++run->page;
    if (run->search.take(*page, index)) {
      next_page(run);
      return;
    }
    if (auto verdict = run->search.after_paging()) {
      log::info(kLog, "recovery search read ", run->read, " page(s): ", to_string(verdict->fate));
      run->done(fate(verdict->fate, std::move(verdict->why)));
      return;
    }
    run->pending = run->search.to_check();
    check_next(run);
  });
}

// Reads the lookalikes' details one by one, then lets the search decide.
void AuroraAdapter::check_next(std::shared_ptr<SearchRun> run) {
  if (run->details.size() == run->pending.size()) {
    auto verdict = run->search.decide(run->details);
    log::info(kLog, "recovery search read ", run->read, " page(s) and ", run->details.size(), " detail(s): ",
              to_string(verdict.fate));
    if (verdict.fate != host::Fate::done) {
      run->done(fate(verdict.fate, std::move(verdict.why)));
      return;
    }
    host::HostResult result = result_of(*verdict.record);
    if (result.outcome == host::Outcome::unknown) {
      run->done(fate(host::Fate::not_known_yet, "the host has not decided it yet (" + verdict.record->status + ")"));
      return;
    }
    run->done(fate(host::Fate::done, "found at the host by its amount, card and time", std::move(result)));
    return;
  }
  get_detail(run->pending[run->details.size()], [this, run](Result<Record> detail) {
    if (!detail) {
      run->done(fate(host::Fate::not_known_yet, "a matching transaction's detail could not be read: " + detail.error().message));
      return;
    }
    run->details.push_back(std::move(*detail));
    check_next(run);
  });
}

void AuroraAdapter::recover(host::RecoveryQuery query, host::RecoveryHandler handler) {
  recovery::Criteria criteria;
  criteria.processor_id = config_.payment_processor_id;
  criteria.first_sent_unix = query.first_sent_unix;
  criteria.last_sent_unix = query.last_sent_unix;
  criteria.known = std::move(query.known_host_references);
  const auto start = [this, handler](recovery::Criteria c) {
    const std::int64_t last_sent = std::max(c.last_sent_unix, c.first_sent_unix);
    next_page(std::make_shared<SearchRun>(SearchRun{recovery::Search(std::move(c)), handler, last_sent}));
  };
  const std::string original = query.original_host_reference;
  switch (query.operation) {
    case host::Operation::verify:
      handler(fate(host::Fate::not_at_host, "Aurora has no verification: nothing was sent"));
      return;
    case host::Operation::authorize:
    case host::Operation::sale: {
      criteria.type_id = query.operation == host::Operation::sale ? api::type_id::sale : api::type_id::authorization;
      if (query.request) {
        criteria.total = query.request->amount;
        criteria.base = base_of(*query.request);
        criteria.last4 = card_last4(*query.request);
        criteria.card_data_source = api::table_lookup(api::kCardDataSource, query.request->entry_mode);
        criteria.cryptogram = request_cryptogram(*query.request);
      } else {
        criteria.total = query.amount;
      }
      start(std::move(criteria));
      return;
    }
    case host::Operation::refund: {
      // A return is a new transaction (typeId 5 Refund) on the original's card: found like a
      // sale, by the card the original's record shows. Its amount: the one asked, or what was
      // left to refund (a null amount "refunds the remaining refundable balance", IOS).
      criteria.type_id = api::type_id::refund;
      criteria.total = query.amount;
      if (!criteria.total && query.original_amount) {
        const std::int64_t before = query.refunded_before ? query.refunded_before->minor_units() : 0;
        criteria.total = Money(query.original_amount->minor_units() - before, query.original_amount->currency());
      }
      criteria.base = criteria.total;
      criteria.card_data_source = api::kReturnCardDataSource;  // what our return sends
      get_detail(original, [start, handler, criteria = std::move(criteria)](Result<Record> r) mutable {
        if (!r) {
          handler(unread(r.error()));
          return;
        }
        criteria.last4 = r->last4;
        start(std::move(criteria));
      });
      return;
    }
    case host::Operation::void_:
    case host::Operation::capture:
    case host::Operation::tip_adjust:
      get_detail(original, [query = std::move(query), handler](Result<Record> r) {
        if (!r) {
          handler(unread(r.error()));
          return;
        }
        handler(follow_on_fate(query, *r));
      });
      return;
  }
}

// The original's record says whether a void, capture or tip adjustment was done to it.
host::RecoveryResult AuroraAdapter::follow_on_fate(const host::RecoveryQuery& query, const Record& r) {
  host::HostResult done = result_of(r);
  done.outcome = host::Outcome::approved;
  done.response_message = r.status;
  if (r.outcome == host::Outcome::unknown) {
    return fate(host::Fate::not_known_yet, "the original's status is " + (r.status.empty() ? std::string("not shown") : r.status));
  }
  switch (query.operation) {
    case host::Operation::void_:
      // Voided is the void done; a status that still holds money is the void not done.
      if (r.status == api::kStatusVoided) return fate(host::Fate::done, "the original is voided", done);
      return fate(host::Fate::not_at_host, "the original is " + r.status + ": not voided");
    case host::Operation::capture: {
      const bool captured =
          r.status == api::kStatusCaptured || r.status == api::kStatusSettled || r.status == api::kStatusRefunded;
      if (!captured) return fate(host::Fate::not_at_host, "the original is " + r.status + ": not captured");
      const std::optional<Money> asked = query.amount ? query.amount : query.original_amount;
      const bool shown = r.base || r.total;
      if (shown && asked && r.base != asked && r.total != asked)
        return fate(host::Fate::ambiguous, "the original was captured for another amount");
      done.approved_amount = asked ? asked : r.total;
      return fate(host::Fate::done, "the original is captured", done);
    }
    case host::Operation::tip_adjust:
      if (!r.tip) return fate(host::Fate::not_known_yet, "the original's record shows no tip");
      if (r.tip != query.amount) return fate(host::Fate::not_at_host, "the original's tip is not the one asked");
      return fate(host::Fate::done, "the original carries the tip asked", done);
    default:
      return fate(host::Fate::not_known_yet, "not a follow-on");
  }
}

}  // namespace tender::net::aurora
