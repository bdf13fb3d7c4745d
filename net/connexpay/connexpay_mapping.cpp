// Requests: host-neutral values -> ConnexPay v1 JSON bodies, as net/connexpay/WIRE.md fixes them.
// Card data is revealed only into the body being built; error messages never quote it.
#include "net/connexpay/connexpay_mapping.hpp"

#include <chrono>
#include <cstdio>
#include <utility>

#include "net/host/json_edge.hpp"
#include "net/host/table.hpp"

namespace tender::net::connexpay {
namespace {

namespace f = api::field;
using host::JsonWriter;

bool hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

constexpr std::array<std::pair<TxKind, std::string_view>, 5> kKindPrefix{{
    {TxKind::sale, "sale"},
    {TxKind::authonly, "authonly"},
    {TxKind::return_, "return"},
    {TxKind::void_, "void"},
    {TxKind::verify, "verify"},
}};

// A track as the host wants it: clear ISO 7813 text without start/end sentinels and LRC
// (WIRE.md). The readers already give it so; sentinels are stripped should one slip through.
std::string_view bare_track(std::string_view track) {
  if (!track.empty() && (track.front() == ';' || track.front() == '%')) track.remove_prefix(1);
  if (const auto end = track.find('?'); end != std::string_view::npos) track = track.substr(0, end);
  return track;
}

bool card_present(host::EntryMode mode) { return mode != host::EntryMode::keyed; }

Result<api::CardDataSource> source_of(const host::AuthorizationRequest& request) {
  switch (request.entry_mode) {
    case host::EntryMode::keyed: return api::CardDataSource::manual;
    case host::EntryMode::swiped: return api::CardDataSource::swipe;
    case host::EntryMode::chip: return api::CardDataSource::emv;
    case host::EntryMode::fallback_swipe: return api::CardDataSource::fallback_swipe;
    case host::EntryMode::contactless:
      // A contactless chip read carries the kernel's data; a magnetic-stripe-mode tap its tracks.
      return request.emv && !request.emv->tags.empty() ? api::CardDataSource::emv_contactless : api::CardDataSource::nfc;
  }
  return make_error(Errc::invalid_argument, "unknown entry mode");
}

Result<void> write_keyed(JsonWriter& w, const host::CardData& card) {
  if (!digits(card.pan.reveal()) || card.expiry_yymm.size() != 4 || !digits(card.expiry_yymm.reveal()))
    return make_error(Errc::invalid_argument, "keyed entry needs a PAN and a YYMM expiry");
  w.string(f::kCardNumber, card.pan.reveal()).string(f::kExpirationDate, card.expiry_yymm.reveal());
  if (!card.cvc.empty()) w.string(f::kCvv2, card.cvc.reveal());
  if (!card.cardholder_name.empty()) w.string(f::kCardHolderName, card.cardholder_name.reveal());
  return ok();
}

// ExpirationDate goes beside tracks and chip data too: the reader's parsing put the card's
// YYMM in CardData (the engine reads it from the track or tag 57), never parsed again here.
bool yymm(const host::CardData& card) { return card.expiry_yymm.size() == 4 && digits(card.expiry_yymm.reveal()); }

// Swipe (both tracks when read) or fallback (track 2 only, F9916), with ExpirationDate (B.CB.GS02).
Result<void> write_tracks(JsonWriter& w, const host::CardData& card, bool track2_only) {
  if (card.track1.empty() && card.track2.empty()) {
    if (!card.encrypted_track1.empty() || !card.encrypted_track2.empty())
      return make_error(Errc::unsupported, "ConnexPay takes no DUKPT-encrypted tracks: only Voltage encryption has a field (F9917)");
    return make_error(Errc::invalid_argument, "a swipe needs track data");
  }
  if (track2_only && card.track2.empty()) return make_error(Errc::invalid_argument, "a fallback swipe needs track 2 (F9916)");
  if (!yymm(card)) return make_error(Errc::invalid_argument, "a swipe needs the card's YYMM expiry beside its tracks (B.CB.GS02)");
  if (!track2_only && !card.track1.empty()) w.string(f::kTrack1Data, bare_track(card.track1.reveal()));
  if (!card.track2.empty()) w.string(f::kTrack2Data, bare_track(card.track2.reveal()));
  w.string(f::kExpirationDate, card.expiry_yymm.reveal());
  return ok();
}

// Chip: the kernel's data as one uppercase hex string, the card's expiry, no PAN or track
// (F9913: the host refuses them beside EmvTags).
Result<void> write_chip(JsonWriter& w, const host::AuthorizationRequest& request) {
  if (!request.emv || request.emv->tags.empty()) return make_error(Errc::invalid_argument, "a chip read needs the kernel's tags");
  if (!yymm(request.card)) return make_error(Errc::invalid_argument, "a chip read needs the card's YYMM expiry beside its tags (B.CB.GS05)");
  w.string(f::kEmvTags, to_hex(request.emv->tags)).string(f::kExpirationDate, request.card.expiry_yymm.reveal());
  return ok();
}

Result<void> write_card(JsonWriter& w, const host::AuthorizationRequest& request, api::CardDataSource source) {
  w.key(f::kCard).begin_object();
  Result<void> written = ok();
  switch (source) {
    case api::CardDataSource::manual: written = write_keyed(w, request.card); break;
    case api::CardDataSource::swipe:
    case api::CardDataSource::nfc: written = write_tracks(w, request.card, false); break;
    case api::CardDataSource::fallback_swipe: written = write_tracks(w, request.card, true); break;
    case api::CardDataSource::emv:
    case api::CardDataSource::emv_contactless: written = write_chip(w, request); break;
  }
  if (!written) return written;
  if (request.pin) {
    if (request.pin->pin_block.size() != 8 || request.pin->ksn.size() < 8)
      return make_error(Errc::invalid_argument, "an online PIN needs an 8-byte block and its KSN");
    w.string(f::kPin, reveal_hex(request.pin->pin_block)).string(f::kKsn, to_hex(request.pin->ksn));
  }
  w.end_object();
  return ok();
}

Result<void> write_fallback(JsonWriter& w, const host::AuthorizationRequest& request) {
  if (!request.emv || !request.emv->fallback_condition)
    return make_error(Errc::invalid_argument, "a fallback swipe needs its fallback condition (F9914)");
  if (*request.emv->fallback_condition == host::FallbackCondition::no_candidate_list) {
    w.string(f::kEmvFallbackCondition, api::kNoCandidateList);  // F9911: no LastChipRead
    return ok();
  }
  // F9910: LastChipRead is mandatory with ICC_TERMINAL_ERROR; unknown when the kernel kept none.
  const auto last = request.emv->last_chip_read.value_or(host::LastChipRead::unknown);
  w.string(f::kEmvFallbackCondition, api::kIccTerminalError);
  w.string(f::kLastChipRead, api::kLastChipReadValue[static_cast<std::size_t>(last)]);
  return ok();
}

void write_terminal_data(JsonWriter& w, bool pin) {
  w.key(f::kTerminalData).begin_object();
  for (const auto& [name, value] : api::kTerminalDataFixed) w.string(name, value);
  w.string(api::kCardholderAuthenticationMethod, pin ? api::kAuthPin : api::kAuthNone);
  w.string(api::kMaxPinLength, api::kMaxPinLengthValue).end_object();
}

Result<void> check_amount(const Money& amount) {
  if (amount.minor_units() < api::kMinimumMinorUnits) return make_error(Errc::invalid_argument, "ConnexPay's minimum amount is 0.50");
  return ok();
}

}  // namespace

std::string host_reference_for(TxKind kind, std::string_view guid) {
  return std::string(*host::table_lookup(kKindPrefix, kind)) + ":" + std::string(guid);
}

std::optional<HostRef> parse_host_reference(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view prefix = text.substr(0, colon);
  const std::string_view guid = text.substr(colon + 1);
  if (!is_uuid(guid)) return std::nullopt;
  for (const auto& [kind, name] : kKindPrefix) {
    if (name == prefix) return HostRef{kind, std::string(guid)};
  }
  return std::nullopt;
}

bool is_uuid(std::string_view text) noexcept {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !hex_digit(text[i])) return false;
  }
  return true;
}

