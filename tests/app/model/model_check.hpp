// The money-safety invariants (issue 10): after a run has drained, the host simulator's
// ledger against the terminal's journal. Written to the contract (ARCHITECTURE.md,
// HostAdapter recovery), not to what any adapter does today:
//  - a sale or pre-authorization the journal calls approved (completed / forwarded) is at
//    the host exactly once, for what was approved, net of the voids, captures, tips and
//    refunds the journal reports done;
//  - one it calls not approved (declined, failed, cancelled, reversed, forward declined)
//    holds and charges nothing at the host;
//  - whatever the host holds or charges for this terminal is known to the journal (no
//    orphan: a replay after the idempotency window, a reversal that missed its sale);
//  - captures and refunds happen at most once, for the amount asked, and only when the
//    journal says they did;
//  - nothing another terminal did is touched (voided, captured, refunded, tipped) or adopted
//    (no journal row carries its id);
//  - the queue drained; an item held for the merchant is allowed only where the adapter's
//    recovery called it ambiguous and another terminal's lookalike (same card, same amount)
//    is there to make it so.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "app/journal/journal.hpp"
#include "net/hostsim/store.hpp"

namespace tender::test::model {

namespace hs = net::hostsim;

struct Violation {
  std::string kind;    // a short class name, for the summary
  std::string detail;  // what and where (row labels, amounts; never card data)
};

struct Lookalike {
  std::int64_t cents = 0;
  std::string first6;
  std::string last4;
};

struct Evidence {
  std::vector<app::JournalEntry> rows;  // every journal row
  std::vector<app::QueueItem> queue;     // what is still queued after the drain
  std::vector<hs::Txn> ledger;           // every transaction at the host (this API)
  std::map<std::string, hs::Txn> foreign;  // another terminal's transactions, as they were made
  std::vector<Lookalike> lookalikes;     // another terminal's payments
  std::set<std::string> ambiguous;       // reference ids whose recovery the adapter called ambiguous
};

inline std::string money(std::int64_t cents) {
  const char* sign = cents < 0 ? "-" : "";
  if (cents < 0) cents = -cents;
  std::string frac = std::to_string(cents % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return sign + std::to_string(cents / 100) + "." + frac;
}

// How a journal row is named in traces: its journal id (never its card).
inline std::string row_label(const app::JournalEntry& e) { return "J" + std::to_string(e.id); }

inline bool held(const app::QueueItem& q) { return q.last_error.rfind("held: ", 0) == 0; }

inline bool approved_state(app::TxnState s) {
  return s == app::TxnState::completed || s == app::TxnState::forwarded;
}

// What the host holds (an open authorization) and what it charges (captured, settled net of refunds).
inline std::int64_t host_hold(const hs::Txn& t) {
  return t.status == hs::TxnStatus::authorized ? t.authorized : 0;
}
inline std::int64_t host_charge(const hs::Txn& t) {
  switch (t.status) {
    case hs::TxnStatus::captured: return t.captured + t.tip;
    case hs::TxnStatus::settled:
    case hs::TxnStatus::refunded: return t.settled - t.refunded;
    default: return 0;
  }
}
inline std::string_view status_name(hs::TxnStatus s) {
  static constexpr std::string_view kNames[] = {"authorized", "captured", "settled", "voided", "declined", "refunded"};
  return kNames[static_cast<std::size_t>(s)];
}
inline std::string describe(const hs::Txn& t) {
  std::string d = std::string(t.type == hs::TxnType::authorization ? "auth" : t.type == hs::TxnType::refund ? "refund" : "sale");
  d += " " + money(t.requested) + " " + std::string(status_name(t.status));
  if (t.authorized != t.requested) d += " approved " + money(t.authorized);
  if (t.captured) d += " captured " + money(t.captured);
  if (t.tip) d += " tip " + money(t.tip);
  if (t.refunded) d += " refunded " + money(t.refunded);
  return d;
}

// ConnexPay's books in the invariants' terms. Its capture is a new sale (H: "try voiding the
// Sale generated instead"; the simulator records it so): the AuthOnly keeps its hold on the
// record, and the new sale carries the money. Here the AuthOnly takes the new sale's state,
// refunds of the new sale count as the AuthOnly's, and the records that hold no money (the
// capture and void answers) are left out. The adapter keeps the record's kind in its host
// reference ("sale:<guid>", connexpay_mapping.hpp): the journal's ids are the guids after it.
inline Evidence connexpay_books(Evidence ev) {
  const auto guid = [](std::string& reference) {
    if (const auto colon = reference.find(':'); colon != std::string::npos) reference.erase(0, colon + 1);
  };
  for (auto& r : ev.rows) guid(r.host_reference);
  std::map<std::string, std::string> folded;  // new sale id -> its AuthOnly's id
  for (const auto& t : ev.ledger)
    if (t.type == hs::TxnType::authorization && !t.related_id.empty()) folded[t.related_id] = t.id;
  std::map<std::string, const hs::Txn*> by_id;
  for (const auto& t : ev.ledger) by_id[t.id] = &t;
  std::vector<hs::Txn> books;
  for (const auto& t : ev.ledger) {
    if (t.type == hs::TxnType::capture || t.type == hs::TxnType::void_record || folded.count(t.id)) continue;
    hs::Txn v = t;
    if (t.type == hs::TxnType::authorization && !t.related_id.empty()) {
      if (auto sale = by_id.find(t.related_id); sale != by_id.end()) {
        v.status = sale->second->status;
        v.captured = sale->second->captured;
        v.settled = sale->second->settled;
        v.refunded = sale->second->refunded;
        v.tip = sale->second->tip;
      }
    }
    if (auto of = folded.find(v.parent_id); of != folded.end()) v.parent_id = of->second;
    books.push_back(std::move(v));
  }
  // A journal row naming a new sale (a capture, a void or refund of it) names its AuthOnly.
  for (auto& r : ev.rows)
    if (auto of = folded.find(r.host_reference); of != folded.end() && r.kind != app::TxnKind::capture) r.host_reference = of->second;
  ev.ledger = std::move(books);
  return ev;
}

// `allowed_holds`, when given, counts the queue items held for the merchant that a lookalike allows.
inline std::vector<Violation> check(const Evidence& ev, std::size_t* allowed_holds = nullptr) {
  using app::TxnKind;
  using app::TxnState;
  std::vector<Violation> out;
  const auto add = [&](std::string kind, std::string detail) { out.push_back({std::move(kind), std::move(detail)}); };

  std::map<std::string, const hs::Txn*> by_id;
  for (const auto& t : ev.ledger) by_id[t.id] = &t;
  std::map<std::string, const app::JournalEntry*> by_ref;
  for (const auto& r : ev.rows) by_ref[r.reference_id] = &r;
  const auto is_foreign = [&](const std::string& id) { return ev.foreign.count(id) > 0; };
  const auto card_of = [](const app::JournalEntry& r) {
    return std::pair<std::string, std::string>{r.masked_pan.substr(0, 6),
                                               r.masked_pan.size() >= 4 ? r.masked_pan.substr(r.masked_pan.size() - 4) : ""};
  };
  const auto state_name = [](const app::JournalEntry& r) { return std::string(app::to_string(r.state)); };

  // ---- the queue ----
  std::set<std::string> held_allowed;  // reference ids the merchant holds, legitimately
  for (const auto& q : ev.queue) {
    auto it = by_ref.find(q.reference_id);
    const std::string what = it == by_ref.end() ? q.reference_id
                                                : row_label(*it->second) + " " + std::string(app::to_string(it->second->kind));
    if (!held(q)) {
      add("not_drained", std::string(app::to_string(q.kind)) + " of " + what + " still queued after the drain (" +
                             std::to_string(q.attempts) + " attempts; last: " + q.last_error + ")");
      continue;
    }
    bool lookalike = false;
    if (it != by_ref.end() && ev.ambiguous.count(q.reference_id)) {
      const auto& r = *it->second;
      std::vector<std::int64_t> amounts{r.amount.minor_units()};
      if (auto o = by_ref.find(r.original_reference); o != by_ref.end())
        amounts.push_back(o->second->approved_amount.value_or(o->second->amount).minor_units());
      const auto [f6, l4] = card_of(r);
      for (const auto& l : ev.lookalikes)
        if (l.first6 == f6 && l.last4 == l4 && std::find(amounts.begin(), amounts.end(), l.cents) != amounts.end())
          lookalike = true;
      // The terminal's own transactions the journal cannot name are lookalikes too: two of the
      // same card and amount (two lost answers), or one for less than asked (a partial approval
      // whose record, once captured, no longer says so) cannot be told from a stranger's.
      if (r.kind == TxnKind::sale || r.kind == TxnKind::preauth) {
        std::size_t same = 0, lower = 0;
        for (const auto& t : ev.ledger) {
          if (t.type == hs::TxnType::refund || t.first6 != f6 || t.last4 != l4) continue;
          bool named = false;
          for (const auto& other : ev.rows) named = named || (other.host_reference == t.id && other.reference_id != r.reference_id);
          if (named) continue;
          // A declined record shows the amount asked: to a recovery it is a candidate as well.
          if (t.authorized > 0 && t.authorized < r.amount.minor_units()) ++lower;
          else if (t.authorized == r.amount.minor_units() || t.requested == r.amount.minor_units()) ++same;
        }
        if (same >= 2 || lower >= 1) lookalike = true;
      }
      // A refund whose answer was lost beside another refund of the same sale still in doubt:
      // the sale's refunded total may not tell which of them happened.
      if (r.kind == TxnKind::refund) {
        for (const auto& other : ev.rows)
          if (other.kind == TxnKind::refund && other.reference_id != r.reference_id &&
              other.original_reference == r.original_reference && other.state == TxnState::in_doubt)
            lookalike = true;
      }
    }
    if (lookalike) {
      held_allowed.insert(q.reference_id);
    } else {
      const bool called_ambiguous = ev.ambiguous.count(q.reference_id) > 0;
      add("held_unjustified", std::string(app::to_string(q.kind)) + " of " + what + " held for the merchant " +
                                        (called_ambiguous ? "as ambiguous with no lookalike at the host"
                                                          : "without its recovery calling it ambiguous") +
                                        " (" + q.last_error + ")");
    }
  }
  if (allowed_holds != nullptr) *allowed_holds = held_allowed.size();
  for (const auto& r : ev.rows) {
    if (app::is_final(r.state) || held_allowed.count(r.reference_id)) continue;
    const bool queued = std::any_of(ev.queue.begin(), ev.queue.end(),
                                    [&](const app::QueueItem& q) { return q.reference_id == r.reference_id; });
    if (!queued) add("not_drained", row_label(r) + " " + std::string(app::to_string(r.kind)) + " left " + state_name(r) + ", not queued");
  }

  // ---- adoption: no journal row names another terminal's transaction ----
  for (const auto& r : ev.rows) {
    if (!r.host_reference.empty() && is_foreign(r.host_reference))
      add("foreign_adopted", row_label(r) + " " + std::string(app::to_string(r.kind)) + " (" + state_name(r) +
                                 ") carries another terminal's transaction (" + describe(ev.foreign.at(r.host_reference)) + ")");
  }

  // ---- another terminal's transactions are untouched ----
  for (const auto& [id, before] : ev.foreign) {
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;
    const hs::Txn& now = *it->second;
    std::string what;
    if (now.status == hs::TxnStatus::voided && before.status != hs::TxnStatus::voided) what = "voided";
    else if (before.status == hs::TxnStatus::authorized && now.status != hs::TxnStatus::authorized) what = "captured";
    else if (now.captured != before.captured) what = "capture changed";
    else if (now.tip != before.tip) what = "tip adjusted";
    else if (now.refunded != before.refunded) what = "refunded";
    if (!what.empty()) add("foreign_touched", "another terminal's " + describe(before) + " was " + what + ": now " + describe(now));
  }

  // ---- our payments, row by row ----
  std::set<std::string> referenced;  // host ids the journal knows
  for (const auto& r : ev.rows)
    if (!r.host_reference.empty()) referenced.insert(r.host_reference);
  const auto follow_ons = [&](const app::JournalEntry& p, TxnKind kind, bool completed_only) {
    std::vector<const app::JournalEntry*> v;
    for (const auto& r : ev.rows)
      if (r.kind == kind && r.original_reference == p.reference_id && (!completed_only || r.state == TxnState::completed))
        v.push_back(&r);
    std::sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->id < b->id; });
    return v;
  };
  const auto states_of = [&](const std::vector<const app::JournalEntry*>& v) {
    std::string s;
    for (auto* r : v) s += (s.empty() ? "" : ", ") + row_label(*r) + " " + state_name(*r);
    return s.empty() ? std::string("none") : s;
  };

