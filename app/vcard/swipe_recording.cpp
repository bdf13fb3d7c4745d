#include "app/vcard/swipe_recording.hpp"

#include <linux/input.h>

#include "drivers/msr/keymap.hpp"

namespace tender::app::vcard {
namespace {

using std::chrono::microseconds;

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
    add(EV_MSC, MSC_SCAN, msr::hid_usage(code));
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