std::string sequence_number_for(std::string_view reference_id) {
  std::string out;
  for (char c : reference_id) {
    if (c != '-') out += c;
  }
  return out;
}

Result<std::string> payment_body(const host::AuthorizationRequest& request, PaymentKind kind, std::string_view device_guid) {
  if (!is_uuid(request.reference_id)) return make_error(Errc::invalid_argument, "reference_id must be a UUID (OrderNumber)");
  if (auto r = check_amount(request.amount); !r) return std::move(r).error();
  auto source = source_of(request);
  if (!source) return std::move(source).error();
  JsonWriter w;
  w.begin_object().string(f::kDeviceGuid, device_guid).decimal(f::kAmount, request.amount);
  w.string(f::kSequenceNumber, sequence_number_for(request.reference_id)).string(f::kOrderNumber, request.reference_id);
  if (kind == PaymentKind::sale) {
    w.string(f::kTenderType, api::kTenderCredit);
    w.key(f::kConnexPayTransaction).begin_object().integer(f::kExpectedPayments, 1).end_object();
  }
  w.key(f::kRiskData).begin_object().end_object().boolean(f::kSendReceipt, false);
  w.string(f::kCardDataSource, *host::table_lookup(api::kCardDataSource, *source));
  if (*source == api::CardDataSource::fallback_swipe) {
    if (auto r = write_fallback(w, request); !r) return std::move(r).error();
  }
  if (auto r = write_card(w, request, *source); !r) return std::move(r).error();
  if (card_present(request.entry_mode)) write_terminal_data(w, request.pin.has_value());
  w.end_object();
  return w.take();
}

