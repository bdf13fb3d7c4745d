// The terminal's journal and offline queue: one SQLite database in WAL mode with
// synchronous=FULL (ARCHITECTURE.md, Store). The engine writes a row *before* each side
// effect outside the terminal (host request, card completion, print), so after a power
// cut the journal says what may have happened and recovery can finish or reverse it.
//
// What rests on disk:
//  * public columns: what a receipt or a report may show (masked PAN 6+4, amounts, codes);
//  * one sealed column per transaction: the card data / chip tags / PIN block the engine
//    needs to forward or replay the request, AES-256-GCM under the device key with the
//    reference id as additional data (a blob moved to another row does not open). It is
//    wiped (set to NULL, then the page is overwritten: secure_delete) once the transaction
//    is final, in the commit that makes it final.
//
// A row's state changes only by a move of its lifecycle (lifecycle.hpp, apply()).
// Every call is one SQLite transaction: after it returns the change is on disk. Calls
// block (fsync); the engine makes them between steps, never while a host request is out.
// Not thread-safe: one io_context drives it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "common/money.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"

namespace tender::app {

// The transaction types of issue 5, as the journal and reports name them.
enum class TxnKind { sale, preauth, capture, void_, refund, tip_adjust, verify };
std::string_view to_string(TxnKind kind) noexcept;             // "sale", "preauth", ..., "void", "tip_adjust"
std::optional<TxnKind> txn_kind_from_string(std::string_view text) noexcept;

// Where a transaction stands. Final states never change again.
enum class TxnState {
  created,           // older versions only (written before the card was read): recovery cancels it
  sent,              // written just before the request goes to the host
  approved,          // the host approved (fully or partly); card completion / print follow
  completed,         // approved and finished at the terminal (receipt printed)      [final]
  declined,          // the host or the card declined; nothing charged                [final]
  failed,            // refused before or by the host (error); nothing charged        [final]
  cancelled,         // cancelled before anything was sent                           [final]
  reversal_pending,  // must be reversed (lost answer, AAC after approval, power cut); queued
  reversed,          // the host confirmed the reversal                               [final]
  offline_approved,  // approved offline (store and forward); queued for forwarding
  forwarded,         // the host accepted the forwarded offline sale                 [final]
  forward_declined,  // the host declined the forwarded offline sale (reported)      [final]
  in_doubt,          // a follow-on whose answer was lost: the queue asks the host's recovery
                     // what it did (never re-sent blindly)
};
std::string_view to_string(TxnState state) noexcept;  // the enumerator's name
std::optional<TxnState> txn_state_from_string(std::string_view text) noexcept;
bool is_final(TxnState state) noexcept;

// Entry mode as stored (mirrors net::host::EntryMode; app/ translates).
enum class StoredEntryMode { keyed, swiped, chip, fallback_swipe, contactless };
std::string_view to_string(StoredEntryMode mode) noexcept;
std::optional<StoredEntryMode> stored_entry_mode_from_string(std::string_view text) noexcept;

enum class Cvm { none, online_pin, offline_pin, signature };
std::string_view to_string(Cvm cvm) noexcept;
std::optional<Cvm> cvm_from_string(std::string_view text) noexcept;

// One row. Only masked or public values: a full PAN, track, PIN block or key must never be
// put in any of these strings (the tests scan the file).
struct JournalEntry {
  std::int64_t id = 0;            // assigned by insert(), increasing
  std::string reference_id;       // our unique id (UUID text), primary key
  TxnKind kind = TxnKind::sale;
  TxnState state = TxnState::created;
  StoredEntryMode entry_mode = StoredEntryMode::keyed;
  Money amount{0, usd()};         // requested total (tip and surcharge included)
  std::optional<Money> tip;
  std::optional<Money> surcharge;
  std::optional<Money> approved_amount;
  std::string original_reference;  // capture/void/refund/tip_adjust: the original's reference_id
  std::string masked_pan;          // first 6 / last 4 only, e.g. "476173******0010"
  std::string card_label;          // brand or EMV application label
  std::string aid;                 // hex
  std::string tvr;                 // hex
  std::string tsi;                 // hex
  Cvm cvm = Cvm::none;
  std::string auth_code;
  std::string host_reference;      // the host's transaction id
  // The host's number for the customer when it is not its transaction id (ConnexPay's
  // refNumber, its receipts' "REF #"); empty: the receipt shows host_reference.
  std::string receipt_reference;
  std::string response_code;
  std::string response_message;    // the host's text (never card data)
  std::string reason;              // why declined / failed / reversed (engine's words)
  bool offline = false;            // approved offline (store and forward)
  std::string batch;               // the settlement batch it belongs to ("" = open batch)
  std::int64_t created_unix = 0;   // seconds since the epoch, UTC; set by insert() when 0
  std::int64_t updated_unix = 0;   // set by every write
  std::int64_t sent_unix = 0;      // when the latest request for it left the terminal (0 = never)
};

// forward: an offline sale to send; reversal: undo what the host may hold; resolve: find out
// what the host did with a follow-on whose answer was lost.
enum class QueueKind { forward, reversal, resolve };
std::string_view to_string(QueueKind kind) noexcept;

struct QueueItem {
  std::int64_t seq = 0;            // increasing; the forwarding order
  std::string reference_id;
  QueueKind kind = QueueKind::forward;
  int attempts = 0;
  std::string last_error;          // never card data
};

using DeviceKey = SecretArray<32>;

enum class RowEvent : std::uint8_t;  // the lifecycle's events: app/journal/lifecycle.hpp

struct JournalOptions {
  // Most offline approvals waiting to be forwarded at once; enqueue(forward) beyond it is
  // Errc::exhausted (the engine then declines offline). Reversals are never refused.
  std::size_t offline_queue_cap = 100;
};

class Journal {
 public:
  // Opens or creates the database (schema versioned with PRAGMA user_version; an unknown
  // version is Errc::unsupported, a file that is not a database Errc::malformed). Sets
  // journal_mode=WAL, synchronous=FULL, secure_delete=ON. The directory must exist.
  //
  // One writer per journal: the handle holds an exclusive lock on `file`.lock for its life,
  // and a second writer (another terminal process, tenderctl's queue flush or settle while
  // tender runs) is Errc::busy at once, never a second engine forwarding the same queue.
  static Result<Journal> open(const std::filesystem::path& file, const DeviceKey& key,
                              JournalOptions options = {});
  // The back office's view (tenderctl journal list, queue list): no key, no lock, no write.
  // The file must exist at the current schema (an older one is Errc::unsupported until a
  // writer has migrated it). unseal() and every write are Errc::unsupported on this handle.
  static Result<Journal> open_read_only(const std::filesystem::path& file);
  Journal(Journal&&) noexcept;
  Journal& operator=(Journal&&) noexcept;
  ~Journal();