  for (const auto& p : ev.rows) {
    if (p.kind != TxnKind::sale && p.kind != TxnKind::preauth) continue;
    if (held_allowed.count(p.reference_id)) continue;
    // A follow-on of it held for the merchant (legitimately) leaves its books to the merchant.
    if (std::any_of(ev.rows.begin(), ev.rows.end(), [&](const app::JournalEntry& f) {
          return f.original_reference == p.reference_id && held_allowed.count(f.reference_id) > 0;
        }))
      continue;
    const std::string name = row_label(p) + " " + std::string(app::to_string(p.kind)) + " " + money(p.amount.minor_units());
    const hs::Txn* t = nullptr;
    if (!p.host_reference.empty()) {
      auto it = by_id.find(p.host_reference);
      if (it != by_id.end()) t = it->second;
    }
    if (t != nullptr && is_foreign(t->id)) continue;  // reported as adopted above
    const auto voids = follow_ons(p, TxnKind::void_, true);
    const auto all_voids = follow_ons(p, TxnKind::void_, false);
    if (!approved_state(p.state)) {
      if (!app::is_final(p.state)) continue;  // reported as not drained
      if (t != nullptr && (host_hold(*t) != 0 || host_charge(*t) != 0))
        add("declined_but_charged", name + " ends " + state_name(p) + " (" + p.reason + ") but the host has " + describe(*t));
      continue;
    }
    if (t == nullptr) {
      add("approved_not_at_host", name + " ends " + state_name(p) + " but the host has no transaction " +
                                      (p.host_reference.empty() ? std::string("(no host id in the journal)") : p.host_reference));
      continue;
    }
    // What the journal says the host should show.
    std::int64_t hold = 0, charge = 0;
    std::string expect;
    const auto caps = follow_ons(p, TxnKind::capture, true);
    const auto all_caps = follow_ons(p, TxnKind::capture, false);
    const auto refunds = follow_ons(p, TxnKind::refund, true);
    const auto tips = follow_ons(p, TxnKind::tip_adjust, true);
    const std::int64_t base = p.approved_amount.value_or(p.amount).minor_units();
    if (!voids.empty()) {
      expect = "voided (" + row_label(*voids.front()) + ")";
    } else {
      std::int64_t refunded = 0;
      for (auto* r : refunds) refunded += r->amount.minor_units();
      const std::int64_t tip = tips.empty() ? 0 : tips.back()->tip.value_or(Money{0, usd()}).minor_units();
      if (p.kind == TxnKind::preauth && caps.empty()) {
        hold = base;
        expect = "an open authorization of " + money(base);
      } else {
        const std::int64_t captured = p.kind == TxnKind::preauth ? caps.front()->amount.minor_units() : base;
        charge = captured + tip - refunded;
        expect = "a charge of " + money(charge);
        if (tip) expect += " (tip " + money(tip) + ")";
        if (refunded) expect += " (refunded " + money(refunded) + ")";
      }
    }
    if (host_hold(*t) == hold && host_charge(*t) == charge) continue;
    std::string kind = "charge_mismatch";
    if (!voids.empty()) kind = "void_reported_not_done";
    else if (host_hold(*t) == 0 && host_charge(*t) == 0) kind = "approved_not_charged";
    else if (p.kind == TxnKind::preauth && caps.empty() && t->captured != 0) kind = "capture_unreported";
    else if (p.kind == TxnKind::preauth && !caps.empty() && t->captured != caps.front()->amount.minor_units()) kind = "capture_mismatch";
    add(kind, name + " ends " + state_name(p) + ": the journal says the host holds " + expect + "; the host has " + describe(*t) +
                  " [voids: " + states_of(all_voids) + "; captures: " + states_of(all_caps) + "; refunds: " +
                  states_of(follow_ons(p, TxnKind::refund, false)) + "; tip adjusts: " +
                  states_of(follow_ons(p, TxnKind::tip_adjust, false)) + "]");
  }

