// A card that replays a recorded exchange: {"atr": HEX (optional),
// "exchanges": [{"c": HEX, "r": HEX, "match": "exact"|"header"}, ...]}.
// Exchanges are consumed in order. A command matches the next exchange exactly, or by
// its four header bytes (CLA INS P1 P2) when the exchange says "match":"header" (its
// data holds terminal-generated values: unpredictable numbers, dates). Anything else
// is unexpected: the card answers 6F00, consumes nothing, and records a failure that
// failures() reports, so a test or the CLI can fail loudly. Failure messages name the
// exchange index and command headers only, never data (it may hold PIN blocks).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "drivers/icc/card.hpp"

namespace tender::icc::sim {

class ReplayCard final : public Card {
 public:
  struct Exchange {
    Bytes command;
    Bytes response;  // data and SW1 SW2
    bool header_only = false;
  };

  // Errc::malformed / Errc::not_found naming the field ("exchanges[3].r").
  static Result<ReplayCard> parse(std::string_view json_text);
  static Result<ReplayCard> load(const std::string& path);
  ReplayCard(Bytes atr, std::vector<Exchange> exchanges);

  [[nodiscard]] Bytes atr() const override { return atr_; }
  void reset() override {}  // a reset does not rewind the recording
  Bytes process(ByteView command) override;

  [[nodiscard]] const std::vector<std::string>& failures() const noexcept { return failures_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return exchanges_.size() - next_; }
  // Every exchange consumed and no failure.
  [[nodiscard]] bool complete() const noexcept { return failures_.empty() && remaining() == 0; }

 private:
  Bytes atr_;
  std::vector<Exchange> exchanges_;
  std::size_t next_ = 0;
  std::vector<std::string> failures_;
};

}  // namespace tender::icc::sim
