// The cards tender-vcard can insert: every built-in test card, and the profile files it
// was given (--card, or a path after insert/swap). Each card is made once, on first use,
// and then kept: like a real card it remembers its ATC and PIN try counter between
// insertions.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "drivers/icc/sim/virtual_card.hpp"

namespace tender::app::vcard {

// What may be shown of a card: never more than its masked PAN.
struct CardInfo {
  std::string name;        // the built-in name, or the profile file's stem
  std::string masked_pan;  // the first application's PAN, first 6 / last 4
  std::string description;
  std::string file;        // the profile file; empty for a built-in card
};

class CardSet {
 public:
  // The built-in cards. Errc::crypto_error / malformed when the build embedded a broken
  // card set or test PKI.
  static Result<CardSet> builtin();

  CardSet(CardSet&&) noexcept;
  CardSet& operator=(CardSet&&) noexcept;
  CardSet(const CardSet&) = delete;
  CardSet& operator=(const CardSet&) = delete;
  ~CardSet();

  // Loads a profile file. The card's name is the file's stem and must be new to the set
  // (Errc::invalid_argument otherwise, naming both); loading the same file again returns
  // the card already loaded. The profile's own errors name the file and the field.
  Result<const CardInfo*> add_file(const std::string& path);

  // A card by name, or a profile file (loaded as add_file does) when `name_or_file`
  // names an existing file. Errc::not_found naming it when it is neither.
  Result<const CardInfo*> find(std::string_view name_or_file);

  // The card itself, personalised on first use (its certificates are signed then).
  Result<icc::sim::VirtualCard*> card(const CardInfo& info);

  [[nodiscard]] std::vector<const CardInfo*> list() const;

 private:
  struct Entry;
  CardSet() = default;
  Result<const CardInfo*> add(icc::sim::CardProfile profile, std::string file);

  std::vector<std::unique_ptr<Entry>> entries_;  // built-ins first, then files in load order
};

}  // namespace tender::app::vcard
