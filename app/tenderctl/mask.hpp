// Masking of card data in tenderctl's output: what the tool prints lands in
// terminals, tickets and test logs, so PAN and track data never appear in clear.
#pragma once

#include <string>

#include "common/bytes.hpp"
#include "emv/tlv.hpp"

namespace tender::ctl {

// Tags whose values carry a PAN or track data: 56, 57, 5A, 99, 9F1F, 9F20, 9F6B.
bool is_card_data_tag(emv::Tag tag) noexcept;

// The value as hex with every nibble starred except the first 6 and last 4 of the
// leading PAN digits (BCD up to a separator 'D', a pad 'F' or the end).
std::string masked_card_data_hex(ByteView value);

}  // namespace tender::ctl
