// A virtual EMV contact card (EMV 4.4 Book 3 card behaviour, Book 2 card-side
// cryptography) personalised from a profile (card_profile.hpp) and the test PKI.
//
// Commands: SELECT (PSE and ADFs, partial names with P2 = 02 next occurrence), READ
// RECORD, GET PROCESSING OPTIONS, GET DATA, VERIFY (plaintext P2 = 80, enciphered
// P2 = 88), GET CHALLENGE, INTERNAL AUTHENTICATE, GENERATE AC (first and second, CDA),
// EXTERNAL AUTHENTICATE, issuer script commands (APPLICATION BLOCK / UNBLOCK, PUT DATA,
// PIN CHANGE/UNBLOCK), and GET RESPONSE under T=0 emulation. Anything else gets a
// status word (6D00 unknown instruction, 6E00 wrong class, 6A86 wrong P1 P2, 6700 wrong
// length, 6985 conditions of use not satisfied); no input makes it fail.
//
// State: the ATC, last online ATC, application blocked flag, data written by PUT DATA,
// the reference PIN and the PIN try counter are persistent (they survive reset());
// the selection and everything about the transaction in progress is volatile.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>

#include "drivers/icc/apdu.hpp"
#include "drivers/icc/card.hpp"
#include "drivers/icc/sim/card_image.hpp"

namespace tender::icc::sim {

// Card Verification Results as this card builds them (the Common Core Definitions'
// layout, 5 bytes, carried in IAD bytes 4..8). Bits used:
//  byte 1: b8-7 AC of the 2nd GENERATE AC (00 AAC, 01 TC, 10 not requested),
//          b6-5 AC of the 1st GENERATE AC (00 AAC, 01 TC, 10 ARQC), b4 CDA performed,
//          b3 offline DDA performed, b2 issuer authentication not performed,
//          b1 issuer authentication failed;
//  byte 2: b8-5 PIN try counter, b4 offline PIN performed, b3 offline PIN failed,
//          b2 PIN try limit exceeded, b1 last online transaction not completed;
//  byte 4: b8-5 issuer script commands processed, b4 issuer script processing failed;
//  bytes 3 and 5: 00.

class VirtualCard final : public Card {
 public:
  // Fills its argument with random bytes (GET CHALLENGE, ICC dynamic numbers); false on
  // failure. Defaults to the kernel CSPRNG; tests pass a fixed one.
  using RandomSource = std::function<bool(std::span<Byte>)>;

  static Result<VirtualCard> create(const CardProfile& profile, const TestPki& pki, RandomSource random = {});

  [[nodiscard]] Bytes atr() const override { return atr_; }
  void reset() override;
  Bytes process(ByteView command) override;

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const CardImage& image() const noexcept { return image_; }
  [[nodiscard]] Byte pin_try_counter() const noexcept { return pin_try_counter_; }
  [[nodiscard]] std::uint16_t atc(std::size_t app = 0) const { return persistent_.at(app).atc; }
  [[nodiscard]] std::uint16_t last_online_atc(std::size_t app = 0) const { return persistent_.at(app).last_online_atc; }
  [[nodiscard]] bool application_blocked(std::size_t app = 0) const { return persistent_.at(app).blocked; }

 private:
  struct AppState {  // persistent
    std::uint16_t atc = 0;
    std::uint16_t last_online_atc = 0;
    bool blocked = false;
    bool online_pending = false;  // ARQC given, second GENERATE AC not completed
    std::map<emv::Tag, Bytes> put_data;
  };
  enum class Selected { none, pse, adf };
  struct Session {  // volatile: lost on reset and on a new SELECT
    bool gpo_done = false;
    bool previous_online_incomplete = false;  // CVR byte 2 bit 1, taken at GPO
    Bytes pdol_data;
    int gen_ac_count = 0;
    Byte first_ac_type = 0;
    emv::Cryptogram first_ac{};
    Bytes cdol1_data;
    bool issuer_auth_performed = false;
    bool issuer_auth_failed = false;
    bool offline_pin_performed = false;
    bool offline_pin_failed = false;
    bool dda_performed = false;
    bool cda_performed = false;
    Byte scripts_processed = 0;
    bool script_failed = false;
    std::optional<std::array<Byte, 8>> challenge;
  };

  VirtualCard() = default;

  ResponseApdu dispatch(const CommandApdu& c);
  Bytes process_t0(ByteView command);

  ResponseApdu select(const CommandApdu& c);
  ResponseApdu read_record(const CommandApdu& c);
  ResponseApdu get_processing_options(const CommandApdu& c);
  ResponseApdu get_data(const CommandApdu& c);
  ResponseApdu get_challenge(const CommandApdu& c);
  ResponseApdu verify(const CommandApdu& c);
  ResponseApdu internal_authenticate(const CommandApdu& c);
  ResponseApdu generate_ac(const CommandApdu& c);
  ResponseApdu external_authenticate(const CommandApdu& c);
  ResponseApdu issuer_script(const CommandApdu& c);

  // Helpers shared by the handlers (virtual_card_ac.cpp, virtual_card_pin.cpp).
  [[nodiscard]] bool adf_selected() const noexcept { return selected_ == Selected::adf; }
  AppImage& app() { return image_.apps[app_index_]; }
  AppState& state() { return persistent_[app_index_]; }
  [[nodiscard]] std::array<Byte, emv::kCvrLength> cvr(Byte first_ac, std::optional<Byte> second_ac) const;
  ResponseApdu pin_status() const;
  ResponseApdu check_pin(std::string_view entered);
  bool issuer_arpc_valid(ByteView issuer_authentication_data);
  ResponseApdu apply_script_command(const CommandApdu& c, ByteView data);

  std::string name_;
  Bytes atr_;
  Protocol protocol_ = Protocol::t1;
  CardImage image_;
  RandomSource random_;
  SecretString pin_;
  Byte pin_try_limit_ = 3;
  Byte pin_try_counter_ = 3;
  std::vector<AppState> persistent_;

  Selected selected_ = Selected::none;
  std::size_t app_index_ = 0;
  std::optional<std::size_t> last_partial_match_;
  Session session_;
  std::optional<ResponseApdu> t0_pending_;
};

}  // namespace tender::icc::sim
