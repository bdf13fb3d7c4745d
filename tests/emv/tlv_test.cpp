#include "emv/tlv.hpp"

#include <gtest/gtest.h>

#include "tests/emv/tlv_vectors.hpp"
#include "tests/test_hex.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace tender::emv {
namespace {

using tender::test::hex;

std::string hex_of(ByteView bytes) { return to_hex(bytes); }

using test_vectors::kGpoResponse;
using test_vectors::kNested;
using test_vectors::kRecord;
using test_vectors::wrap;

TEST(TlvTag, ToHexUsesAsManyBytesAsTheTagHas) {
  EXPECT_EQ(tag_to_hex(0x70), "70");
  EXPECT_EQ(tag_to_hex(0x9F02), "9F02");
  EXPECT_EQ(tag_to_hex(0x5F2A), "5F2A");
  EXPECT_EQ(tag_to_hex(0xBF0C), "BF0C");
  EXPECT_EQ(tag_to_hex(0x9F8101), "9F8101");
  EXPECT_EQ(tag_to_hex(0xDF818101), "DF818101");
}

TEST(TlvTag, SizeAndConstructedBitFollowTheFirstByte) {
  EXPECT_EQ(tag_size(0x5A), 1U);
  EXPECT_EQ(tag_size(0x9F02), 2U);
  EXPECT_EQ(tag_size(0x9F8101), 3U);
  EXPECT_EQ(tag_size(0xDF818101), 4U);
  EXPECT_TRUE(is_constructed(0x70));
  EXPECT_TRUE(is_constructed(0x61));
  EXPECT_TRUE(is_constructed(0xA5));
  EXPECT_TRUE(is_constructed(0xBF0C));
  EXPECT_TRUE(is_constructed(0xFF8101));
  EXPECT_FALSE(is_constructed(0x80));  // format 1 response: primitive, despite being a template
  EXPECT_FALSE(is_constructed(0x9F02));
  EXPECT_FALSE(is_constructed(0x5F2A));
  EXPECT_FALSE(is_constructed(0x9F8101));
}

TEST(TlvTag, FromHexAcceptsOneWellFormedTag) {
  const std::pair<std::string_view, Tag> cases[] = {
      {"70", 0x70},         {"9f02", 0x9F02},     {"5F2A", 0x5F2A},
      {"BF0C", 0xBF0C},     {"9F8101", 0x9F8101}, {"DF818101", 0xDF818101},
  };
  for (const auto& [text, tag] : cases) {
    auto r = tag_from_hex(text);
    ASSERT_TRUE(r) << text << ": " << r.error().describe();
    EXPECT_EQ(*r, tag);
    EXPECT_EQ(tag_from_hex(tag_to_hex(tag)).value(), tag);
  }
}

TEST(TlvTag, FromHexRejectsAnythingElseAsMalformed) {
  for (std::string_view bad : {"", "9", "9F", "9F81", "9F0201", "7001", "00", "9F8181818101",
                               "DF81818181", "XY", "9F 02", "0x9F02"}) {
    auto r = tag_from_hex(bad);
    ASSERT_FALSE(r) << "accepted '" << bad << "'";
    EXPECT_EQ(r.error().code, Errc::malformed) << bad;
  }
}

TEST(TlvReadTag, ReadsOneTwoThreeAndFourByteTagsAndAdvances) {
  const Bytes data = hex("5A 9F02 9F8101 DF818101 AA");
  ByteView in{data};
  EXPECT_EQ(read_tag(in).value(), 0x5AU);
  EXPECT_EQ(read_tag(in).value(), 0x9F02U);
  EXPECT_EQ(read_tag(in).value(), 0x9F8101U);
  EXPECT_EQ(read_tag(in).value(), 0xDF818101U);
  ASSERT_EQ(in.size(), 1U);
  EXPECT_EQ(in[0], 0xAA);
}

TEST(TlvReadTag, FiveByteTagIsMalformed) {
  const Bytes data = hex("9F 81 81 81 01 01 00");
  ByteView in{data};
  auto r = read_tag(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
  EXPECT_EQ(in.size(), data.size()) << "a failed read must not advance";
}

TEST(TlvReadTag, TagCutOffIsTruncated) {
  for (std::string_view text : {"", "9F", "9F81", "DF8181"}) {
    const Bytes data = hex(text);
    ByteView in{data};
    auto r = read_tag(in);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, Errc::truncated) << text;
    EXPECT_EQ(in.size(), data.size());
  }
}

TEST(TlvReadTag, ZeroByteIsNotATag) {
  const Bytes data = hex("00 01");
  ByteView in{data};
  auto r = read_tag(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
}

TEST(TlvReadLength, ShortAndLongForms) {
  const std::pair<std::string_view, std::size_t> cases[] = {
      {"00", 0},          {"05", 5},          {"7F", 127},           {"81 80", 128},
      {"81 C8", 200},     {"81 FF", 255},     {"82 01 2C", 300},     {"82 FF FF", 65535},
      {"83 01 00 00", 65536}, {"83 FF FF FF", 0xFFFFFF},
      {"81 05", 5},  // non-minimal, seen from cards: accepted
  };
  for (const auto& [text, length] : cases) {
    Bytes data = hex(text);
    data.push_back(0xEE);
    ByteView in{data};
    auto r = read_length(in);
    ASSERT_TRUE(r) << text << ": " << r.error().describe();
    EXPECT_EQ(*r, length) << text;
    ASSERT_EQ(in.size(), 1U) << text;
  }
}

TEST(TlvReadLength, IndefiniteAndOverLongFormsAreMalformed) {
  for (std::string_view text : {"80", "84 00 00 01 00", "85 00 00 00 00 01", "FF"}) {
    const Bytes data = hex(text);
    ByteView in{data};
    auto r = read_length(in);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, Errc::malformed) << text;
    EXPECT_EQ(in.size(), data.size());
  }
}

TEST(TlvReadLength, MissingOrCutOffLengthIsTruncated) {
  for (std::string_view text : {"", "81", "82 01", "83 01 00"}) {
    const Bytes data = hex(text);
    ByteView in{data};
    auto r = read_length(in);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, Errc::truncated) << text;
  }
}

