// Card data as a host sees it: PAN and expiry from keyed fields, clear ISO/IEC 7813 track 1
// or track 2 (with or without sentinels), or EMV tags 57 / 5A + 5F24. A small local parser,
// on purpose: net/ must not depend on drivers/msr.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "common/secret.hpp"

namespace tender::net::hostsim {

struct CardData {
  SecretString pan;
  int expiry_year = 0;    // four digits
  int expiry_month = 0;   // 1..12
  Bytes psn;              // tag 5F34 when the card data came from EMV tags
};

// "B5413330056003511^CUST IMP MC 351/^2512101000000000" or "%B...?" -> PAN + YYMM.
Result<CardData> parse_track1(std::string_view track);
// ";4111111111111111=2512101?" or "4111111111111111D2512101" -> PAN + YYMM.
Result<CardData> parse_track2(std::string_view track);
// Keyed: digits, month 1..12, year as two or four digits.
Result<CardData> keyed_card(std::string_view pan, int month, int year);
// "MM/YY" (FullStack expiration_date).
Result<CardData> keyed_card_mmyy(std::string_view pan, std::string_view mm_yy);
// EMV tags (BER-TLV, top level or inside templates 70/77): 57, else 5A + 5F24; 5F34 as PSN.
Result<CardData> card_from_emv_tags(ByteView tags);

// The value of a primitive EMV tag (top level or inside templates), upper-case hex; "" if absent.
std::string emv_tag_hex(ByteView tags, unsigned tag);

// A card is valid through the last day of its expiry month (UTC).
bool expired(const CardData& card, std::chrono::system_clock::time_point now);

// "411111******1111": first six / last four, for responses and logs.
std::string masked(const CardData& card);
std::string first_six(const CardData& card);
std::string last_four(const CardData& card);

}  // namespace tender::net::hostsim
