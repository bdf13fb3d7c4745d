// A small card for the PC/SC tests, with T=0 behaviour (ISO/IEC 7816-3 10.3.3-10.3.5)
// so the procedure bytes reach the terminal as a T=0 reader hands them up:
//   SELECT by AID (00 A4 04 00)      FCI + 9000, or 6A82 for another AID
//   GET PROCESSING OPTIONS (80 A8)   case 4: 61 08, the data waits for GET RESPONSE
//   GET RESPONSE (00 C0 00 00 Le)    the waiting data + 9000; 6C08 when Le is not 08
//   READ RECORD (00 B2 01 0C Le)     the record + 9000; 6Cxx when Le is not its length
//   anything else                    6D00
// Thread-safe: the bridge thread calls it while the test thread reads what it saw.
#pragma once

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <vector>

#include "common/bytes.hpp"
#include "drivers/icc/card.hpp"

namespace tender::test::pcsc {

// T=0 only (no TD1): T0 = 68 -> TB1 TC1 present, 8 historical bytes "TENDER01".
inline const Bytes kAtrT0 = {0x3B, 0x68, 0x00, 0x00, 'T', 'E', 'N', 'D', 'E', 'R', '0', '1'};
// T=1 only: T0 = 80 -> TD1 present, no historical bytes; TD1 = 01 (T=1); TCK = 81.
inline const Bytes kAtrT1 = {0x3B, 0x80, 0x01, 0x81};

inline const Bytes kAid = {0xA0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10};
// 6F 11 { 84 07 <AID>, A5 06 { 50 04 "TEST" } }
inline const Bytes kFci = {0x6F, 0x11, 0x84, 0x07, 0xA0, 0x00, 0x00, 0x00, 0x03, 0x10,
                           0x10, 0xA5, 0x06, 0x50, 0x04, 'T',  'E',  'S',  'T'};
// Format 1: AIP 1C00, AFL 08 01 01 00.
inline const Bytes kGpoData = {0x80, 0x06, 0x1C, 0x00, 0x08, 0x01, 0x01, 0x00};
inline const Bytes kRecord = {0x70, 0x08, 0x5F, 0x20, 0x05, 'T', 'E', 'S', 'T', '/'};

class TestCard final : public icc::Card {
 public:
  explicit TestCard(Bytes atr = kAtrT0) : atr_(std::move(atr)) {}

  [[nodiscard]] Bytes atr() const override { return atr_; }

  void reset() override {
    std::lock_guard lock(mutex_);
    ++resets_;
    selected_ = false;
    pending_.clear();
  }

  Bytes process(ByteView command) override {
    std::lock_guard lock(mutex_);
    seen_.emplace_back(command.begin(), command.end());
    if (command.size() < 4) return {0x67, 0x00};
    const Byte cla = command[0], ins = command[1], p1 = command[2], p2 = command[3];
    const ByteView body = command.subspan(4);
    if (cla == 0x00 && ins == 0xA4 && p1 == 0x04 && p2 == 0x00) {
      if (body.empty() || body[0] != kAid.size() || body.size() < 1 + kAid.size() ||
          !std::equal(kAid.begin(), kAid.end(), body.begin() + 1)) {
        selected_ = false;
        return {0x6A, 0x82};
      }
      selected_ = true;
      return with_sw(kFci, 0x90, 0x00);
    }
    if (cla == 0x80 && ins == 0xA8) {
      if (!selected_) return {0x69, 0x85};
      pending_ = kGpoData;
      return {0x61, static_cast<Byte>(pending_.size())};
    }
    if (cla == 0x00 && ins == 0xC0) {
      if (pending_.empty()) return {0x69, 0x85};
      const std::size_t le = body.size() == 1 ? (body[0] == 0 ? 256 : body[0]) : 0;
      if (le != pending_.size()) return {0x6C, static_cast<Byte>(pending_.size())};
      Bytes out = with_sw(pending_, 0x90, 0x00);
      pending_.clear();
      return out;
    }
    if (cla == 0x00 && ins == 0xB2 && p1 == 0x01 && p2 == 0x0C) {
      const std::size_t le = body.size() == 1 ? (body[0] == 0 ? 256 : body[0]) : 0;
      if (le != kRecord.size()) return {0x6C, static_cast<Byte>(kRecord.size())};
      return with_sw(kRecord, 0x90, 0x00);
    }
    return {0x6D, 0x00};
  }

  [[nodiscard]] std::vector<Bytes> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }
  [[nodiscard]] int resets() const {
    std::lock_guard lock(mutex_);
    return resets_;
  }

 private:
  static Bytes with_sw(const Bytes& data, Byte sw1, Byte sw2) {
    Bytes out = data;
    out.push_back(sw1);
    out.push_back(sw2);
    return out;
  }

  const Bytes atr_;
  mutable std::mutex mutex_;
  bool selected_ = false;
  Bytes pending_;
  int resets_ = 0;
  std::vector<Bytes> seen_;
};

}  // namespace tender::test::pcsc
