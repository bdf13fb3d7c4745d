// Card data for the host and the journal, and a journal row as a receipt.
#include <array>

#include "app/engine/engine_impl.hpp"
#include "drivers/msr/track.hpp"
#include "emv/tlv.hpp"

namespace tender::app {
namespace {

constexpr std::array kEntryModes{
    std::pair{host::EntryMode::keyed, StoredEntryMode::keyed},
    std::pair{host::EntryMode::swiped, StoredEntryMode::swiped},
    std::pair{host::EntryMode::chip, StoredEntryMode::chip},
    std::pair{host::EntryMode::fallback_swipe, StoredEntryMode::fallback_swipe},
    std::pair{host::EntryMode::contactless, StoredEntryMode::contactless},
};

constexpr std::array kReceiptEntryModes{
    std::pair{StoredEntryMode::keyed, "KEYED"},
    std::pair{StoredEntryMode::swiped, "SWIPE"},
    std::pair{StoredEntryMode::chip, "CHIP"},
    std::pair{StoredEntryMode::fallback_swipe, "FALLBACK SWIPE"},
    std::pair{StoredEntryMode::contactless, "CONTACTLESS"},
};

constexpr std::array kReceiptTypes{
    std::pair{TxnKind::sale, "SALE"},         std::pair{TxnKind::preauth, "PRE-AUTH"},
    std::pair{TxnKind::capture, "CAPTURE"},   std::pair{TxnKind::void_, "VOID"},
    std::pair{TxnKind::refund, "REFUND"},     std::pair{TxnKind::tip_adjust, "TIP ADJUST"},
    std::pair{TxnKind::verify, "VERIFY"},
};

// The brand from the PAN's leading digits, for swiped and keyed cards (a chip card names
// its application itself).
std::string brand_of(std::string_view pan) {
  if (pan.empty()) return {};
  if (pan[0] == '4') return "VISA";
  if (pan.size() >= 2 && pan[0] == '5' && pan[1] >= '1' && pan[1] <= '5') return "MASTERCARD";
  if (pan.size() >= 4 && pan.substr(0, 4) == "2221") return "MASTERCARD";
  if (pan.size() >= 2 && (pan.substr(0, 2) == "34" || pan.substr(0, 2) == "37")) return "AMEX";
  if (pan.size() >= 4 && pan.substr(0, 4) == "6011") return "DISCOVER";
  return "CARD";
}

// The Bank Identification Number the host's BIN price needs: the first 6 digits, the most
// of a PAN that may leave the card's own types (ARCHITECTURE.md: first 6 / last 4).
std::string bin_of(std::string_view pan) { return pan.size() >= 13 ? std::string(pan.substr(0, 6)) : std::string{}; }

std::string format_time(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  const std::size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%d %H:%M:%S", &tm);
  return std::string(buf.data(), n);
}

}  // namespace

StoredEntryMode stored(host::EntryMode mode) noexcept {
  for (const auto& [h, s] : kEntryModes) {
    if (h == mode) return s;
  }
  return StoredEntryMode::keyed;
}

host::EntryMode entry_mode_of(StoredEntryMode mode) noexcept {
  for (const auto& [h, s] : kEntryModes) {
    if (s == mode) return h;
  }
  return host::EntryMode::keyed;
}

Cvm cvm_of(const host::AuthorizationRequest& request, bool signature) noexcept {
  if (request.pin && !request.pin->pin_block.empty()) return Cvm::online_pin;
  if (signature) return Cvm::signature;
  return Cvm::none;
}

Cvm chip_cvm(const emv::KernelResult& chip) noexcept {
  if (chip.cvm_results.size() != 3) return chip.signature_required ? Cvm::signature : Cvm::none;
  // Byte 1: the CVM code (bit 7 "apply next" masked off); byte 3: 02 = successful.
  const Byte code = static_cast<Byte>(chip.cvm_results[0] & 0x3F);
  const bool successful = chip.cvm_results[2] == 0x02;
  switch (code) {
    case 0x01:  // plaintext PIN verified by the ICC
    case 0x04:  // enciphered PIN verified by the ICC
      return successful ? Cvm::offline_pin : Cvm::none;
    case 0x03:  // plaintext PIN by the ICC and signature
    case 0x05:  // enciphered PIN by the ICC and signature
      return successful ? Cvm::offline_pin : Cvm::signature;
    case 0x02:  // enciphered PIN verified online: the result is the host's
      return chip.online_pin && !chip.online_pin->bypassed ? Cvm::online_pin : Cvm::none;
    case 0x1E:
      return Cvm::signature;
    default:
      return chip.signature_required ? Cvm::signature : Cvm::none;
  }
}

Result<SwipeReading> read_swipe(const CardEvent& event, bool pin_pad_available) {
  if (event.track2.empty() && event.track1.empty()) return make_error(Errc::malformed, "swipe carried no track data");
  // Track 2 is what hosts authorize on; track 1 adds the name. Either alone is enough.
  std::optional<msr::TrackData> t2;
  std::optional<msr::TrackData> t1;
  if (!event.track2.empty()) {
    auto parsed = msr::parse_track(event.track2.reveal());
    if (!parsed) return std::move(parsed).error();
    t2 = std::move(*parsed);
  }
  if (!event.track1.empty()) {
    auto parsed = msr::parse_track(event.track1.reveal());
    if (parsed) t1 = std::move(*parsed);
    else if (!t2) return std::move(parsed).error();
  }
  const msr::TrackData& main = t2 ? *t2 : *t1;
  if (t1 && t2 && t1->pan != t2->pan) return make_error(Errc::malformed, "track 1 and track 2 name different cards");
  SwipeReading out;
  out.chip_card = main.service_code.chip_card();
  CardReading& r = out.reading;
  r.request.entry_mode = host::EntryMode::swiped;
  if (t2) r.request.card.track2 = t2->raw;
  if (t1) r.request.card.track1 = t1->raw;
  r.request.card.expiry_yymm = SecretString{main.expiry};
  if (t1 && t1->name) r.request.card.cardholder_name = SecretString{*t1->name};
  r.masked_pan = main.pan.masked();
  r.label = brand_of(main.pan.reveal());
  r.pan = SecretString{main.pan.reveal()};
  r.bin = bin_of(main.pan.reveal());
  r.pin_needed = main.service_code.pin_required() || (pin_pad_available && main.service_code.prompt_if_pin_pad());
  return out;
}

Result<CardReading> read_keyed(const CardEvent& event) {
  auto pan = Pan::parse(event.pan.reveal());
  if (!pan) return std::move(pan).error();
  if (!pan->luhn_ok()) return make_error(Errc::checksum, "keyed PAN fails the Luhn check");
  const std::string_view expiry = event.expiry_yymm.reveal();
  const bool digits = expiry.size() == 4 && std::all_of(expiry.begin(), expiry.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) return make_error(Errc::malformed, "keyed expiry must be YYMM");
  const int month = (expiry[2] - '0') * 10 + (expiry[3] - '0');
  if (month < 1 || month > 12) return make_error(Errc::out_of_range, "keyed expiry month out of range");
  CardReading r;
  r.request.entry_mode = host::EntryMode::keyed;
  r.request.card.pan = SecretString{pan->reveal()};
  r.request.card.expiry_yymm = event.expiry_yymm;
  r.request.card.cvc = event.cvc;
  r.masked_pan = pan->masked();
  r.label = brand_of(pan->reveal());
  r.bin = bin_of(pan->reveal());
  return r;
}

CardReading read_chip(const emv::KernelResult& chip) {
  CardReading r;
  r.request.entry_mode = host::EntryMode::chip;
  host::EmvData emv;
  emv.tags = chip.online_tags;
  // The hosts read the card from the tags (net/hostsim/card.hpp): 57 carries PAN + expiry.
  if (!chip.track2_equivalent.empty()) {
    emv::append_tlv(emv.tags, 0x57, chip.track2_equivalent.reveal());
    // The expiry beside the tags, for a host that wants it as a field (ConnexPay B.CB.GS05).
    if (auto t2 = msr::parse_track2_equivalent(chip.track2_equivalent.reveal())) r.request.card.expiry_yymm = SecretString{t2->expiry};
  }
  r.request.emv = std::move(emv);
  if (chip.online_pin && !chip.online_pin->bypassed) {
    r.request.pin = host::PinData{SecretBytes{chip.online_pin->pin_block}, chip.online_pin->ksn};
  }
  if (chip.pan) r.masked_pan = chip.pan->masked();
  r.label = chip.label;
  return r;
}

ReceiptData receipt_data(const JournalEntry& e, const EngineConfig& config) {
  ReceiptData d;
  d.merchant = config.merchant;
  if (d.merchant.terminal_id.empty()) d.merchant.terminal_id = config.terminal_id;
  d.timestamp = format_time(e.created_unix);
  for (const auto& [k, name] : kReceiptTypes) {
    if (k == e.kind) d.transaction_type = name;
  }
  for (const auto& [m, name] : kReceiptEntryModes) {
    if (m == e.entry_mode) d.entry_mode = name;
  }
  const Money zero{0, e.amount.currency()};
  Money base = e.amount;
  if (e.tip) base = Money{base.minor_units() - e.tip->minor_units(), base.currency()};
  if (e.surcharge) base = Money{base.minor_units() - e.surcharge->minor_units(), base.currency()};
  d.amount = base;
  d.tip = e.tip;
  d.surcharge = e.surcharge;
  d.total = e.approved_amount.value_or(e.amount);
  if (e.approved_amount && e.approved_amount->minor_units() < e.amount.minor_units()) d.requested = e.amount;
  (void)zero;
  d.masked_pan = e.masked_pan;
  d.card_label = e.card_label;
  if (e.entry_mode == StoredEntryMode::chip) {
    d.aid = e.aid;
    d.tvr = e.tvr;
    d.tsi = e.tsi;
  }
  d.auth_code = e.auth_code;
  // The number the host gives the customer (ConnexPay's refNumber) when it has one apart from
  // its transaction id: what its own receipts and its support desk know the sale by.
  d.host_reference = e.receipt_reference.empty() ? e.host_reference : e.receipt_reference;
  d.reference_id = e.reference_id;
  d.response_message = e.response_message;
  d.cvm = e.cvm == Cvm::online_pin || e.cvm == Cvm::offline_pin ? ReceiptCvm::pin_verified
          : e.cvm == Cvm::signature                             ? ReceiptCvm::signature
                                                                : ReceiptCvm::none;
  d.offline = e.offline;
  switch (e.state) {
    case TxnState::reversed:
    case TxnState::reversal_pending:
      d.verdict = ReceiptVerdict::reversed;
      break;
    case TxnState::declined:
    case TxnState::failed:
    case TxnState::forward_declined:
      d.verdict = ReceiptVerdict::declined;
      break;
    default:
      d.verdict = d.requested ? ReceiptVerdict::partially_approved : ReceiptVerdict::approved;
      break;
  }
  if (e.kind == TxnKind::void_ && d.verdict == ReceiptVerdict::approved) d.verdict = ReceiptVerdict::voided;
  return d;
}

}  // namespace tender::app

namespace tender::app {

std::string_view to_string(Screen screen) noexcept {
  static constexpr std::array kNames{
      std::pair{Screen::idle, "idle"},
      std::pair{Screen::confirm_amount, "confirm_amount"},
      std::pair{Screen::present_card, "present_card"},
      std::pair{Screen::insert_card, "insert_card"},
      std::pair{Screen::swipe_card, "swipe_card"},
      std::pair{Screen::fallback_swipe, "fallback_swipe"},
      std::pair{Screen::select_application, "select_application"},
      std::pair{Screen::processing, "processing"},
      std::pair{Screen::partial_approval, "partial_approval"},
      std::pair{Screen::approved, "approved"},
      std::pair{Screen::declined, "declined"},
      std::pair{Screen::remove_card, "remove_card"},
      std::pair{Screen::signature, "signature"},
      std::pair{Screen::cancelled, "cancelled"},
  };
  for (const auto& [s, name] : kNames) {
    if (s == screen) return name;
  }
  return "?";
}

}  // namespace tender::app
