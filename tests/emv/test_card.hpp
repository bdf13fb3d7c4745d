// TestCard: a small scripted EMV card for the kernel tests. Static answers come from its
// tables (FCIs, GPO response, records, GET DATA values); a few commands are computed the
// way a card computes them (VERIFY with a PIN try counter, GENERATE AC with the ATC and
// optionally a CDA signature, INTERNAL AUTHENTICATE). `on()` overrides any command by
// prefix, for error paths.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "emv/app_processing.hpp"
#include "emv/selection.hpp"
#include "emv/tal.hpp"
#include "emv/terminal_config.hpp"
#include "emv/ttl.hpp"
#include "tests/emv/kernel_test_support.hpp"

namespace tender::emv::kt {

// The order of the FCI table's AIDs: std::less<Bytes>'s order, byte by byte. Written out
// because std::less<Bytes> compares with a memcmp whose length g++ 12 cannot bound at -O2
// (a -Wstringop-overread false positive where the table's insert is inlined).
struct AidOrder {
  bool operator()(const Bytes& a, const Bytes& b) const {
    const std::size_t common = a.size() < b.size() ? a.size() : b.size();
    for (std::size_t i = 0; i < common; ++i) {
      if (a[i] != b[i]) return a[i] < b[i];
    }
    return a.size() < b.size();
  }
};

class TestCard final : public icc::Card {
 public:
  using Handler = std::function<Bytes(ByteView command)>;

  // ---- Static content ----
  Bytes atr_bytes = hex("3B 80 01 01");  // TD1 = 01: T=1
  std::optional<Bytes> pse_fci;           // SELECT 1PAY.SYS.DDF01; absent: 6A82
  std::map<Bytes, Bytes, AidOrder> fci;   // AID -> FCI for SELECT
  Bytes gpo_response = hex("80 06 1C00 08010100");  // format 1 AIP 1C00 (SDA? no) + AFL
  std::map<std::pair<int, int>, Bytes> records;      // (SFI, record) -> record
  std::map<Tag, Bytes> get_data;                      // GET DATA answers (value only)
  Bytes cdol1;  // the card's CDOL1/CDOL2 as it gave them (to find the UN for CDA)
  Bytes cdol2;

  // ---- Behaviour ----
  std::string pin = "1234";
  Byte pin_tries = 3;
  std::uint16_t atc = 0x0010;
  // The CID the card answers each GENERATE AC with, given P1 and the call number (1, 2).
  std::function<Byte(Byte p1, int call)> cid = [](Byte p1, int) { return static_cast<Byte>(p1 & 0xC0); };
  bool format2 = false;           // GENERATE AC in '77' without CDA
  bool corrupt_cda = false;       // flip a bit in the CDA transaction data hash
  Bytes iad = hex("06010A03A00000");
  icc::StatusWord external_authenticate_sw = 0x9000;
  icc::StatusWord script_sw = 0x9000;
  const RsaKey* icc_key = nullptr;        // DDA, CDA
  const RsaKey* icc_pin_key = nullptr;    // enciphered PIN (falls back to icc_key)
  Bytes icc_dynamic_number = hex("0102030405060708");

  void on(const Bytes& prefix, Bytes response, int times = -1) {
    on(prefix, [response](ByteView) { return response; }, times);
  }
  void on(const Bytes& prefix, Handler handler, int times = -1) {
    overrides_.push_back(Override{prefix, std::move(handler), times});
  }

