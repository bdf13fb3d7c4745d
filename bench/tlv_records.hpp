// Card responses the TLV benchmarks decode, shared by bench_tlv and the side-by-side
// program against openemv/emv-utils (tlv_vs_emv_utils.cpp), so both time the same
// bytes. Realistic in shape and size: the tags, lengths and nesting a contact Visa
// card returns; the PAN is the public Visa test card's.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/bytes.hpp"
#include "emv/tlv.hpp"

namespace tender::bench {

inline Bytes hex(std::string_view text) { return from_hex(text).value(); }

// READ RECORD, 242 bytes: the risk management and ODA record of a contact card
// (CDOL1/2, CVM list, IACs, dates, PAN, issuer public key certificate).
inline Bytes read_record_response() {
  using emv::append_tlv;
  Bytes body;
  append_tlv(body, 0x8C, hex("9F02069F03069F1A0295055F2A029A039C019F3704"));
  append_tlv(body, 0x8D, hex("8A029F02069F03069F1A0295055F2A029A039C019F3704"));
  append_tlv(body, 0x8E, hex("000000000000000042031E031F00"));
  append_tlv(body, 0x9F0D, hex("B060240000"));
  append_tlv(body, 0x9F0E, hex("0010000000"));
  append_tlv(body, 0x9F0F, hex("B060249800"));
  append_tlv(body, 0x5F25, hex("200101"));
  append_tlv(body, 0x5F24, hex("221231"));
  append_tlv(body, 0x5A, hex("4761739001010010"));
  append_tlv(body, 0x5F34, hex("01"));
  append_tlv(body, 0x9F07, hex("FF00"));
  append_tlv(body, 0x9F08, hex("0096"));
  append_tlv(body, 0x5F28, hex("0840"));
  append_tlv(body, 0x9F42, hex("0840"));
  append_tlv(body, 0x8F, hex("92"));
  Bytes certificate(96);
  for (std::size_t i = 0; i < certificate.size(); ++i) certificate[i] = static_cast<Byte>(0x10 + i);
  append_tlv(body, 0x90, certificate);
  append_tlv(body, 0x9F32, hex("03"));
  return emv::encode_tlv(0x70, body);
}

// SELECT of a Visa AID (Book 1 11.3.4): '6F' holding the DF name and the proprietary
// template 'A5' (label, priority, PDOL, languages, code table, preferred name), which
// holds the issuer discretionary data 'BF0C'. Three levels, 108 bytes.
inline Bytes fci_response() {
  using emv::append_tlv;
  Bytes discretionary;
  append_tlv(discretionary, 0x9F5A, hex("3108400840"));  // application program id
  append_tlv(discretionary, 0x9F0A, hex("0001050100000000"));  // ASRPD
  append_tlv(discretionary, 0x9F4D, hex("0B0A"));  // log entry
  Bytes proprietary;
  append_tlv(proprietary, 0x50, as_bytes("VISA CREDIT"));
  append_tlv(proprietary, 0x87, hex("01"));
  append_tlv(proprietary, 0x9F38, hex("9F66049F02069F03069F1A0295055F2A029A039C019F3704"));
  append_tlv(proprietary, 0x5F2D, as_bytes("enfr"));
  append_tlv(proprietary, 0x9F11, hex("01"));
  append_tlv(proprietary, 0x9F12, as_bytes("VISA CREDIT"));
  append_tlv(proprietary, 0xBF0C, discretionary);
  Bytes fci;
  append_tlv(fci, 0x84, hex("A0000000031010"));
  append_tlv(fci, 0xA5, proprietary);
  return emv::encode_tlv(0x6F, fci);
}

// GET PROCESSING OPTIONS, format 2 ('77', Book 3 6.5.8.4) as a card returning more
// than AIP and AFL sends it: track 2 equivalent data, cardholder name, the ATC and
// cryptogram data. 101 bytes.
inline Bytes gpo_format2_response() {
  using emv::append_tlv;
  Bytes body;
  append_tlv(body, 0x82, hex("2000"));
  append_tlv(body, 0x94, hex("0801010010010301"));
  append_tlv(body, 0x57, hex("4761739001010010D22122010000000000000F"));
  append_tlv(body, 0x5F20, as_bytes("CARDHOLDER/VISA"));
  append_tlv(body, 0x5F34, hex("01"));
  append_tlv(body, 0x9F10, hex("06011203A00000"));
  append_tlv(body, 0x9F26, hex("1A2B3C4D5E6F7081"));
  append_tlv(body, 0x9F27, hex("80"));
  append_tlv(body, 0x9F36, hex("0001"));
  append_tlv(body, 0x9F6C, hex("1600"));
  append_tlv(body, 0x9F6E, hex("20700000"));
  return emv::encode_tlv(0x77, body);
}

}  // namespace tender::bench
