// Aurora recovery: what became of a request whose answer was lost (host_adapter.hpp, Fate).
//
// Why a search, and why it is built this way (the evidence is in aurora_api.hpp):
//  * pay-api v1 has no idempotency key and echoes no referenceId; its list has no referenceId,
//    status or date filter (page, pageSize, asc, orderBy, createMethodId, createdById,
//    batchId, noBatch only). A lost sale can only be recognised by what the host's record
//    shows: type, amounts, masked card number, date, id.
//  * Other terminals and the merchant's portal use the same account: a record that merely
//    looks like ours may be a stranger's. So the search adopts a record only when it is the
//    one and only candidate the terminal cannot tell from its own request, and the host's
//    list was read back far enough to know there is no other; anything less is ambiguous
//    (held for the merchant) or not known yet (asked again later). It never re-sends.
//  * Follow-ons name their original by the host's id, so its record answers directly.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "net/aurora/aurora_mapping.hpp"
#include "net/host/host_adapter.hpp"

namespace tender::net::aurora::recovery {

// Our bounds, not the host's: at most kMaxPages list pages of kPageSize (the host's maximum),
// newest first, until the records are older than the first attempt by kPagingMargin (a day:
// the terminal's clock or the host's may have jumped). A record is adopted only when it lies
// within kNarrowMargin of the attempts; at most kMaxDetails lookalikes are looked at closely.
inline constexpr int kMaxPages = 10;
inline constexpr int kPageSize = 100;
inline constexpr std::int64_t kPagingMargin = 24 * 3600;
inline constexpr std::int64_t kNarrowMargin = 10 * 60;
inline constexpr std::size_t kMaxDetails = 8;

// What the lost request's record must show.
struct Criteria {
  std::optional<int> type_id;       // the operation's transaction type
  std::optional<Money> total;       // the total sent (tip and surcharge included)
  std::optional<Money> base;        // the `amount` field sent (the base)
  std::string last4;                // the card's; "" when the request has none readable
  std::optional<int> card_data_source;  // the cardDataSource sent
  std::string cryptogram;           // the chip's 9F26 sent; "" for a card read otherwise
  std::string processor_id;         // our paymentProcessorId
  std::int64_t first_sent_unix = 0;  // 0: unknown
  std::int64_t last_sent_unix = 0;
  std::vector<std::string> known;   // the terminal's own other transactions
};

// Pages of the list, newest first, in; lookalikes out; their details in; one verdict out.
// Pure: tested without a host.
class Search {
 public:
  explicit Search(Criteria criteria);

  // Takes page `index` (asked with kPageSize); true when another page is needed and allowed.
  bool take(const Page& page, int index);

  struct Verdict {
    host::Fate fate = host::Fate::not_known_yet;
    std::optional<Record> record;  // fate done: the one record to adopt (its detail)
    std::string why;               // never card data
  };
  // After paging: a verdict, or nothing when the lookalikes' details must be read first.
  [[nodiscard]] std::optional<Verdict> after_paging() const;
  // The lookalikes whose details after_paging() wants, newest first.
  [[nodiscard]] std::vector<std::string> to_check() const;
  // The verdict once every lookalike's detail was read (in to_check() order). A detail that
  // contradicts the request (card data source, card, amount) rules its record out.
  [[nodiscard]] Verdict decide(const std::vector<Record>& details) const;

 private:
  struct Candidate {
    Record record;
    bool proven;  // its amount and card were both shown and both agree
  };
  [[nodiscard]] bool agrees(const Record& record, bool& proven) const;
  [[nodiscard]] bool in_window(const Record& record, std::int64_t margin) const;
  [[nodiscard]] bool reached(std::int64_t margin) const;

  Criteria criteria_;
  std::vector<Candidate> candidates_;
  std::set<std::string, std::less<>> seen_;
  std::optional<std::int64_t> oldest_;  // the oldest date read so far, while dates only fell
  bool ordered_ = true;                 // every date read was no newer than the one before
  bool end_of_list_ = false;
  int pages_ = 0;
};

}  // namespace tender::net::aurora::recovery