  [[nodiscard]] std::size_t count(const Bytes& prefix) const {
    std::size_t n = 0;
    for (const Bytes& c : log)
      if (c.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), c.begin())) ++n;
    return n;
  }

  [[nodiscard]] Bytes atr() const override { return atr_bytes; }
  void reset() override {}

  Bytes process(ByteView command) override {
    log.emplace_back(command.begin(), command.end());
    for (auto it = overrides_.rbegin(); it != overrides_.rend(); ++it) {
      if (it->remaining == 0 || command.size() < it->prefix.size() ||
          !std::equal(it->prefix.begin(), it->prefix.end(), command.begin())) {
        continue;
      }
      if (it->remaining > 0) --it->remaining;
      return it->handler(command);
    }
    auto apdu = icc::parse_command(command);
    if (!apdu) return hex("6700");
    return answer(*apdu);
  }

  std::vector<Bytes> log;
  std::vector<Byte> generate_ac_p1;  // P1 of each GENERATE AC received

 private:
  struct Override {
    Bytes prefix;
    Handler handler;
    int remaining;
  };

  static Bytes sw(Bytes data, icc::StatusWord status) {
    data.push_back(static_cast<Byte>(status >> 8));
    data.push_back(static_cast<Byte>(status & 0xFF));
    return data;
  }

  Bytes answer(const icc::CommandApdu& c) {
    const int ins = c.ins;
    if (ins == 0xA4) return select(c);
    if (ins == 0xA8) {
      gpo_data_ = c.data.size() >= 2 ? Bytes(c.data.begin() + 2, c.data.end()) : Bytes{};
      return sw(gpo_response, 0x9000);
    }
    if (ins == 0xB2) {
      auto it = records.find({c.p2 >> 3, c.p1});
      return it == records.end() ? hex("6A83") : sw(it->second, 0x9000);
    }
    if (ins == 0xCA) return get(static_cast<Tag>((c.p1 << 8) | c.p2));
    if (ins == 0x84) {
      challenge_ = hex("A1A2A3A4A5A6A7A8");
      return sw(challenge_, 0x9000);
    }
    if (ins == 0x20) return verify(c);
    if (ins == 0x88) return internal_authenticate(c);
    if (ins == 0xAE) return generate_ac(c);
    if (ins == 0x82) return sw({}, external_authenticate_sw);
    return sw({}, script_sw);  // issuer script commands and anything else
  }

  Bytes select(const icc::CommandApdu& c) {
    if (ByteView{c.data}.size() == 14 && c.data[0] == '1') return pse_fci ? sw(*pse_fci, 0x9000) : hex("6A82");
    auto it = fci.find(c.data);
    return it == fci.end() ? hex("6A82") : sw(it->second, 0x9000);
  }

  Bytes get(Tag tag) {
    if (tag == 0x9F17) return sw(tlv(tag, Bytes{pin_tries}), 0x9000);
    if (tag == 0x9F36) return sw(tlv(tag, Bytes{static_cast<Byte>(atc >> 8), static_cast<Byte>(atc)}), 0x9000);
    auto it = get_data.find(tag);
    return it == get_data.end() ? hex("6A88") : sw(tlv(tag, it->second), 0x9000);
  }

  Bytes verify(const icc::CommandApdu& c) {
    if (pin_tries == 0) return hex("6983");
    Bytes block = c.data;
    if (c.p2 == 0x88) {
      const RsaKey* key = icc_pin_key ? icc_pin_key : icc_key;
      if (key == nullptr || c.data.size() != key->modulus.size()) return hex("6A80");
      const Bytes plain = key->private_op(c.data);
      if (plain[0] != 0x7F || !std::equal(challenge_.begin(), challenge_.end(), plain.begin() + 9)) {
        return hex("6A80");
      }
      block.assign(plain.begin() + 1, plain.begin() + 9);
    }
    if (block == FakePinPad::format2_block(pin)) {
      pin_tries = 3;
      return hex("9000");
    }
    --pin_tries;
    return sw({}, static_cast<icc::StatusWord>(0x63C0 | pin_tries));
  }

  Bytes internal_authenticate(const icc::CommandApdu& c) {
    if (icc_key == nullptr) return hex("6985");
    const Bytes dynamic = cat({Bytes{static_cast<Byte>(icc_dynamic_number.size())}, icc_dynamic_number});
    return sw(tlv(0x80, sign_dynamic_data(*icc_key, dynamic, c.data)), 0x9000);
  }

  // The Unpredictable Number inside the CDOL data, found with the card's own CDOL.
  Bytes unpredictable_number(const Bytes& cdol, ByteView data) {
    auto entries = parse_dol(cdol);
    if (!entries) return {};
    auto values = split_dol_data(*entries, data);
    if (!values) return {};
    for (const auto& [tag, value] : *values)
      if (tag == 0x9F37) return Bytes(value.begin(), value.end());
    return {};
  }

  Bytes generate_ac(const icc::CommandApdu& c) {
    ++ac_calls_;
    generate_ac_p1.push_back(c.p1);
    if (ac_calls_ == 1) cdol1_data_ = c.data;
    ++atc;
    const Byte cid_value = cid(c.p1, ac_calls_);
    const Bytes atc_bytes = {static_cast<Byte>(atc >> 8), static_cast<Byte>(atc)};
    const Bytes digest = sha1({c.data});
    const Bytes ac(digest.begin(), digest.begin() + 8);
    const bool cda = (c.p1 & 0x10) != 0 && (cid_value & 0xC0) != 0x00 && icc_key != nullptr;
    if (!cda && !format2) {
      return sw(tlv(0x80, cat({Bytes{cid_value}, atc_bytes, ac, iad})), 0x9000);
    }
    if (!cda) {
      return sw(tlv(0x77, cat({tlv(0x9F27, Bytes{cid_value}), tlv(0x9F36, atc_bytes), tlv(0x9F26, ac),
                               tlv(0x9F10, iad)})),
                0x9000);
    }
    const Bytes unsigned_objects = cat({tlv(0x9F27, Bytes{cid_value}), tlv(0x9F36, atc_bytes)});
    const Bytes trailing = tlv(0x9F10, iad);
    Bytes transaction_data = cat({gpo_data_, cdol1_data_});
    if (ac_calls_ == 2) transaction_data = cat({transaction_data, c.data});
    transaction_data = cat({transaction_data, unsigned_objects, trailing});
    Bytes hash = sha1({transaction_data});
    if (corrupt_cda) hash[0] ^= 0x01;
    const Bytes dynamic = cat({Bytes{static_cast<Byte>(icc_dynamic_number.size())}, icc_dynamic_number,
                               Bytes{cid_value}, ac, hash});
    const Bytes un = unpredictable_number(ac_calls_ == 1 ? cdol1 : cdol2, c.data);
    const Bytes sdad = sign_dynamic_data(*icc_key, dynamic, un);
    return sw(tlv(0x77, cat({unsigned_objects, tlv(0x9F4B, sdad), trailing})), 0x9000);
  }

  std::vector<Override> overrides_;
  Bytes gpo_data_;
  Bytes cdol1_data_;
  Bytes challenge_;
  int ac_calls_ = 0;
};

