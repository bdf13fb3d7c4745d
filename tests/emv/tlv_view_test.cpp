// The view decoders (TlvReader, TlvView) against the tree decoder: on every input of
// tlv_test and every prefix of each, the same objects where the bytes decode and the
// same Error (code and message) where they do not.
#include "emv/tlv_view.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <ranges>
#include <string>
#include <vector>

#include "emv/tlv.hpp"
#include "tests/emv/tlv_vectors.hpp"
#include "tests/test_hex.hpp"

namespace tender::emv {
namespace {

using tender::test::hex;
using test_vectors::kGpoResponse;
using test_vectors::kNested;
using test_vectors::kRecord;

static_assert(std::forward_iterator<TlvView::iterator>);
static_assert(std::sentinel_for<std::default_sentinel_t, TlvView::iterator>);
static_assert(std::ranges::forward_range<TlvView>);

// One object as met in a depth-first walk: what the three decoders must agree on.
struct Visit {
  Tag tag;
  const Byte* value;
  std::size_t size;
  std::size_t depth;
  bool constructed;
  bool operator==(const Visit&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Visit& v) {
  return out << tag_to_hex(v.tag) << " depth " << v.depth << " size " << v.size;
}

void walk(std::span<const TlvNode> nodes, std::size_t depth, std::vector<Visit>& out) {
  for (const TlvNode& node : nodes) {
    out.push_back({node.tag, node.value.data(), node.value.size(), depth, node.constructed()});
    walk(node.children, depth + 1, out);
  }
}

void walk(const TlvView& view, std::size_t depth, std::vector<Visit>& out) {
  for (const TlvObject& object : view) {
    out.push_back({object.tag, object.value.data(), object.value.size(), depth, object.constructed()});
    walk(view.contents(object), depth + 1, out);
  }
}

// The single pass: every object checked as it is reached, the first error ends it.
Result<void> walk(TlvReader reader, std::size_t depth, std::vector<Visit>& out) {
  TlvObject object;
  while (reader.next(object)) {
    out.push_back({object.tag, object.value.data(), object.value.size(), depth, object.constructed()});
    if (auto inner = walk(reader.contents(object), depth + 1, out); !inner) return inner;
  }
  EXPECT_EQ(reader.done(), reader.status().has_value());
  return reader.status();
}

// Asserts the view and the reader agree with the tree on `data`.
void expect_agreement(const std::string& name, ByteView data, const DecodeOptions& options) {
  SCOPED_TRACE(name);
  auto tree = decode(data, options);
  auto view = TlvView::decode(data, options);
  std::vector<Visit> read;
  auto walked = walk(TlvReader{data, options}, 1, read);
  ASSERT_EQ(view.has_value(), tree.has_value());
  ASSERT_EQ(walked.has_value(), tree.has_value());
  if (!tree) {
    EXPECT_EQ(view.error().code, tree.error().code);
    EXPECT_EQ(view.error().message, tree.error().message);
    EXPECT_EQ(walked.error().code, tree.error().code);
    EXPECT_EQ(walked.error().message, tree.error().message);
    return;
  }
  std::vector<Visit> from_tree;
  std::vector<Visit> from_view;
  walk(*tree, 1, from_tree);
  walk(*view, 1, from_view);
  EXPECT_EQ(from_view, from_tree);
  EXPECT_EQ(read, from_tree);
  EXPECT_EQ(view->size(), tree->size());
  EXPECT_EQ(view->empty(), tree->empty());
}

TEST(TlvViewAgreement, EveryTlvTestVector) {
  for (const auto& v : test_vectors::all()) expect_agreement(v.name, v.data, v.options);
}

TEST(TlvViewAgreement, EveryPrefixOfEveryVector) {
  for (const auto& v : test_vectors::all()) {
    if (v.data.size() > 600) continue;  // the long values add prefixes, not cases
    for (std::size_t n = 0; n < v.data.size(); ++n) {
      // Exactly n bytes on the heap: a read of byte n is an overflow ASan reports.
      const Bytes prefix(v.data.begin(), v.data.begin() + static_cast<std::ptrdiff_t>(n));
      expect_agreement(v.name + " prefix " + std::to_string(n), prefix, v.options);
    }
  }
}

TEST(TlvViewAgreement, MalformedInputsGiveTheTreesTypedError) {
  // Each case must fail, so a view that accepted it would fail here, not agree.
  const std::pair<const char*, Errc> cases[] = {
      {"9F02 06 00000000", Errc::truncated},     {"9F02 01 00 70 04 5A 08 4761", Errc::truncated},
      {"70 80 5A 01 12 00 00", Errc::malformed}, {"5A 84 00 00 00 01 12", Errc::malformed},
      {"9F 81 81 81 01 01 00", Errc::malformed}, {"5A", Errc::truncated},
      {"70 02 9F02", Errc::truncated},           {"9F02 81", Errc::truncated},
      {"70 03 5A 01 12 00 70 01", Errc::truncated},
  };
  for (const auto& [text, code] : cases) {
    const Bytes data = hex(text);
    auto view = TlvView::decode(data);
    ASSERT_FALSE(view) << text;
    EXPECT_EQ(view.error().code, code) << text;
    EXPECT_EQ(view.error().message, decode(data).error().message) << text;
  }
  const Bytes deep = test_vectors::wrap(100, 0x70);
  auto bomb = TlvView::decode(deep);
  ASSERT_FALSE(bomb);
  EXPECT_EQ(bomb.error().code, Errc::malformed);
  EXPECT_NE(bomb.error().message.find("nested"), std::string::npos) << bomb.error().message;
}

// Re-encodes through the view: a constructed object from its contents, a primitive
// from its value, as encode() does from a tree.
Bytes reencode(const TlvView& view) {
  Bytes out;
  for (const TlvObject& object : view) {
    append_tlv(out, object.tag, object.constructed() ? ByteView{reencode(view.contents(object))} : object.value);
  }
  return out;
}

TEST(TlvViewRoundTrip, ReEncodingMatchesTheTreeAndDecodesAgain) {
  for (const auto& v : test_vectors::all()) {
    auto tree = decode(v.data, v.options);
    if (!tree) continue;
    auto view = TlvView::decode(v.data, v.options);
    ASSERT_TRUE(view) << v.name;
    const Bytes again = reencode(*view);
    EXPECT_EQ(to_hex(again), to_hex(encode(*tree))) << v.name;
    auto second = TlvView::decode(again, v.options);
    ASSERT_TRUE(second) << v.name;
    EXPECT_EQ(to_hex(reencode(*second)), to_hex(again)) << v.name;
  }
}

TEST(TlvViewFind, AgreesWithTheTreeForEveryTagPresentAndSomeAbsent) {
  for (const auto& v : test_vectors::all()) {
    auto tree = decode(v.data, v.options);
    if (!tree) continue;
    auto view = TlvView::decode(v.data, v.options);
    ASSERT_TRUE(view);
    std::vector<Visit> visits;
    walk(*tree, 1, visits);
    std::vector<Tag> tags{0x9F26, 0x01, 0xDF818101};
    for (const Visit& visit : visits) tags.push_back(visit.tag);
    for (const Tag tag : tags) {
      const TlvNode* node = find(*tree, tag);
      const auto object = view->find(tag, TlvView::Search::depth_first);
      ASSERT_EQ(object.has_value(), node != nullptr) << v.name << " " << tag_to_hex(tag);
      if (node == nullptr) continue;
      EXPECT_EQ(object->value.data(), node->value.data()) << v.name << " " << tag_to_hex(tag);
      EXPECT_EQ(object->value.size(), node->value.size()) << v.name << " " << tag_to_hex(tag);
      const auto top = std::ranges::find(*tree, tag, &TlvNode::tag);
      const auto here = view->find(tag);
      ASSERT_EQ(here.has_value(), top != tree->end()) << v.name << " " << tag_to_hex(tag);
      if (here) {
        EXPECT_EQ(here->value.data(), top->value.data());
      }
    }
  }
}

TEST(TlvViewFind, ThisLevelDoesNotLookInsideTemplates) {
  auto view = TlvView::decode(kNested);
  ASSERT_TRUE(view) << view.error().describe();
  EXPECT_FALSE(view->find(0x84));
  const auto fci = view->single();
  ASSERT_TRUE(fci);
  const TlvView contents = view->contents(*fci);
  const auto df_name = contents.find(0x84);
  ASSERT_TRUE(df_name);
  EXPECT_EQ(to_hex(df_name->value), "A0000000031010");
  EXPECT_FALSE(contents.find(0x4F));
  const auto adf = contents.find(0x4F, TlvView::Search::depth_first);
  ASSERT_TRUE(adf);
  EXPECT_EQ(adf->value.data(), kNested.data() + 26);
}

TEST(TlvViewObject, EncodingIsTheCardsOwnHeaderAndValue) {
  // 81 05: a non-minimal length a card may send; encoding() keeps it, as ODA hashes it.
  const Bytes data = hex("77 0D 9F27 01 80 9F36 81 02 0001 00 00 00");
  auto view = TlvView::decode(data);
  ASSERT_TRUE(view) << view.error().describe();
  const auto rmtf2 = view->single();
  ASSERT_TRUE(rmtf2);
  EXPECT_EQ(rmtf2->header_size, 2U);
  EXPECT_TRUE(rmtf2->constructed());
  const auto atc = view->contents(*rmtf2).find(0x9F36);
  ASSERT_TRUE(atc);
  EXPECT_EQ(atc->header_size, 4U);
  EXPECT_FALSE(atc->constructed());
  EXPECT_EQ(to_hex(atc->encoding()), "9F3681020001");
  EXPECT_EQ(view->contents(*rmtf2).size(), 2U);  // the trailing '00's are padding
  EXPECT_EQ(to_hex(rmtf2->encoding()), to_hex(data));
}

TEST(TlvViewObject, SingleIsNulloptForNoneOrSeveral) {
  const Bytes padding = hex("00 00");
  auto none = TlvView::decode(padding);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->single());
  EXPECT_TRUE(none->empty());
  const Bytes two = hex("5A 01 12 5F34 01 01");
  auto several = TlvView::decode(two);
  ASSERT_TRUE(several);
  EXPECT_FALSE(several->single());
  EXPECT_EQ(several->size(), 2U);
  const TlvView empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_FALSE(empty.find(0x5A, TlvView::Search::depth_first));
}

TEST(TlvViewObject, APrimitiveHasNoContentsHoweverItsValueLooks) {
  const Bytes data = hex("80 06 5A 01 12 5A 01 34");  // format 1: AIP and AFL, not TLV
  auto view = TlvView::decode(data);
  ASSERT_TRUE(view);
  const auto format1 = view->single();
  ASSERT_TRUE(format1);
  EXPECT_TRUE(view->contents(*format1).empty());
  EXPECT_FALSE(view->find(0x5A, TlvView::Search::depth_first));
  TlvReader reader{data};
  TlvObject object;
  ASSERT_TRUE(reader.next(object));
  TlvReader contents = reader.contents(object);
  TlvObject inner;
  EXPECT_FALSE(contents.next(inner));
  EXPECT_TRUE(contents.done());
}

template <class T>
concept ViewableFrom = requires(T&& data) { TlvView::decode(std::forward<T>(data)); };

TEST(TlvViewObject, TemporaryBuffersAreRefusedAtCompileTime) {
  static_assert(ViewableFrom<const Bytes&>);
  static_assert(ViewableFrom<ByteView>);
  static_assert(!ViewableFrom<Bytes>, "objects would dangle");
}

TEST(TlvViewObject, AnObjectFromElsewhereCannotMakeItReadOutOfBounds) {
  // contents() takes objects of its own view; one made up stops the walk early
  // (ASan would see a read past this 3-byte heap buffer).
  const Bytes bytes = hex("70 7F 5A");
  auto view = TlvView::decode(ByteView{});
  ASSERT_TRUE(view);
  const TlvObject made_up{0x70, ByteView{bytes}, 0, true};
  EXPECT_EQ(view->contents(made_up).size(), 0U);
  EXPECT_FALSE(view->contents(made_up).find(0x5A, TlvView::Search::depth_first));
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
  // not before. TlvView::decode() is what rejects it up front.
  const Bytes data = hex("70 04 5A 08 4761 5F34 01 01");
  TlvReader reader{data};
  TlvObject object;
  ASSERT_TRUE(reader.next(object));
  EXPECT_EQ(object.tag, 0x70U);
  ASSERT_TRUE(reader.next(object));
  EXPECT_EQ(object.tag, 0x5F34U);
  EXPECT_FALSE(reader.next(object));
  EXPECT_TRUE(reader.done());
  EXPECT_FALSE(TlvView::decode(data));
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
  EXPECT_TRUE(TlvView::decode(padding_only, one));
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
  // are 24 bits. Refused, not misread, by the reader, the view and the tree.
  const Bytes data(TlvReader::kMaxData + 1, 0x00);
  TlvReader reader{data};
  TlvObject object;
  EXPECT_FALSE(reader.next(object));
  EXPECT_FALSE(reader.done());
  ASSERT_FALSE(reader.status());
  EXPECT_EQ(reader.status().error().code, Errc::out_of_range);
  ASSERT_FALSE(TlvView::decode(data));
  EXPECT_EQ(TlvView::decode(data).error().code, Errc::out_of_range);
  ASSERT_FALSE(decode(data));
  EXPECT_EQ(decode(data).error().code, Errc::out_of_range);
  // One byte fewer is read (padding throughout).
  EXPECT_TRUE(decode(ByteView{data}.first(TlvReader::kMaxData)));
}

}  // namespace
}  // namespace tender::emv
