#include "emv/cvm.hpp"

#include <algorithm>
#include <string>

#include "common/log.hpp"
#include "emv/formats.hpp"
#include "emv/oda.hpp"
#include "emv/tal.hpp"

namespace tender::emv {
namespace {

// CVM Results byte 3 (Annex A, 9F34).
constexpr Byte kResultUnknown = 0x00;
constexpr Byte kResultFailed = 0x01;
constexpr Byte kResultSuccessful = 0x02;
constexpr std::array<Byte, 3> kNoCvmPerformed = {0x3F, 0x00, 0x00};

// Bounds on PIN entry: a card answering 63Cx with a growing x never loops forever.
constexpr int kMaxPinAttempts = 16;

enum class Action { fail, offline_plaintext_pin, offline_enciphered_pin, online_pin, signature, none };

struct CvmMethod {
  CvmCode code;
  Action action;
  std::array<TerminalCapability, 2> needs;  // both must be in 9F33 (repeated when only one)
  bool signature;                           // adds a signature line
  Byte result_on_success;                   // CVM Results byte 3
};

// Annex C3 Table 39 with Book 4 Annex A2 (9F33 byte 2) and Book 3 10.5 (results).
constexpr CvmMethod kMethods[] = {
    {CvmCode::fail_cvm_processing, Action::fail,
     {TerminalCapability::no_cvm_required, TerminalCapability::no_cvm_required}, false, kResultFailed},
    {CvmCode::plaintext_pin_by_icc, Action::offline_plaintext_pin,
     {TerminalCapability::plaintext_pin_for_icc_verification,
      TerminalCapability::plaintext_pin_for_icc_verification},
     false, kResultSuccessful},
    {CvmCode::enciphered_pin_online, Action::online_pin,
     {TerminalCapability::enciphered_pin_for_online_verification,
      TerminalCapability::enciphered_pin_for_online_verification},
     false, kResultUnknown},
    {CvmCode::plaintext_pin_by_icc_and_signature, Action::offline_plaintext_pin,
     {TerminalCapability::plaintext_pin_for_icc_verification, TerminalCapability::signature_paper},
     true, kResultUnknown},
    {CvmCode::enciphered_pin_by_icc, Action::offline_enciphered_pin,
     {TerminalCapability::enciphered_pin_for_offline_verification,
      TerminalCapability::enciphered_pin_for_offline_verification},
     false, kResultSuccessful},
    {CvmCode::enciphered_pin_by_icc_and_signature, Action::offline_enciphered_pin,
     {TerminalCapability::enciphered_pin_for_offline_verification, TerminalCapability::signature_paper},
     true, kResultUnknown},
    {CvmCode::signature, Action::signature,
     {TerminalCapability::signature_paper, TerminalCapability::signature_paper}, true, kResultUnknown},
    {CvmCode::no_cvm_required, Action::none,
     {TerminalCapability::no_cvm_required, TerminalCapability::no_cvm_required}, false,
     kResultSuccessful},
};

const CvmMethod* find_method(Byte method) {
  for (const CvmMethod& m : kMethods)
    if (static_cast<Byte>(m.code) == method) return &m;
  return nullptr;
}

bool supported(const CvmMethod& m, const std::array<Byte, 3>& capabilities) {
  // "Fail CVM processing" needs nothing from the terminal.
  if (m.action == Action::fail) return true;
  const TerminalCapabilities caps{capabilities};
  return caps.test(m.needs[0]) && caps.test(m.needs[1]);
}

bool is_pin(Action action) {
  return action == Action::offline_plaintext_pin || action == Action::offline_enciphered_pin ||
         action == Action::online_pin;
}

enum class Performed { successful, unsuccessful };

// One CVM processing run: the state PIN steps share.
class Verification {
 public:
  Verification(Context& ctx, Ttl& ttl, pinpad::PinPad& pin_pad, KernelUi& ui)
      : ctx_(ctx), ttl_(ttl), pin_pad_(pin_pad), ui_(ui) {}

  Result<Performed> perform(const CvmMethod& method) {
    if (is_pin(method.action)) {
      if (!pin_pad_.available()) {
        ctx_.tvr.set(TvrBit::pin_pad_not_present_or_not_working);
        return Performed::unsuccessful;
      }
      // Once the cardholder bypassed PIN entry, later PIN methods count as bypassed too.
      if (pin_bypassed_) {
        ctx_.tvr.set(TvrBit::pin_pad_present_pin_not_entered);
        return Performed::unsuccessful;
      }
    }
    switch (method.action) {
      case Action::fail:
        return Performed::unsuccessful;
      case Action::offline_plaintext_pin:
      case Action::offline_enciphered_pin:
        return offline_pin(method.action == Action::offline_enciphered_pin);
      case Action::online_pin:
        return online_pin();
      case Action::signature:
      case Action::none:
        return Performed::successful;
    }
    return Performed::unsuccessful;
  }