TEST(TlvDecode, GetProcessingOptionsResponse) {
  auto r = decode(kGpoResponse);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->size(), 1U);
  const TlvNode& rmtf2 = r->front();
  EXPECT_EQ(rmtf2.tag, 0x77U);
  EXPECT_TRUE(rmtf2.constructed());
  EXPECT_EQ(rmtf2.value.size(), 14U);
  ASSERT_EQ(rmtf2.children.size(), 2U);
  EXPECT_EQ(rmtf2.children[0].tag, 0x82U);
  EXPECT_EQ(hex_of(rmtf2.children[0].value), "1980");
  EXPECT_EQ(rmtf2.children[1].tag, 0x94U);
  EXPECT_EQ(hex_of(rmtf2.children[1].value), "0801010010010301");
  EXPECT_TRUE(rmtf2.children[1].children.empty());
}

TEST(TlvDecode, ReadRecordWithPanExpiryAndTrack2) {
  auto r = decode(kRecord);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->size(), 1U);
  const auto& record = r->front();
  EXPECT_EQ(record.tag, 0x70U);
  ASSERT_EQ(record.children.size(), 5U);

  const TlvNode* pan = find(*r, 0x5A);
  ASSERT_NE(pan, nullptr);
  EXPECT_EQ(hex_of(pan->value), "4761739001010010");
  const TlvNode* expiry = find(*r, 0x5F24);
  ASSERT_NE(expiry, nullptr);
  EXPECT_EQ(hex_of(expiry->value), "221231");
  const TlvNode* track2 = find(*r, 0x57);
  ASSERT_NE(track2, nullptr);
  EXPECT_EQ(hex_of(track2->value), "4761739001010010D221220100000000000F");
  const TlvNode* name = find(*r, 0x5F20);
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(std::string(name->value.begin(), name->value.end()), "CARDHOLDER/VISA");
  EXPECT_EQ(find(*r, 0x9F26), nullptr);
}

