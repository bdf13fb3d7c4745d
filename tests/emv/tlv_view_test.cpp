// The view decoders (TlvReader, walk()) against the tree decoder: on every input of
// tlv_test and every prefix of each, the same objects under the same parents where the
// bytes decode and the same Error (code and message) where they do not.
#include "emv/tlv_view.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "emv/tlv.hpp"
#include "tests/emv/tlv_vectors.hpp"
#include "tests/test_hex.hpp"

namespace tender::emv {
namespace {

using tender::test::hex;
using test_vectors::kNested;

// One object as met in a depth-first walk: what the decoders must agree on. `parent`
// is where the enclosing object's contents start (nullptr at the top level).
struct Visit {
  Tag tag;
  const Byte* value;
  std::size_t size;
  const Byte* parent;
  bool constructed;
  bool operator==(const Visit&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Visit& v) {
  return out << tag_to_hex(v.tag) << " size " << v.size << (v.parent == nullptr ? " at the top" : "");
}

void walk_tree(std::span<const TlvNode> nodes, const Byte* parent, std::vector<Visit>& out) {
  for (const TlvNode& node : nodes) {
    out.push_back({node.tag, node.value.data(), node.value.size(), parent, node.constructed()});
    walk_tree(node.children, node.value.data(), out);
  }
}

// TlvReader by hand: every object checked as it is reached, the first error ends it.
Result<void> walk_reader(TlvReader reader, const Byte* parent, std::vector<Visit>& out) {
  TlvObject object;
  while (reader.next(object)) {
    out.push_back({object.tag, object.value.data(), object.value.size(), parent, object.constructed()});
    if (auto inner = walk_reader(reader.contents(object), object.value.data(), out); !inner) return inner;
  }
  EXPECT_EQ(reader.done(), reader.status().has_value());
  return reader.status();
}

// walk(): the same objects through its visitor, and the parent it names.
Result<void> walk_visits(ByteView data, const DecodeOptions& options, std::vector<Visit>& out) {
  return walk(
      data,
      [&out](const TlvObject& object, TlvParent parent) {
        // The parent's tag is the tag of the object whose contents it names.
        for (const Visit& before : out) {
          if (before.value == parent.contents) {
            EXPECT_EQ(before.tag, parent.tag);
          }
        }
        out.push_back({object.tag, object.value.data(), object.value.size(), parent.contents, object.constructed()});
      },
      options);
}

// Asserts the reader and walk() agree with the tree on `data`.
void expect_agreement(const std::string& name, ByteView data, const DecodeOptions& options) {
  SCOPED_TRACE(name);
  auto tree = decode(data, options);
  std::vector<Visit> read;
  auto by_hand = walk_reader(TlvReader{data, options}, nullptr, read);
  std::vector<Visit> visited;
  auto walked = walk_visits(data, options, visited);
  ASSERT_EQ(by_hand.has_value(), tree.has_value());
  if (options.max_depth > kWalkMaxDepth) {
    // Deeper than walk()'s stack: refused before any object, whatever the bytes.
    ASSERT_FALSE(walked);
    EXPECT_EQ(walked.error().code, Errc::invalid_argument);
    EXPECT_TRUE(visited.empty());
    if (tree) {
      std::vector<Visit> from_tree;
      walk_tree(*tree, nullptr, from_tree);
      EXPECT_EQ(read, from_tree);
    } else {
      EXPECT_EQ(by_hand.error().message, tree.error().message);
    }
    return;
  }
  ASSERT_EQ(walked.has_value(), tree.has_value());
  // Up to a fault, walk() has shown the visitor exactly what the reader read.
  EXPECT_EQ(visited, read);
  if (!tree) {
    EXPECT_EQ(by_hand.error().code, tree.error().code);
    EXPECT_EQ(by_hand.error().message, tree.error().message);
    EXPECT_EQ(walked.error().code, tree.error().code);
    EXPECT_EQ(walked.error().message, tree.error().message);
    return;
  }
  std::vector<Visit> from_tree;
  walk_tree(*tree, nullptr, from_tree);
  EXPECT_EQ(read, from_tree);
  EXPECT_EQ(visited, from_tree);
}

Result<void> well_formed(ByteView data, const DecodeOptions& options = {}) {
  return walk(data, [](const TlvObject&, TlvParent) {}, options);
}

TEST(TlvInPlaceAgreement, EveryTlvTestVector) {
  for (const auto& v : test_vectors::all()) expect_agreement(v.name, v.data, v.options);
}

TEST(TlvInPlaceAgreement, EveryPrefixOfEveryVector) {
  for (const auto& v : test_vectors::all()) {
    if (v.data.size() > 600) continue;  // the long values add prefixes, not cases
    for (std::size_t n = 0; n < v.data.size(); ++n) {
      // Exactly n bytes on the heap: a read of byte n is an overflow ASan reports.
      const Bytes prefix(v.data.begin(), v.data.begin() + static_cast<std::ptrdiff_t>(n));
      expect_agreement(v.name + " prefix " + std::to_string(n), prefix, v.options);
    }
  }
}

TEST(TlvInPlaceAgreement, MalformedInputsGiveTheTreesTypedError) {
  // Each case must fail, so a walk that accepted it would fail here, not agree.
  const std::pair<const char*, Errc> cases[] = {
      {"9F02 06 00000000", Errc::truncated},     {"9F02 01 00 70 04 5A 08 4761", Errc::truncated},
      {"70 80 5A 01 12 00 00", Errc::malformed}, {"5A 84 00 00 00 01 12", Errc::malformed},
      {"9F 81 81 81 01 01 00", Errc::malformed}, {"5A", Errc::truncated},
      {"70 02 9F02", Errc::truncated},           {"9F02 81", Errc::truncated},
      {"70 03 5A 01 12 00 70 01", Errc::truncated},
  };
  for (const auto& [text, code] : cases) {
    const Bytes data = hex(text);
    auto walked = well_formed(data);
    ASSERT_FALSE(walked) << text;
    EXPECT_EQ(walked.error().code, code) << text;
    EXPECT_EQ(walked.error().message, decode(data).error().message) << text;
  }
  const Bytes deep = test_vectors::wrap(100, 0x70);
  auto bomb = well_formed(deep);
  ASSERT_FALSE(bomb);
  EXPECT_EQ(bomb.error().code, Errc::malformed);
  EXPECT_NE(bomb.error().message.find("nested"), std::string::npos) << bomb.error().message;
}

TEST(TlvWalk, ParentsTellTemplatesOfOneTagApart) {
  // Two A5 templates in one FCI: a parser that wants the first one's 50 must not take
  // the second's. TlvParent::is() names the object, not the tag.
  const Bytes data = hex("6F 10 84 02 A0 01 A5 04 50 02 41 42 A5 04 50 02 43 44");
  TlvObject first_a5;
  std::string labels;
  std::string parents;
  ASSERT_TRUE(walk(data, [&](const TlvObject& object, TlvParent parent) {
    if (object.tag == 0xA5 && first_a5.tag == 0) first_a5 = object;
    if (object.tag == 0x50) {
      labels.append(object.value.begin(), object.value.end());
      parents += parent.is(first_a5) ? "first " : "other ";
      EXPECT_EQ(parent.tag, 0xA5U);
    }
    if (object.tag == 0x6F) {
      EXPECT_TRUE(parent.top_level());
    }
  }));
  EXPECT_EQ(labels, "ABCD");
  EXPECT_EQ(parents, "first other ");
}

TEST(TlvWalk, EncodingIsTheCardsOwnHeaderAndValue) {
  // 81 02: a non-minimal length a card may send; encoding() keeps it, as ODA hashes it.
  const Bytes data = hex("77 0D 9F27 01 80 9F36 81 02 0001 00 00 00");
  std::vector<TlvObject> objects;
  ASSERT_TRUE(walk(data, [&](const TlvObject& object, TlvParent) { objects.push_back(object); }));
  ASSERT_EQ(objects.size(), 3U);  // the trailing '00's are padding
  const TlvObject& rmtf2 = objects[0];
  EXPECT_EQ(rmtf2.header_size, 2U);
  EXPECT_TRUE(rmtf2.constructed());
  EXPECT_EQ(to_hex(rmtf2.encoding()), to_hex(data));
  const TlvObject& atc = objects[2];
  EXPECT_EQ(atc.tag, 0x9F36U);
  EXPECT_EQ(atc.header_size, 4U);
  EXPECT_FALSE(atc.constructed());
  EXPECT_EQ(to_hex(atc.encoding()), "9F3681020001");
}

TEST(TlvWalk, APrimitiveHasNoContentsHoweverItsValueLooks) {
  const Bytes data = hex("80 06 5A 01 12 5A 01 34");  // format 1: AIP and AFL, not TLV
  std::vector<Tag> tags;
  ASSERT_TRUE(walk(data, [&](const TlvObject& object, TlvParent) { tags.push_back(object.tag); }));
  EXPECT_EQ(tags, std::vector<Tag>{0x80});
  TlvReader reader{data};
  TlvObject object;
  ASSERT_TRUE(reader.next(object));
  TlvReader contents = reader.contents(object);
  TlvObject inner;
  EXPECT_FALSE(contents.next(inner));
  EXPECT_TRUE(contents.done());
}

TEST(TlvWalk, NestsAsDeepAsItsStackAndRefusesToBeAskedForMore) {
  const DecodeOptions deepest{.max_depth = kWalkMaxDepth, .allow_padding = true};
  // kWalkMaxDepth levels: every slot of its stack in use (ASan sees an overrun).
  const Bytes at_limit = test_vectors::wrap(kWalkMaxDepth - 1, 0x70);
  expect_agreement("at kWalkMaxDepth", at_limit, deepest);
  std::size_t objects = 0;
  ASSERT_TRUE(walk(at_limit, [&](const TlvObject&, TlvParent) { ++objects; }, deepest));
  EXPECT_EQ(objects, kWalkMaxDepth);
  // One deeper is the tree's "nested too deep", at the same offset.
  expect_agreement("past kWalkMaxDepth", test_vectors::wrap(kWalkMaxDepth, 0x70), deepest);
  ASSERT_FALSE(well_formed(test_vectors::wrap(kWalkMaxDepth, 0x70), deepest));
  // Asked for a deeper limit than it can hold, it says so and visits nothing.
  const DecodeOptions deeper{.max_depth = kWalkMaxDepth + 1, .allow_padding = true};
  objects = 0;
  auto refused = walk(at_limit, [&](const TlvObject&, TlvParent) { ++objects; }, deeper);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
  EXPECT_EQ(objects, 0U);
}

TEST(TlvWalk, TheNestedTestVectorKeepsItsParents) {
  // kNested (an FCI with templates inside templates): every object's parent is the
  // object it lies in, by position.
  std::vector<Visit> visits;
  ASSERT_TRUE(walk_visits(kNested, DecodeOptions{}, visits));
  ASSERT_EQ(visits.size(), 7U);  // 6F 84 A5 50 BF0C 61 4F
  for (const Visit& v : visits) {
    if (v.parent == nullptr) continue;
    bool inside = false;
    for (const Visit& p : visits) {
      if (p.value == v.parent) inside = v.value >= p.value && v.value + v.size <= p.value + p.size;
    }
    EXPECT_TRUE(inside) << v;
  }
}

TEST(TlvReader, AFailedReadDoesNotAdvance) {
  const Bytes data = hex("5A 01 12 9F02 06 0000");
  TlvReader reader{data};
  TlvObject object;
  EXPECT_TRUE(reader.status());  // the 5A ahead reads
  ASSERT_TRUE(reader.next(object));
  EXPECT_EQ(object.tag, 0x5AU);
  EXPECT_FALSE(reader.status());  // the 9F02 ahead does not
  ASSERT_FALSE(reader.next(object));
  EXPECT_FALSE(reader.done());
  const auto first = reader.status();
  ASSERT_FALSE(first);
  ASSERT_FALSE(reader.next(object));
  const auto second = reader.status();
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::truncated);
  EXPECT_EQ(second.error().message, first.error().message);
  EXPECT_NE(first.error().message.find("tag 9F02 at offset 3"), std::string::npos) << first.error().message;
}

TEST(TlvReader, TheEndOfALevelIsDoneAndOk) {
  const Bytes data = hex("00 5A 01 12 FF 00");
  TlvReader reader{data};
  TlvObject object;
  ASSERT_TRUE(reader.next(object));
  EXPECT_FALSE(reader.next(object));
  EXPECT_TRUE(reader.done());
  EXPECT_TRUE(reader.status());
  EXPECT_FALSE(reader.next(object));  // and stays there
  EXPECT_TRUE(reader.done());
}

TEST(TlvReader, ChecksOnlyWhatItReaches) {
  // One pass: a malformed object inside a template is found when the walk enters it,
  // not before. walk() is what rejects it as a whole.
  const Bytes data = hex("70 04 5A 08 4761 5F34 01 01");
  TlvReader reader{data};
  TlvObject object;
  ASSERT_TRUE(reader.next(object));
  EXPECT_EQ(object.tag, 0x70U);
  ASSERT_TRUE(reader.next(object));
  EXPECT_EQ(object.tag, 0x5F34U);
  EXPECT_FALSE(reader.next(object));
  EXPECT_TRUE(reader.done());
  EXPECT_FALSE(well_formed(data));
}

TEST(TlvReader, NestingBeyondTheLimitIsMalformedWhereItIsReached) {
  const Bytes data = test_vectors::wrap(2, 0x70);  // 70 05 70 03 5A 01 12
  const DecodeOptions two{.max_depth = 2, .allow_padding = true};
  TlvReader reader{data, two};
  TlvObject outer;
  ASSERT_TRUE(reader.next(outer));
  TlvReader middle = reader.contents(outer);
  TlvObject inner;
  ASSERT_TRUE(middle.next(inner));
  TlvReader deep = middle.contents(inner);
  TlvObject innermost;
  ASSERT_FALSE(deep.next(innermost));
  const auto status = deep.status();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, Errc::malformed);
  EXPECT_EQ(status.error().message, decode(data, two).error().message);
  EXPECT_NE(status.error().message.find("offset 4"), std::string::npos) << status.error().message;
}

TEST(TlvReader, PaddingOnlyBelowTheLimitIsNoObject) {
  // The limit is on objects; a template below it holding padding alone is empty.
  const DecodeOptions one{.max_depth = 1, .allow_padding = true};
  const Bytes padding_only = hex("70 03 00 FF 00 5A 01 12");
  expect_agreement("padding below the limit", padding_only, one);
  EXPECT_TRUE(well_formed(padding_only, one));
  const Bytes object_after_padding = hex("70 03 00 5A 00");
  expect_agreement("an object after padding below the limit", object_after_padding, one);
  auto deep = decode(object_after_padding, one);
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().message.find("object at offset 3"), std::string::npos) << deep.error().message;
  // Strict: 00 is no padding, so it is an object where none may be.
  expect_agreement("strict below the limit", hex("70 01 00"), DecodeOptions{.max_depth = 1, .allow_padding = false});
  expect_agreement("limit 0", hex("5A 01 12"), DecodeOptions{.max_depth = 0, .allow_padding = true});
  expect_agreement("limit 0, padding only", hex("00 FF"), DecodeOptions{.max_depth = 0, .allow_padding = true});
}