  CvmOutcome& outcome() { return outcome_; }

 private:
  // A failed PIN entry (not a card answer): cancel terminates; a timeout counts as
  // "PIN not entered"; anything else is a PIN pad that is not working.
  Result<Performed> pin_entry_failed(const Error& error) {
    if (error.code == Errc::cancelled) return make_error(Errc::cancelled, "cardholder cancelled PIN entry");
    if (error.code == Errc::timeout) {
      ctx_.tvr.set(TvrBit::pin_pad_present_pin_not_entered);
      pin_bypassed_ = true;
    } else {
      ctx_.tvr.set(TvrBit::pin_pad_not_present_or_not_working);
    }
    return Performed::unsuccessful;
  }

  Performed bypassed() {
    ctx_.tvr.set(TvrBit::pin_pad_present_pin_not_entered);
    pin_bypassed_ = true;
    return Performed::unsuccessful;
  }

  // Book 3 10.5.1: GET DATA for the PIN Try Counter; nullopt when the card does not say.
  Result<std::optional<unsigned>> pin_try_counter() {
    auto response = get_data(ttl_, 0x9F17);
    if (!response) return std::move(response).error();
    if (!response->ok()) return std::optional<unsigned>{};
    auto value = parse_get_data_response(response->data, 0x9F17);
    if (!value || value->size() != 1) return std::optional<unsigned>{};
    return std::optional<unsigned>{(*value)[0]};
  }

  Result<Performed> offline_pin(bool enciphered) {
    auto tries = pin_try_counter();
    if (!tries) return std::move(tries).error();
    if (*tries && **tries == 0) {
      ctx_.tvr.set(TvrBit::pin_try_limit_exceeded);
      return Performed::unsuccessful;
    }
    std::optional<pinpad::RsaPublicKey> key;
    if (enciphered) {
      auto retrieved = retrieve_icc_pin_encipherment_key(ctx_);
      if (!retrieved) {
        log::info("emv.cvm", "no ICC PIN encipherment key: ", retrieved.error().message);
        return Performed::unsuccessful;
      }
      key = std::move(*retrieved);
    }
    std::optional<unsigned> remaining = *tries;
    for (int attempt = 0; attempt < kMaxPinAttempts; ++attempt) {
      const std::string_view prompt = remaining == 1u ? "LAST PIN TRY" : "ENTER PIN";
      ui_.message(prompt);
      Result<pinpad::OfflinePin> entry = make_error(Errc::io_error, "");
      if (enciphered) {
        auto challenge = get_challenge(ttl_);
        if (!challenge) return std::move(challenge).error();
        if (!challenge->ok() || challenge->data.size() != 8) return Performed::unsuccessful;
        entry = pin_pad_.enter_offline_enciphered_pin(*key, challenge->data, prompt);
      } else {
        entry = pin_pad_.enter_offline_plaintext_pin(prompt);
      }
      if (!entry) return pin_entry_failed(entry.error());
      if (entry->bypassed) return bypassed();
      auto verified = verify(ttl_, enciphered ? PinQualifier::enciphered : PinQualifier::plaintext,
                             entry->verify_data.reveal());
      if (!verified) return std::move(verified).error();
      switch (verified->meaning) {
        case SwMeaning::ok:
          ui_.message("PIN OK");
          return Performed::successful;
        case SwMeaning::pin_tries_remaining:
          if (verified->pin_tries() == 0) {
            ctx_.tvr.set(TvrBit::pin_try_limit_exceeded);
            return Performed::unsuccessful;
          }
          remaining = verified->pin_tries();
          ui_.message("INCORRECT PIN");
          continue;
        case SwMeaning::authentication_method_blocked:
        case SwMeaning::reference_data_invalidated:
          ctx_.tvr.set(TvrBit::pin_try_limit_exceeded);
          return Performed::unsuccessful;
        default:
          log::info("emv.cvm", "VERIFY returned ", icc::sw_to_hex(verified->sw));
          return Performed::unsuccessful;
      }
    }
    return Performed::unsuccessful;
  }

  Result<Performed> online_pin() {
    const auto pan = decode_cn(ctx_.icc.get(0x5A).value_or(ByteView{})).value_or(SecretString{});
    auto entry = pin_pad_.enter_online_pin(pan.reveal(), "ENTER PIN");
    if (!entry) return pin_entry_failed(entry.error());
    if (entry->bypassed) return bypassed();
    ctx_.tvr.set(TvrBit::online_pin_entered);
    outcome_.online_pin = std::move(*entry);
    return Performed::successful;
  }

