#include "app/vcard/slot.hpp"

#include <thread>
#include <utility>

namespace tender::app::vcard {

Slot::Slot(CardSet& cards, SlotOptions options) : cards_(cards), options_(std::move(options)) {}

Slot::~Slot() { bridge_.reset(); }

std::string Slot::label() const {
  if (info_ == nullptr) return {};
  return info_->masked_pan.empty() ? info_->name : info_->name + " " + info_->masked_pan;
}

Result<std::string> Slot::insert(std::string_view card) {
  if (bridge_)
    return make_error(Errc::invalid_argument, "insert: " + info_->name + " is in the slot; remove it first, or swap");
  auto info = cards_.find(card);
  if (!info) return std::move(info).error();
  auto virtual_card = cards_.card(**info);
  if (!virtual_card) return std::move(virtual_card).error();
  icc::vpcd::BridgeOptions bridge_options;
  bridge_options.host = options_.vpcd.host;
  bridge_options.port = options_.vpcd.port;
  bridge_options.inserted = true;
  bridge_options.retry_interval = options_.retry_interval;
  auto bridge = icc::vpcd::VpcdBridge::start(**virtual_card, bridge_options);
  if (!bridge) return std::move(bridge).error();
  bridge_ = std::move(*bridge);
  info_ = *info;
  connected_ = false;
  connections_ = 0;
  waiting_since_ = Clock::now();
  unreachable_reported_ = false;
  return "inserted " + label();
}

Result<std::string> Slot::remove() {
  if (!bridge_) return make_error(Errc::not_found, "remove: the slot is empty");
  // Stopping closes the connection: vpcd answers pcscd's next poll with "no card".
  bridge_->stop();
  bridge_.reset();
  std::string line = "removed " + info_->name;
  info_ = nullptr;
  connected_ = false;
  return line;
}

Result<std::vector<std::string>> Slot::swap(std::string_view card) {
  // Resolve (and personalise) the new card before the old one leaves: a typo must not
  // empty the slot.
  auto info = cards_.find(card);
  if (!info) return std::move(info).error();
  if (auto made = cards_.card(**info); !made) return std::move(made).error();
  std::vector<std::string> lines;
  if (bridge_) {
    if (*info == info_) return make_error(Errc::invalid_argument, "swap: " + info_->name + " is the card in the slot");
    auto removed = remove();
    if (!removed) return std::move(removed).error();
    lines.push_back(std::move(*removed));
    std::this_thread::sleep_for(options_.swap_gap);
  }
  auto inserted = insert((*info)->name);
  if (!inserted) return std::move(inserted).error();
  lines.push_back(std::move(*inserted));
  return lines;
}

std::string Slot::status() const {
  const std::string where = "vpcd " + to_string(options_.vpcd);
  if (!bridge_) return "status empty slot (" + where + ")";
  const icc::vpcd::BridgeStats stats = bridge_->stats();
  std::string line = "status inserted " + label() + ", ";
  line += bridge_->connected() ? "connected to " + where : "waiting for " + where;
  line += ", commands answered: " + std::to_string(stats.commands);
  return line;
}

std::vector<std::string> Slot::list() const {
  std::vector<std::string> lines;
  for (const CardInfo* info : cards_.list()) {
    std::string line = info->name + "  " + (info->masked_pan.empty() ? "-" : info->masked_pan) + "  " + info->description;
    if (!info->file.empty()) line += "  [" + info->file + "]";
    if (info == info_) line += "  (inserted)";
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<std::string> Slot::watch() {
  std::vector<std::string> lines;
  if (!bridge_) return lines;
  const std::string where = "vpcd " + to_string(options_.vpcd);
  const bool connected = bridge_->connected();
  const std::uint64_t connections = bridge_->stats().connections;
  // A close and a reconnect between two calls show as a higher count, still connected.
  const bool reconnected = connected && connected_ && connections > connections_;
  if (connected_ && (!connected || reconnected)) {
    lines.push_back("disconnected " + where + " closed the connection (pcscd stopped?); reconnecting every " +
                    std::to_string(options_.retry_interval.count()) + " ms");
    waiting_since_ = Clock::now();
  }
  if (connected && (!connected_ || reconnected)) {
    lines.push_back("connected " + where + ": " + info_->name + " is in the reader");
    unreachable_reported_ = false;
  }
  if (!connected && !unreachable_reported_ && Clock::now() - waiting_since_ >= options_.unreachable_after) {
    lines.push_back("unreachable " + where + " (is pcscd running with vpcd?); retrying every " +
                    std::to_string(options_.retry_interval.count()) + " ms");
    unreachable_reported_ = true;
  }
  connected_ = connected;
  connections_ = connections;
  return lines;
}

}  // namespace tender::app::vcard
