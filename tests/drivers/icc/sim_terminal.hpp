// A few terminal steps for the virtual card tests, written directly from EMV Book 3
// (no kernel code): send a command, read the AFL's records, build DOL data from a
// fixed set of terminal values, and split GENERATE AC responses.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string_view>

#include "drivers/icc/apdu.hpp"
#include "drivers/icc/sim/builtin.hpp"
#include "emv/dol.hpp"
#include "emv/tlv.hpp"
#include "tests/test_hex.hpp"

namespace tender::icc::sim::test {

using tender::test::hex;

// Deterministic "random" bytes: 01 02 03 ... continuing across calls.
inline VirtualCard::RandomSource counting_random() {
  return [n = Byte{0}](std::span<Byte> out) mutable {
    for (Byte& b : out) b = ++n;
    return true;
  };
}

inline VirtualCard builtin_card(std::string_view name) {
  auto card = make_builtin_card(name, counting_random());
  if (!card) {
    ADD_FAILURE() << name << ": " << card.error().describe();
    std::abort();
  }
  return std::move(*card);
}

// One command, one answer, as the card gives it (under T=0: procedure bytes included).
inline ResponseApdu send_raw(Card& card, ByteView command) {
  auto r = parse_response(card.process(command));
  EXPECT_TRUE(r);
  return r ? std::move(*r) : ResponseApdu{};
}
inline ResponseApdu send_raw(Card& card, std::string_view command_hex) { return send_raw(card, hex(command_hex)); }

// Like a terminal's transport layer (Book 1 9.3): 61xx fetches the data with GET
// RESPONSE, 6Cxx sends the command again with the length the card asked for.
inline ResponseApdu send(Card& card, ByteView command) {
  ResponseApdu r = send_raw(card, command);
  if (r.sw1() == 0x6C && command.size() >= 4) {  // a case 2 command: header and Le
    Bytes again(command.begin(), command.begin() + 4);
    again.push_back(r.sw2());
    r = send_raw(card, again);
  }
  if (r.sw1() == 0x61) r = send_raw(card, Bytes{0x00, 0xC0, 0x00, 0x00, r.sw2()});
  return r;
}
inline ResponseApdu send(Card& card, std::string_view command_hex) { return send(card, hex(command_hex)); }

inline Bytes command(Byte cla, Byte ins, Byte p1, Byte p2, ByteView data, std::optional<std::uint16_t> le = 0x100) {
  CommandApdu c{cla, ins, p1, p2, Bytes(data.begin(), data.end()), le};
  return *c.encode();
}

// The terminal's values for DOLs and the AC input (country and currency 0840, USD 10.00).
struct TerminalValues {
  std::map<emv::Tag, Bytes> values{
      {0x9F02, hex("000000001000")}, {0x9F03, hex("000000000000")}, {0x9F1A, hex("0840")},
      {0x95, hex("0000000000")},     {0x5F2A, hex("0840")},         {0x9A, hex("261121")},
      {0x9C, hex("00")},             {0x9F37, hex("11223344")},     {0x9F35, hex("22")},
      {0x9F45, hex("0000")},         {0x9F4C, hex("0000000000000000")}, {0x9F34, hex("3F0000")},
      {0x8A, hex("3030")}};

  [[nodiscard]] Bytes dol_data(ByteView dol) const {
    auto entries = emv::parse_dol(dol);
    EXPECT_TRUE(entries);
    return emv::build_dol_data(*entries, [this](emv::Tag t) -> std::optional<ByteView> {
      auto it = values.find(t);
      return it == values.end() ? std::nullopt : std::optional<ByteView>(it->second);
    });
  }
};

// Every primitive object of a TLV buffer, flattened (first occurrence wins).
inline void collect(std::span<const emv::TlvNode> nodes, std::map<emv::Tag, Bytes>& out) {
  for (const auto& n : nodes) {
    if (n.constructed()) collect(n.children, out);
    else out.emplace(n.tag, Bytes(n.value.begin(), n.value.end()));
  }
}
inline std::map<emv::Tag, Bytes> objects(const Bytes& tlv) {
  std::map<emv::Tag, Bytes> out;
  auto nodes = emv::decode(tlv);
  EXPECT_TRUE(nodes);
  if (nodes) collect(*nodes, out);
  return out;
}

struct Gpo {
  Bytes aip;
  Bytes afl;
};

// SELECT by AID, GET PROCESSING OPTIONS with the PDOL data; expects 9000 for both.
inline Gpo select_and_gpo(Card& card, std::string_view aid_hex, const TerminalValues& terminal = {}) {
  const ResponseApdu fci = send(card, command(0x00, 0xA4, 0x04, 0x00, hex(aid_hex)));
  EXPECT_EQ(fci.sw, kSwOk);
  const auto f = objects(fci.data);
  const Bytes pdol = f.contains(0x9F38) ? f.at(0x9F38) : Bytes{};
  const Bytes gpo_data = emv::encode_tlv(0x83, terminal.dol_data(pdol));
  const ResponseApdu r = send(card, command(0x80, 0xA8, 0x00, 0x00, gpo_data));
  EXPECT_EQ(r.sw, kSwOk);
  Gpo g;
  if (!r.data.empty() && r.data[0] == 0x80) {
    auto nodes = emv::decode(r.data);
    const ByteView v = (*nodes)[0].value;
    g.aip.assign(v.begin(), v.begin() + 2);
    g.afl.assign(v.begin() + 2, v.end());
  } else {
    const auto o = objects(r.data);
    g.aip = o.at(0x82);
    g.afl = o.at(0x94);
  }
  return g;
}

struct RecordRead {
  std::map<emv::Tag, Bytes> data;
  Bytes static_data;  // Book 3 10.3, computed here independently of the card
};

inline RecordRead read_records(Card& card, const Bytes& afl) {
  RecordRead out;
  for (std::size_t i = 0; i + 4 <= afl.size(); i += 4) {
    const Byte sfi = static_cast<Byte>(afl[i] >> 3);
    for (int n = afl[i + 1]; n <= afl[i + 2]; ++n) {
      const ResponseApdu r = send(card, command(0x00, 0xB2, static_cast<Byte>(n), static_cast<Byte>((sfi << 3) | 4), {}));
      EXPECT_EQ(r.sw, kSwOk) << "SFI " << int(sfi) << " record " << n;
      if (n < afl[i + 1] + afl[i + 3]) {
        if (sfi <= 10) {
          auto nodes = emv::decode(r.data);
          out.static_data.insert(out.static_data.end(), (*nodes)[0].value.begin(), (*nodes)[0].value.end());
        } else {
          out.static_data.insert(out.static_data.end(), r.data.begin(), r.data.end());
        }
      }
      for (auto& [tag, value] : objects(r.data)) out.data.emplace(tag, value);
    }
  }
  return out;
}

}  // namespace tender::icc::sim::test
