#include "emv/ttl.hpp"

#include <string>

#include "common/secure_zero.hpp"

namespace tender::emv {
namespace {

using icc::ApduCase;
using icc::CommandApdu;
using icc::ResponseApdu;

// One exchange: encode, transmit, report to the transcript, parse.
Result<ResponseApdu> exchange(icc::CardReader& reader, const CommandApdu& command,
                              const TtlOptions& options) {
  auto encoded = command.encode();
  if (!encoded) return std::move(encoded).error();
  auto raw = reader.transmit(*encoded);
  if (raw && options.transcript) options.transcript(*encoded, *raw);
  // The command may be a VERIFY carrying a PIN block: leave no copy behind.
  secure_zero(encoded->data(), encoded->size());
  if (!raw) return std::move(raw).error();
  return icc::parse_response(*raw);
}

CommandApdu get_response(Byte length) {
  // ISO/IEC 7816-4 7.6.1; SW2 00 asks for 256 bytes.
  return CommandApdu{0x00, 0xC0, 0x00, 0x00, {}, length == 0 ? 256 : length};
}

bool is_warning(const ResponseApdu& r) { return r.sw1() == 0x62 || r.sw1() == 0x63; }

Error too_long(std::size_t limit) {
  return make_error(Errc::malformed,
                    "card response longer than " + std::to_string(limit) + " bytes");
}

}  // namespace

TransmissionProtocol protocol_from_atr(ByteView atr) {
  // TS T0 [TA1] [TB1] [TC1] [TD1]: T0's high nibble says which interface bytes follow.
  if (atr.size() < 2) return TransmissionProtocol::t0;
  const Byte y1 = atr[1];
  if ((y1 & 0x80) == 0) return TransmissionProtocol::t0;
  std::size_t td1 = 2;
  for (Byte mask : {Byte{0x10}, Byte{0x20}, Byte{0x40}})
    if ((y1 & mask) != 0) ++td1;
  if (td1 >= atr.size()) return TransmissionProtocol::t0;
  return (atr[td1] & 0x0F) == 1 ? TransmissionProtocol::t1 : TransmissionProtocol::t0;
}

Result<ResponseApdu> transceive(icc::CardReader& reader, const CommandApdu& command,
                                const TtlOptions& options) {
  const ApduCase apdu_case = command.apdu_case();
  const bool expects_data = apdu_case == ApduCase::two || apdu_case == ApduCase::four;
  // Book 1 9.3.1.1: under T=0 a case 4 command goes out as case 3; the data comes back
  // through GET RESPONSE.
  const bool t0_case4 = options.protocol == TransmissionProtocol::t0 && apdu_case == ApduCase::four;
  CommandApdu sent = command;
  if (t0_case4) sent.le.reset();

  Bytes data;
  std::optional<icc::StatusWord> warning;
  for (std::size_t round = 0; round < options.max_exchanges; ++round) {
    auto response = exchange(reader, sent, options);
    if (!response) return std::move(response).error();
    const ResponseApdu& r = *response;

    if (r.sw1() == 0x61 && expects_data) {
      // More data available: collect it with GET RESPONSE (Book 1 9.3.1.2, Annex A5/A6).
      data.insert(data.end(), r.data.begin(), r.data.end());
      sent = get_response(r.sw2());
    } else if (r.sw1() == 0x6C && sent.le) {
      // Wrong length: the card says how much it has; ask again with that Le.
      sent.le = r.sw2() == 0 ? 256 : r.sw2();
    } else if (t0_case4 && !warning && round == 0 && is_warning(r) && r.data.empty()) {
      // Book 1 9.3.1.3 / Annex A7: keep the warning, fetch whatever data the card has.
      warning = r.sw;
      sent = get_response(0x00);
    } else {
      if (!warning || r.ok()) data.insert(data.end(), r.data.begin(), r.data.end());
      if (data.size() > options.max_response_data) return too_long(options.max_response_data);
      return ResponseApdu{std::move(data), warning ? *warning : r.sw};
    }
    if (data.size() > options.max_response_data) return too_long(options.max_response_data);
  }
  return make_error(Errc::exhausted, "card kept asking for GET RESPONSE or a new Le after " +
                                         std::to_string(options.max_exchanges) + " exchanges");
}

}  // namespace tender::emv
