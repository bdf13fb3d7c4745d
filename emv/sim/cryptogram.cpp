#include "emv/sim/cryptogram.hpp"

#include <algorithm>
#include <string>

#include "common/pan.hpp"
#include "common/crypto/block_cipher.hpp"

namespace tender::emv {
namespace {

using crypto::CipherDirection;

std::span<const Byte, 16> key_bytes(const DesKey& key) {
  return std::span<const Byte, 16>{key.reveal().data(), 16};
}

std::array<Byte, 8> tdes_encrypt(const DesKey& key, std::span<const Byte, 8> block) {
  std::array<Byte, 8> out{};
  crypto::tdes_ecb(CipherDirection::encrypt, key_bytes(key), block, out);
  return out;
}

// K = TDES(key)[left] || TDES(key)[right]: the shape of both Book 2 key derivations.
DesKey derive_double_length(const DesKey& key, std::span<const Byte, 8> left, std::span<const Byte, 8> right) {
  DesKey out;
  const auto l = tdes_encrypt(key, left);
  const auto r = tdes_encrypt(key, right);
  auto bytes = out.mutable_bytes();
  std::copy(l.begin(), l.end(), bytes.begin());
  std::copy(r.begin(), r.end(), bytes.begin() + 8);
  return out;
}

bool is_bcd(Byte b) { return (b >> 4) <= 9 && (b & 0x0F) <= 9; }

Result<ByteView> lookup_exact(const TagLookup& tags, Tag tag, std::size_t length) {
  auto value = tags(tag);
  if (!value) return make_error(Errc::not_found, "AC input: tag " + tag_to_hex(tag) + " missing");
  if (value->size() != length)
    return make_error(Errc::malformed, "AC input: tag " + tag_to_hex(tag) + " must be " +
                                           std::to_string(length) + " bytes");
  return *value;
}

struct OnlineCryptogramData {
  DesKey session_key;
  DesKey master_key;
  std::uint16_t atc = 0;
  Cryptogram ac{};
};

Result<OnlineCryptogramData> online_data(const IssuerKeys& keys, std::string_view pan, Byte psn,
                                         const TagLookup& online_tags) {
  auto mk = derive_icc_master_key(keys.imk_ac, pan, psn);
  if (!mk) return std::move(mk).error();
  auto atc = lookup_exact(online_tags, 0x9F36, 2);
  if (!atc) return std::move(atc).error();
  auto ac = lookup_exact(online_tags, 0x9F26, 8);
  if (!ac) return std::move(ac).error();
  OnlineCryptogramData d;
  d.master_key = *mk;
  d.atc = static_cast<std::uint16_t>(load_be(*atc));
  d.session_key = derive_session_key(*mk, d.atc);
  std::copy(ac->begin(), ac->end(), d.ac.begin());
  return d;
}

}  // namespace

Result<DesKey> derive_icc_master_key(const DesKey& issuer_master_key, std::string_view pan,
                                     Byte pan_sequence_number) {
  if (!Pan::parse(pan)) return make_error(Errc::invalid_argument, "PAN must be 12..19 digits");
  if (!is_bcd(pan_sequence_number))
    return make_error(Errc::invalid_argument, "PAN sequence number must be two BCD digits");
  std::string digits(pan);
  digits.push_back(static_cast<char>('0' + (pan_sequence_number >> 4)));
  digits.push_back(static_cast<char>('0' + (pan_sequence_number & 0x0F)));
  if (digits.size() > 16) digits.erase(0, digits.size() - 16);
  digits.insert(0, 16 - digits.size(), '0');

  std::array<Byte, 8> y{};
  for (std::size_t i = 0; i < 8; ++i)
    y[i] = static_cast<Byte>(((digits[2 * i] - '0') << 4) | (digits[2 * i + 1] - '0'));
  secure_zero(digits.data(), digits.size());
  std::array<Byte, 8> y_inverted{};
  for (std::size_t i = 0; i < 8; ++i) y_inverted[i] = static_cast<Byte>(~y[i]);

  return derive_double_length(issuer_master_key, y, y_inverted);
}

DesKey derive_common_session_key(const DesKey& icc_master_key, std::span<const Byte, 8> r) {
  std::array<Byte, 8> f1{};
  std::copy(r.begin(), r.end(), f1.begin());
  std::array<Byte, 8> f2 = f1;
  f1[2] = 0xF0;
  f2[2] = 0x0F;
  return derive_double_length(icc_master_key, f1, f2);
}

DesKey derive_session_key(const DesKey& icc_master_key, std::uint16_t atc) {
  const std::array<Byte, 8> r{static_cast<Byte>(atc >> 8), static_cast<Byte>(atc & 0xFF), 0, 0, 0, 0, 0, 0};
  return derive_common_session_key(icc_master_key, r);
}

std::array<Byte, 8> mac_alg3(const DesKey& key, ByteView data) {
  const ByteView k = key.reveal();
  const std::span<const Byte, 8> k1{k.data(), 8};
  const std::span<const Byte, 8> k2{k.data() + 8, 8};
  std::array<Byte, 8> h{};
  // Padding method 2: one 80 byte, then 00s up to the block boundary.
  const std::size_t padded = (data.size() / 8 + 1) * 8;
  for (std::size_t offset = 0; offset < padded; offset += 8) {
    for (std::size_t i = 0; i < 8; ++i) {
      const std::size_t at = offset + i;
      const Byte b = at < data.size() ? data[at] : (at == data.size() ? Byte{0x80} : Byte{0x00});
      h[i] ^= b;
    }
    crypto::des_ecb(CipherDirection::encrypt, k1, h, h);
  }
  crypto::des_ecb(CipherDirection::decrypt, k2, h, h);
  crypto::des_ecb(CipherDirection::encrypt, k1, h, h);
  return h;
}

Result<Bytes> ac_input(const TagLookup& tags) {
  static constexpr std::pair<Tag, std::size_t> kFields[] = {
      {0x9F02, 6}, {0x9F03, 6}, {0x9F1A, 2}, {0x95, 5}, {0x5F2A, 2},
      {0x9A, 3},   {0x9C, 1},   {0x9F37, 4}, {0x82, 2}, {0x9F36, 2},
  };
  Bytes out;
  out.reserve(36 + kCvrLength);
  for (const auto& [tag, length] : kFields) {
    auto value = lookup_exact(tags, tag, length);
    if (!value) return std::move(value).error();
    out.insert(out.end(), value->begin(), value->end());
  }
  auto iad = tags(0x9F10);
  if (!iad) return make_error(Errc::not_found, "AC input: tag 9F10 missing");
  if (iad->size() < kIadCvrOffset + kCvrLength)
    return make_error(Errc::malformed, "AC input: tag 9F10 too short to hold a CVR");
  const ByteView cvr = iad->subspan(kIadCvrOffset, kCvrLength);
  out.insert(out.end(), cvr.begin(), cvr.end());
  return out;
}

Cryptogram generate_ac(const DesKey& session_key, ByteView input) {
  return mac_alg3(session_key, input);
}

std::array<Byte, 8> arpc_method1(const DesKey& session_key, std::span<const Byte, 8> arqc,
                                 std::span<const Byte, 2> arc) {
  std::array<Byte, 8> x{};
  std::copy(arqc.begin(), arqc.end(), x.begin());
  x[0] ^= arc[0];
  x[1] ^= arc[1];
  return tdes_encrypt(session_key, x);
}

DesKey derive_secure_messaging_key(const DesKey& icc_master_key,
                                   std::span<const Byte, 8> application_cryptogram) {
  return derive_common_session_key(icc_master_key, application_cryptogram);
}

std::array<Byte, 8> script_command_mac(const DesKey& sm_session_key,
                                       std::span<const Byte, 5> header_with_lc, std::uint16_t atc,
                                       std::span<const Byte, 8> application_cryptogram,
                                       ByteView command_data) {
  Bytes input(header_with_lc.begin(), header_with_lc.end());
  input.push_back(static_cast<Byte>(atc >> 8));
  input.push_back(static_cast<Byte>(atc & 0xFF));
  input.insert(input.end(), application_cryptogram.begin(), application_cryptogram.end());
  input.insert(input.end(), command_data.begin(), command_data.end());
  return mac_alg3(sm_session_key, input);
}

Result<bool> verify_arqc(const IssuerKeys& keys, std::string_view pan, Byte psn,
                         const TagLookup& online_tags) {
  auto data = online_data(keys, pan, psn, online_tags);
  if (!data) return std::move(data).error();
  auto input = ac_input(online_tags);
  if (!input) return std::move(input).error();
  const Cryptogram expected = generate_ac(data->session_key, *input);
  return constant_time_equal(expected.data(), data->ac.data(), expected.size());
}

Result<Bytes> issuer_authentication_data(const IssuerKeys& keys, std::string_view pan, Byte psn,
                                         const TagLookup& online_tags,
                                         std::span<const Byte, 2> arc) {
  auto data = online_data(keys, pan, psn, online_tags);
  if (!data) return std::move(data).error();
  const auto arpc = arpc_method1(data->session_key, data->ac, arc);
  Bytes out(arpc.begin(), arpc.end());
  out.insert(out.end(), arc.begin(), arc.end());
  return out;
}

Result<Bytes> secure_script_command(const IssuerKeys& keys, std::string_view pan, Byte psn,
                                    const TagLookup& online_tags, ByteView command) {
  if (command.size() < 4) return make_error(Errc::invalid_argument, "script command shorter than its header");
  ByteView data;
  if (command.size() > 4) {
    if (command[4] != command.size() - 5)
      return make_error(Errc::invalid_argument, "script command Lc does not match its data");
    data = command.subspan(5);
  }
  if (data.size() + kScriptMacLength > 255)
    return make_error(Errc::invalid_argument, "script command data too long for a MAC");
  auto online = online_data(keys, pan, psn, online_tags);
  if (!online) return std::move(online).error();
  const std::array<Byte, 5> header{command[0], command[1], command[2], command[3],
                                   static_cast<Byte>(data.size() + kScriptMacLength)};
  const DesKey sm_key = derive_secure_messaging_key(online->master_key, online->ac);
  const auto mac = script_command_mac(sm_key, header, online->atc, online->ac, data);
  Bytes out(header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  out.insert(out.end(), mac.begin(), mac.end());
  return out;
}

}  // namespace tender::emv