TEST(TlvDecode, ValuesAreViewsIntoTheInput) {
  auto r = decode(kRecord);
  ASSERT_TRUE(r);
  const TlvNode* pan = find(*r, 0x5A);
  ASSERT_NE(pan, nullptr);
  EXPECT_EQ(pan->value.data(), kRecord.data() + 4);
  EXPECT_EQ(r->front().value.data(), kRecord.data() + 2);
}

TEST(TlvDecode, NestedTemplatesAreDecodedRecursively) {
  auto r = decode(kNested);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->size(), 1U);
  const auto& fci = r->front();
  EXPECT_EQ(fci.tag, 0x6FU);
  ASSERT_EQ(fci.children.size(), 2U);
  EXPECT_EQ(fci.children[0].tag, 0x84U);
  const auto& proprietary = fci.children[1];
  EXPECT_EQ(proprietary.tag, 0xA5U);
  ASSERT_EQ(proprietary.children.size(), 2U);
  const auto& discretionary = proprietary.children[1];
  EXPECT_EQ(discretionary.tag, 0xBF0CU);
  ASSERT_EQ(discretionary.children.size(), 1U);
  EXPECT_EQ(discretionary.children[0].tag, 0x61U);

  const TlvNode* adf = find(*r, 0x4F);
  ASSERT_NE(adf, nullptr);
  EXPECT_EQ(hex_of(adf->value), "A0000000031010");
  EXPECT_EQ(find(*r, 0x61), &discretionary.children[0]);
}

TEST(TlvDecode, RecordHoldingApplicationTemplates) {
  // A PSE record: 70 -> 61 -> 4F, two applications.
  const Bytes data = hex(
      "70 1C"
      " 61 0C 4F 07 A0000000031010 87 01 01"
      " 61 0C 4F 07 A0000000032010 87 01 02");
  auto r = decode(data);
  ASSERT_TRUE(r) << r.error().describe();
  const auto& record = r->front();
  ASSERT_EQ(record.children.size(), 2U);
  EXPECT_EQ(hex_of(record.children[1].children[0].value), "A0000000032010");
  // Depth first, in encoding order: the first application's ADF name.
  const TlvNode* first = find(*r, 0x4F);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(hex_of(first->value), "A0000000031010");
}

TEST(TlvDecode, PrimitiveValueIsNotParsedAsTlv) {
  // Format 1 response (tag 80): AIP then AFL, no inner tags, however they look.
  const Bytes data = hex("80 0A 5C 00 08 01 01 00 10 01 01 01");
  auto r = decode(data);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_FALSE(r->front().constructed());
  EXPECT_TRUE(r->front().children.empty());
  EXPECT_EQ(r->front().value.size(), 10U);
}

TEST(TlvDecode, MultiByteTagsAtTopLevel) {
  const Bytes data = hex("9F02 06 000000001000 9F8101 02 ABCD 5F2A 02 0840");
  auto r = decode(data);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->size(), 3U);
  EXPECT_EQ((*r)[0].tag, 0x9F02U);
  EXPECT_EQ(hex_of((*r)[0].value), "000000001000");
  EXPECT_EQ((*r)[1].tag, 0x9F8101U);
  EXPECT_EQ(hex_of((*r)[1].value), "ABCD");
  EXPECT_EQ((*r)[2].tag, 0x5F2AU);
}

TEST(TlvDecode, LongLengths200And300) {
  for (std::size_t size : {200U, 300U}) {
    Bytes value(size);
    for (std::size_t i = 0; i < size; ++i) value[i] = static_cast<Byte>(i * 7);
    const Bytes encoded = encode_tlv(0x90, value);
    if (size == 200) {
      EXPECT_EQ(hex_of(ByteView{encoded}.first(3)), "9081C8");
    } else {
      EXPECT_EQ(hex_of(ByteView{encoded}.first(4)), "9082012C");
    }
    auto r = decode(encoded);
    ASSERT_TRUE(r) << r.error().describe();
    ASSERT_EQ(r->size(), 1U);
    EXPECT_TRUE(std::equal(value.begin(), value.end(), (*r)[0].value.begin(), (*r)[0].value.end()));
    EXPECT_EQ(encode(*r), encoded);
  }
}

