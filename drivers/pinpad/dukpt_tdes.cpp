#include "drivers/pinpad/dukpt_tdes.hpp"

#include <bit>
#include <utility>

#include "common/crypto/block_cipher.hpp"

namespace tender::pinpad::tdes {
namespace {

// X9.24-1: the variant applied to the BDK for the IPEK's right half and to the key
// register in the middle of the non-reversible key generation process.
constexpr std::array<Byte, 16> kKeyRegisterMask = {0xC0, 0xC0, 0xC0, 0xC0, 0x00, 0x00, 0x00, 0x00,
                                                    0xC0, 0xC0, 0xC0, 0xC0, 0x00, 0x00, 0x00, 0x00};
constexpr std::array<Byte, 16> kPinVariant = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF,
                                              0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF};
constexpr std::uint32_t kLeftmostCounterBit = 1u << (kCounterBits - 1);

Key xor_key(const Key& key, const std::array<Byte, 16>& mask) {
  Key out = key;
  auto bytes = out.mutable_bytes();
  for (std::size_t i = 0; i < 16; ++i) bytes[i] ^= mask[i];
  return out;
}

// One half-step of the non-reversible key generation process:
// out = DES_E(key_left, data XOR key_right) XOR key_right.
void nrkgp_half(const Key& key, std::span<const Byte, 8> data, std::span<Byte, 8> out) {
  const auto left = key.reveal().first<8>();
  const auto right = key.reveal().subspan<8, 8>();
  for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<Byte>(data[i] ^ right[i]);
  crypto::des_ecb(crypto::CipherDirection::encrypt, left, out, out);
  for (std::size_t i = 0; i < 8; ++i) out[i] ^= right[i];
}

// "Non-reversible Key Generation Process": Crypto Register-1 = `data`, Key Register =
// `key`; the new key is Crypto Register-1 (left) || Crypto Register-2 (right).
Key non_reversible_key_generation(const Key& key, std::span<const Byte, 8> data) {
  Key out;
  auto bytes = out.mutable_bytes();
  nrkgp_half(key, data, bytes.subspan<8, 8>());                    // Crypto Register-2
  nrkgp_half(xor_key(key, kKeyRegisterMask), data, bytes.first<8>());  // Crypto Register-1
  return out;
}

// The rightmost 64 bits of the KSN register with the counter replaced: the data
// ("Crypto Register-1") for each non-reversible key generation.
SecretArray<8> ksn_right_with_counter(const Ksn& ksn, std::uint32_t counter) {
  const Ksn k = ksn_with_counter(ksn, counter);
  return SecretArray<8>{ByteView{k}.subspan(2, 8)};
}

}  // namespace

Result<Ksn> parse_ksn(ByteView ksn10) {
  if (ksn10.size() != 10) return make_error(Errc::invalid_argument, "TDES DUKPT KSN must be 10 bytes");
  Ksn ksn{};
  for (std::size_t i = 0; i < 10; ++i) ksn[i] = ksn10[i];
  return ksn;
}

std::uint32_t ksn_counter(const Ksn& ksn) noexcept {
  return static_cast<std::uint32_t>(load_be(ByteView{ksn}.subspan(7, 3))) & kCounterMask;
}

Ksn ksn_with_counter(const Ksn& ksn, std::uint32_t counter) noexcept {
  Ksn out = ksn;
  const std::uint32_t c = counter & kCounterMask;
  out[7] = static_cast<Byte>((out[7] & 0xE0) | (c >> 16));
  out[8] = static_cast<Byte>(c >> 8);
  out[9] = static_cast<Byte>(c);
  return out;
}

bool counter_is_valid(std::uint32_t counter) noexcept {
  return counter != 0 && counter <= kCounterMask && std::popcount(counter) <= kMaxCounterOneBits;
}

std::size_t future_key_register_index(std::uint32_t shift_register) noexcept {
  // Bit 1 << 20 is register #1 (index 0); bit 1 is register #21 (index 20).
  return static_cast<std::size_t>(std::countl_zero(shift_register)) - (32 - kCounterBits);
}

Result<Key> derive_ipek(ByteView bdk16, ByteView ksn10) {
  if (bdk16.size() != 16) return make_error(Errc::invalid_argument, "TDES BDK must be 16 bytes");
  auto ksn = parse_ksn(ksn10);
  if (!ksn) return std::move(ksn).error();
  // Leftmost 64 bits of the KSN with the Encryption Counter cleared.
  const Ksn base = ksn_with_counter(*ksn, 0);
  const auto data = std::span<const Byte, 10>{base}.first<8>();
  const Key bdk{bdk16};
  Key ipek;
  auto out = ipek.mutable_bytes();
  crypto::tdes_ecb(crypto::CipherDirection::encrypt, bdk.reveal().first<16>(), data, out.first<8>());
  const Key bdk_variant = xor_key(bdk, kKeyRegisterMask);
  crypto::tdes_ecb(crypto::CipherDirection::encrypt, bdk_variant.reveal().first<16>(), data, out.subspan<8, 8>());
  return ipek;
}

Result<Key> derive_transaction_key(const Key& ipek, const Ksn& ksn) {
  const std::uint32_t counter = ksn_counter(ksn);
  if (!counter_is_valid(counter))
    return make_error(Errc::out_of_range, "TDES DUKPT counter is zero or has more than 10 one bits");
  Key key = ipek;
  std::uint32_t processed = 0;  // the counter bits walked so far, leftmost first
  for (std::uint32_t bit = kLeftmostCounterBit; bit != 0; bit >>= 1) {
    if ((counter & bit) == 0) continue;
    processed |= bit;
    const auto data = ksn_right_with_counter(ksn, processed);
    key = non_reversible_key_generation(key, data.reveal().first<8>());
  }
  return key;
}