  // ---- refunds: each at the host is one the journal reports done, for its amount ----
  std::set<std::string> reversal_refund_used;  // a reversal of a settled sale refunds it once
  std::set<std::string> unnamed_refund_used;   // refund rows without a host id, each matched once
  std::map<std::string, const app::JournalEntry*> payment_by_host;
  for (const auto& r : ev.rows)
    if ((r.kind == TxnKind::sale || r.kind == TxnKind::preauth) && !r.host_reference.empty()) payment_by_host[r.host_reference] = &r;
  for (const auto& t : ev.ledger) {
    if (t.type != hs::TxnType::refund || is_foreign(t.parent_id)) continue;
    const app::JournalEntry* row = nullptr;
    for (const auto& r : ev.rows)
      if (r.kind == TxnKind::refund && r.host_reference == t.id) row = &r;
    auto parent = payment_by_host.find(t.parent_id);
    // A refund found done by a recovery that cannot name its transaction (FullStack reads the
    // sale's refunded total) has no host id: it stands for one refund of its sale and amount.
    if (row == nullptr && parent != payment_by_host.end()) {
      for (const auto& r : ev.rows)
        if (r.kind == TxnKind::refund && r.host_reference.empty() && r.state == TxnState::completed &&
            r.original_reference == parent->second->reference_id && r.amount.minor_units() == t.authorized &&
            !unnamed_refund_used.count(r.reference_id)) {
          unnamed_refund_used.insert(r.reference_id);
          row = &r;
          break;
        }
    }
    const std::string of = parent == payment_by_host.end() ? "a transaction the journal does not know"
                                                          : row_label(*parent->second) + " " + money(parent->second->amount.minor_units());
    if (row != nullptr) {
      if (row->state != TxnState::completed && !held_allowed.count(row->reference_id))
        add("refund_unreported", "a refund of " + money(t.authorized) + " of " + of + " is at the host; its journal row " +
                                     row_label(*row) + " ends " + state_name(*row));
      else if (t.authorized != row->amount.minor_units())
        add("refund_mismatch", row_label(*row) + " refunded " + money(row->amount.minor_units()) + ", the host refunded " + money(t.authorized));
      continue;
    }
    if (parent != payment_by_host.end() && parent->second->state == TxnState::reversed &&
        !reversal_refund_used.count(t.parent_id) &&
        t.authorized == parent->second->approved_amount.value_or(parent->second->amount).minor_units()) {
      reversal_refund_used.insert(t.parent_id);  // the reversal of a sale that had settled
      continue;
    }
    std::string rows_of;
    bool twice = false;  // the journal reports one refund of this amount done: this is a second one
    if (parent != payment_by_host.end()) {
      const auto refund_rows = follow_ons(*parent->second, TxnKind::refund, false);
      rows_of = states_of(refund_rows);
      for (auto* r : refund_rows)
        if (r->state == TxnState::completed && r->amount.minor_units() == t.authorized) twice = true;
      const bool excused = std::any_of(refund_rows.begin(), refund_rows.end(), [&](const app::JournalEntry* r) {
        return held_allowed.count(r->reference_id) > 0 && r->amount.minor_units() == t.authorized;
      });
      if (excused && !twice) continue;  // the merchant holds the row this refund answers
    }
    if (twice)
      add("refund_twice", "a second refund of " + money(t.authorized) + " of " + of + " is at the host [refund rows: " + rows_of + "]");
    else
      add("refund_unreported", "a refund of " + money(t.authorized) + " of " + of +
                                   " is at the host and no journal row reports it done [refund rows: " + (rows_of.empty() ? "none" : rows_of) + "]");
  }
  for (const auto& r : ev.rows) {
    if (r.kind != TxnKind::refund || r.state != TxnState::completed) continue;
    if (r.host_reference.empty() && unnamed_refund_used.count(r.reference_id)) continue;
    auto it = by_id.find(r.host_reference);
    if (it == by_id.end() || it->second->type != hs::TxnType::refund)
      add("refund_not_at_host", row_label(r) + " refund " + money(r.amount.minor_units()) + " ends completed; the host has no such refund");
  }

