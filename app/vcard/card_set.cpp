#include "app/vcard/card_set.hpp"

#include <filesystem>
#include <optional>
#include <system_error>
#include <utility>

#include "common/log.hpp"
#include "common/pan.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "drivers/icc/sim/card_profile.hpp"

namespace tender::app::vcard {

namespace fs = std::filesystem;

struct CardSet::Entry {
  CardInfo info;
  icc::sim::CardProfile profile;
  std::optional<icc::sim::VirtualCard> card;  // made on first use
};

CardSet::CardSet(CardSet&&) noexcept = default;
CardSet& CardSet::operator=(CardSet&&) noexcept = default;
CardSet::~CardSet() = default;

Result<CardSet> CardSet::builtin() {
  CardSet set;
  for (const auto& b : icc::sim::builtin_profiles()) {
    auto profile = icc::sim::builtin_profile(b.name);
    if (!profile) return std::move(profile).error();
    if (auto added = set.add(std::move(*profile), {}); !added) return std::move(added).error();
  }
  return set;
}

Result<const CardInfo*> CardSet::add(icc::sim::CardProfile profile, std::string file) {
  for (const auto& e : entries_)
    if (e->info.name == profile.name)
      return make_error(Errc::invalid_argument,
                        "card profile " + file + ": the set already has a card named " + profile.name +
                            (e->info.file.empty() ? " (a built-in card)" : " (from " + e->info.file + ")") +
                            "; rename the file");
  auto entry = std::make_unique<Entry>();
  entry->info.name = profile.name;
  entry->info.description = profile.description;
  entry->info.file = std::move(file);
  // A profile has at least one application (the parser insists); its PAN names the card.
  if (!profile.applications.empty()) entry->info.masked_pan = mask_pan(profile.applications.front().pan);
  entry->profile = std::move(profile);
  entries_.push_back(std::move(entry));
  return &entries_.back()->info;
}

Result<const CardInfo*> CardSet::add_file(const std::string& path) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(fs::path(path), ec);
  const std::string key = ec ? path : canonical.string();
  for (const auto& e : entries_)
    if (!e->info.file.empty() && e->info.file == key) return &e->info;
  auto profile = icc::sim::load_profile(path);
  if (!profile) {
    Error error = std::move(profile).error();
    error.message = "card profile " + path + ": " + error.message;
    return error;
  }
  return add(std::move(*profile), key);
}

Result<const CardInfo*> CardSet::find(std::string_view name_or_file) {
  for (const auto& e : entries_)
    if (e->info.name == name_or_file) return &e->info;
  const std::string path(name_or_file);
  std::error_code ec;
  if (fs::is_regular_file(fs::path(path), ec)) return add_file(path);
  return make_error(Errc::not_found,
                    "no card " + log::scrub(name_or_file.substr(0, 64)) + ": neither a card of the set (list) nor a profile file");
}

Result<icc::sim::VirtualCard*> CardSet::card(const CardInfo& info) {
  for (auto& e : entries_) {
    if (&e->info != &info) continue;
    if (!e->card) {
      auto pki = icc::sim::builtin_pki();
      if (!pki) return std::move(pki).error();
      auto made = icc::sim::VirtualCard::create(e->profile, **pki);
      if (!made) {
        Error error = std::move(made).error();
        error.message = "card " + info.name + ": " + error.message;
        return error;
      }
      e->card.emplace(std::move(*made));
    }
    return &*e->card;
  }
  return make_error(Errc::not_found, "card " + info.name + " is not in this set");
}

std::vector<const CardInfo*> CardSet::list() const {
  std::vector<const CardInfo*> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back(&e->info);
  return out;
}

}  // namespace tender::app::vcard