TEST(TlvDecode, LongLengthTemplateAroundLongValue) {
  Bytes cert(249, 0x5C);
  Bytes inner = encode_tlv(0x90, cert);
  append_tlv(inner, 0x9F32, hex("03"));
  const Bytes record = encode_tlv(0x70, inner);
  EXPECT_EQ(hex_of(ByteView{record}.first(4)), "70820100");  // 3 + 249 + 4 = 256
  auto r = decode(record);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->front().children.size(), 2U);
  EXPECT_EQ(r->front().children[0].value.size(), 249U);
  EXPECT_EQ(encode(*r), record);
}

template <class T>
concept DecodableFrom = requires(T&& data) { decode(std::forward<T>(data)); };

TEST(TlvDecode, TemporaryBuffersAreRefusedAtCompileTime) {
  static_assert(DecodableFrom<const Bytes&>);
  static_assert(DecodableFrom<Bytes&>);
  static_assert(DecodableFrom<ByteView>);
  static_assert(!DecodableFrom<Bytes>, "values would dangle");
  static_assert(!DecodableFrom<Bytes&&>, "values would dangle");
}

TEST(TlvDecode, EmptyInputAndEmptyTemplate) {
  auto empty = decode(ByteView{});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());

  const Bytes data = hex("70 00 9F02 00");
  auto r = decode(data);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->size(), 2U);
  EXPECT_TRUE((*r)[0].children.empty());
  EXPECT_TRUE((*r)[1].value.empty());
  EXPECT_EQ(encode(*r), data);
}

TEST(TlvPadding, ZeroAndFfBeforeBetweenAndAfterObjectsAreSkipped) {
  const Bytes data = hex("00 FF 00 5A 02 1234 00 00 FF 9F02 01 99 FF FF 00");
  auto r = decode(data);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->size(), 2U);
  EXPECT_EQ((*r)[0].tag, 0x5AU);
  EXPECT_EQ(hex_of((*r)[0].value), "1234");
  EXPECT_EQ((*r)[1].tag, 0x9F02U);
  EXPECT_EQ(hex_of(encode(*r)), "5A0212349F020199");
}

TEST(TlvPadding, PaddingInsideATemplateIsSkipped) {
  const Bytes data = hex("70 0B 00 5A 02 1234 00 00 5F34 01 01");
  auto r = decode(data);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->front().children.size(), 2U);
  EXPECT_EQ(r->front().value.size(), 11U);  // the whole contents, padding included
  // Re-encoding from the children drops the padding.
  EXPECT_EQ(hex_of(encode(*r)), "70085A0212345F340101");
}

TEST(TlvPadding, OnlyPaddingDecodesToNothing) {
  const Bytes data = hex("00 00 FF 00");
  auto r = decode(data);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

TEST(TlvPadding, StrictModeRejectsZeroPaddingAndReadsFfAsATag) {
  const DecodeOptions strict{.max_depth = 8, .allow_padding = false};
  const Bytes zero_padded = hex("5A 02 1234 00");
  auto zero = decode(zero_padded, strict);
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, Errc::malformed);
  EXPECT_NE(zero.error().message.find("offset 4"), std::string::npos) << zero.error().message;

  // Without padding a leading FF starts a (private, constructed) multi-byte tag.
  const Bytes ff_tag = hex("FF8101 03 5A 01 77");
  auto ff = decode(ff_tag, strict);
  ASSERT_TRUE(ff) << ff.error().describe();
  ASSERT_EQ(ff->size(), 1U);
  EXPECT_EQ(ff->front().tag, 0xFF8101U);
  ASSERT_EQ(ff->front().children.size(), 1U);
}