  // ---- orphans: what the host holds or charges for us that no journal row knows ----
  std::vector<const app::JournalEntry*> excuses;  // held rows may each explain one
  for (const auto& r : ev.rows)
    if (held_allowed.count(r.reference_id)) excuses.push_back(&r);
  for (const auto& t : ev.ledger) {
    if (t.type == hs::TxnType::refund || is_foreign(t.id) || referenced.count(t.id)) continue;
    if (host_hold(t) == 0 && host_charge(t) == 0) continue;
    auto ex = std::find_if(excuses.begin(), excuses.end(), [&](const app::JournalEntry* r) {
      const auto [f6, l4] = card_of(*r);
      return f6 == t.first6 && l4 == t.last4 && r->amount.minor_units() == t.requested;
    });
    if (ex != excuses.end()) {
      excuses.erase(ex);
      continue;
    }
    // Aurora keeps our referenceId on the transaction: name the row it was sent for.
    std::string sent_for;
    for (const auto& r : ev.rows)
      if (!t.reference.empty() && t.reference == r.reference_id) sent_for = "sent for " + row_label(r) + " " + state_name(r) + "; ";
    std::string same;
    for (const auto& r : ev.rows) {
      const auto [f6, l4] = card_of(r);
      if ((r.kind == TxnKind::sale || r.kind == TxnKind::preauth) && f6 == t.first6 && l4 == t.last4 &&
          r.amount.minor_units() == t.requested)
        same += (same.empty() ? "" : ", ") + row_label(r) + " " + state_name(r) + (r.host_reference.empty() ? " (no host id)" : "");
    }
    add("orphan_charge", "the host has " + describe(t) + " for this terminal that no journal row knows [" + sent_for +
                             (same.empty() ? std::string("no row of that card and amount]")
                                           : "a second charge? rows of that card and amount: " + same + "]"));
  }
  return out;
}

}  // namespace tender::test::model