// A Visa-like card: one application, PAN 4761739001010010, records in SFI 1 (record 1
// for ODA), the ODA data for the chosen method signed with the test keys.
struct CardProfile {
  Bytes aid = hex("A0000000031010");
  std::string label = "VISA CREDIT";
  Byte priority = 0x01;
  Bytes pdol = hex("9F0206 5F2A02 9F3704");
  OdaMethod oda = OdaMethod::none;
  Byte aip1 = 0x1C;  // cardholder verification, terminal risk management, issuer authentication
  bool sda_tag_list = true;  // 9F4A = 82
  Bytes pan = hex("4761739001010010");
  Bytes track2 = hex("4761739001010010D30122010000000000000F");
  Bytes expiry = hex("301231");
  Bytes effective = hex("200101");
  Bytes auc = hex("FF00");
  Bytes issuer_country = hex("0840");
  Bytes app_version = hex("008C");
  Bytes application_currency = hex("0840");
  Bytes cvm_list = hex("00000000 00000000 4203 1E03 1F03");
  Bytes iac_denial = hex("0000000000");
  Bytes iac_online = hex("0000000000");
  Bytes iac_default = hex("0000000000");
  Bytes cdol1 = hex("9F0206 9F0306 9F1A02 9505 5F2A02 9A03 9C01 9F3704");
  Bytes cdol2 = hex("8A02 9F0206 9F0306 9F1A02 9505 5F2A02 9A03 9C01 9F3704 910A");
  Bytes certificate_expiry = hex("1230");
  std::map<Tag, Bytes> extra;  // more objects in record 2 (or replacements)
};

inline Bytes build_fci(const CardProfile& p) {
  return tlv(0x6F, cat({tlv(0x84, p.aid),
                        tlv(0xA5, cat({tlv(0x50, as_bytes(p.label)), tlv(0x87, Bytes{p.priority}),
                                       p.pdol.empty() ? Bytes{} : tlv(0x9F38, p.pdol)}))}));
}

