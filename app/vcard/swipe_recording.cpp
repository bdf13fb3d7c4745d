#include "app/vcard/swipe_recording.hpp"

#include <linux/input.h>

#include <array>
#include <utility>

#include "drivers/msr/keymap.hpp"

namespace tender::app::vcard {
namespace {

using std::chrono::microseconds;

// USB HID usage page 7 (keyboard) of the keys a US-layout reader types; the kernel reports
// it in EV_MSC/MSC_SCAN before each EV_KEY of a USB keyboard. tender ignores it; it is here
// so a recording is what a real reader gives.
constexpr std::array<std::pair<std::uint16_t, std::int32_t>, 52> kHidUsages{{
    {KEY_A, 0x04}, {KEY_B, 0x05}, {KEY_C, 0x06}, {KEY_D, 0x07}, {KEY_E, 0x08}, {KEY_F, 0x09},
    {KEY_G, 0x0a}, {KEY_H, 0x0b}, {KEY_I, 0x0c}, {KEY_J, 0x0d}, {KEY_K, 0x0e}, {KEY_L, 0x0f},
    {KEY_M, 0x10}, {KEY_N, 0x11}, {KEY_O, 0x12}, {KEY_P, 0x13}, {KEY_Q, 0x14}, {KEY_R, 0x15},
    {KEY_S, 0x16}, {KEY_T, 0x17}, {KEY_U, 0x18}, {KEY_V, 0x19}, {KEY_W, 0x1a}, {KEY_X, 0x1b},
    {KEY_Y, 0x1c}, {KEY_Z, 0x1d}, {KEY_1, 0x1e}, {KEY_2, 0x1f}, {KEY_3, 0x20}, {KEY_4, 0x21},
    {KEY_5, 0x22}, {KEY_6, 0x23}, {KEY_7, 0x24}, {KEY_8, 0x25}, {KEY_9, 0x26}, {KEY_0, 0x27},
    {KEY_ENTER, 0x28}, {KEY_SPACE, 0x2c}, {KEY_MINUS, 0x2d}, {KEY_EQUAL, 0x2e},
    {KEY_LEFTBRACE, 0x2f}, {KEY_RIGHTBRACE, 0x30}, {KEY_BACKSLASH, 0x31}, {KEY_SEMICOLON, 0x33},
    {KEY_APOSTROPHE, 0x34}, {KEY_GRAVE, 0x35}, {KEY_COMMA, 0x36}, {KEY_DOT, 0x37},
    {KEY_SLASH, 0x38}, {KEY_F1, 0x3a}, {KEY_LEFTSHIFT, 0xe1}, {KEY_RIGHTSHIFT, 0xe5},
}};

std::int32_t hid_usage(std::uint16_t code) {
  for (const auto& [key, usage] : kHidUsages)
    if (key == code) return 0x70000 | usage;
  return 0x70000;
}

class Writer {
 public:
  Writer(EventLayout layout, microseconds start) : layout_(layout), now_(start) {}

  void stroke(std::uint16_t code, bool shift) {
    if (shift) key(KEY_LEFTSHIFT, 1);
    key(code, 1);
    syn();
    now_ += microseconds{1000};
    key(code, 0);
    if (shift) key(KEY_LEFTSHIFT, 0);
    syn();
    now_ += microseconds{1000};
  }
  void pause(microseconds gap) { now_ += gap; }
  Bytes take() && { return std::move(out_); }

 private:
  void key(std::uint16_t code, std::int32_t value) {
    add(EV_MSC, MSC_SCAN, hid_usage(code));
    add(EV_KEY, code, value);
  }
  void syn() { add(EV_SYN, SYN_REPORT, 0); }
  void add(std::uint16_t type, std::uint16_t code, std::int32_t value) {
    const auto count = static_cast<std::uint64_t>(now_.count());
    const std::size_t time_bytes = layout_ == EventLayout::le64 ? 8 : 4;
    put(count / 1'000'000, time_bytes);
    put(count % 1'000'000, time_bytes);
    put(type, 2);
    put(code, 2);
    put(static_cast<std::uint32_t>(value), 4);
  }
  void put(std::uint64_t v, std::size_t bytes) {
    for (std::size_t i = 0; i < bytes; ++i) out_.push_back(static_cast<Byte>((v >> (8 * i)) & 0xFFU));
  }

  EventLayout layout_;
  microseconds now_;
  Bytes out_;
};

}  // namespace

EventLayout native_layout() noexcept {
  return sizeof(input_event) == 24 ? EventLayout::le64 : EventLayout::le32;
}

std::size_t record_size(EventLayout layout) noexcept { return layout == EventLayout::le64 ? 24 : 16; }

Result<Bytes> swipe_recording(std::span<const std::string> swipes, EventLayout layout) {
  if (swipes.empty()) return make_error(Errc::invalid_argument, "no swipe to record");
  Writer writer(layout, kRecordingEpoch);
  for (std::size_t s = 0; s < swipes.size(); ++s) {
    const std::string& typed = swipes[s];
    if (typed.empty()) return make_error(Errc::invalid_argument, "swipe " + std::to_string(s + 1) + " is empty");
    if (s > 0) writer.pause(std::chrono::seconds{1});
    for (std::size_t i = 0; i < typed.size(); ++i) {
      const auto stroke = msr::us_key_stroke(typed[i]);
      if (!stroke)
        return make_error(Errc::invalid_argument, "swipe " + std::to_string(s + 1) + ", character " +
                                                      std::to_string(i + 1) + ": no key types it on a US layout");
      writer.stroke(stroke->key_code, stroke->shift);
    }
    writer.stroke(KEY_ENTER, false);
  }
  return std::move(writer).take();
}

}  // namespace tender::app::vcard
