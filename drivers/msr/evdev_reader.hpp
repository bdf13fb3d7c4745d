// USB keyboard-wedge magnetic stripe readers, read through the Linux input
// subsystem (evdev, /dev/input/eventN).
//
// A wedge reader is a USB HID keyboard: on a swipe it types the tracks it read,
// sentinels included, and then Enter:
//
//   %B4111111111111111^DOE/JOHN^3012101000000000000?;4111111111111111=3012101000...?<Enter>
//
// The LRC is checked by the reader and not typed. The kernel turns this into
// `struct input_event` records: EV_MSC/MSC_SCAN (the HID usage), EV_KEY (value 1
// press, 0 release, 2 autorepeat) and EV_SYN/SYN_REPORT after each HID report.
//
// EvdevDecoder is the pure part: input_event records in, swipes out. EvdevReader
// owns the device file, grabs it so the swipe does not also type into whatever
// has the keyboard focus, and feeds the decoder under a deadline.
//
// Track data lives only in SecretString and in buffers wiped as soon as a swipe is
// emitted or dropped; error messages give key codes, offsets and lengths, never
// the characters typed.
#pragma once

#include <linux/input.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "common/secret.hpp"

namespace tender::msr {

// One swipe as the reader typed it, sentinels removed. A track the reader did not
// read (absent, or reported by the reader as "E", its read-error marker) is empty;
// at least one of the two is not. Parse with parse_track1 / parse_track2.
struct Swipe {
  SecretString track1;  // between '%' and '?'
  SecretString track2;  // between ';' and '?'
};

// Linux input events in, swipes out; no I/O, no clock: time is the events' own.
class EvdevDecoder {
 public:
  // Two ISO 7813 tracks and a track 3 with sentinels come to 230 characters.
  static constexpr std::size_t kMaxSwipeCharacters = 256;
  // A reader types a whole swipe in one burst, a few milliseconds per character;
  // a longer gap means the swipe ended without Enter or a person is typing.
  static constexpr std::chrono::milliseconds kDefaultInterCharacterTimeout{100};

  // `inter_character_timeout` must be positive.
  explicit EvdevDecoder(
      std::chrono::microseconds inter_character_timeout = kDefaultInterCharacterTimeout) noexcept;
  EvdevDecoder(const EvdevDecoder&) = default;
  EvdevDecoder& operator=(const EvdevDecoder&) = default;
  ~EvdevDecoder();

  // Takes one event. Returns the swipe this event ends, if it ends one: Enter
  // (KEY_ENTER, KEY_KPENTER) ends the swipe being typed; a key press later than the
  // inter-character timeout after the previous one ends the swipe before it and
  // starts the next. A swipe that had an unknown key, overflowed or lost events
  // (SYN_DROPPED), or has neither track 1 nor track 2, ends as Errc::malformed.
  [[nodiscard]] std::optional<Result<Swipe>> feed(const input_event& event);

  // Ends the swipe being typed now, as if the timeout had passed: the caller has
  // seen no event for that long on its own clock, or the stream has ended.
  [[nodiscard]] std::optional<Result<Swipe>> finish();

  // Drops the swipe being typed, if any, without emitting it.
  void reset() noexcept;

  // A swipe has begun and not yet ended.
  [[nodiscard]] bool pending() const noexcept;
  [[nodiscard]] std::chrono::microseconds inter_character_timeout() const noexcept {
    return timeout_;
  }

 private:
  enum class Fault : std::uint8_t { none, unknown_key, overflow, dropped };

  [[nodiscard]] std::optional<Result<Swipe>> end_swipe();
  void mark(Fault fault, std::uint16_t key_code = 0) noexcept;
  void wipe() noexcept;

  std::chrono::microseconds timeout_;
  std::array<char, kMaxSwipeCharacters> typed_{};
  std::size_t length_ = 0;
  Fault fault_ = Fault::none;
  std::uint16_t fault_key_code_ = 0;
  std::size_t fault_offset_ = 0;
  bool left_shift_ = false;
  bool right_shift_ = false;
  bool resyncing_ = false;  // after SYN_DROPPED, until the next SYN_REPORT
  std::optional<std::chrono::microseconds> last_press_;
};

// A wedge reader's event device, or a plain file or pipe of recorded input_event
// records (the emulator and the tests). One thread; the app may wait on
// native_handle() with Asio and call poll(0ms) when it is readable.
class EvdevReader {
 public:
  // Opens `path` non-blocking and grabs it (EVIOCGRAB) so that no other reader of
  // the device, the console or X/Wayland, sees the swipe. A file or pipe is not grabbed
  // (nor a character device that answers ENOTTY): that is logged and reading goes on. Errc::io_error when the
  // path cannot be opened or another process holds the grab (EBUSY);
  // Errc::invalid_argument for a timeout that is not positive.
  static Result<EvdevReader> open(
      std::string path, std::chrono::microseconds inter_character_timeout =
                            EvdevDecoder::kDefaultInterCharacterTimeout);

  EvdevReader(EvdevReader&& other) noexcept;
  EvdevReader& operator=(EvdevReader&& other) noexcept;
  EvdevReader(const EvdevReader&) = delete;
  EvdevReader& operator=(const EvdevReader&) = delete;
  ~EvdevReader();  // releases the grab, closes, wipes

  // Waits up to `wait` for a swipe to end. nullopt when none did in that time;
  // Errc::malformed for a bad swipe (the reader stays usable: the next swipe may be
  // fine); Errc::io_error when the device fails or is unplugged (ENODEV). A swipe
  // also ends when no event has arrived for the inter-character timeout, or when a
  // recorded stream reaches its end. `wait` of zero reads what is there and returns.
  [[nodiscard]] Result<std::optional<Swipe>> poll(std::chrono::milliseconds wait);

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] int native_handle() const noexcept { return fd_; }
  // EVIOCGRAB succeeded: a real input device, held exclusively.
  [[nodiscard]] bool grabbed() const noexcept { return grabbed_; }
  // A file or pipe has given all its events; poll() only waits out its deadline.
  [[nodiscard]] bool at_end() const noexcept { return at_end_; }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kBufferEvents = 64;

  EvdevReader(std::string path, int fd, bool grabbed, EvdevDecoder decoder) noexcept;
  void close() noexcept;
  [[nodiscard]] std::optional<Result<Swipe>> drain();
  [[nodiscard]] std::optional<Result<Swipe>> expire();
  [[nodiscard]] Result<void> read_some();
  [[nodiscard]] Result<std::optional<Swipe>> deliver(Result<Swipe> ended) const;

  std::string path_;
  int fd_ = -1;
  bool grabbed_ = false;
  bool at_end_ = false;
  EvdevDecoder decoder_;
  // Raw records as read; a pipe may hand over part of one, kept until the rest comes.
  std::array<unsigned char, kBufferEvents * sizeof(input_event)> buffer_{};
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  Clock::time_point last_arrival_{};
};

}  // namespace tender::msr