TEST(TlvReader, DeeperLimitsThanTheReaderCountsAreItsOwn) {
  // max_depth is kept in 7 bits: a larger limit is TlvReader::kMaxDepth, for the
  // tree and the views alike.
  const Bytes data = test_vectors::wrap(TlvReader::kMaxDepth + 2, 0x70);
  const DecodeOptions huge{.max_depth = 1000, .allow_padding = true};
  expect_agreement("past kMaxDepth", data, huge);
  auto tree = decode(data, huge);
  ASSERT_FALSE(tree);
  EXPECT_NE(tree.error().message.find("limit of 127"), std::string::npos) << tree.error().message;
  const Bytes at_limit = test_vectors::wrap(TlvReader::kMaxDepth - 1, 0x70);
  expect_agreement("at kMaxDepth", at_limit, huge);
  EXPECT_TRUE(decode(at_limit, huge));
}

TEST(TlvReader, OffsetsBeyondSixteenBitsAreExact) {
  // Error offsets are counted from where each level ends, in 24 bits: a fault deep in
  // a large buffer still names its own offset.
  Bytes data = encode_tlv(0x9F4B, Bytes(70000, 0x11));  // 9F4B 83 011170 + 70000 bytes
  const std::size_t template_at = data.size();
  append_tlv(data, 0x70, hex("5A 01 12 5F24 05 2212"));  // 5F24 claims 5 bytes, 2 remain
  expect_agreement("large buffer", data, DecodeOptions{});
  auto tree = decode(data);
  ASSERT_FALSE(tree);
  const std::string where = "tag 5F24 at offset " + std::to_string(template_at + 2 + 3);
  EXPECT_NE(tree.error().message.find(where), std::string::npos) << tree.error().message;
}

TEST(TlvReader, MoreDataThanALengthCanStateIsRefused) {
  // 16 MiB: no card response or host message comes near it; the reader's counts
  // are 24 bits. Refused, not misread, by the reader, walk() and the tree.
  const Bytes data(TlvReader::kMaxData + 1, 0x00);
  TlvReader reader{data};
  TlvObject object;
  EXPECT_FALSE(reader.next(object));
  EXPECT_FALSE(reader.done());
  ASSERT_FALSE(reader.status());
  EXPECT_EQ(reader.status().error().code, Errc::out_of_range);
  ASSERT_FALSE(well_formed(data));
  EXPECT_EQ(well_formed(data).error().code, Errc::out_of_range);
  ASSERT_FALSE(decode(data));
  EXPECT_EQ(decode(data).error().code, Errc::out_of_range);
  // One byte fewer is read (padding throughout).
  EXPECT_TRUE(decode(ByteView{data}.first(TlvReader::kMaxData)));
}

}  // namespace
}  // namespace tender::emv
