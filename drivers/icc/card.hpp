// The card side of the chip card seam: something that answers APDUs. Virtual EMV
// cards (drivers/icc/sim), the replay card, and the vpcd bridge that puts any Card
// behind a real PC/SC reader all implement or consume it.
#pragma once

#include "common/bytes.hpp"

namespace tender::icc {

class Card {
 public:
  virtual ~Card() = default;
  // Answer to Reset, as the card would send it on a cold reset.
  [[nodiscard]] virtual Bytes atr() const = 0;
  // A power cycle: volatile state (selected application, transaction in progress,
  // PIN verified flag) is lost; persistent state (ATC, PIN try counter) stays.
  virtual void reset() = 0;
  // One command APDU in, the response with SW1 SW2 out. Never fails: a card that
  // does not understand answers with a status word, as a real one does.
  virtual Bytes process(ByteView command) = 0;
};

}  // namespace tender::icc