// Every prefix of a valid encoding: none may crash or read past its end (ASan
// checks that); those that end on a top-level object boundary decode to the
// objects so far, all others fail as truncated.
void check_every_prefix(const Bytes& full, const std::vector<std::size_t>& boundaries) {
  for (std::size_t n = 0; n <= full.size(); ++n) {
    // A copy of exactly n bytes, so reading byte n is a heap overflow ASan reports.
    const Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    auto r = decode(prefix);
    std::size_t complete = 0;
    bool on_boundary = n == 0;
    for (std::size_t b : boundaries) {
      if (b <= n) ++complete;
      if (b == n) on_boundary = true;
    }
    if (on_boundary) {
      ASSERT_TRUE(r) << "prefix " << n << ": " << r.error().describe();
      EXPECT_EQ(r->size(), complete) << "prefix " << n;
    } else {
      ASSERT_FALSE(r) << "prefix " << n << " of " << full.size() << " decoded";
      EXPECT_EQ(r.error().code, Errc::truncated) << "prefix " << n << ": " << r.error().describe();
    }
  }
}

TEST(TlvTruncation, EveryPrefixOfARecordFailsCleanly) {
  check_every_prefix(kRecord, {kRecord.size()});
}

TEST(TlvTruncation, EveryPrefixOfNestedTemplatesFailsCleanly) {
  check_every_prefix(kNested, {kNested.size()});
}

TEST(TlvTruncation, EveryPrefixOfASequenceWithLongLengths) {
  Bytes data = encode_tlv(0x9F4B, Bytes(200, 0x11));  // 9F4B 81 C8 ...
  const std::size_t first = data.size();
  append_tlv(data, 0x90, Bytes(300, 0x22));  // 90 82 01 2C ...
  const std::size_t second = data.size();
  append_tlv(data, 0x9F8101, hex("01"));
  check_every_prefix(data, {first, second, data.size()});
}

TEST(TlvErrors, LengthPastTheEndIsTruncatedAndQuotesNoValueBytes) {
  const Bytes data = hex("9F02 06 00000000");  // 4 of 6 value bytes
  auto r = decode(data);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::truncated);
  EXPECT_NE(r.error().message.find("9F02"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("offset 0"), std::string::npos) << r.error().message;

  const Bytes pan = hex("5A 08 4761739001");
  auto p = decode(pan);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Errc::truncated);
  EXPECT_EQ(p.error().message.find("4761"), std::string::npos) << p.error().message;
}

TEST(TlvErrors, ChildRunningPastItsTemplateIsTruncatedWithTheAbsoluteOffset) {
  // The template's length is fine, the child's is not: 5A claims 8 bytes, 2 remain.
  const Bytes data = hex("9F02 01 00 70 04 5A 08 4761");
  auto r = decode(data);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::truncated);
  EXPECT_NE(r.error().message.find("tag 5A at offset 6"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("4761"), std::string::npos);
}

TEST(TlvErrors, IndefiniteLengthIsMalformed) {
  const Bytes data = hex("70 80 5A 01 12 00 00");
  auto r = decode(data);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
  EXPECT_NE(r.error().message.find("indefinite"), std::string::npos);
}

TEST(TlvErrors, FourByteLengthFieldIsMalformed) {
  const Bytes data = hex("5A 84 00 00 00 01 12");
  auto r = decode(data);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
}

TEST(TlvErrors, FiveByteTagIsMalformed) {
  const Bytes data = hex("9F 81 81 81 01 01 00");
  auto r = decode(data);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
}

TEST(TlvErrors, TagWithoutLengthIsTruncated) {
  for (std::string_view text : {"5A", "9F02", "70 02 9F02", "9F02 81"}) {
    const Bytes data = hex(text);
    auto r = decode(data);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, Errc::truncated) << text;
  }
}

TEST(TlvDepth, DepthBombIsRejected) {
  const Bytes bomb = wrap(100, 0x70);
  auto r = decode(bomb);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::malformed);
  EXPECT_NE(r.error().message.find("nested"), std::string::npos) << r.error().message;
}