inline void load(TestCard& card, const CardProfile& p) {
  Byte aip1 = p.aip1;
  if (p.oda == OdaMethod::sda) aip1 |= 0x40;
  if (p.oda == OdaMethod::dda) aip1 |= 0x20;
  if (p.oda == OdaMethod::cda) aip1 = static_cast<Byte>(aip1 | 0x21);
  const Bytes aip = {aip1, 0x00};
  card.fci[p.aid] = build_fci(p);
  card.gpo_response = tlv(0x80, cat({aip, hex("08010201 10010100")}));
  card.cdol1 = p.cdol1;
  card.cdol2 = p.cdol2;
  const Bytes record1 = cat({tlv(0x57, p.track2), tlv(0x5A, p.pan), tlv(0x5F24, p.expiry),
                             tlv(0x5F25, p.effective), tlv(0x5F28, p.issuer_country),
                             tlv(0x5F34, hex("01")), tlv(0x9F07, p.auc), tlv(0x8C, p.cdol1),
                             tlv(0x8D, p.cdol2), tlv(0x9F08, p.app_version),
                             tlv(0x9F42, p.application_currency), tlv(0x8E, p.cvm_list)});
  card.records[{1, 1}] = tlv(0x70, record1);
  std::map<Tag, Bytes> r2 = {{0x9F0D, p.iac_default}, {0x9F0E, p.iac_denial}, {0x9F0F, p.iac_online},
                             {0x9F14, hex("03")}, {0x9F23, hex("05")}};
  if (p.oda != OdaMethod::none) {
    const Bytes static_data = p.sda_tag_list ? cat({record1, aip}) : record1;
    const SignedKey issuer = certify(keys().ca, keys().issuer, 0x02, hex("476173FF"), p.certificate_expiry);
    r2[0x8F] = Bytes{kCaIndex};
    r2[0x90] = issuer.certificate;
    r2[0x92] = issuer.remainder;
    r2[0x9F32] = keys().issuer.exponent;
    if (p.sda_tag_list) r2[0x9F4A] = hex("82");
    if (p.oda == OdaMethod::sda) {
      r2[0x93] = sign_static_data(keys().issuer, hex("DAC1"), static_data);
    } else {
      const SignedKey icc = certify(keys().issuer, keys().icc, 0x04, cat({p.pan, hex("FFFF")}),
                                    p.certificate_expiry, static_data);
      r2[0x9F46] = icc.certificate;
      r2[0x9F47] = keys().icc.exponent;
      r2[0x9F48] = icc.remainder;
      r2[0x9F49] = hex("9F3704");
      card.icc_key = &keys().icc;
    }
  }
  for (const auto& [tag, value] : p.extra) r2[tag] = value;
  Bytes record2;
  for (const auto& [tag, value] : r2)
    if (!value.empty()) record2 = cat({record2, tlv(tag, value)});
  card.records[{1, 2}] = tlv(0x70, record2);
  card.records[{2, 1}] = tlv(0x70, tlv(0x9F6E, hex("20700000")));
}

inline TransactionInput purchase(std::int64_t minor_units = 1000) {
  TransactionInput in;
  in.amount = Money{minor_units, usd()};
  in.date = {0x25, 0x03, 0x15};
  in.time = {0x12, 0x00, 0x00};
  in.sequence_counter = 1;
  return in;
}

// A terminal with the test CA key and a TestCard in its reader, and a context read the
// way the kernel reads it up to Read Application Data (Book 3 10.2).
struct Rig {
  Rig() {
    config.capks.push_back(test_capk());
    reader.insert(&card);
  }
  Rig(const Rig&) = delete;
  Rig& operator=(const Rig&) = delete;

  // A context for `input`, with the unpredictable number 11223344.
  Context& begin(const TransactionInput& input = purchase()) {
    ctx = std::make_unique<Context>(config, input);
    EXPECT_TRUE(ctx->set_transaction_data().has_value());
    ctx->terminal.set(0x9F37, hex("11223344"));
    return *ctx;
  }

  // Loads `profile` into the card, selects its application, GPO, reads the records.
  Context& read(const CardProfile& profile, const TransactionInput& input = purchase()) {
    load(card, profile);
    return read_loaded(input);
  }

  Context& read_loaded(const TransactionInput& input = purchase()) {
    EXPECT_TRUE(reader.power_on().has_value());
    Context& c = begin(input);
    Selection selection;
    selection.outcome = SelectionOutcome::selected;
    const Bytes aid = card.fci.begin()->first;
    selection.candidate.adf_name = aid;
    selection.candidate.aid_index = match_terminal_aid(config, aid).value_or(0);
    auto fci = parse_fci(card.fci.begin()->second);
    EXPECT_TRUE(fci.has_value());
    if (fci) selection.fci = *fci;
    store_selected_application(c, selection);
    auto initiated = initiate_application_processing(c, ttl);
    EXPECT_TRUE(initiated.has_value() && *initiated == InitiateOutcome::ok);
    auto read = read_application_data(c, ttl);
    EXPECT_TRUE(read.has_value()) << (read ? "" : read.error().describe());
    return c;
  }

  TerminalConfig config = default_test_terminal();
  TestCard card;
  icc::SimReader reader;
  Ttl ttl{reader, TtlOptions{TransmissionProtocol::t1, {}}};
  std::unique_ptr<Context> ctx;
};

}  // namespace tender::emv::kt