Result<std::string> verify_body(const host::AuthorizationRequest& request, std::string_view device_guid) {
  if (request.entry_mode != host::EntryMode::keyed) return make_error(Errc::unsupported, "ConnexPay verifies keyed cards only");
  JsonWriter w;
  w.begin_object().string(f::kDeviceGuid, device_guid).key(f::kCard).begin_object();
  if (auto r = write_keyed(w, request.card); !r) return std::move(r).error();
  w.end_object().end_object();
  return w.take();
}

std::string capture_body(std::string_view device_guid, std::string_view authonly_guid, const std::optional<Money>& new_amount) {
  JsonWriter w;
  w.begin_object().string(f::kDeviceGuid, device_guid).string(f::kAuthOnlyGuid, authonly_guid);
  if (new_amount) w.decimal(f::kNewAmount, *new_amount);
  w.end_object();
  return w.take();
}

std::string void_body(std::string_view device_guid, const HostRef& target, api::VoidReasonCode reason) {
  const std::string_view id_field = target.kind == TxKind::authonly  ? f::kAuthOnlyGuid
                                    : target.kind == TxKind::return_ ? f::kReturnGuid
                                                                     : f::kSaleGuid;
  JsonWriter w;
  w.begin_object().string(f::kDeviceGuid, device_guid).string(id_field, target.guid);
  w.string(f::kVoidReason, *host::table_lookup(api::kVoidReason, reason)).end_object();
  return w.take();
}

Result<std::string> return_body(std::string_view device_guid, std::string_view sale_guid, const Money& amount,
                                std::string_view reference_id) {
  if (!is_uuid(reference_id)) return make_error(Errc::invalid_argument, "reference_id must be a UUID (OrderNumber)");
  if (auto r = check_amount(amount); !r) return std::move(r).error();
  JsonWriter w;
  w.begin_object().string(f::kDeviceGuid, device_guid).string(f::kSaleGuid, sale_guid).decimal(f::kAmount, amount);
  w.string(f::kSequenceNumber, sequence_number_for(reference_id)).string(f::kOrderNumber, reference_id).end_object();
  return w.take();
}

std::string device_body(std::string_view device_guid) {
  JsonWriter w;
  w.begin_object().string(f::kDeviceGuid, device_guid).end_object();
  return w.take();
}

std::string timeout_reversal_body(std::string_view device_guid, std::string_view sequence_number) {
  JsonWriter w;
  w.begin_object().string(f::kDeviceGuid, device_guid).string(f::kSequenceNumber, sequence_number).end_object();
  return w.take();
}

std::string token_body(std::string_view username, const SecretString& password) {
  const auto encode = [](std::string_view text) {
    std::string out;
    for (unsigned char c : text) {
      const bool plain = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.' ||
                         c == '_' || c == '~';
      if (plain) {
        out += static_cast<char>(c);
      } else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        out += buf;
      }
    }
    return out;
  };
  return "grant_type=" + std::string(api::kGrantPassword) + "&username=" + encode(username) +
         "&password=" + encode(password.reveal());
}

std::string search_body(const SearchQuery& query) {
  JsonWriter w;
  w.begin_object().string(f::kMerchantGuid, query.merchant_guid);
  if (!query.order_number.empty()) w.string(f::kOrderNumber, query.order_number);
  if (!query.guid.empty()) w.string(f::kSearchGuid, query.guid);
  if (query.amount) w.decimal(f::kAmountFrom, *query.amount).decimal(f::kAmountTo, *query.amount);
  if (!query.timestamp_from.empty()) w.string(f::kTimeStampFrom, query.timestamp_from);
  w.end_object();
  return w.take();
}

std::string utc_date(std::int64_t unix_seconds) {
  using namespace std::chrono;
  const year_month_day ymd{floor<days>(sys_seconds{seconds{unix_seconds}})};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace tender::net::connexpay