  Context& ctx_;
  Ttl& ttl_;
  pinpad::PinPad& pin_pad_;
  KernelUi& ui_;
  CvmOutcome outcome_;
  bool pin_bypassed_ = false;
};

CvmEnvironment environment_of(const Context& ctx) {
  CvmEnvironment env;
  env.type = ctx.txn.type;
  env.unattended = unattended(ctx.config.terminal_type);
  env.cashback = ctx.txn.type == TransactionType::cashback ||
                 (ctx.txn.amount_other && ctx.txn.amount_other->minor_units() > 0);
  env.terminal_capabilities = ctx.config.capabilities;
  const auto application_currency = ctx.icc.get(0x9F42);
  const auto transaction_currency = ctx.terminal.get(0x5F2A);
  if (application_currency && transaction_currency &&
      std::ranges::equal(*application_currency, *transaction_currency)) {
    env.amount_in_application_currency = static_cast<std::uint64_t>(ctx.txn.amount.minor_units());
  }
  return env;
}

}  // namespace

Result<CvmList> parse_cvm_list(ByteView cvm_list) {
  if (cvm_list.size() < 8 || (cvm_list.size() - 8) % 2 != 0) {
    return make_error(Errc::malformed, "CVM List is shorter than 8 bytes or has half a rule");
  }
  CvmList list;
  list.amount_x = static_cast<std::uint32_t>(load_be(cvm_list.first(4)));
  list.amount_y = static_cast<std::uint32_t>(load_be(cvm_list.subspan(4, 4)));
  for (std::size_t i = 8; i < cvm_list.size(); i += 2) list.rules.push_back(CvRule{cvm_list[i], cvm_list[i + 1]});
  return list;
}

bool terminal_supports(Byte method, const std::array<Byte, 3>& capabilities) {
  const CvmMethod* m = find_method(method);
  return m != nullptr && supported(*m, capabilities);
}

std::optional<bool> condition_satisfied(const CvRule& rule, const CvmList& list,
                                        const CvmEnvironment& env) {
  const bool cash = env.type == TransactionType::cash;
  const auto amount = env.amount_in_application_currency;
  switch (static_cast<CvmCondition>(rule.condition)) {
    case CvmCondition::always:
      return true;
    case CvmCondition::unattended_cash:
      return cash && env.unattended;
    case CvmCondition::not_cash_or_cashback:
      return !cash && !env.cashback;
    case CvmCondition::terminal_supports_cvm:
      return terminal_supports(rule.method(), env.terminal_capabilities);
    case CvmCondition::manual_cash:
      return cash && !env.unattended;
    case CvmCondition::purchase_with_cashback:
      return env.cashback;
    case CvmCondition::application_currency_under_x:
      return amount && *amount < list.amount_x;
    case CvmCondition::application_currency_over_x:
      return amount && *amount > list.amount_x;
    case CvmCondition::application_currency_under_y:
      return amount && *amount < list.amount_y;
    case CvmCondition::application_currency_over_y:
      return amount && *amount > list.amount_y;
  }
  return std::nullopt;
}

Result<CvmOutcome> cardholder_verification(Context& ctx, Ttl& ttl, pinpad::PinPad& pin_pad,
                                           KernelUi& ui) {
  ctx.cvm_results = kNoCvmPerformed;
  if (!ctx.aip().test(AipBit::cardholder_verification_supported)) return CvmOutcome{};
  const auto encoded = ctx.icc.get(0x8E);
  auto list = parse_cvm_list(encoded.value_or(ByteView{}));
  if (!list || list->rules.empty()) {
    // Book 3 10.5: no usable CVM List; CVM is not performed.
    ctx.tvr.set(TvrBit::icc_data_missing);
    return CvmOutcome{};
  }
  ctx.tsi.set(TsiBit::cardholder_verification_performed);
  const CvmEnvironment env = environment_of(ctx);
  Verification verification(ctx, ttl, pin_pad, ui);
  std::optional<CvRule> last_failed;
  for (const CvRule& rule : list->rules) {
    if (!condition_satisfied(rule, *list, env).value_or(false)) continue;
    const CvmMethod* method = find_method(rule.method());
    Performed performed = Performed::unsuccessful;
    if (method == nullptr) {
      ctx.tvr.set(TvrBit::unrecognised_cvm);
    } else if (supported(*method, ctx.config.capabilities)) {
      auto result = verification.perform(*method);
      if (!result) return std::move(result).error();
      performed = *result;
    }
    if (performed == Performed::successful) {
      ctx.cvm_results = {rule.cvm, rule.condition, method->result_on_success};
      verification.outcome().signature_required = method->signature;
      return std::move(verification.outcome());
    }
    last_failed = rule;
    if (!rule.apply_succeeding_if_unsuccessful()) break;
  }
  ctx.tvr.set(TvrBit::cardholder_verification_not_successful);
  ctx.cvm_results = last_failed ? std::array<Byte, 3>{last_failed->cvm, last_failed->condition, kResultFailed}
                                : std::array<Byte, 3>{0x3F, 0x00, kResultFailed};
  return CvmOutcome{};
}

}  // namespace tender::emv
