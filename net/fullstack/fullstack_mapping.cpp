// Requests: host-neutral values -> FullStack v1.5.1 JSON bodies (fullstack_api.hpp has the
// sources of every field).
#include "net/fullstack/fullstack_mapping.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>

#include "net/host/json_edge.hpp"

namespace tender::net::fullstack {
namespace {

namespace f = api::field;
using host::JsonWriter;

bool hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// PAN and expiry of a clear ISO 7813 track, with or without its sentinels: track 2
// "PAN=YYMM..." (or 'D' as the separator), track 1 "B" PAN "^" name "^" YYMM.
struct TrackCard {
  SecretString pan;
  SecretString mm_yy;  // "MM/YY" (L309)
};
std::optional<TrackCard> card_of_track(std::string_view track, bool track1) {
  if (!track.empty() && (track.front() == ';' || track.front() == '%')) track.remove_prefix(1);
  if (track1) {
    if (track.empty() || track.front() != 'B') return std::nullopt;
    track.remove_prefix(1);
  }
  const auto separator = track1 ? track.find('^') : track.find_first_of("=D");
  if (separator == std::string_view::npos || separator < 12 || separator > 19) return std::nullopt;
  const std::string_view pan = track.substr(0, separator);
  std::string_view rest = track.substr(separator + 1);
  if (track1) {
    const auto name_end = rest.find('^');
    if (name_end == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(name_end + 1);
  }
  if (rest.size() < 4) return std::nullopt;
  for (char c : pan) {
    if (!digit(c)) return std::nullopt;
  }
  for (char c : rest.substr(0, 4)) {
    if (!digit(c)) return std::nullopt;
  }
  TrackCard card;
  card.pan = SecretString(pan);
  const std::string mm_yy = std::string(rest.substr(2, 2)) + "/" + std::string(rest.substr(0, 2));
  card.mm_yy = SecretString(mm_yy);
  return card;
}

Result<void> write_card(JsonWriter& w, const host::AuthorizationRequest& request) {
  const auto& card = request.card;
  w.key(f::card).begin_object();
  if (request.entry_mode == host::EntryMode::keyed) {
    const auto yymm = card.expiry_yymm.reveal();
    if (card.pan.empty() || yymm.size() != 4) return make_error(Errc::invalid_argument, "keyed entry needs a PAN and a YYMM expiry");
    const SecretString mm_yy(std::string(yymm.substr(2, 2)) + "/" + std::string(yymm.substr(0, 2)));  // L309: MM/YY
    w.string(f::entry_type, api::kKeyed).string(f::number, card.pan.reveal()).string(f::expiration_date, mm_yy.reveal());
    if (!card.cvc.empty()) w.string(f::cvc, card.cvc.reveal());
  } else {
    // A swipe: number and expiration_date beside the track (fullstack_api.hpp, kSwiped).
    // Encrypted tracks win over clear ones; they go as upper-case hex with the reader's KSN.
    w.string(f::entry_type, api::kSwiped);
    const bool encrypted = !card.encrypted_track1.empty() || !card.encrypted_track2.empty();
    if (encrypted) {
      if (card.track_ksn.empty()) return make_error(Errc::invalid_argument, "encrypted tracks need their KSN");
      if (!card.encrypted_track1.empty()) w.string(f::encrypted_track_1, reveal_hex(card.encrypted_track1));
      if (!card.encrypted_track2.empty()) w.string(f::encrypted_track_2, reveal_hex(card.encrypted_track2));
      w.string(f::ksn, to_hex(card.track_ksn));
    } else {
      if (card.track1.empty() && card.track2.empty()) return make_error(Errc::invalid_argument, "a swipe needs track data");
      auto from_track = !card.track2.empty() ? card_of_track(card.track2.reveal(), false)
                                             : card_of_track(card.track1.reveal(), true);
      if (!from_track) return make_error(Errc::invalid_argument, "the track holds no card number and expiry");
      w.string(f::number, from_track->pan.reveal()).string(f::expiration_date, from_track->mm_yy.reveal());
      if (!card.track1.empty()) w.string(f::track_1, card.track1.reveal());
      if (!card.track2.empty()) w.string(f::track_2, card.track2.reveal());
    }
  }
  w.end_object();
  return ok();
}

}  // namespace

bool is_uuid(std::string_view text) noexcept {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !hex_digit(text[i])) return false;
  }
  return true;
}