  // One move of a row's lifecycle (lifecycle.hpp), in one SQLite transaction: the row written
  // from `entry` in the move's end state and whatever else the move's table row writes (the
  // sealed request, its wipe, queue items), all or nothing. The move is looked up from the
  // row's state on disk (no row: the move inserts it), never from entry.state. `sealed` is the
  // plaintext to seal, given exactly when the move seals. Errc::invalid_argument for a move
  // the table does not have (nothing changes), Errc::exhausted when a forward would overfill
  // the queue. On success entry.state, id, created_unix and updated_unix are the row's; the
  // answer is the queue item the move added, if any.
  Result<std::optional<std::int64_t>> apply(RowEvent event, JournalEntry& entry, ByteView sealed = {});
  // Write transactions this handle committed, each one fsync of the WAL (synchronous=FULL):
  // what the tests hold the lifecycle's one commit per move to.
  [[nodiscard]] std::uint64_t commits() const noexcept;

  // The id the next new row will get (AUTOINCREMENT: never one given before). The EMV
  // kernel's transaction sequence counter is read before the row exists.
  Result<std::int64_t> next_id() const;

  Result<std::optional<JournalEntry>> find(std::string_view reference_id) const;
  // Newest first; `limit` 0 = all.
  Result<std::vector<JournalEntry>> list(std::size_t limit = 0) const;
  // Rows in a non-final state, oldest first (recovery on start).
  Result<std::vector<JournalEntry>> unfinished() const;
  // Rows of the open batch (batch == "") in a state that settles (completed, forwarded,
  // approved), oldest first; and closing it: every such row gets `batch`.
  Result<std::vector<JournalEntry>> open_batch() const;
  Result<void> close_batch(std::string_view batch);

  // The sealed card data of a transaction (written and wiped by the lifecycle's moves).
  // Errc::not_found when nothing is sealed; Errc::crypto_error when it does not open
  // (wrong device key, damaged, or moved from another row).
  Result<SecretBytes> unseal(std::string_view reference_id) const;

  // The queue alone (a row's state moves only by apply()). Errc::exhausted for
  // QueueKind::forward when the cap is reached.
  Result<std::int64_t> enqueue(std::string_view reference_id, QueueKind kind);
  // In seq order.
  Result<std::vector<QueueItem>> queue() const;
  Result<std::size_t> queued(QueueKind kind) const;
  Result<void> record_attempt(std::int64_t seq, std::string_view error);
  Result<void> dequeue(std::int64_t seq);

 private:
  struct Impl;
  explicit Journal(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// AES-256-GCM with a fresh 12-byte nonce from getrandom: nonce | ciphertext | tag(16).
// Exposed for the tests and for the crash test's checker.
Result<Bytes> seal_bytes(const DeviceKey& key, ByteView aad, ByteView plaintext);
Result<SecretBytes> open_sealed(const DeviceKey& key, ByteView aad, ByteView sealed);

}  // namespace tender::app
