// The card slot tender-vcard simulates: at most one card, served to vpcd by a VpcdBridge
// while inserted. Every operation and every change of the vpcd connection is one status
// line (names and masked PANs only); the caller prints them.
//
// vpcd is the listening side: a card is "in the reader" while it is connected to vpcd and
// answering pcscd's polls (about every 400 ms). So insert connects, remove disconnects,
// and when pcscd stops or restarts (vpcd's socket closes) the bridge reconnects on its own
// every `retry_interval`: the card is back in the reader once pcscd is.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/vcard/card_set.hpp"
#include "app/vcard/commands.hpp"
#include "common/result.hpp"
#include "drivers/icc/pcsc/vpcd_bridge.hpp"

namespace tender::app::vcard {

struct SlotOptions {
  VpcdAddress vpcd;
  // Between connection attempts while vpcd does not listen: slow enough not to spin,
  // quick enough that the card is back soon after pcscd restarts.
  std::chrono::milliseconds retry_interval{500};
  // A card inserted but not connected for this long gets one "not reachable" line.
  std::chrono::milliseconds unreachable_after{3000};
  // A swap keeps the slot empty this long: more than two of pcscd's polls, so that an
  // application watching the reader sees the first card leave before the next arrives.
  std::chrono::milliseconds swap_gap{1000};
};

class Slot {
 public:
  using Clock = std::chrono::steady_clock;

  Slot(CardSet& cards, SlotOptions options);
  ~Slot();  // removes the card (stops the bridge) first
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

  // Errc::invalid_argument when a card is already inserted (the line says to remove or
  // swap); the card set's errors for an unknown card or a bad profile; io_error when the
  // bridge cannot start. The slot is unchanged after an error.
  Result<std::string> insert(std::string_view card);
  // Errc::not_found when the slot is empty.
  Result<std::string> remove();
  // Removes the card in the slot (if any), waits swap_gap, inserts `card`. The new card is
  // checked first: an unknown one leaves the slot as it was.
  Result<std::vector<std::string>> swap(std::string_view card);

  [[nodiscard]] std::string status() const;
  // The lines of `list`: name, masked PAN, description; a loaded file's path after it.
  [[nodiscard]] std::vector<std::string> list() const;

  // What happened on the vpcd connection since the last call: connected, closed by vpcd
  // (reconnecting), not reachable (once per outage). Call it every few hundred ms.
  std::vector<std::string> watch();

  [[nodiscard]] bool inserted() const noexcept { return bridge_ != nullptr; }
  [[nodiscard]] const CardInfo* card() const noexcept { return info_; }

 private:
  [[nodiscard]] std::string label() const;

  CardSet& cards_;
  const SlotOptions options_;
  const CardInfo* info_ = nullptr;
  std::unique_ptr<icc::vpcd::VpcdBridge> bridge_;
  // What watch() reported last, to report changes only.
  bool connected_ = false;
  std::uint64_t connections_ = 0;
  Clock::time_point waiting_since_{};
  bool unreachable_reported_ = false;
};

}  // namespace tender::app::vcard