// 15 base32 characters (75 bits) drawn from all 128 bits of the UUID: two rounds of the
// SplitMix64 finaliser over its two halves, so references that differ anywhere (even ones
// that share all but their last digits, as test references do) get different order_ids, and
// two random v4 references collide with odds of 2^-75. Lowercase alphanumerics, as order_id
// requires (L276).
std::string order_id_for(std::string_view reference_id) {
  if (!is_uuid(reference_id)) return {};
  const auto mix = [](std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  int nibbles = 0;
  for (char c : reference_id) {
    if (c == '-') continue;
    std::uint64_t& half = nibbles++ < 16 ? hi : lo;
    half = (half << 4) | static_cast<std::uint64_t>(hex_value(c));
  }
  const std::uint64_t a = mix(hi ^ mix(lo));
  const std::uint64_t b = mix(lo ^ mix(a));
  static constexpr char kBase32[] = "0123456789abcdefghijklmnopqrstuv";
  std::string out;
  for (int i = 0; i < 12; ++i) out += kBase32[(a >> (5 * i)) & 0x1F];  // 60 bits of a
  for (int i = 0; i < 3; ++i) out += kBase32[(b >> (5 * i)) & 0x1F];   // 15 bits of b
  return out;
}

std::string utc_text(std::int64_t unix_seconds) {
  using namespace std::chrono;
  const sys_seconds t{seconds{unix_seconds}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

Result<std::string> transaction_body(const host::AuthorizationRequest& request, api::TransactionType type,
                                     std::string_view processor_id) {
  if (!is_uuid(request.reference_id)) return make_error(Errc::invalid_argument, "reference_id must be a UUID (idempotency_key)");
  const bool chip = request.entry_mode == host::EntryMode::chip || request.entry_mode == host::EntryMode::contactless;
  if (!request.host_terminal_id && chip) return make_error(Errc::unsupported, "FullStack has no fields for chip data");
  if (request.pin) return make_error(Errc::unsupported, "FullStack has no field for an online PIN");
  // A verification moves no money (L278): amount 0 is its natural amount (integration finding:
  // the simulator verifies with 0, and the adapter refused it).
  if (type == api::TransactionType::verification ? request.amount.minor_units() < 0 : request.amount.minor_units() <= 0)
    return make_error(Errc::invalid_argument, "amount must be positive");
  if (request.tip && (request.tip->minor_units() < 0 || request.tip->minor_units() > request.amount.minor_units()))
    return make_error(Errc::invalid_argument, "the tip must be part of the amount");
  JsonWriter w;
  w.begin_object();
  w.string(f::idempotency_key, request.reference_id);
  w.integer(f::idempotency_time, api::kIdempotencyTime.count());
  w.string(f::type, *api::table_lookup(api::kTransactionType, type));
  // Cents, the total the receipt prints: tip and surcharge included (fullstack_api.hpp).
  w.integer(f::amount, request.amount.minor_units());
  if (request.tip) w.integer(f::tip_amount, request.tip->minor_units());  // "should be included in Amount" (L284)
  w.string(f::currency, request.amount.currency().alpha);
  w.string(f::order_id, order_id_for(request.reference_id));
  if (!processor_id.empty()) w.string(f::processor_id, processor_id);
  w.boolean(f::allow_partial_payment, request.allow_partial);
  w.key(f::payment_method).begin_object();
  if (request.host_terminal_id) {
    // Ambiguity F5 (§6.8): signature_required is typed string but the example sends true;
    // we send a boolean like the example ([GO] TerminalPayment: bool). We print our own
    // receipts: print_receipt "no".
    w.key(f::terminal).begin_object().string(f::id, *request.host_terminal_id).string(f::print_receipt, "no");
    w.boolean(f::signature_required, false).end_object();
  } else if (auto r = write_card(w, request); !r) {
    return std::move(r).error();
  }
  w.end_object().end_object();
  return w.take();
}

Result<std::string> amount_body(const std::optional<Money>& amount) {
  JsonWriter w;
  w.begin_object();
  if (amount) {
    if (amount->minor_units() <= 0) return make_error(Errc::invalid_argument, "amount must be positive");
    w.integer(f::amount, amount->minor_units());
  }
  w.end_object();
  return w.take();
}

Result<std::string> fees_body(const host::CalculateAmountRequest& request) {
  JsonWriter w;
  w.begin_object().string(f::type, api::kIntegrations);
  if (!request.state.empty()) w.string(f::state, request.state);
  if (!request.bin.empty()) w.string(f::bin, request.bin);
  w.string(f::payment_method, f::card).integer(f::base_amount, request.base_amount.minor_units()).end_object();
  return w.take();
}

Result<std::string> calculate_amounts_body(const host::CalculateAmountRequest& request, std::string_view processor_id) {
  if (processor_id.empty()) return make_error(Errc::invalid_argument, "calculate/amounts needs a processor_id");
  JsonWriter w;
  w.begin_object().string(f::processor_id, processor_id);
  w.integer(f::amount, request.base_amount.minor_units()).integer(f::subtotal, request.base_amount.minor_units());
  w.string(f::currency, request.base_amount.currency().alpha).string(f::payment_method, f::card);
  // L566-L580 spells the authorization "auth" here; the terminal asks for a sale's amounts.
  w.string(f::transaction_type, "sale");
  if (request.tip) {
    w.key(f::tip_amount).begin_object().string(f::type, api::kFlat).integer(f::value, request.tip->minor_units());
    w.boolean(f::include, true).end_object();
  }
  // cc_bin, country and state are required "if surcharge allowed" (L744-L746): with a BIN the
  // host computes the card's surcharge itself, so all three go together.
  if (!request.bin.empty()) {
    if (request.country.empty()) return make_error(Errc::invalid_argument, "a surcharge by BIN needs the merchant's country");
    w.string(f::cc_bin, request.bin).string(f::country, request.country);
    if (!request.state.empty()) w.string(f::state, request.state);
  }
  w.end_object();
  return w.take();
}

std::string transaction_search_body(const TransactionSearch& search) {
  JsonWriter w;
  w.begin_object();
  const auto criterion = [&](std::string_view name, const std::string& value) {
    if (!value.empty()) w.key(name).begin_object().string(f::op, "=").string(f::value, value).end_object();
  };
  criterion(f::order_id, search.order_id);
  criterion(f::type, search.type);
  criterion(f::status, search.status);
  if (search.amount) w.key(f::amount).begin_object().string(f::op, "=").integer(f::value, *search.amount).end_object();
  if (!search.created_from.empty() || !search.created_to.empty()) {
    w.key(f::created_at).begin_object().string(f::start_date, search.created_from).string(f::end_date, search.created_to).end_object();
  }
  w.integer(f::limit, search.limit).integer(f::offset, search.offset).end_object();
  return w.take();
}

std::string batch_search_body(const BatchSearch& search) {
  JsonWriter w;
  w.begin_object().key(f::batch_date).begin_object().string(f::start_date, search.start_date).string(f::end_date, search.end_date);
  w.end_object().integer(f::limit, search.limit).integer(f::offset, search.offset).end_object();
  return w.take();
}

}  // namespace tender::net::fullstack
