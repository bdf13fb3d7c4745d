// The Terminal Transport Layer (EMV 4.4 Book 1 section 9.3, ISO/IEC 7816-3 12.2):
// carries a C-APDU to the card and the R-APDU back over a CardReader, doing what T=0
// requires of the terminal: GET RESPONSE on '61xx' (chained), resending with the
// right Le on '6Cxx', sending case 4 commands without Le and fetching the data, and the
// warning case of Book 1 9.3.1.3 (a case 4 command answered '62xx'/'63xx' is followed by
// GET RESPONSE and the warning is what the application layer sees). Every loop is
// bounded: a card answering '61xx' forever gets an error, never a hang.
#pragma once

#include <cstddef>
#include <functional>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "drivers/icc/apdu.hpp"
#include "drivers/icc/card_reader.hpp"

namespace tender::emv {

enum class TransmissionProtocol { t0, t1 };

// The first protocol the ATR offers (TD1's low nibble; T=0 when TD1 is absent, as
// ISO/IEC 7816-3 8.2.3 says). A short or odd ATR gives T=0.
TransmissionProtocol protocol_from_atr(ByteView atr);

// Sees every exchange with the card, raw: the command bytes sent and the response bytes
// received, GET RESPONSE included. Raw means card data (PAN, track 2) passes through:
// whoever prints it masks it.
using Transcript = std::function<void(ByteView command, ByteView response)>;

struct TtlOptions {
  TransmissionProtocol protocol = TransmissionProtocol::t0;
  Transcript transcript;
  std::size_t max_exchanges = 16;        // per C-APDU, GET RESPONSE and resends included
  std::size_t max_response_data = 1024;  // EMV responses are at most 256 bytes; chaining adds
};

// One C-APDU, one R-APDU. Errors: what the reader reports (Errc::io_error for a mute or
// removed card), Errc::truncated for a response without SW1 SW2, Errc::exhausted when the
// card keeps asking for GET RESPONSE or resends beyond the bounds, Errc::malformed when
// it returns more data than allowed.
Result<icc::ResponseApdu> transceive(icc::CardReader& reader, const icc::CommandApdu& command,
                                     const TtlOptions& options = {});

// A reader with its options, as the application layer passes it around.
class Ttl {
 public:
  explicit Ttl(icc::CardReader& reader, TtlOptions options = {})
      : reader_(reader), options_(std::move(options)) {}

  Result<icc::ResponseApdu> transceive(const icc::CommandApdu& command) {
    return emv::transceive(reader_, command, options_);
  }
  [[nodiscard]] icc::CardReader& reader() noexcept { return reader_; }
  [[nodiscard]] TtlOptions& options() noexcept { return options_; }

 private:
  icc::CardReader& reader_;
  TtlOptions options_;
};

}  // namespace tender::emv