Key pin_variant(const Key& key) { return xor_key(key, kPinVariant); }

Result<Key> derive_pin_key(ByteView bdk16, ByteView ksn10) {
  auto ipek = derive_ipek(bdk16, ksn10);
  if (!ipek) return std::move(ipek).error();
  auto ksn = parse_ksn(ksn10);
  auto key = derive_transaction_key(*ipek, *ksn);
  if (!key) return std::move(key).error();
  return pin_variant(*key);
}

std::array<Byte, 8> encrypt_pin_block(const Key& pin_key, std::span<const Byte, 8> clear) {
  std::array<Byte, 8> out{};
  crypto::tdes_ecb(crypto::CipherDirection::encrypt, pin_key.reveal().first<16>(), clear, out);
  return out;
}

SecretArray<8> decrypt_pin_block(const Key& pin_key, std::span<const Byte, 8> enciphered) {
  SecretArray<8> out;
  crypto::tdes_ecb(crypto::CipherDirection::decrypt, pin_key.reveal().first<16>(), enciphered, out.mutable_bytes());
  return out;
}

// ---- Originator ---------------------------------------------------------------------

namespace {

// "New Key-3" repeated for every shift register position right of `from_bit`
// (exclusive): Future Key Register[bit] = NRKGP(base key, KSN | bit).
void generate_future_keys(OriginatorState& s, const Key& base, std::uint32_t counter,
                          std::uint32_t from_bit) {
  for (std::uint32_t shift = from_bit >> 1; shift != 0; shift >>= 1) {
    const auto data = ksn_right_with_counter(s.ksn, counter | shift);
    const std::size_t index = future_key_register_index(shift);
    s.future_keys[index] = non_reversible_key_generation(base, data.reveal().first<8>());
    s.valid[index] = true;
  }
}

void erase_register(OriginatorState& s, std::size_t index) {
  s.future_keys[index] = Key{};
  s.valid[index] = false;
}

void cease(OriginatorState& s) {
  for (std::size_t i = 0; i < kFutureKeyRegisterCount; ++i) erase_register(s, i);
  s.ceased = true;
  s.ksn = ksn_with_counter(s.ksn, 0);
}

// "New Key-2": a counter that overflows 21 bits means the device ceases operation.
void store_counter(OriginatorState& s, std::uint32_t counter) {
  if (counter > kCounterMask) {
    cease(s);
    return;
  }
  s.ksn = ksn_with_counter(s.ksn, counter);
}

}  // namespace

Result<Originator> Originator::load_initial_key(const Key& ipek, const Ksn& initial_ksn) {
  OriginatorState s;
  s.ksn = ksn_with_counter(initial_ksn, 0);
  // The standard loads the IPEK into register #21 and points the Current Key Pointer
  // at it; deriving from the caller's copy instead keeps register #21 free for the
  // key of counter 1, which the last step writes, and leaves no IPEK behind.
  generate_future_keys(s, ipek, 0, kLeftmostCounterBit << 1);
  store_counter(s, 1);
  return Originator{s};
}

Result<Originator> Originator::restore(const OriginatorState& state) {
  const std::uint32_t counter = ksn_counter(state.ksn);
  if (state.ceased ? counter != 0 : counter == 0)
    return make_error(Errc::malformed, "TDES DUKPT originator state is inconsistent");
  return Originator{state};
}

Result<Originator::TransactionKey> Originator::next_transaction() {
  OriginatorState& s = state_;
  if (s.ceased) return make_error(Errc::exhausted, "TDES DUKPT keys exhausted: device has ceased");
  std::uint32_t counter = ksn_counter(s.ksn);

  // "Request PIN Entry 1/2": the Shift Register holds the rightmost one bit of the
  // counter; an erased register is skipped by adding the Shift Register to the counter.
  std::uint32_t shift = 0;
  std::size_t current = 0;
  for (;;) {
    shift = counter & (~counter + 1);
    current = future_key_register_index(shift);
    if (s.valid[current]) break;
    counter += shift;
    if (counter > kCounterMask) {
      cease(s);
      return make_error(Errc::exhausted, "TDES DUKPT keys exhausted: device has ceased");
    }
  }

  // "Request PIN Entry 3": the PIN variant of the current key, with the KSN.
  const Key current_key = s.future_keys[current];
  TransactionKey result{pin_variant(current_key), ksn_with_counter(s.ksn, counter)};

  // "New Key": future keys for the positions right of the current one, unless every
  // such counter would exceed 10 one bits; then erase the used key and advance.
  if (std::popcount(counter) < kMaxCounterOneBits) {
    generate_future_keys(s, current_key, counter, shift);
    erase_register(s, current);
    store_counter(s, counter + 1);
  } else {
    erase_register(s, current);
    store_counter(s, counter + shift);
  }
  return result;
}

Originator::Originator(Originator&& other) noexcept : state_(other.state_) { cease(other.state_); }

Originator& Originator::operator=(Originator&& other) noexcept {
  if (this != &other) {
    state_ = other.state_;
    cease(other.state_);
  }
  return *this;
}

}  // namespace tender::pinpad::tdes
