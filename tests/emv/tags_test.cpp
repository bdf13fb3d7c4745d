#include "emv/tags.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace tender::emv {
namespace {

using F = TagFormat;

TEST(Tags, TableIsStrictlySortedSoBinarySearchWorks) {
  const auto tags = all_tags();
  ASSERT_FALSE(tags.empty());
  for (std::size_t i = 1; i < tags.size(); ++i) {
    EXPECT_LT(tags[i - 1].tag, tags[i].tag) << "at " << tag_to_hex(tags[i].tag);
  }
  std::set<Tag> unique;
  for (const auto& info : tags) unique.insert(info.tag);
  EXPECT_EQ(unique.size(), tags.size()) << "duplicate tags";
}

TEST(Tags, CoversAnnexA) {
  // EMV Book 3 Annex A tagged data elements with their format column.
  const std::pair<Tag, TagFormat> annex_a[] = {
      {0x42, F::n},     {0x4F, F::b},     {0x50, F::ans},   {0x57, F::b},     {0x5A, F::cn},
      {0x61, F::var},   {0x6F, F::var},   {0x70, F::var},   {0x71, F::var},   {0x72, F::var},
      {0x73, F::var},   {0x77, F::var},   {0x80, F::var},   {0x81, F::b},     {0x82, F::b},
      {0x83, F::b},     {0x84, F::b},     {0x86, F::b},     {0x87, F::b},     {0x88, F::b},
      {0x89, F::an},    {0x8A, F::an},    {0x8C, F::b},     {0x8D, F::b},     {0x8E, F::b},
      {0x8F, F::b},     {0x90, F::b},     {0x91, F::b},     {0x92, F::b},     {0x93, F::b},
      {0x94, F::var},   {0x95, F::b},     {0x97, F::b},     {0x98, F::b},     {0x99, F::b},
      {0x9A, F::n},     {0x9B, F::b},     {0x9C, F::n},     {0x9D, F::b},     {0xA5, F::var},
      {0x5F20, F::ans}, {0x5F24, F::n},   {0x5F25, F::n},   {0x5F28, F::n},   {0x5F2A, F::n},
      {0x5F2D, F::an},  {0x5F30, F::n},   {0x5F34, F::n},   {0x5F36, F::n},   {0x5F50, F::ans},
      {0x5F53, F::var}, {0x5F54, F::var}, {0x5F55, F::a},   {0x5F56, F::a},   {0x5F57, F::n},
      {0x9F01, F::n},   {0x9F02, F::n},   {0x9F03, F::n},   {0x9F04, F::b},   {0x9F05, F::b},
      {0x9F06, F::b},   {0x9F07, F::b},   {0x9F08, F::b},   {0x9F09, F::b},   {0x9F0B, F::ans},
      {0x9F0D, F::b},   {0x9F0E, F::b},   {0x9F0F, F::b},   {0x9F10, F::b},   {0x9F11, F::n},
      {0x9F12, F::ans}, {0x9F13, F::b},   {0x9F14, F::b},   {0x9F15, F::n},   {0x9F16, F::ans},
      {0x9F17, F::b},   {0x9F18, F::b},   {0x9F1A, F::n},   {0x9F1B, F::b},   {0x9F1C, F::an},
      {0x9F1D, F::b},   {0x9F1E, F::an},  {0x9F1F, F::ans}, {0x9F20, F::cn},  {0x9F21, F::n},
      {0x9F22, F::b},   {0x9F23, F::b},   {0x9F26, F::b},   {0x9F27, F::b},   {0x9F2D, F::b},
      {0x9F2E, F::b},   {0x9F2F, F::b},   {0x9F32, F::b},   {0x9F33, F::b},   {0x9F34, F::b},
      {0x9F35, F::n},   {0x9F36, F::b},   {0x9F37, F::b},   {0x9F38, F::b},   {0x9F39, F::n},
      {0x9F3A, F::b},   {0x9F3B, F::n},   {0x9F3C, F::n},   {0x9F3D, F::n},   {0x9F40, F::b},
      {0x9F41, F::n},   {0x9F42, F::n},   {0x9F43, F::n},   {0x9F44, F::n},   {0x9F45, F::b},
      {0x9F46, F::b},   {0x9F47, F::b},   {0x9F48, F::b},   {0x9F49, F::b},   {0x9F4A, F::var},
      {0x9F4B, F::b},   {0x9F4C, F::b},   {0x9F4D, F::b},   {0x9F4E, F::ans}, {0x9F4F, F::b},
      {0xBF0C, F::var},
  };
  EXPECT_GE(std::size(annex_a), 100U);
  for (const auto& [tag, format] : annex_a) {
    const TagInfo* info = tag_info(tag);
    ASSERT_NE(info, nullptr) << tag_to_hex(tag) << " missing";
    EXPECT_EQ(info->tag, tag);
    EXPECT_EQ(info->format, format) << tag_to_hex(tag) << " is " << to_string(info->format);
  }
}

TEST(Tags, NamesAreAnnexAWording) {
  const std::pair<Tag, std::string_view> names[] = {
      {0x9F02, "Amount, Authorised (Numeric)"},
      {0x9F03, "Amount, Other (Numeric)"},
      {0x5A, "Application Primary Account Number (PAN)"},
      {0x57, "Track 2 Equivalent Data"},
      {0x95, "Terminal Verification Results"},
      {0x9F26, "Application Cryptogram"},
      {0x9F27, "Cryptogram Information Data"},
      {0x9F10, "Issuer Application Data"},
      {0x9F37, "Unpredictable Number"},
      {0x9F36, "Application Transaction Counter (ATC)"},
      {0x9F33, "Terminal Capabilities"},
      {0x9F1A, "Terminal Country Code"},
      {0x5F2A, "Transaction Currency Code"},
      {0x82, "Application Interchange Profile"},
      {0x84, "Dedicated File (DF) Name"},
      {0x9F01, "Acquirer Identifier"},
      {0x9F4D, "Log Entry"},
      {0x9F4E, "Merchant Name and Location"},
      {0x9F4F, "Log Format"},
      {0x8C, "Card Risk Management Data Object List 1 (CDOL1)"},
      {0x9F38, "Processing Options Data Object List (PDOL)"},
      {0xBF0C, "File Control Information (FCI) Issuer Discretionary Data"},
  };
  for (const auto& [tag, name] : names) {
    const TagInfo* info = tag_info(tag);
    ASSERT_NE(info, nullptr) << tag_to_hex(tag);
    EXPECT_EQ(info->name, name);
  }
}

TEST(Tags, SourcesAndLengths) {
  EXPECT_EQ(tag_info(0x9F02)->source, TagSource::terminal);
  EXPECT_EQ(tag_info(0x9F37)->source, TagSource::terminal);
  EXPECT_EQ(tag_info(0x95)->source, TagSource::terminal);
  EXPECT_EQ(tag_info(0x9F26)->source, TagSource::icc);
  EXPECT_EQ(tag_info(0x5A)->source, TagSource::icc);
  EXPECT_EQ(tag_info(0x91)->source, TagSource::issuer);
  EXPECT_EQ(tag_info(0x71)->source, TagSource::issuer);
  EXPECT_EQ(tag_info(0x8A)->source, TagSource::issuer);

  EXPECT_EQ(tag_info(0x9F02)->min_length, 6);
  EXPECT_EQ(tag_info(0x9F02)->max_length, 6);
  EXPECT_EQ(tag_info(0x95)->max_length, 5);
  EXPECT_EQ(tag_info(0x5A)->max_length, 10);
  EXPECT_EQ(tag_info(0x57)->max_length, 19);
  EXPECT_EQ(tag_info(0x4F)->min_length, 5);
  EXPECT_EQ(tag_info(0x4F)->max_length, 16);
}

TEST(Tags, EveryEntryIsAWellFormedTagWithASaneRange) {
  for (const auto& info : all_tags()) {
    const std::string text = tag_to_hex(info.tag);
    auto parsed = tag_from_hex(text);
    ASSERT_TRUE(parsed) << text << ": " << parsed.error().describe();
    EXPECT_EQ(*parsed, info.tag);
    EXPECT_FALSE(info.name.empty()) << text;
    EXPECT_LE(info.min_length, info.max_length) << text;
    EXPECT_GT(info.max_length, 0) << text;
    // A constructed tag holds TLV objects, which Annex A formats as "var.".
    if (is_constructed(info.tag)) {
      EXPECT_EQ(info.format, F::var) << text;
    }
  }
}

TEST(Tags, UnknownTagsAreNotFound) {
  for (Tag tag : {Tag{0}, Tag{0x01}, Tag{0x9F6E}, Tag{0x9F7C}, Tag{0xDF01}, Tag{0x9F8101},
                  Tag{0xFFFFFFFF}}) {
    EXPECT_EQ(tag_info(tag), nullptr) << tag_to_hex(tag);
  }
}

TEST(Tags, FirstAndLastAreFound) {
  const auto tags = all_tags();
  EXPECT_EQ(tag_info(tags.front().tag), &tags.front());
  EXPECT_EQ(tag_info(tags.back().tag), &tags.back());
}

TEST(Tags, FormatAndSourceNames) {
  EXPECT_EQ(to_string(TagFormat::a), "a");
  EXPECT_EQ(to_string(TagFormat::an), "an");
  EXPECT_EQ(to_string(TagFormat::ans), "ans");
  EXPECT_EQ(to_string(TagFormat::b), "b");
  EXPECT_EQ(to_string(TagFormat::cn), "cn");
  EXPECT_EQ(to_string(TagFormat::n), "n");
  EXPECT_EQ(to_string(TagFormat::var), "var");
  EXPECT_EQ(to_string(TagSource::icc), "ICC");
  EXPECT_EQ(to_string(TagSource::terminal), "Terminal");
  EXPECT_EQ(to_string(TagSource::issuer), "Issuer");
}

}  // namespace
}  // namespace tender::emv
