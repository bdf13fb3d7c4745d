#include "drivers/icc/apdu.hpp"

namespace tender::icc {

ApduCase CommandApdu::apdu_case() const noexcept {
  if (data.empty()) return le ? ApduCase::two : ApduCase::one;
  return le ? ApduCase::four : ApduCase::three;
}

Result<Bytes> CommandApdu::encode() const {
  if (data.size() > 255) return make_error(Errc::invalid_argument, "command data over 255 bytes");
  if (le && *le > 256) return make_error(Errc::invalid_argument, "Le over 256");
  Bytes out{cla, ins, p1, p2};
  if (!data.empty()) {
    out.push_back(static_cast<Byte>(data.size()));
    out.insert(out.end(), data.begin(), data.end());
  }
  if (le) out.push_back(static_cast<Byte>(*le & 0xFF));  // 256 -> 00
  return out;
}

Result<CommandApdu> parse_command(ByteView bytes) {
  if (bytes.size() < 4) return make_error(Errc::truncated, "command APDU shorter than its header");
  CommandApdu c{bytes[0], bytes[1], bytes[2], bytes[3], {}, std::nullopt};
  const ByteView body = bytes.subspan(4);
  if (body.empty()) return c;  // case 1
  if (body.size() == 1) {      // case 2: Le only
    c.le = body[0] == 0 ? 256 : body[0];
    return c;
  }
  const std::size_t lc = body[0];
  if (lc == 0) return make_error(Errc::malformed, "Lc of 0 with data following (extended length is not supported)");
  if (body.size() == 1 + lc) {  // case 3
    c.data.assign(body.begin() + 1, body.end());
    return c;
  }
  if (body.size() == 2 + lc) {  // case 4
    c.data.assign(body.begin() + 1, body.end() - 1);
    c.le = body.back() == 0 ? 256 : body.back();
    return c;
  }
  return make_error(Errc::malformed, "command APDU length does not match Lc");
}

Bytes ResponseApdu::encode() const {
  Bytes out = data;
  out.push_back(sw1());
  out.push_back(sw2());
  return out;
}

Result<ResponseApdu> parse_response(ByteView bytes) {
  if (bytes.size() < 2) return make_error(Errc::truncated, "response APDU without SW1 SW2");
  ResponseApdu r;
  r.data.assign(bytes.begin(), bytes.end() - 2);
  r.sw = static_cast<StatusWord>((bytes[bytes.size() - 2] << 8) | bytes[bytes.size() - 1]);
  return r;
}

std::string sw_to_hex(StatusWord sw) {
  const Byte b[2] = {static_cast<Byte>(sw >> 8), static_cast<Byte>(sw & 0xFF)};
  return to_hex(b);
}

}  // namespace tender::icc
