// The BER-TLV inputs of tlv_test.cpp, shared with tlv_view_test.cpp so the view
// decoder is checked against the tree decoder on every one of them.
#pragma once

#include <string>
#include <vector>

#include "emv/tlv.hpp"
#include "tests/test_hex.hpp"

namespace tender::emv::test_vectors {

using tender::test::hex;

// GET PROCESSING OPTIONS response, format 2: AIP 1980, AFL of two entries.
inline const Bytes kGpoResponse = hex("77 0E 82 02 19 80 94 08 08 01 01 00 10 01 03 01");

// READ RECORD response with the public Visa test card PAN 4761739001010010.
inline const Bytes kRecord = hex(
    "70 3A"
    " 5A 08 4761739001010010"
    " 5F24 03 221231"
    " 57 12 4761739001010010D221220100000000000F"
    " 5F20 0F 43415244484F4C4445522F56495341"  // "CARDHOLDER/VISA"
    " 5F34 01 01");

// SELECT response: FCI template -> proprietary template -> issuer discretionary
// data -> application template -> ADF name; with 3-byte tags inside.
inline const Bytes kNested = hex(
    "6F 1F"
    " 84 07 A0000000031010"
    " A5 14"
    "  50 04 56495341"
    "  BF0C 0B"
    "   61 09 4F 07 A0000000031010");

// `levels` templates `tag` around a one-byte primitive.
inline Bytes wrap(std::size_t levels, Tag tag) {
  Bytes data = hex("5A 01 12");
  for (std::size_t i = 0; i < levels; ++i) data = encode_tlv(tag, data);
  return data;
}

struct Vector {
  std::string name;
  Bytes data;
  DecodeOptions options{};
};

// Every input tlv_test decodes, well-formed or not, with the options it uses.
inline std::vector<Vector> all() {
  const DecodeOptions strict{.max_depth = 8, .allow_padding = false};
  std::vector<Vector> out{
      {"gpo format 2", kGpoResponse},
      {"read record", kRecord},
      {"nested fci", kNested},
      {"pse record", hex("70 1C 61 0C 4F 07 A0000000031010 87 01 01 61 0C 4F 07 A0000000032010 87 01 02")},
      {"gpo format 1", hex("80 0A 5C 00 08 01 01 00 10 01 01 01")},
      {"multi-byte tags", hex("9F02 06 000000001000 9F8101 02 ABCD 5F2A 02 0840")},
      {"length 200", encode_tlv(0x90, Bytes(200, 0x07))},
      {"length 300", encode_tlv(0x90, Bytes(300, 0x07))},
      {"empty", Bytes{}},
      {"empty template", hex("70 00 9F02 00")},
      {"padding around", hex("00 FF 00 5A 02 1234 00 00 FF 9F02 01 99 FF FF 00")},
      {"padding inside", hex("70 0B 00 5A 02 1234 00 00 5F34 01 01")},
      {"only padding", hex("00 00 FF 00")},
      {"strict zero padding", hex("5A 02 1234 00"), strict},
      {"strict FF tag", hex("FF8101 03 5A 01 77"), strict},
      {"eight levels", wrap(7, 0x70)},
      {"nine levels", wrap(8, 0x70)},
      {"nine levels, limit 9", wrap(8, 0x70), DecodeOptions{.max_depth = 9, .allow_padding = true}},
      {"empty inside, limit 2", encode_tlv(0x70, encode_tlv(0x70, {})), DecodeOptions{.max_depth = 2, .allow_padding = true}},
      {"empty inside, limit 1", encode_tlv(0x70, encode_tlv(0x70, {})), DecodeOptions{.max_depth = 1, .allow_padding = true}},
      {"depth bomb", wrap(100, 0x70)},
      {"dol-like list", hex("9F02 06 000000001000 9F03 06 000000000000 9F1A 02 0840 95 05 0000000000"
                            " 5F2A 02 0840 9A 03 240115 9C 01 00 9F37 04 12345678")},
      {"value cut", hex("9F02 06 00000000")},
      {"pan cut", hex("5A 08 4761739001")},
      {"child past template", hex("9F02 01 00 70 04 5A 08 4761")},
      {"indefinite length", hex("70 80 5A 01 12 00 00")},
      {"four length bytes", hex("5A 84 00 00 00 01 12")},
      {"five-byte tag", hex("9F 81 81 81 01 01 00")},
      {"tag only", hex("5A")},
      {"two-byte tag only", hex("9F02")},
      {"tag only in template", hex("70 02 9F02")},
      {"length cut", hex("9F02 81")},
  };
  Bytes long_one = encode_tlv(0x9F4B, Bytes(200, 0x42));
  append_tlv(long_one, 0x70, encode_tlv(0x90, Bytes(300, 0x24)));
  out.push_back({"long lengths", long_one});
  Bytes cert_record = encode_tlv(0x90, Bytes(249, 0x5C));
  append_tlv(cert_record, 0x9F32, hex("03"));
  out.push_back({"long template", encode_tlv(0x70, cert_record)});
  Bytes three = encode_tlv(0x9F4B, Bytes(200, 0x11));
  append_tlv(three, 0x90, Bytes(300, 0x22));
  append_tlv(three, 0x9F8101, hex("01"));
  out.push_back({"three long", three});
  for (std::size_t size : {0U, 127U, 128U, 255U, 256U, 65535U, 65536U}) {
    out.push_back({"5A of " + std::to_string(size), encode_tlv(0x5A, Bytes(size, 0xAB))});
  }
  return out;
}

}  // namespace tender::emv::test_vectors
