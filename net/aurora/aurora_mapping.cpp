// Aurora request bodies (the answers are in aurora_parse.cpp).
#include "net/aurora/aurora_mapping.hpp"

#include <cstddef>
#include <optional>
#include <vector>

#include "net/aurora/aurora_api.hpp"
#include "net/host/json_edge.hpp"

namespace tender::net::aurora {
namespace {

namespace f = api::field;
using host::JsonWriter;

Result<int> currency_id(const Currency& currency) {
  const auto id = api::table_lookup(api::kCurrencyId, currency.alpha);
  if (!id) return make_error(Errc::unsupported, "Aurora has no currencyId for " + std::string(currency.alpha));
  return *id;
}

Result<void> require_id(std::string_view value, std::string_view what) {
  if (value.empty()) return make_error(Errc::invalid_argument, std::string(what) + " is required");
  return ok();
}

void optional_secret(JsonWriter& w, std::string_view key, const SecretString& value) {
  if (value.empty()) {
    w.null(key);
  } else {
    w.string(key, value.reveal());
  }
}

// emvTags is `[String]` in every request DTO (IOS L1081 `emvTags: [Swift.String]?`; RAW shows
// only null): one upper-case hex string per top-level TLV element, in the kernel's order.
Result<void> write_emv_tags(JsonWriter& w, const std::optional<host::EmvData>& emv, host::EntryMode mode) {
  const bool chip = mode == host::EntryMode::chip || mode == host::EntryMode::contactless;
  if (!chip || !emv || emv->tags.empty()) {
    if (chip) return make_error(Errc::invalid_argument, "a chip or contactless transaction needs EMV tags");
    w.null(f::emvTags);
    return ok();
  }
  auto elements = split_tlv(emv->tags);
  if (!elements) return std::move(elements).error();
  w.begin_array(f::emvTags);
  for (const auto& element : *elements) w.string_element(to_hex(element));
  w.end_array();
  return ok();
}

constexpr std::int64_t pow10(int n) {
  std::int64_t v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

bool digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string last4_of(std::string_view pan) {
  return pan.size() >= 4 && digits(pan) ? std::string(pan.substr(pan.size() - 4)) : std::string();
}

// The value of `tag` (one or two bytes) in EMV data, through constructed templates, as hex.
std::string tag_hex_in_tlv(ByteView tlv, std::uint32_t wanted, int depth = 0) {
  auto elements = split_tlv(tlv);
  if (!elements || depth > 4) return {};
  for (const Bytes& e : *elements) {
    std::size_t i = 1;
    std::uint32_t tag = e[0];
    if ((e[0] & 0x1F) == 0x1F)
      while (i < e.size()) {
        tag = (tag << 8) | e[i];
        if ((e[i++] & 0x80) == 0) break;
      }
    std::size_t length = e[i++];
    if (length & 0x80) i += length & 0x7F;
    const ByteView value(e.data() + i, e.size() - i);
    if (tag == wanted) return to_hex(value);
    if ((e[0] & 0x20) != 0)
      if (std::string inner = tag_hex_in_tlv(value, wanted, depth + 1); !inner.empty()) return inner;
  }
  return {};
}

// The PAN's last four in EMV data: tag 57 (track 2 equivalent: PAN 'D' ...) or 5A (PAN, BCD
// padded with F), searched through constructed templates too.
std::string last4_in_tlv(ByteView tlv, int depth = 0) {
  auto elements = split_tlv(tlv);
  if (!elements || depth > 4) return {};
  std::string from_5a;
  for (const Bytes& e : *elements) {
    std::size_t i = 1;
    if ((e[0] & 0x1F) == 0x1F)
      while (i < e.size() && (e[i++] & 0x80) != 0) {
      }
    const std::size_t tag_end = i;
    std::size_t length = e[i++];
    if (length & 0x80) i += length & 0x7F;
    const ByteView value(e.data() + i, e.size() - i);
    const ByteView tag(e.data(), tag_end);
    std::string hex;
    if (tag.size() == 1 && (tag[0] == 0x57 || tag[0] == 0x5A)) hex = to_hex(value);
    if (tag.size() == 1 && tag[0] == 0x57) {
      std::string found = last4_of(std::string_view(hex).substr(0, hex.find('D')));
      std::fill(hex.begin(), hex.end(), '0');
      if (!found.empty()) return found;
    } else if (tag.size() == 1 && tag[0] == 0x5A) {
      from_5a = last4_of(std::string_view(hex).substr(0, hex.find('F')));
      std::fill(hex.begin(), hex.end(), '0');
    } else if ((e[0] & 0x20) != 0) {
      if (std::string inner = last4_in_tlv(value, depth + 1); !inner.empty()) return inner;
    }
  }
  return from_5a;
}

}  // namespace

Result<std::vector<Bytes>> split_tlv(ByteView tlv) {
  std::vector<Bytes> out;
  std::size_t i = 0;
  while (i < tlv.size()) {
    const std::size_t start = i;
    if ((tlv[i++] & 0x1F) == 0x1F) {  // multi-byte tag (ISO 8825-1 8.1.2.4)
      while (i < tlv.size() && (tlv[i] & 0x80) != 0) ++i;
      ++i;
    }
    if (i >= tlv.size()) return make_error(Errc::malformed, "EMV tags end inside a tag");
    std::size_t length = tlv[i++];
    if (length & 0x80) {
      const std::size_t count = length & 0x7F;
      if (count == 0 || count > 2 || i + count > tlv.size()) return make_error(Errc::malformed, "EMV tag length is invalid");
      length = 0;
      for (std::size_t k = 0; k < count; ++k) length = (length << 8) | tlv[i++];
    }
    if (length > tlv.size() - i) return make_error(Errc::malformed, "EMV tag value runs past the end");
    i += length;
    out.emplace_back(tlv.begin() + static_cast<std::ptrdiff_t>(start), tlv.begin() + static_cast<std::ptrdiff_t>(i));
  }
  return out;
}

std::string request_cryptogram(const host::AuthorizationRequest& request) {
  return request.emv ? tag_hex_in_tlv(request.emv->tags, 0x9F26) : std::string();
}

std::string card_last4(const host::AuthorizationRequest& request) {
  const host::CardData& card = request.card;
  if (!card.pan.empty()) return last4_of(card.pan.reveal());
  if (!card.track2.empty()) {
    const std::string_view t2 = card.track2.reveal();
    const auto start = t2.starts_with(';') ? 1U : 0U;
    const auto end = t2.find_first_of("=D", start);
    if (end != std::string_view::npos) return last4_of(t2.substr(start, end - start));
  }
  if (!card.track1.empty()) {
    const std::string_view t1 = card.track1.reveal();
    const auto start = t1.find_first_of("Bb");  // format code B (ISO 7813), after an optional %
    const auto end = t1.find('^');
    if (start != std::string_view::npos && end != std::string_view::npos && end > start)
      return last4_of(t1.substr(start + 1, end - start - 1));
  }
  if (request.emv) return last4_in_tlv(request.emv->tags);
  return {};
}

// Exact in integers: the host adds round(base * rate / 100) (IOS: "the percent of transaction
// amount to be added to Amount"). An exact rate needs no rounding at all; otherwise the rate
// whose product lies in [surcharge, surcharge + 1/2) gives the surcharge whether the host
// rounds half up, half even or truncates. None of those: refused, never sent approximately.
Result<Money> surcharge_rate(const Money& base, const Money& surcharge) {
  const std::int64_t b = base.minor_units();
  const std::int64_t s = surcharge.minor_units();
  constexpr std::int64_t kMaxBase = 1'000'000'000'000;  // keeps b * rate inside int64
  if (b <= 0 || s < 0 || s > b || b > kMaxBase) return make_error(Errc::unsupported, "surcharge cannot be sent as a rate");
  const auto text = [](std::int64_t rate_units, int decimals) {
    return Money(rate_units, Currency{"XXX", 999, static_cast<std::uint8_t>(decimals)});
  };
  for (int d = 0; d <= api::kSurchargeRateDecimals; ++d) {
    const std::int64_t scale = 100 * pow10(d);  // rate units per 1 (100 % = 100 * 10^d)
    if ((s * scale) % b == 0) return text(s * scale / b, d);
  }
  const int d = api::kSurchargeRateDecimals;
  const std::int64_t scale = 100 * pow10(d);
  const std::int64_t rate = (s * scale + b - 1) / b;  // smallest rate with product >= s
  if (2 * b * rate < (2 * s + 1) * scale) return text(rate, d);
  return make_error(Errc::unsupported, "the surcharge is not a rate of the base amount Aurora can apply exactly");
}

Result<std::string> authorization_body(const host::AuthorizationRequest& request, AuthKind kind,
                                       std::string_view payment_processor_id) {
  auto currency = currency_id(request.amount.currency());
  if (!currency) return std::move(currency).error();
  if (auto r = require_id(request.reference_id, "reference_id"); !r) return std::move(r).error();
  if (auto r = require_id(payment_processor_id, "paymentProcessorId"); !r) return std::move(r).error();
  if (request.host_terminal_id) return make_error(Errc::unsupported, "Aurora has no host-managed terminal");
  if (!request.card.encrypted_track1.empty() || !request.card.encrypted_track2.empty()) {
    return make_error(Errc::unsupported, "Aurora takes no encrypted tracks");
  }
  // `amount` is the base: the host adds tipAmount and the surcharge of surchargeRate to it
  // (S9's breakdown baseAmount + tip + surcharge = totalAmount; IOS surchargeRate "added to
  // Amount"). The total the receipt prints is what the host then charges.
  Money base = request.amount;
  for (const auto& part : {request.tip, request.surcharge}) {
    if (!part) continue;
    if (!(part->currency() == base.currency())) return make_error(Errc::invalid_argument, "amounts differ in currency");
    base = Money(base.minor_units() - part->minor_units(), base.currency());
  }
  if (base.minor_units() <= 0) return make_error(Errc::invalid_argument, "amount must exceed tip and surcharge");
  std::optional<Money> rate;
  if (request.surcharge && request.surcharge->minor_units() > 0) {
    auto r = surcharge_rate(base, *request.surcharge);
    if (!r) return std::move(r).error();
    rate = *r;
  }

  const auto source = api::table_lookup(api::kCardDataSource, request.entry_mode);
  const bool keyed = request.entry_mode == host::EntryMode::keyed;
  const bool swipe = request.entry_mode == host::EntryMode::swiped || request.entry_mode == host::EntryMode::fallback_swipe;
  if (keyed && (request.card.pan.empty() || request.card.expiry_yymm.size() != 4)) {
    return make_error(Errc::invalid_argument, "keyed entry needs a PAN and a YYMM expiry");
  }
  if (swipe && request.card.track1.empty() && request.card.track2.empty()) {
    return make_error(Errc::invalid_argument, "a swipe needs track 1 or track 2");
  }

  JsonWriter w;
  w.begin_object();
  // Key order follows S2/S3 (RAW L606-656 / L689-740) and IOS L1081 / L7999.
  w.string(f::paymentProcessorId, payment_processor_id).null(f::customerId).null(f::paymentMethodId);
  w.decimal(f::amount, base);
  if (request.tip) {
    w.decimal(f::tipAmount, *request.tip);
  } else {
    w.null(f::tipAmount);
  }
  w.null(f::tipRate).integer(f::currencyId, *currency).null(f::percentageOffRate);
  // Always a number: a missing rate is the merchant's default surcharge on calculate-amount
  // (IOS swiftdoc "leave empty to use the default"), and the host may read a sale the same
  // way. The terminal charges exactly what its receipt prints, so "none" is an explicit 0.
  w.decimal(f::surchargeRate, rate.value_or(Money(0, base.currency())));
  w.null(f::useCardPrice).null(f::billingAddress).null(f::shippingAddress).null(f::contactInfo);
  if (keyed) {
    const auto yymm = request.card.expiry_yymm.reveal();
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!digit(yymm[0]) || !digit(yymm[1]) || !digit(yymm[2]) || !digit(yymm[3])) {
      return make_error(Errc::invalid_argument, "expiry is not YYMM");
    }
    const int month = (yymm[2] - '0') * 10 + (yymm[3] - '0');
    if (month < 1 || month > 12) return make_error(Errc::invalid_argument, "expiry month is not 01..12");
    w.string(f::accountNumber, request.card.pan.reveal());
    optional_secret(w, f::securityCode, request.card.cvc);
    // expirationYear with two digits, as RAW's only example (L636: 24) and the IOS SDK's own
    // example (`expirationYear: 24`) send it.
    w.integer(f::expirationMonth, month).integer(f::expirationYear, (yymm[0] - '0') * 10 + (yymm[1] - '0'));
  } else {
    w.null(f::accountNumber).null(f::securityCode).null(f::expirationMonth).null(f::expirationYear);
  }
  if (swipe) {
    optional_secret(w, f::track1, request.card.track1);
    optional_secret(w, f::track2, request.card.track2);
  } else {
    w.null(f::track1).null(f::track2);
  }
  if (auto r = write_emv_tags(w, request.emv, request.entry_mode); !r) return std::move(r).error();
  w.null(f::emvPaymentAppVersion).integer(f::cardDataSource, source.value_or(0));
  // pin: "Encrypted PIN for the terminal"; pinKsn: "The KSN for DUKPT PIN encryption" (IOS
  // swiftdoc SaleRequestDto): the encrypted PIN block and its KSN, upper-case hex.
  if (request.pin) {
    w.string(f::pin, reveal_hex(request.pin->pin_block)).string(f::pinKsn, to_hex(request.pin->ksn));
  } else {
    w.null(f::pin).null(f::pinKsn);
  }
  // Only the sale has `debit` (IOS L7999; L1081 has none; RAW S2 none, S3 null): "IF Debit
  // THEN use card as a debit card". An online PIN asks for debit routing; no PIN leaves the
  // choice to the host (null).
  if (kind == AuthKind::sale) {
    if (request.pin) {
      w.boolean(f::debit, true);
    } else {
      w.null(f::debit);
    }
  }
  const bool fallback = request.entry_mode == host::EntryMode::fallback_swipe;
  if (fallback) {
    if (!request.emv || !request.emv->fallback_condition || !request.emv->last_chip_read) {
      return make_error(Errc::invalid_argument, "a fallback swipe needs its fallback condition and last chip read");
    }
    w.integer(f::emvFallbackCondition, *api::table_lookup(api::kFallbackCondition, *request.emv->fallback_condition));
    w.integer(f::emvFallbackLastChipRead, *api::table_lookup(api::kLastChipRead, *request.emv->last_chip_read));
  } else {
    w.null(f::emvFallbackCondition).null(f::emvFallbackLastChipRead);
  }
  // referenceId: "ReferenceId to distinguish two transactions conducted over a short time
  // frame" (IOS swiftdoc SaleRequestDto): sent, but never echoed nor searchable.
  w.string(f::referenceId, request.reference_id).null(f::l2).null(f::l3).boolean(f::customerInitiatedTransaction, false);
  w.end_object();
  return w.take();
}

Result<std::string> capture_body(const host::CaptureRequest& request, const Money& amount) {
  if (auto r = require_id(request.host_reference, "host_reference"); !r) return std::move(r).error();
  if (amount.minor_units() <= 0) return make_error(Errc::invalid_argument, "capture amount must be positive");
  JsonWriter w;
  w.begin_object().decimal(f::amount, amount).string(f::transactionId, request.host_reference).end_object();
  return w.take();
}

Result<std::string> void_body(const host::VoidRequest& request) {
  if (auto r = require_id(request.host_reference, "host_reference"); !r) return std::move(r).error();
  JsonWriter w;
  w.begin_object().string(f::transactionId, request.host_reference).end_object();
  return w.take();
}

Result<std::string> return_body(const host::RefundRequest& request) {
  if (auto r = require_id(request.host_reference, "host_reference"); !r) return std::move(r).error();
  // S5's keys in S5's order (RAW L797-806, IOS L7865). No card is read: the card fields are
  // null; cardDataSource is required (aurora_api.hpp kReturnCardDataSource); a null amount
  // "will attempt to refund the remaining refundable balance" (IOS swiftdoc refundTransaction).
  JsonWriter w;
  w.begin_object();
  w.null(f::track1).null(f::track2).null(f::emvTags).null(f::emvPaymentAppVersion);
  w.integer(f::cardDataSource, api::kReturnCardDataSource);
  w.null(f::pin).null(f::pinKsn).string(f::transactionId, request.host_reference);
  if (request.amount) {
    w.decimal(f::amount, *request.amount);
  } else {
    w.null(f::amount);
  }
  w.end_object();
  return w.take();
}

Result<std::string> tip_adjust_body(const host::TipAdjustRequest& request) {
  if (auto r = require_id(request.host_reference, "host_reference"); !r) return std::move(r).error();
  if (request.tip.minor_units() < 0) return make_error(Errc::invalid_argument, "tip is negative");
  JsonWriter w;
  w.begin_object().string(f::transactionId, request.host_reference).decimal(f::tipAmount, request.tip).end_object();
  return w.take();
}

std::string settle_body(std::string_view payment_processor_id) {
  JsonWriter w;
  w.begin_object().string(f::paymentProcessorId, payment_processor_id).end_object();
  return w.take();
}

}  // namespace tender::net::aurora