TEST(TlvDepth, MaxDepthCountsTheTopLevelAsOne) {
  // 7 templates around a primitive: 8 levels, the default limit.
  const Bytes eight_levels = wrap(7, 0x70);
  auto at_limit = decode(eight_levels);
  ASSERT_TRUE(at_limit) << at_limit.error().describe();
  const TlvNode* innermost = find(*at_limit, 0x5A);
  ASSERT_NE(innermost, nullptr);
  EXPECT_EQ(hex_of(innermost->value), "12");

  const Bytes nine_levels = wrap(8, 0x70);
  auto over = decode(nine_levels);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, Errc::malformed);

  const DecodeOptions deeper{.max_depth = 9, .allow_padding = true};
  EXPECT_TRUE(decode(nine_levels, deeper));

  // An empty template at the limit has nothing beneath it to reject.
  const Bytes empty_inside = encode_tlv(0x70, encode_tlv(0x70, {}));
  const DecodeOptions two{.max_depth = 2, .allow_padding = true};
  EXPECT_TRUE(decode(empty_inside, two));
  const DecodeOptions one{.max_depth = 1, .allow_padding = true};
  EXPECT_FALSE(decode(empty_inside, one));
}

TEST(TlvEncode, ShortestLengthFormAtEveryBoundary) {
  const std::pair<std::size_t, std::string_view> cases[] = {
      {0, "5A00"},          {127, "5A7F"},        {128, "5A8180"},       {255, "5A81FF"},
      {256, "5A820100"},    {65535, "5A82FFFF"},  {65536, "5A83010000"},
  };
  for (const auto& [size, header] : cases) {
    const Bytes encoded = encode_tlv(0x5A, Bytes(size, 0xAB));
    ASSERT_EQ(encoded.size(), header.size() / 2 + size);
    EXPECT_EQ(hex_of(ByteView{encoded}.first(header.size() / 2)), header) << size;
    auto r = decode(encoded);
    ASSERT_TRUE(r) << size;
    EXPECT_EQ((*r)[0].value.size(), size);
  }
}

TEST(TlvEncode, AppendTlvWritesMultiByteTagsBigEndian) {
  Bytes out = hex("AA");
  append_tlv(out, 0x9F02, hex("000000001000"));
  append_tlv(out, 0x9F8101, hex("01"));
  append_tlv(out, 0xBF0C, {});
  EXPECT_EQ(hex_of(out), "AA9F02060000000010009F81010101BF0C00");
}

TEST(TlvEncode, HandBuiltTreeIsEncodedFromItsChildren) {
  const Bytes aip = hex("1980");
  const Bytes afl = hex("08010100");
  const std::vector<TlvNode> tree{
      TlvNode{0x77, {}, {TlvNode{0x82, aip, {}}, TlvNode{0x94, afl, {}}}},
  };
  EXPECT_EQ(hex_of(encode(tree)), "770A82021980940408010100");
}

TEST(TlvEncode, ConstructedNodeWithoutChildrenIsEncodedFromItsValue) {
  const Bytes contents = hex("5A021234");
  const std::vector<TlvNode> tree{TlvNode{0x70, contents, {}}};
  EXPECT_EQ(hex_of(encode(tree)), "70045A021234");
}

TEST(TlvRoundTrip, CanonicalEncodingsReEncodeByteForByte) {
  Bytes long_one = encode_tlv(0x9F4B, Bytes(200, 0x42));
  append_tlv(long_one, 0x70, encode_tlv(0x90, Bytes(300, 0x24)));
  const Bytes cases[] = {
      kGpoResponse,
      kRecord,
      kNested,
      long_one,
      wrap(7, 0x70),
      hex("9F02 06 000000001000 9F03 06 000000000000 9F1A 02 0840 95 05 0000000000"
          " 5F2A 02 0840 9A 03 240115 9C 01 00 9F37 04 12345678"),
  };
  for (const auto& data : cases) {
    auto r = decode(data);
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(hex_of(encode(*r)), hex_of(data));
  }
}

TEST(TlvFind, EmptyAndAbsent) {
  EXPECT_EQ(find({}, 0x5A), nullptr);
  auto r = decode(kGpoResponse);
  ASSERT_TRUE(r);
  EXPECT_EQ(find(*r, 0x5A), nullptr);
  EXPECT_EQ(find(*r, 0x77), &r->front());
}

}  // namespace
}  // namespace tender::emv
