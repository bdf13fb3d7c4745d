#include "drivers/pinpad/dukpt_aes.hpp"

#include <bit>
#include <utility>

#include "common/crypto/block_cipher.hpp"

namespace tender::pinpad::aes {
namespace {

constexpr Byte kDerivationDataVersion = 0x01;
constexpr std::uint64_t kCounterLimit = std::uint64_t{1} << 32;

// X9.24-3 key types: derived length, and whether the type may serve as a derivation
// key (only AES does).
struct KeyTypeInfo {
  KeyType type;
  std::uint16_t bits;
  bool aes;
};
constexpr std::array<KeyTypeInfo, 5> kKeyTypes = {{
    {KeyType::tdes2, 128, false},
    {KeyType::tdes3, 192, false},
    {KeyType::aes128, 128, true},
    {KeyType::aes192, 192, true},
    {KeyType::aes256, 256, true},
}};

const KeyTypeInfo* find_type(KeyType type) noexcept {
  for (const auto& info : kKeyTypes)
    if (info.type == type) return &info;
  return nullptr;
}

bool is_aes(KeyType type) noexcept {
  const auto* info = find_type(type);
  return info != nullptr && info->aes;
}

// X9.24-3: a working key may not be stronger than the key it is derived from. TDEA
// working keys are weaker than any AES derivation key.
bool working_key_allowed(KeyType derivation, KeyType working) noexcept {
  const auto* w = find_type(working);
  if (w == nullptr) return false;
  return !w->aes || key_length(working) <= key_length(derivation);
}

using DerivationData = std::array<Byte, 16>;

// "Create Derivation Data". For the initial key the last 8 bytes are the Initial Key
// ID; for every other key the rightmost 4 bytes of it followed by the counter.
DerivationData create_derivation_data(KeyUsage usage, KeyType type, const InitialKeyId& id,
                                      std::uint32_t counter) {
  DerivationData d{};
  d[0] = kDerivationDataVersion;
  d[1] = 0x01;  // key block counter, stepped by derive_key
  store_be(static_cast<std::uint16_t>(usage), std::span<Byte>{d}.subspan(2, 2));
  store_be(static_cast<std::uint16_t>(type), std::span<Byte>{d}.subspan(4, 2));
  store_be(find_type(type)->bits, std::span<Byte>{d}.subspan(6, 2));
  if (usage == KeyUsage::key_derivation_initial) {
    for (std::size_t i = 0; i < 8; ++i) d[8 + i] = id[i];
  } else {
    for (std::size_t i = 0; i < 4; ++i) d[8 + i] = id[4 + i];
    store_be(counter, std::span<Byte>{d}.subspan(12, 4));
  }
  return d;
}

// "Derive Key": AES-ECB of the derivation data under `key`, one block per 128 bits of
// the derived key with the block counter stepping from 1, truncated to its length.
Result<SecretBytes> derive_key(ByteView key, KeyType derived_type, DerivationData data) {
  const std::size_t length = key_length(derived_type);
  SecretBytes out(length);
  SecretArray<crypto::kAesBlockSize> block;
  auto dst = out.mutable_bytes();
  for (std::size_t offset = 0; offset < length; offset += crypto::kAesBlockSize) {
    data[1] = static_cast<Byte>(1 + offset / crypto::kAesBlockSize);
    if (auto r = crypto::aes_ecb(crypto::CipherDirection::encrypt, key, data, block.mutable_bytes()); !r)
      return std::move(r).error();
    for (std::size_t i = 0; i < crypto::kAesBlockSize && offset + i < length; ++i)
      dst[offset + i] = block.reveal()[i];
  }
  return out;
}

ByteView register_key(const OriginatorState& s, std::size_t index) {
  return s.registers[index].reveal().first(key_length(s.derivation_key_type));
}

void erase_register(OriginatorState& s, std::size_t index) {
  s.registers[index] = SecretArray<kMaxKeyLength>{};
  s.in_use[index] = false;
}

void cease(OriginatorState& s) {
  for (std::size_t i = 0; i < kIntermediateKeyRegisterCount; ++i) erase_register(s, i);
  s.ceased = true;
  s.ksn = make_ksn(ksn_initial_key_id(s.ksn), 0);
}

void store_counter(OriginatorState& s, std::uint64_t counter) {
  if (counter >= kCounterLimit) {
    cease(s);
    return;
  }
  s.ksn = make_ksn(ksn_initial_key_id(s.ksn), static_cast<std::uint32_t>(counter));
}

// "Update Derivation Keys": register[bit] = derive(base, counter | bit) for every bit
// right of `from_bit` (exclusive).
Result<void> update_derivation_keys(OriginatorState& s, ByteView base, std::uint32_t counter,
                                    std::uint64_t from_bit) {
  const InitialKeyId id = ksn_initial_key_id(s.ksn);
  for (std::uint64_t bit = from_bit >> 1; bit != 0; bit >>= 1) {
    const auto b = static_cast<std::uint32_t>(bit);
    auto key = derive_key(base, s.derivation_key_type,
                          create_derivation_data(KeyUsage::key_derivation, s.derivation_key_type,
                                                 id, counter | b));
    if (!key) return std::move(key).error();
    const auto index = static_cast<std::size_t>(std::countr_zero(b));
    s.registers[index] = SecretArray<kMaxKeyLength>{key->reveal()};
    s.in_use[index] = true;
  }
  return ok();
}

}  // namespace

std::size_t key_length(KeyType type) noexcept {
  const auto* info = find_type(type);
  return info == nullptr ? 0 : info->bits / 8;
}

Result<KeyType> bdk_key_type(std::size_t bdk_length) {
  for (const auto& info : kKeyTypes)
    if (info.aes && info.bits / 8 == bdk_length) return info.type;
  return make_error(Errc::invalid_argument, "AES DUKPT key must be 16, 24 or 32 bytes");
}

Result<Ksn> parse_ksn(ByteView ksn12) {
  if (ksn12.size() != 12) return make_error(Errc::invalid_argument, "AES DUKPT KSN must be 12 bytes");
  Ksn ksn{};
  for (std::size_t i = 0; i < 12; ++i) ksn[i] = ksn12[i];
  return ksn;
}

Ksn make_ksn(const InitialKeyId& initial_key_id, std::uint32_t counter) noexcept {
  Ksn ksn{};
  for (std::size_t i = 0; i < 8; ++i) ksn[i] = initial_key_id[i];
  store_be(counter, std::span<Byte>{ksn}.subspan(8, 4));
  return ksn;
}

InitialKeyId ksn_initial_key_id(const Ksn& ksn) noexcept {
  InitialKeyId id{};
  for (std::size_t i = 0; i < 8; ++i) id[i] = ksn[i];
  return id;
}

std::uint32_t ksn_counter(const Ksn& ksn) noexcept {
  return static_cast<std::uint32_t>(load_be(ByteView{ksn}.subspan(8, 4)));
}

bool counter_is_valid(std::uint32_t counter) noexcept {
  return counter != 0 && std::popcount(counter) <= kMaxWork;
}

Result<SecretBytes> derive_initial_key(ByteView bdk, ByteView initial_key_id8) {
  auto type = bdk_key_type(bdk.size());
  if (!type) return std::move(type).error();
  if (initial_key_id8.size() != 8)
    return make_error(Errc::invalid_argument, "AES DUKPT Initial Key ID must be 8 bytes");
  InitialKeyId id{};
  for (std::size_t i = 0; i < 8; ++i) id[i] = initial_key_id8[i];
  return derive_key(bdk, *type,
                    create_derivation_data(KeyUsage::key_derivation_initial, *type, id, 0));
}

Result<SecretBytes> derive_derivation_key(ByteView initial_key, const Ksn& ksn) {
  auto type = bdk_key_type(initial_key.size());
  if (!type) return std::move(type).error();
  const std::uint32_t counter = ksn_counter(ksn);
  if (!counter_is_valid(counter))
    return make_error(Errc::out_of_range, "AES DUKPT counter is zero or has more than 16 one bits");
  const InitialKeyId id = ksn_initial_key_id(ksn);
  SecretBytes key{initial_key};
  std::uint32_t processed = 0;
  for (std::uint64_t mask = std::uint64_t{1} << 31; mask != 0; mask >>= 1) {
    const auto bit = static_cast<std::uint32_t>(mask);
    if ((counter & bit) == 0) continue;
    processed |= bit;
    auto next = derive_key(key.reveal(), *type,
                           create_derivation_data(KeyUsage::key_derivation, *type, id, processed));
    if (!next) return std::move(next).error();
    key = std::move(*next);
  }
  return key;
}

Result<SecretBytes> derive_working_key(ByteView derivation_key, KeyType derivation_key_type,
                                       const Ksn& ksn, KeyUsage usage, KeyType working_type) {
  if (!is_aes(derivation_key_type) || derivation_key.size() != key_length(derivation_key_type))
    return make_error(Errc::invalid_argument,
                      "AES DUKPT derivation key length does not match its AES type");
  if (!working_key_allowed(derivation_key_type, working_type))
    return make_error(Errc::invalid_argument,
                      "AES DUKPT working key may not be stronger than its derivation key");
  const std::uint32_t counter = ksn_counter(ksn);
  if (!counter_is_valid(counter))
    return make_error(Errc::out_of_range, "AES DUKPT counter is zero or has more than 16 one bits");
  return derive_key(derivation_key, working_type,
                    create_derivation_data(usage, working_type, ksn_initial_key_id(ksn), counter));
}

Result<SecretBytes> derive_pin_key(ByteView bdk, const Ksn& ksn) {
  const InitialKeyId id = ksn_initial_key_id(ksn);
  auto initial = derive_initial_key(bdk, id);
  if (!initial) return std::move(initial).error();
  auto derivation = derive_derivation_key(initial->reveal(), ksn);
  if (!derivation) return std::move(derivation).error();
  auto type = bdk_key_type(bdk.size());
  return derive_working_key(derivation->reveal(), *type, ksn, KeyUsage::pin_encryption,
                            KeyType::aes128);
}

// ---- Originator ---------------------------------------------------------------------

Result<Originator> Originator::load_initial_key(ByteView initial_key, ByteView initial_key_id8) {
  auto type = bdk_key_type(initial_key.size());
  if (!type) return std::move(type).error();
  if (initial_key_id8.size() != 8)
    return make_error(Errc::invalid_argument, "AES DUKPT Initial Key ID must be 8 bytes");
  OriginatorState s;
  InitialKeyId id{};
  for (std::size_t i = 0; i < 8; ++i) id[i] = initial_key_id8[i];
  s.ksn = make_ksn(id, 0);
  s.derivation_key_type = *type;
  // As in the standard, every register is derived from the initial key with counter
  // 0 | bit; register 0 ends up holding the key for counter 1, the first to be used.
  if (auto r = update_derivation_keys(s, initial_key, 0, kCounterLimit); !r)
    return std::move(r).error();
  store_counter(s, 1);
  return Originator{s};
}

Result<Originator> Originator::restore(const OriginatorState& state) {
  if (!is_aes(state.derivation_key_type))
    return make_error(Errc::malformed, "AES DUKPT originator state has a non-AES key type");
  const std::uint32_t counter = ksn_counter(state.ksn);
  if (state.ceased ? counter != 0 : counter == 0)
    return make_error(Errc::malformed, "AES DUKPT originator state is inconsistent");
  return Originator{state};
}

Result<Originator::TransactionKey> Originator::next_transaction(KeyType pin_key_type) {
  if (state_.ceased) return make_error(Errc::exhausted, "AES DUKPT keys exhausted: device has ceased");
  if (!working_key_allowed(state_.derivation_key_type, pin_key_type))
    return make_error(Errc::invalid_argument,
                      "AES DUKPT working key may not be stronger than its derivation key");

  // "Set Shift Register": the rightmost one bit of the counter selects the current
  // register; a register not in use is skipped by adding the shift register.
  std::uint64_t counter = ksn_counter(state_.ksn);
  std::uint64_t shift = 0;
  std::size_t current = 0;
  for (;;) {
    shift = counter & (~counter + 1);
    current = static_cast<std::size_t>(std::countr_zero(counter));
    if (state_.in_use[current]) break;
    counter += shift;
    if (counter >= kCounterLimit) {
      cease(state_);
      return make_error(Errc::exhausted, "AES DUKPT keys exhausted: device has ceased");
    }
  }
  const auto c32 = static_cast<std::uint32_t>(counter);
  const Ksn ksn = make_ksn(ksn_initial_key_id(state_.ksn), c32);
  const SecretBytes current_key{register_key(state_, current)};

  auto working = derive_working_key(current_key.reveal(), state_.derivation_key_type, ksn,
                                    KeyUsage::pin_encryption, pin_key_type);
  if (!working) return std::move(working).error();

  // "Update State for Next Transaction", on a copy committed only when complete.
  OriginatorState next = state_;
  if (std::popcount(c32) < kMaxWork) {
    if (auto r = update_derivation_keys(next, current_key.reveal(), c32, shift); !r)
      return std::move(r).error();
    erase_register(next, current);
    store_counter(next, counter + 1);
  } else {
    erase_register(next, current);
    store_counter(next, counter + shift);
  }
  state_ = next;
  return TransactionKey{std::move(*working), ksn};
}

Originator::Originator(Originator&& other) noexcept : state_(other.state_) { cease(other.state_); }

Originator& Originator::operator=(Originator&& other) noexcept {
  if (this != &other) {
    state_ = other.state_;
    cease(other.state_);
  }
  return *this;
}

}  // namespace tender::pinpad::aes
